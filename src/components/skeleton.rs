//! Placeholder blocks while data loads.

use leptos::prelude::*;

use crate::i18n::*;

/// Grey bars standing in for content that is on its way.
#[component]
pub fn Skeleton(
    /// How many bars.
    #[prop(default = 3)]
    lines: usize,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="skeleton" aria-busy="true" data-testid="loading">
            <span class="visually-hidden" role="status">{t!(i18n, loading)}</span>
            {(0..lines).map(|_| view! { <div class="skeleton-bar"></div> }).collect_view()}
        </div>
    }
}
