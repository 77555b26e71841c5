//! Suppressed addresses for admins — the list, an address added by hand,
//! an entry lifted (audited) — and the signed endpoint a mail provider
//! posts bounces and complaints to, which suppresses the address.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use hmac::{Hmac, Mac};
use patron_core::error::ErrorEnvelope;
use patron_core::messaging::{
    DeliveryReport, SuppressionDraft, SuppressionPage, SuppressionReason,
};
use sha2::Sha256;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::{plausible_email, ApiJson, ApiQuery};
use crate::routes::paging::{paging, PageParams};
use crate::state::AppState;

/// Suppressed addresses, newest first.
#[utoipa::path(get, path = "/api/v1/admin/messaging/suppressions", tag = "messaging",
    operation_id = "listSuppressions", params(PageParams),
    responses((status = 200, body = SuppressionPage), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiQuery(p): ApiQuery<PageParams>,
) -> ApiResult<Json<SuppressionPage>> {
    let (offset, limit) = paging(&p)?;
    Ok(Json(state.store.suppressions(offset, limit).await?))
}

/// Suppresses an address by hand (409 when it already is). Audited.
#[utoipa::path(post, path = "/api/v1/admin/messaging/suppressions", tag = "messaging",
    operation_id = "addSuppression", request_body = SuppressionDraft,
    responses((status = 201, body = SuppressionPage), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn add(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(d): ApiJson<SuppressionDraft>,
) -> ApiResult<(StatusCode, Json<SuppressionPage>)> {
    let email = d.email.trim();
    if !plausible_email(email) {
        return Err(ApiError::field("email", "Enter a valid email address."));
    }
    let detail = d.detail.as_deref().map(str::trim).filter(|x| !x.is_empty());
    if detail.is_some_and(|x| x.chars().count() > 500) {
        return Err(ApiError::field("detail", "Keep it under 500 characters."));
    }
    if !state.store.add_suppression(email, detail, &user).await? {
        return Err(ApiError::Conflict(
            "That address is already suppressed.".into(),
        ));
    }
    Ok((
        StatusCode::CREATED,
        Json(state.store.suppressions(0, 50).await?),
    ))
}

/// Lifts a suppression: the address gets mail again (consent still
/// applies). Audited.
#[utoipa::path(delete, path = "/api/v1/admin/messaging/suppressions/{email}", tag = "messaging",
    operation_id = "liftSuppression",
    params(("email" = String, Path, description = "The suppressed address")),
    responses((status = 204, description = "Lifted"), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn lift(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(email): Path<String>,
) -> ApiResult<StatusCode> {
    if !state.store.lift_suppression(&email, &user).await? {
        return Err(ApiError::NotFound("That address is not suppressed.".into()));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// A mail provider reports a bounce or a complaint; the address is
/// suppressed. The body must be signed with the server's report secret:
/// `X-Patron-Signature: sha256=<hex HMAC-SHA256 of the body>` (403 when it
/// is not; 404 when the server has no secret set).
#[utoipa::path(post, path = "/api/v1/messaging/reports", tag = "messaging",
    operation_id = "reportDelivery", request_body = DeliveryReport,
    params(("X-Patron-Signature" = String, Header, description = "sha256=<hex HMAC-SHA256 of the body>")),
    responses((status = 204, description = "Recorded; the address is suppressed"),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(()))]
pub async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let Some(secret) = state.mailer.report_secret() else {
        return Err(ApiError::NotFound(
            "Delivery reports are not set up on this server.".into(),
        ));
    };
    let given = headers
        .get("x-patron-signature")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("sha256="))
        .and_then(|hex| decode_hex(hex.trim()))
        .unwrap_or_default();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(ApiError::internal)?;
    mac.update(&body);
    if mac.verify_slice(&given).is_err() {
        return Err(ApiError::Forbidden(
            "The report's signature does not match.".into(),
        ));
    }
    let r: DeliveryReport = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("The request body has the wrong shape: {e}")))?;
    if r.kind == SuppressionReason::Admin {
        return Err(ApiError::field("kind", "Report a bounce or a complaint."));
    }
    if !plausible_email(r.email.trim()) {
        return Err(ApiError::field("email", "Enter a valid email address."));
    }
    let detail: String = r.detail.unwrap_or_default().chars().take(1000).collect();
    let now = state.store.now().timestamp();
    state
        .store
        .suppress(r.email.trim(), r.kind.as_str(), &detail, now)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}
