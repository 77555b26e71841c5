//! A definition not yet saved: the context every segment query runs in,
//! what is wrong with a definition, and the builder's live count, charts
//! and options.

use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::segments::{
    CountRequest, SegmentCharts, SegmentCount, SegmentDefinition, SegmentOptions,
};
use patron_core::time::zone;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::segments::Context;

pub(crate) async fn context(state: &AppState) -> ApiResult<Context> {
    let p = state.store.programme().await?;
    Ok(Context {
        now: state.store.now(),
        tz: zone(&p.time_zone),
    })
}

fn check_definition(d: &SegmentDefinition) -> ApiResult<()> {
    let problems = d.problems();
    ApiError::check(
        "The segment needs another look.",
        problems
            .iter()
            .map(|(p, m)| (format!("definition.{p}"), m.clone())),
    )
}

/// How many members a definition matches (the builder's live count).
#[utoipa::path(post, path = "/api/v1/analytics/segments/count", tag = "analytics", operation_id = "countSegmentMembers", request_body = CountRequest,
    responses((status = 200, body = SegmentCount), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn count(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiJson(req): ApiJson<CountRequest>,
) -> ApiResult<impl IntoResponse> {
    check_definition(&req.definition)?;
    let cx = context(&state).await?;
    let started = std::time::Instant::now();
    let count = state.store.segment_count(&req.definition, cx).await?;
    let timing = format!("db;dur={:.1}", started.elapsed().as_secs_f64() * 1000.0);
    Ok((
        [(axum::http::HeaderName::from_static("server-timing"), timing)],
        Json(SegmentCount {
            count,
            total: state.store.member_total().await?,
            scores_computed_at: state.store.last_score_run().await?.map(|r| r.finished_at),
        }),
    ))
}

/// The charts of a definition: distributions against all members, the RFM
/// heat map and the spend histogram.
#[utoipa::path(post, path = "/api/v1/analytics/segments/charts", tag = "analytics", operation_id = "getSegmentCharts", request_body = CountRequest,
    responses((status = 200, body = SegmentCharts), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn charts(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiJson(req): ApiJson<CountRequest>,
) -> ApiResult<Json<SegmentCharts>> {
    check_definition(&req.definition)?;
    let cx = context(&state).await?;
    Ok(Json(state.store.segment_charts(&req.definition, cx).await?))
}

/// The values the builder offers.
#[utoipa::path(get, path = "/api/v1/analytics/segments/options", tag = "analytics", operation_id = "getSegmentOptions",
    responses((status = 200, body = SegmentOptions), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn options(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> ApiResult<Json<SegmentOptions>> {
    Ok(Json(state.store.segment_options().await?))
}
