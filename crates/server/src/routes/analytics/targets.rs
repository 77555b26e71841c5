//! KPI targets: each with its actual value against the target, recorded
//! once a day, and where it stands.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{Days, NaiveDate};
use patron_core::error::ErrorEnvelope;
use patron_core::kpi::{target_status, KpiDashboard, KpiUnit, Target, TargetDraft, TARGET_KPIS};
use patron_core::time::{local_date, zone};

use super::kpi::dashboard;
use crate::auth::{Admin, Staff};
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::ApiJson;
use crate::state::AppState;

/// Today's value of every KPI a target can be set on (last 30 days).
async fn current_values(state: &AppState, today: NaiveDate) -> ApiResult<KpiDashboard> {
    dashboard(state, today - Days::new(29), today).await
}

/// Records today's values for every open target once a day (the first read
/// of the day pays for one KPI computation) and returns the targets with
/// where each stands. After its deadline a target is judged on the last
/// value recorded on or before the deadline, and nothing more is recorded.
pub async fn targets_today(state: &AppState) -> ApiResult<Vec<Target>> {
    let programme = state.store.programme().await?;
    let tz = zone(&programme.time_zone);
    let today = local_date(state.store.now(), tz);
    let mut rows = state.store.targets().await?;
    let due = |t: &crate::store::analytics::targets::TargetRow| {
        t.deadline >= today && t.last_checked.is_none_or(|d| d < today)
    };
    if rows.iter().any(due) {
        let dash = current_values(state, today).await?;
        for t in rows.iter_mut().filter(|t| due(t)) {
            let v = dash.get(&t.kpi).and_then(|k| k.value);
            state.store.record_target_check(t.id, today, v).await?;
            t.checks.retain(|c| c.0 < today);
            t.checks.extend(v.map(|v| (today, v)));
        }
    }
    Ok(rows
        .into_iter()
        .map(|t| {
            let actual = if today > t.deadline {
                t.checks
                    .iter()
                    .rev()
                    .find(|c| c.0 <= t.deadline)
                    .map(|c| c.1)
            } else {
                t.checks.last().filter(|c| c.0 == today).map(|c| c.1)
            };
            let (status, expected) = target_status(
                t.comparison,
                t.target,
                t.baseline,
                t.start,
                t.deadline,
                today,
                actual,
            );
            Target {
                id: t.id,
                unit: unit_of(&t.kpi),
                kpi: t.kpi,
                comparison: t.comparison,
                target: t.target,
                baseline: t.baseline,
                start: t.start,
                deadline: t.deadline,
                owner_id: t.owner_id,
                owner: t.owner,
                note: t.note,
                actual,
                expected,
                status,
                checks: t.checks,
            }
        })
        .collect())
}

fn unit_of(kpi: &str) -> KpiUnit {
    match kpi {
        "members" | "active_members" | "new_members" => KpiUnit::Members,
        "points_issued" | "points_redeemed" | "points_expired" | "outstanding_points" => {
            KpiUnit::Points
        }
        "liability" => KpiUnit::Money,
        "nps" | "csat" => KpiUnit::Score,
        _ => KpiUnit::Rate,
    }
}

/// KPI targets with actual vs target and whether each is on track.
#[utoipa::path(get, path = "/api/v1/analytics/targets", tag = "analytics", operation_id = "listKpiTargets",
    responses((status = 200, body = Vec<Target>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn targets(
    State(state): State<AppState>,
    Staff(_): Staff,
) -> ApiResult<Json<Vec<Target>>> {
    Ok(Json(targets_today(&state).await?))
}

/// Sets a target on a KPI; its baseline is the KPI's value today.
#[utoipa::path(post, path = "/api/v1/analytics/targets", tag = "analytics", operation_id = "createKpiTarget", request_body = TargetDraft,
    responses((status = 201, body = Target), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create_target(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(mut d): ApiJson<TargetDraft>,
) -> ApiResult<(StatusCode, Json<Target>)> {
    let programme = state.store.programme().await?;
    let tz = zone(&programme.time_zone);
    let today = local_date(state.store.now(), tz);
    // A change is added to the baseline, which the target's checks need.
    let known = TARGET_KPIS.contains(&d.kpi.as_str());
    let mut dash = None;
    if let (Some(change), true) = (d.change, known) {
        let now = current_values(&state, today).await?;
        d.target = now
            .get(&d.kpi)
            .and_then(|k| k.value)
            .map_or(f64::NAN, |b| b + change);
        dash = Some(now);
    }
    let mut problems = d.problems(today);
    if known && d.change.is_some() && !d.target.is_finite() {
        problems.retain(|p| p.0 != "target");
        problems.push((
            "target".into(),
            "This KPI has no value for the last 30 days to change from; set the target itself."
                .into(),
        ));
    }
    if !state.store.is_staff(d.owner_id).await? {
        problems.push(("owner_id".into(), "Choose an active staff member.".into()));
    }
    ApiError::check("The target needs another look.", problems)?;
    let dash = match dash {
        Some(d) => d,
        None => current_values(&state, today).await?,
    };
    let baseline = dash.get(&d.kpi).and_then(|k| k.value);
    let id = state
        .store
        .create_target(&d, baseline, today, &user)
        .await?;
    let t = targets_today(&state)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| ApiError::internal("saved target vanished"))?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// Removes a target.
#[utoipa::path(delete, path = "/api/v1/analytics/targets/{id}", tag = "analytics", operation_id = "deleteKpiTarget",
    params(("id" = i64, Path, description = "Target id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn delete_target(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id(&id, "target")?;
    if state.store.delete_target(id, &user).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("No such target.".into()))
    }
}
