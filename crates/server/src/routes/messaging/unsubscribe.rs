//! Unsubscribe links, without signing in. Every marketing message carries
//! `List-Unsubscribe: <…/unsubscribe/{token}>` with `List-Unsubscribe-Post`
//! (RFC 8058): a mail client's one-click POST to that URL unsubscribes the
//! member from the message's topic; a person opening it (GET) sees a page
//! in their language that asks first. `POST /api/v1/unsubscribe/{token}` is
//! the same for API clients. A tampered or expired token → 400, nothing
//! changes. Repeating an unsubscribe changes nothing and still succeeds.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use patron_core::error::ErrorEnvelope;
use patron_core::messaging::{Topic, UnsubscribeResult};

use crate::error::{ApiError, ApiResult};
use crate::messaging::defaults::topic_label;
use crate::messaging::tokens::{self, TokenError};
use crate::state::AppState;

/// The page routes, mounted at the root beside the SPA.
pub fn pages() -> Router<AppState> {
    Router::new().route("/unsubscribe/{token}", get(confirm_page).post(one_click))
}

/// What a checked token names.
struct Checked {
    member_id: i64,
    message_id: i64,
    topic: Topic,
    language: String,
}

async fn check(state: &AppState, token: &str) -> ApiResult<Checked> {
    let key = state.mailer.key(&state.store).await?;
    let u = tokens::verify(key, token, state.store.now().timestamp()).map_err(|e| match e {
        TokenError::Invalid => ApiError::BadRequest("This unsubscribe link is not valid.".into()),
        TokenError::Expired => ApiError::BadRequest("This unsubscribe link has expired.".into()),
    })?;
    let r = state
        .store
        .recipient(u.member_id)
        .await?
        .ok_or_else(|| ApiError::BadRequest("This unsubscribe link is not valid.".into()))?;
    Ok(Checked {
        member_id: u.member_id,
        message_id: u.message_id,
        topic: u.topic,
        language: r.language,
    })
}

/// Records the opt-out (source `unsubscribe`, naming the message); false
/// when the member was already out.
async fn unsubscribe(state: &AppState, c: &Checked) -> ApiResult<bool> {
    let Some(channel) = c.topic.consent() else {
        return Ok(false);
    };
    Ok(state
        .store
        .unsubscribe(c.member_id, channel, c.message_id)
        .await?)
}

/// Unsubscribes the member the token names from its topic.
#[utoipa::path(post, path = "/api/v1/unsubscribe/{token}", tag = "messaging", operation_id = "unsubscribe",
    params(("token" = String, Path, description = "The signed token from the message's link")),
    responses((status = 200, body = UnsubscribeResult), (status = 400, body = ErrorEnvelope)),
    security(()))]
pub async fn api(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Json<UnsubscribeResult>> {
    let c = check(&state, &token).await?;
    let changed = unsubscribe(&state, &c).await?;
    Ok(Json(UnsubscribeResult {
        topic: c.topic,
        changed,
    }))
}

/// A small page of its own (no script; the CSP's `form-action 'self'`
/// allows its form).
fn page(status: StatusCode, language: &str, title: &str, body: &str) -> Response {
    let lang = if language == "zh" { "zh-CN" } else { "en" };
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>"
    );
    (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

fn error_page(e: ApiError) -> Response {
    match e {
        ApiError::BadRequest(m) => page(
            StatusCode::BAD_REQUEST,
            "en",
            "Unsubscribe",
            &format!(
                "<p>{m}</p><p lang=\"zh-CN\">{}</p>",
                patron_core::messages::localise(&m, patron_core::messages::Lang::Zh)
            ),
        ),
        e => e.into_response(),
    }
}

/// GET: asks before unsubscribing (mail scanners follow links; only a POST
/// changes anything).
async fn confirm_page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let c = match check(&state, &token).await {
        Ok(c) => c,
        Err(e) => return error_page(e),
    };
    let topic = topic_label(c.topic, &c.language);
    let (title, ask, button) = if c.language == "zh" {
        ("退订", format!("不再接收{topic}？"), "退订")
    } else {
        (
            "Unsubscribe",
            format!("Stop getting {topic}?"),
            "Unsubscribe",
        )
    };
    page(
        StatusCode::OK,
        &c.language,
        title,
        &format!(
            "<p>{ask}</p><form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" \
             value=\"One-Click\"><button type=\"submit\">{button}</button></form>"
        ),
    )
}

/// POST: the one-click unsubscribe (RFC 8058) or the page's button.
async fn one_click(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let c = match check(&state, &token).await {
        Ok(c) => c,
        Err(e) => return error_page(e),
    };
    if let Err(e) = unsubscribe(&state, &c).await {
        return e.into_response();
    }
    let topic = topic_label(c.topic, &c.language);
    let (title, done) = if c.language == "zh" {
        (
            "已退订",
            format!("您将不再收到{topic}。您可以随时在账户的个人资料中重新订阅。"),
        )
    } else {
        (
            "Unsubscribed",
            format!(
                "You will no longer get {topic}. You can opt in again any time on your profile."
            ),
        )
    };
    page(
        StatusCode::OK,
        &c.language,
        title,
        &format!("<p>{done}</p>"),
    )
}
