//! The member's message centre: what the programme sent them (newest 50,
//! subject and text). Their topic switches are on the profile. Members
//! only, and only their own.

use axum::extract::State;
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::messaging::MemberMessage;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Messages shown.
const SHOWN: i64 = 50;

/// What we sent the signed-in member, newest first.
#[utoipa::path(get, path = "/api/v1/me/messages", tag = "messaging", operation_id = "listMyMessages",
    responses((status = 200, body = Vec<MemberMessage>), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn mine(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<Vec<MemberMessage>>> {
    let member = user
        .member_id
        .ok_or_else(|| ApiError::Forbidden("Only members have messages.".into()))?;
    Ok(Json(state.store.member_messages(member, SHOWN).await?))
}
