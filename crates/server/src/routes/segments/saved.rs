//! Saved segments: list, create, read, update, delete, and a fresh count.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::segments::{Segment, SegmentDraft};

use super::definition::context;
use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::segments::SegmentDelete;

/// Saved segments, most recently changed first.
#[utoipa::path(get, path = "/api/v1/analytics/segments", tag = "analytics", operation_id = "listSegments",
    responses((status = 200, body = Vec<Segment>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn list(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<Vec<Segment>>> {
    Ok(Json(state.store.segments().await?))
}

async fn save(
    state: &AppState,
    id: Option<i64>,
    d: &SegmentDraft,
    user: &crate::store::users::UserRow,
) -> ApiResult<Segment> {
    ApiError::check("The segment needs another look.", d.problems())?;
    let cx = context(state).await?;
    let count = state.store.segment_count(&d.definition, cx).await?;
    let id = state
        .store
        .save_segment(id, d, count, user, cx.now.timestamp())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such segment.".into()))?;
    state
        .store
        .segment(id)
        .await?
        .ok_or_else(|| ApiError::internal("saved segment vanished"))
}

/// Saves a segment with its member count.
#[utoipa::path(post, path = "/api/v1/analytics/segments", tag = "analytics", operation_id = "createSegment", request_body = SegmentDraft,
    responses((status = 201, body = Segment), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(d): ApiJson<SegmentDraft>,
) -> ApiResult<(StatusCode, Json<Segment>)> {
    Ok((
        StatusCode::CREATED,
        Json(save(&state, None, &d, &user).await?),
    ))
}

/// One saved segment.
#[utoipa::path(get, path = "/api/v1/analytics/segments/{id}", tag = "analytics", operation_id = "getSegment",
    params(("id" = i64, Path, description = "Segment id")),
    responses((status = 200, body = Segment), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn get_one(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Segment>> {
    Ok(Json(load(&state, &id).await?))
}

pub(super) async fn load(state: &AppState, id: &str) -> ApiResult<Segment> {
    let id = parse_id(id, "segment")?;
    state
        .store
        .segment(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such segment.".into()))
}

/// Replaces a segment's name, description and definition (recounted).
#[utoipa::path(put, path = "/api/v1/analytics/segments/{id}", tag = "analytics", operation_id = "updateSegment", request_body = SegmentDraft,
    params(("id" = i64, Path, description = "Segment id")),
    responses((status = 200, body = Segment), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<SegmentDraft>,
) -> ApiResult<Json<Segment>> {
    let id = parse_id(&id, "segment")?;
    Ok(Json(save(&state, Some(id), &d, &user).await?))
}

/// Deletes a segment.
#[utoipa::path(delete, path = "/api/v1/analytics/segments/{id}", tag = "analytics", operation_id = "deleteSegment",
    params(("id" = i64, Path, description = "Segment id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id(&id, "segment")?;
    match state
        .store
        .delete_segment(id, &user, state.store.now().timestamp())
        .await?
    {
        SegmentDelete::Deleted => Ok(StatusCode::NO_CONTENT),
        SegmentDelete::NotFound => Err(ApiError::NotFound("No such segment.".into())),
        SegmentDelete::OfferedRewards(names) => Err(ApiError::Conflict(format!(
            "Rewards are offered only to this segment: {}. Offer them to someone else or archive them first.",
            names.join(", ")
        ))),
    }
}

/// Counts a saved segment's members again now.
#[utoipa::path(post, path = "/api/v1/analytics/segments/{id}/refresh", tag = "analytics", operation_id = "refreshSegmentCount",
    params(("id" = i64, Path, description = "Segment id")),
    responses((status = 200, body = Segment), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn refresh(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Segment>> {
    let s = load(&state, &id).await?;
    let cx = context(&state).await?;
    let n = state.store.segment_count(&s.definition, cx).await?;
    state
        .store
        .set_segment_count(s.id, n, cx.now.timestamp())
        .await?;
    Ok(Json(load(&state, &id).await?))
}
