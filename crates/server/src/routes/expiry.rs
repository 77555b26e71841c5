//! Points expiry for admins: the job's last run and what lapses next, "Run
//! now", and the members whose points expire within N days (what reminders
//! will be sent from). Admins only; support staff and members get 403.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::expiry::{days_problem, ExpiringPage, ExpiryOverview, ExpiryRun, ExpiryRunStatus};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiQuery;
use crate::state::AppState;

/// How long "Run now" waits for its run before answering 202.
const WAIT: Duration = Duration::from_secs(20);

/// The latest run (running, succeeded or failed, with its error), the
/// latest good one, lots past their date not yet expired, and what expires
/// in the next 30 days.
#[utoipa::path(get, path = "/api/v1/admin/expiry", tag = "admin", operation_id = "getExpiryOverview",
    responses((status = 200, body = ExpiryOverview), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn overview(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> ApiResult<Json<ExpiryOverview>> {
    Ok(Json(state.store.expiry_overview(state.store.now()).await?))
}

/// Runs points expiry now. Idempotent: a lot is expired once, ever; while a
/// run is going its run is returned (no second run starts). Answers 200
/// with the finished run, or 202 with the running one when it takes longer
/// than 20 seconds (poll `GET /admin/expiry`). Audited.
#[utoipa::path(post, path = "/api/v1/admin/expiry/runs", tag = "admin", operation_id = "runExpiryNow",
    responses((status = 200, body = ExpiryRun, description = "The run finished (succeeded or failed)"),
        (status = 202, body = ExpiryRun, description = "The run is going"),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn run_now(
    State(state): State<AppState>,
    Admin(user): Admin,
) -> ApiResult<(StatusCode, Json<ExpiryRun>)> {
    let run = crate::jobs::run_expiry_for(&state.store, &user, WAIT).await?;
    let status = if run.status == ExpiryRunStatus::Running {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(run)))
}

/// Which members to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpiringParams {
    /// Horizon in days from now (1–366; default 30).
    #[param(minimum = 1, maximum = 366)]
    days: Option<i64>,
    /// Members with an id above this (the previous page's `next_after`).
    #[param(minimum = 0)]
    after: Option<i64>,
    /// Members per page (1–500; default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// Members whose points expire within the horizon: how many points (pending
/// ones too) and the first date, by member id, with the totals.
#[utoipa::path(get, path = "/api/v1/admin/expiring", tag = "admin", operation_id = "listExpiringMembers",
    params(ExpiringParams),
    responses((status = 200, body = ExpiringPage), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn expiring(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiQuery(p): ApiQuery<ExpiringParams>,
) -> ApiResult<Json<ExpiringPage>> {
    let days = p.days.unwrap_or(30);
    if let Some(problem) = days_problem(days) {
        return Err(ApiError::field("days", problem));
    }
    let limit = p.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            "Ask for 1 to 500 members at a time.",
        ));
    }
    let after = p.after.unwrap_or(0);
    if after < 0 {
        return Err(ApiError::field("after", "Use a member id from 0."));
    }
    Ok(Json(
        state
            .store
            .expiring_page(state.store.now(), days, after, limit)
            .await?,
    ))
}
