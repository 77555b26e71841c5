//! Any path the route table does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::routes::Route;

/// "Page not found" with a way back.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" data-testid="not-found">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <p><A href=Route::Home.href()>{t!(i18n, not_found.home)}</A></p>
        </section>
    }
}
