//! Saved views: each agent's named queue filters.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::support::{QueueQuery, SavedView, SavedViewInput};

use super::common::now;
use crate::auth::Staff;
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::ApiJson;
use crate::state::AppState;

/// The agent's saved queue views.
#[utoipa::path(get, path = "/api/v1/support/views", tag = "support", operation_id = "listSavedViews",
    responses((status = 200, body = Vec<SavedView>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn views(
    State(state): State<AppState>,
    Staff(user): Staff,
) -> ApiResult<Json<Vec<SavedView>>> {
    Ok(Json(state.store.saved_views(user.id).await?))
}

/// Saves the current filters under a name (same name: replaced).
#[utoipa::path(post, path = "/api/v1/support/views", tag = "support", operation_id = "saveView", request_body = SavedViewInput,
    responses((status = 201, body = SavedView), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn save_view(
    State(state): State<AppState>,
    Staff(user): Staff,
    ApiJson(input): ApiJson<SavedViewInput>,
) -> ApiResult<(StatusCode, Json<SavedView>)> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ApiError::field(
            "name",
            "Name the view (up to 60 characters).",
        ));
    }
    let query = input.query.trim_start_matches('?');
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|_| ApiError::field("query", "This is not a queue query."))?;
    QueueQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|(_, m)| ApiError::field("query", &m))?;
    if state.store.saved_views(user.id).await?.len() >= 50
        && !state
            .store
            .saved_views(user.id)
            .await?
            .iter()
            .any(|v| v.name == name)
    {
        return Err(ApiError::field(
            "name",
            "You have 50 views; delete one first.",
        ));
    }
    let v = state
        .store
        .save_view(user.id, name, query, now(&state))
        .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Deletes one of the agent's own views.
#[utoipa::path(delete, path = "/api/v1/support/views/{id}", tag = "support", operation_id = "deleteSavedView",
    params(("id" = i64, Path, description = "View id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn delete_view(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    // Someone else's view looks the same as a missing one.
    if state
        .store
        .delete_view(user.id, parse_id(&id, "view")?)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("No such view.".into()))
    }
}
