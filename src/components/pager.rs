//! Previous / next through a list the server pages.

use leptos::prelude::*;

use crate::format::number;
use crate::i18n::*;

/// "Page 2 of 7 · 340 in all" with previous / next buttons.
#[component]
pub fn Pager(
    /// The page shown, from 0.
    #[prop(into)]
    page: Signal<i64>,
    /// How many pages there are (at least 1).
    pages: i64,
    /// Rows in all.
    total: i64,
    /// Called with the page to show.
    #[prop(into)]
    on_page: Callback<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let l = move || i18n.get_locale();
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, pager.label).to_string()>
            <button type="button" class="btn btn-small" data-testid="page-previous" disabled=move || { page.get() <= 0 }
                on:click=move |_| on_page.run((page.get_untracked() - 1).max(0))>{t!(i18n, pager.previous)}</button>
            <span aria-live="polite">{move || t_string!(i18n, pager.page_of).to_string()
                .replace("{page}", &number(l(), page.get() + 1))
                .replace("{pages}", &number(l(), pages))
                .replace("{total}", &number(l(), total))}</span>
            <button type="button" class="btn btn-small" data-testid="page-next" disabled=move || { page.get() + 1 >= pages }
                on:click=move |_| on_page.run((page.get_untracked() + 1).min(pages - 1))>{t!(i18n, pager.next)}</button>
        </nav>
    }
}
