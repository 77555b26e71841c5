//! Programme analytics: KPIs, trends, targets, churn scores and the
//! at-risk list.

use patron_core::analytics::{AtRiskPage, ScoreRun};
use patron_core::kpi::{KpiDashboard, Target, TargetDraft, Trends};

use super::{client, ApiError};

/// The KPIs for `query` (`days=30` or `from=…&to=…`).
pub async fn kpis(query: String) -> Result<KpiDashboard, ApiError> {
    client::get(&format!("/analytics/kpis?{query}")).await
}

/// Monthly activity, tiers over time and cohort retention.
pub async fn trends() -> Result<Trends, ApiError> {
    client::get("/analytics/trends").await
}

pub async fn targets() -> Result<Vec<Target>, ApiError> {
    client::get("/analytics/targets").await
}

pub async fn create_target(draft: TargetDraft) -> Result<Target, ApiError> {
    client::post("/analytics/targets", &draft).await
}

pub async fn delete_target(id: i64) -> Result<(), ApiError> {
    client::delete(&format!("/analytics/targets/{id}")).await
}

/// The at-risk list's query string (no `?`): `sort` is one of
/// `AT_RISK_SORTS`.
pub fn at_risk_query(sort: &str, desc: bool) -> String {
    format!("sort={sort}&desc={desc}")
}

/// A page of at-risk members.
pub async fn at_risk(
    sort: String,
    desc: bool,
    offset: i64,
    limit: i64,
) -> Result<AtRiskPage, ApiError> {
    client::get(&format!(
        "/analytics/at-risk?{}&offset={offset}&limit={limit}",
        at_risk_query(&sort, desc)
    ))
    .await
}

/// Where the browser downloads the at-risk list as CSV.
pub fn at_risk_csv_url(sort: &str, desc: bool) -> String {
    client::url(&format!(
        "/analytics/at-risk.csv?{}",
        at_risk_query(sort, desc)
    ))
}

/// The scoring job's last run (`None` before the first).
pub async fn scores() -> Result<Option<ScoreRun>, ApiError> {
    client::get("/analytics/scores").await
}

/// Recomputes every member's scores now, over a new RFM window if given.
pub async fn refresh_scores(window_days: Option<i64>) -> Result<ScoreRun, ApiError> {
    client::post(
        "/analytics/scores/refresh",
        &serde_json::json!({ "window_days": window_days }),
    )
    .await
}
