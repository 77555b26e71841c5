//! `/join?ref=CODE`: a new member account.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use patron_core::referral::RegisterRequest;

use crate::api::{self, ApiError};
use crate::components::error_panel::error_text;
use crate::i18n::*;
use crate::routes::Route;
use crate::state::session::Session;

/// Name, email, password and the referral code from the link.
#[component]
pub fn JoinPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let navigate = use_navigate();
    let query = use_query_map();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(query.get_untracked().get("ref").unwrap_or_default());
    let join = Action::new_local(|r: &RegisterRequest| api::account::register(r.clone()));
    let error = Memo::new(move |_| join.value().get().and_then(|r| r.err()));
    let field = move |f: &'static str| move || error.get().and_then(|e| e.field(f));
    Effect::new(move |_| {
        if let Some(Ok(me)) = join.value().get() {
            session.signed_in(me);
            navigate(Route::Dashboard.path(), Default::default());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        join.dispatch(RegisterRequest {
            name: name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
            referral_code: Some(code.get_untracked()).filter(|c| !c.trim().is_empty()),
        });
    };
    view! {
        <section class="card sign-in" aria-labelledby="join-heading">
            <h1 id="join-heading">{t!(i18n, join.title)}</h1>
            <form novalidate on:submit=on_submit>
                {move || error.get().filter(|e| !matches!(e, ApiError::Validation { fields, .. } if !fields.is_empty())).map(|e| {
                    let msg = error_text(i18n, &e);
                    view! { <p class="form-error" role="alert">{msg}</p> }
                })}
                <div class="field">
                    <label for="j-name">{t!(i18n, join.name)}</label>
                    <input id="j-name" autocomplete="name" bind:value=name />
                    <p class="field-error">{field("name")}</p>
                </div>
                <div class="field">
                    <label for="j-email">{t!(i18n, join.email)}</label>
                    <input id="j-email" type="email" autocomplete="email" bind:value=email />
                    <p class="field-error">{field("email")}</p>
                </div>
                <div class="field">
                    <label for="j-pw">{t!(i18n, join.password)}</label>
                    <input id="j-pw" type="password" autocomplete="new-password" bind:value=password />
                    <p class="field-error">{field("password")}</p>
                </div>
                <div class="field">
                    <label for="j-code">{t!(i18n, join.code)}" (" {t!(i18n, common.optional)} ")"</label>
                    <input id="j-code" bind:value=code />
                    <p class="field-error">{field("referral_code")}</p>
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || join.pending().get()>
                    {move || if join.pending().get() { t_string!(i18n, join.submitting).to_string() } else { t_string!(i18n, join.submit).to_string() }}
                </button>
            </form>
            <p class="hint"><A href=Route::SignIn.href()>{t!(i18n, join.have_account)}</A></p>
        </section>
    }
}
