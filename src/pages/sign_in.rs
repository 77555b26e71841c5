//! `/sign-in`.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use patron_core::auth::LoginRequest;

use crate::api::{self, ApiError};
use crate::i18n::*;
use crate::routes::{safe_return, Route};
use crate::state::session::Session;

/// Email and password; errors in words; the email is kept on failure; back
/// to where the person came from after success.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let navigate = use_navigate();
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let login = Action::new_local(|req: &LoginRequest| api::auth::login(req.clone()));
    let error = Memo::new(move |_| login.value().get().and_then(|r| r.err()));

    Effect::new(move |_| {
        if let Some(Ok(me)) = login.value().get() {
            let to = safe_return(query.get_untracked().get("return"))
                .unwrap_or_else(|| Route::home_for(me.role).href());
            session.signed_in(me);
            navigate(&to, Default::default());
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if login.pending().get_untracked() {
            return;
        }
        login.dispatch(LoginRequest {
            email: email.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        });
    };

    let message = move || {
        error.get().map(|e| match e {
            ApiError::InvalidCredentials { .. } => {
                t_string!(i18n, errors.invalid_credentials).to_string()
            }
            ApiError::RateLimited { .. } => t_string!(i18n, errors.rate_limited).to_string(),
            ApiError::Network { .. } => format!(
                "{} {}",
                t_string!(i18n, errors.network_title),
                t_string!(i18n, errors.network_body)
            ),
            ApiError::Validation {
                ref fields,
                ref message,
            } if fields.is_empty() => message.clone(),
            ApiError::Validation { .. } => String::new(),
            other => other.message().to_string(),
        })
    };
    let field_error = move |name: &'static str| move || error.get().and_then(|e| e.field(name));

    view! {
        <section class="card sign-in" aria-labelledby="sign-in-heading">
            <h1 id="sign-in-heading">{t!(i18n, sign_in.title)}</h1>
            <p class="hint">{t!(i18n, sign_in.intro)}</p>
            <form on:submit=on_submit novalidate>
                {move || message().filter(|m| !m.is_empty()).map(|m| view! {
                    <p class="form-error" role="alert" data-testid="sign-in-error">{m}</p>
                })}
                <div class="field">
                    <label for="email">{t!(i18n, sign_in.email)}</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                        bind:value=email
                        aria-invalid=move || field_error("email")().is_some().to_string()
                        aria-describedby="email-error"
                    />
                    <p id="email-error" class="field-error">{field_error("email")}</p>
                </div>
                <div class="field">
                    <label for="password">{t!(i18n, sign_in.password)}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        bind:value=password
                        aria-invalid=move || field_error("password")().is_some().to_string()
                        aria-describedby="password-error"
                    />
                    <p id="password-error" class="field-error">{field_error("password")}</p>
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || login.pending().get()>
                    {move || if login.pending().get() {
                        t_string!(i18n, sign_in.submitting).to_string()
                    } else {
                        t_string!(i18n, sign_in.submit).to_string()
                    }}
                </button>
            </form>
            <p class="hint demo">{t!(i18n, sign_in.demo)}</p>
        </section>
    }
}
