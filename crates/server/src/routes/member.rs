//! A member's own points.

use axum::extract::{Path, State};
use axum::Json;
use patron_core::auth::Role;
use patron_core::error::ErrorEnvelope;
use patron_core::summary::MemberSummary;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::summary::member_summary as summary_of;

/// The signed-in member's balance buckets, tier progress and recent entries.
#[utoipa::path(get, path = "/api/v1/me/summary", tag = "member", operation_id = "getMySummary",
    responses((status = 200, body = MemberSummary), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope, description = "Staff accounts have no points")),
    security(("session" = [])))]
pub async fn my_summary(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<MemberSummary>> {
    let member_id = user
        .member_id
        .ok_or_else(|| ApiError::Forbidden("Only members have a points summary.".into()))?;
    Ok(Json(
        summary_of(&state.store, member_id, state.store.now()).await?,
    ))
}

/// One member's summary: admins may read any member, a member only their
/// own. Support agents see a ticket's member through the ticket (the
/// permission matrix gives them no member records), so they are refused.
#[utoipa::path(get, path = "/api/v1/members/{id}/summary", tag = "member", operation_id = "getMemberSummary",
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberSummary), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn member_summary(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<MemberSummary>> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::BadRequest("The member id must be a number.".into()))?;
    match user.role {
        Role::Admin => {}
        Role::Member if user.member_id == Some(id) => {}
        Role::Member => {
            return Err(ApiError::Forbidden(
                "You can only see your own points.".into(),
            ))
        }
        Role::Support => {
            return Err(ApiError::Forbidden(
                "Support agents see a member's points on their tickets.".into(),
            ))
        }
    }
    Ok(Json(summary_of(&state.store, id, state.store.now()).await?))
}
