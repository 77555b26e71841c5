//! Canned replies: listed for the reply box; created, changed and deleted
//! by admins (audited).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::support::{CannedReply, CannedReplyInput};

use super::common::{audit, now};
use crate::auth::{Admin, Staff};
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::ApiJson;
use crate::state::AppState;

/// Canned replies for the reply box.
#[utoipa::path(get, path = "/api/v1/support/canned-replies", tag = "support", operation_id = "listCannedReplies",
    responses((status = 200, body = Vec<CannedReply>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn canned(
    State(state): State<AppState>,
    Staff(_): Staff,
) -> ApiResult<Json<Vec<CannedReply>>> {
    Ok(Json(state.store.canned_replies().await?))
}

fn check_canned(input: &CannedReplyInput) -> ApiResult<()> {
    let fields = input.problems();
    if fields.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation {
            message: "The canned reply needs another look.".into(),
            fields,
        })
    }
}

fn shortcut_taken() -> ApiError {
    ApiError::Validation {
        message: "The canned reply needs another look.".into(),
        fields: BTreeMap::from([(
            "shortcut".to_string(),
            "Another canned reply uses this shortcut.".to_string(),
        )]),
    }
}

/// Adds a canned reply. Admins only.
#[utoipa::path(post, path = "/api/v1/admin/canned-replies", tag = "admin", operation_id = "createCannedReply", request_body = CannedReplyInput,
    responses((status = 201, body = CannedReply), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create_canned(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(input): ApiJson<CannedReplyInput>,
) -> ApiResult<(StatusCode, Json<CannedReply>)> {
    check_canned(&input)?;
    let saved = state
        .store
        .save_canned_reply(None, &input, user.id, now(&state))
        .await?
        .ok_or_else(shortcut_taken)?;
    audit(
        &state,
        &user,
        "canned_reply.create",
        "canned_reply",
        Some(saved.id),
        None,
        serde_json::to_value(&input).ok(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Changes a canned reply. Admins only.
#[utoipa::path(put, path = "/api/v1/admin/canned-replies/{id}", tag = "admin", operation_id = "updateCannedReply", request_body = CannedReplyInput,
    params(("id" = i64, Path, description = "Canned reply id")),
    responses((status = 200, body = CannedReply), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn update_canned(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CannedReplyInput>,
) -> ApiResult<Json<CannedReply>> {
    let id = parse_id(&id, "canned reply")?;
    check_canned(&input)?;
    let Some(before) = state
        .store
        .canned_replies()
        .await?
        .into_iter()
        .find(|c| c.id == id)
    else {
        return Err(ApiError::NotFound("No such canned reply.".into()));
    };
    let saved = state
        .store
        .save_canned_reply(Some(id), &input, user.id, now(&state))
        .await?
        .ok_or_else(shortcut_taken)?;
    audit(
        &state,
        &user,
        "canned_reply.update",
        "canned_reply",
        Some(id),
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&saved).ok(),
    )
    .await?;
    Ok(Json(saved))
}

/// Deletes a canned reply. Admins only.
#[utoipa::path(delete, path = "/api/v1/admin/canned-replies/{id}", tag = "admin", operation_id = "deleteCannedReply",
    params(("id" = i64, Path, description = "Canned reply id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn delete_canned(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id(&id, "canned reply")?;
    if state.store.delete_canned_reply(id).await? {
        audit(
            &state,
            &user,
            "canned_reply.delete",
            "canned_reply",
            Some(id),
            None,
            None,
        )
        .await?;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("No such canned reply.".into()))
    }
}
