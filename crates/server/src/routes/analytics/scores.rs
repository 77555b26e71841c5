//! The scoring job: its last run, and a run now (with a new RFM window).

use axum::extract::State;
use axum::Json;
use patron_core::analytics::{window_problem, ScoreRun};
use patron_core::error::ErrorEnvelope;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// The scoring job's last run (`null` before the first).
#[utoipa::path(get, path = "/api/v1/analytics/scores", tag = "analytics", operation_id = "getScoreRun",
    responses((status = 200, body = Option<ScoreRun>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn score_run(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> ApiResult<Json<Option<ScoreRun>>> {
    Ok(Json(state.store.last_score_run().await?))
}

/// Optional new RFM window for a scoring run.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ScoreRefresh {
    /// Days (30–1,095); the stored window when left out.
    #[serde(default)]
    pub window_days: Option<i64>,
}

/// Recomputes every member's RFM scores and churn risk now.
#[utoipa::path(post, path = "/api/v1/analytics/scores/refresh", tag = "analytics", operation_id = "refreshScores", request_body = ScoreRefresh,
    responses((status = 200, body = ScoreRun), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn refresh_scores(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiJson(r): ApiJson<ScoreRefresh>,
) -> ApiResult<Json<ScoreRun>> {
    if let Some(problem) = r.window_days.and_then(window_problem) {
        return Err(ApiError::field("window_days", problem));
    }
    Ok(Json(
        state
            .store
            .refresh_scores(state.store.now(), r.window_days)
            .await?,
    ))
}
