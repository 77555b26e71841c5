//! The programme's tiers, for comparing them side by side.

use axum::extract::State;
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::programme::TierList;

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::state::AppState;

/// Every active tier with threshold, earn multiplier and perks, and the
/// policy that places members in them. Any signed-in person.
#[utoipa::path(get, path = "/api/v1/tiers", tag = "member", operation_id = "listTiers",
    responses((status = 200, body = TierList), (status = 401, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(_): CurrentUser,
) -> ApiResult<Json<TierList>> {
    let programme = state.store.programme().await?;
    Ok(Json(TierList {
        tiers: state.store.tiers_detailed().await?,
        basis: programme.policy.basis,
        window: programme.policy.window,
    }))
}
