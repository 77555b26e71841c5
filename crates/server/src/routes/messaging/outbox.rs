//! The outbox for admins: what was queued, sent, captured, skipped or
//! failed, the backlog and the last delivery error; one message with what
//! it said; a failed message put back in the queue. Admins only.

use axum::extract::{Path, State};
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::messaging::{MessageStatus, OutboxMessageDetail, OutboxPage};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::{parse_id, ApiQuery};
use crate::routes::paging::{paging, PageParams};
use crate::state::AppState;

/// Which messages to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxParams {
    /// Only messages in this state.
    status: Option<MessageStatus>,
}

/// The outbox, newest first, with counts per state, the age of the
/// backlog and the latest delivery error.
#[utoipa::path(get, path = "/api/v1/admin/messaging/outbox", tag = "messaging", operation_id = "listOutbox",
    params(OutboxParams, PageParams),
    responses((status = 200, body = OutboxPage), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiQuery(f): ApiQuery<OutboxParams>,
    ApiQuery(p): ApiQuery<PageParams>,
) -> ApiResult<Json<OutboxPage>> {
    let (offset, limit) = paging(&p)?;
    let page = state
        .store
        .outbox_page(f.status, offset, limit, state.mailer.delivery())
        .await?;
    Ok(Json(page))
}

/// One message with its text and HTML parts (once rendered).
#[utoipa::path(get, path = "/api/v1/admin/messaging/outbox/{id}", tag = "messaging", operation_id = "getOutboxMessage",
    params(("id" = i64, Path, description = "Message id")),
    responses((status = 200, body = OutboxMessageDetail), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn get(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<OutboxMessageDetail>> {
    let id = parse_id(&id, "message")?;
    state
        .store
        .outbox_message(id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("No such message.".into()))
}

/// Puts a failed message back in the queue, due now (409 when it is not
/// failed). Consent and suppression are checked again when it is sent.
#[utoipa::path(post, path = "/api/v1/admin/messaging/outbox/{id}/retry", tag = "messaging", operation_id = "retryOutboxMessage",
    params(("id" = i64, Path, description = "Message id")),
    responses((status = 200, body = OutboxMessageDetail), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn retry(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<OutboxMessageDetail>> {
    let id = parse_id(&id, "message")?;
    let Some(before) = state.store.outbox_message(id).await? else {
        return Err(ApiError::NotFound("No such message.".into()));
    };
    if before.message.status != MessageStatus::Failed
        || !state
            .store
            .retry_message(id, state.store.now().timestamp())
            .await?
    {
        return Err(ApiError::Conflict(
            "Only a failed message can be retried.".into(),
        ));
    }
    state
        .store
        .outbox_message(id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("No such message.".into()))
}
