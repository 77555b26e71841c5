//! The admin console's sub-navigation and page header.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::app_header::nav_label;
use crate::components::signed_in_as::SignedInAs;
use crate::i18n::*;
use crate::routes::Route;

/// Title, who is signed in, and links to every admin section.
#[component]
pub fn AdminHeader(
    /// The page's title.
    #[prop(into)]
    title: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="admin-header">
            <h1>{move || title.get()}</h1>
            <SignedInAs />
            <nav class="subnav" aria-label=move || t_string!(i18n, admin.sections).to_string()>
                <ul>
                    {Route::ADMIN_SECTIONS.into_iter().map(|r| view! {
                        <li><A href=r.href() exact=true>{move || nav_label(i18n, r)}</A></li>
                    }).collect_view()}
                </ul>
            </nav>
        </header>
    }
}
