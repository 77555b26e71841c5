//! Monthly trends over the last year.

use axum::extract::State;
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::kpi::Trends;
use patron_core::time::{local_date, zone};

use crate::auth::Staff;
use crate::error::ApiResult;
use crate::state::AppState;

/// Monthly trends over the last 12 months: active members, tier
/// distribution at each month's end, and join-month cohort retention.
#[utoipa::path(get, path = "/api/v1/analytics/trends", tag = "analytics", operation_id = "getTrends",
    responses((status = 200, body = Trends), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn trends(State(state): State<AppState>, Staff(_): Staff) -> ApiResult<Json<Trends>> {
    let programme = state.store.programme().await?;
    let tz = zone(&programme.time_zone);
    let today = local_date(state.store.now(), tz);
    Ok(Json(state.store.trends(today, tz, 12).await?))
}
