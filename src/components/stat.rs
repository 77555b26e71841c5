//! One labelled figure.

use leptos::prelude::*;

/// A figure with its label, e.g. "Members 5,000".
#[component]
pub fn Stat(
    /// What the figure is.
    #[prop(into)]
    label: Signal<String>,
    /// The figure, already formatted.
    #[prop(into)]
    value: Signal<String>,
    /// For tests.
    #[prop(optional)]
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="stat">
            <dt class="stat-label">{move || label.get()}</dt>
            <dd class="stat-value" data-testid=testid>{move || value.get()}</dd>
        </div>
    }
}
