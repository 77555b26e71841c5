//! The error state of a page section: what happened, in words, and a way on.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::ApiError;
use crate::i18n::*;
use crate::labels::sentence;
use crate::routes::sign_in_with_return;
use crate::state::session::Session;

/// The sentence to show beside a form for `e`: the server's words, or ours
/// when it could not be reached.
pub fn error_text(i18n: leptos_i18n::I18nContext<Locale>, e: &ApiError) -> String {
    match e {
        ApiError::Network { .. } => format!(
            "{} {}",
            t_string!(i18n, errors.network_title),
            t_string!(i18n, errors.network_body)
        ),
        other => sentence(i18n, other.message()),
    }
}

/// Shows `error`; offers `on_retry` when trying again can help. A 401
/// means the session is gone: it clears it and goes to sign-in, with a way
/// back here.
#[component]
pub fn ErrorPanel(
    /// What went wrong.
    error: ApiError,
    /// Called when the person asks to try again.
    #[prop(into)]
    on_retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    if matches!(error, ApiError::Unauthorized { .. }) {
        let session = Session::expect();
        let navigate = use_navigate();
        let location = use_location();
        Effect::new(move |_| {
            session.clear();
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            navigate(&sign_in_with_return(&here), Default::default());
        });
        return view! { <p class="notice" role="status">{t!(i18n, errors.session_expired)}</p> }
            .into_any();
    }
    let retryable = error.is_retryable();
    let server_message = error.message().to_string();
    let e = error.clone();
    let title = move || match &e {
        ApiError::Network { .. } => t_string!(i18n, errors.network_title).to_string(),
        ApiError::Forbidden { .. } => t_string!(i18n, errors.forbidden_title).to_string(),
        ApiError::NotFound { .. } => t_string!(i18n, errors.not_found_title).to_string(),
        _ => t_string!(i18n, errors.server_title).to_string(),
    };
    let body = move || match &error {
        ApiError::Network { .. } => t_string!(i18n, errors.network_body).to_string(),
        ApiError::Server { .. } | ApiError::Decode { .. } => {
            t_string!(i18n, errors.server_body).to_string()
        }
        _ => sentence(i18n, &server_message),
    };
    view! {
        <section class="panel error-panel" role="alert" data-testid="error-panel">
            <h2>{title}</h2>
            <p>{body}</p>
            <Show when=move || retryable>
                <button type="button" class="btn" on:click=move |_| on_retry.run(())>
                    {t!(i18n, errors.retry)}
                </button>
            </Show>
        </section>
    }
    .into_any()
}
