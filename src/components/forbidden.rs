//! Shown when a signed-in person opens a page of another role.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::routes::Route;
use crate::state::session::Session;

/// "You don't have access", with a link to the person's own start page.
#[component]
pub fn Forbidden() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let home = move || {
        session
            .role()
            .map(|r| Route::home_for(r).href())
            .unwrap_or_else(|| Route::Home.href())
    };
    view! {
        <section class="panel" data-testid="forbidden">
            <h1>{t!(i18n, errors.forbidden_title)}</h1>
            <p>{t!(i18n, errors.forbidden_body)}</p>
            <p><A href=home>{t!(i18n, not_found.home)}</A></p>
        </section>
    }
}
