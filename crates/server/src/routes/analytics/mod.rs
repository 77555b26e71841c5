//! Programme analytics: the KPI dashboard. Admins and support agents read.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{Days, NaiveDate};
use patron_core::analytics::rate;
use patron_core::error::ErrorEnvelope;
use patron_core::kpi::{
    target_status, Kpi, KpiDashboard, KpiUnit, Target, TargetDraft, Trends, TARGET_KPIS,
};
use patron_core::support::{csat, nps};
use patron_core::time::{local_date, start_of_day, zone};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Admin, Staff};
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::{ApiJson, ApiQuery};
use crate::state::AppState;
use crate::store::kpi::{Answers, PeriodFigures, Weekly};

/// The period: `days` back from today (30, 90 or 365; default 30), or
/// `from` and `to` (inclusive dates, programme time zone, at most 3 years).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    days: Option<i64>,
    from: Option<String>,
    to: Option<String>,
}

fn date(field: &str, v: &str) -> ApiResult<NaiveDate> {
    patron_core::time::parse_day(v)
        .ok_or_else(|| ApiError::field(field, patron_core::time::DAY_HINT))
}

/// The KPIs of a period against the period of the same length before:
/// members, active, new, retention, churn, repeat purchases, points issued /
/// redeemed / expired, redemption rate, breakage, outstanding points,
/// liability, NPS and CSAT, each with a weekly series.
#[utoipa::path(get, path = "/api/v1/analytics/kpis", tag = "analytics", operation_id = "getKpiDashboard", params(PeriodParams),
    responses((status = 200, body = KpiDashboard), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn kpis(
    State(state): State<AppState>,
    Staff(_): Staff,
    ApiQuery(p): ApiQuery<PeriodParams>,
) -> ApiResult<([(axum::http::HeaderName, String); 1], Json<KpiDashboard>)> {
    let programme = state.store.programme().await?;
    let tz = zone(&programme.time_zone);
    let today = local_date(state.store.now(), tz);
    let (from, to) = match (p.from.as_deref(), p.to.as_deref(), p.days) {
        (Some(f), Some(t), _) => (date("from", f)?, date("to", t)?),
        (None, None, d) => {
            let d = d.unwrap_or(30);
            if ![30, 90, 365].contains(&d) {
                return Err(ApiError::field(
                    "days",
                    "Choose 30, 90 or 365 days, or a from and to date.",
                ));
            }
            (today - Days::new(d as u64 - 1), today)
        }
        _ => return Err(ApiError::field("from", "Give both a from and a to date.")),
    };
    if to < from {
        return Err(ApiError::field(
            "to",
            "The end must not be before the start.",
        ));
    }
    let len = (to - from).num_days() + 1;
    if len > 3 * 366 {
        return Err(ApiError::field("from", "A period is at most three years."));
    }
    let started = std::time::Instant::now();
    let dash = dashboard(&state, from, to).await?;
    let timing = format!("db;dur={:.1}", started.elapsed().as_secs_f64() * 1000.0);
    Ok((
        [(axum::http::HeaderName::from_static("server-timing"), timing)],
        Json(dash),
    ))
}

/// The KPIs of `from`–`to` (inclusive) against the period of the same
/// length before.
pub async fn dashboard(
    state: &AppState,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<KpiDashboard> {
    let programme = state.store.programme().await?;
    let tz = zone(&programme.time_zone);
    let len = (to - from).num_days() + 1;
    let previous_to = from - Days::new(1);
    let previous_from = from - Days::new(len as u64);
    let ts = |d: NaiveDate| start_of_day(d, tz).timestamp();
    let (pf, f, t) = (ts(previous_from), ts(from), ts(to + Days::new(1)));
    let ppf = ts(previous_from - Days::new(len as u64));
    // Independent reads, side by side on the pool (each its own connection).
    let ((cur, prev), prev_s, weekly) = tokio::try_join!(
        state.store.kpi_figures(ppf, pf, f, t),
        state.store.survey_scores(pf, f),
        state.store.weekly(f, t),
    )?;
    // This period's answers are its weeks' answers.
    let cur_s: Answers = weekly.surveys.iter().flatten().cloned().collect();
    let value = programme.point_value_centi_minor;
    let kpis = build(&cur, &prev, &cur_s, &prev_s, &weekly, value);
    Ok(KpiDashboard {
        from,
        to,
        previous_from,
        previous_to,
        currency: programme.currency,
        kpis,
    })
}

/// Every answer of one kind, one item per answer.
fn scores<'a>(s: &'a [(String, i64, i64)], kind: &'a str) -> impl Iterator<Item = i64> + 'a {
    s.iter()
        .filter(move |(k, _, _)| k == kind)
        .flat_map(|(_, v, n)| std::iter::repeat_n(*v, *n as usize))
}

/// Every KPI from the raw figures (formulas as in domain.md).
pub fn build(
    cur: &PeriodFigures,
    prev: &PeriodFigures,
    cur_s: &[(String, i64, i64)],
    prev_s: &[(String, i64, i64)],
    w: &Weekly,
    point_value_centi_minor: i64,
) -> Vec<Kpi> {
    type Of = fn(&PeriodFigures) -> Option<f64>;
    let n = |x: i64| Some(x as f64);
    let figures: [(&str, KpiUnit, Of); 13] = [
        ("members", KpiUnit::Members, |x| Some(x.members as f64)),
        ("active_members", KpiUnit::Members, |x| {
            Some(x.active as f64)
        }),
        ("new_members", KpiUnit::Members, |x| {
            Some(x.new_members as f64)
        }),
        ("retention_rate", KpiUnit::Rate, |x| {
            rate(x.retained, x.previous_active)
        }),
        ("churn_rate", KpiUnit::Rate, |x| {
            rate(x.retained, x.previous_active).map(|r| 1.0 - r)
        }),
        ("repeat_purchase_rate", KpiUnit::Rate, |x| {
            rate(x.repeat_buyers, x.active)
        }),
        ("points_issued", KpiUnit::Points, |x| Some(x.issued as f64)),
        ("points_redeemed", KpiUnit::Points, |x| {
            Some(x.redeemed as f64)
        }),
        ("points_expired", KpiUnit::Points, |x| {
            Some(x.expired as f64)
        }),
        ("redemption_rate", KpiUnit::Rate, |x| {
            rate(x.redeemed, x.issued)
        }),
        ("breakage", KpiUnit::Rate, |x| rate(x.expired, x.issued)),
        ("outstanding_points", KpiUnit::Points, |x| {
            Some(x.outstanding as f64)
        }),
        ("liability", KpiUnit::Money, |_| None),
    ];
    // Stocks at each week's end: this period's end less what came after.
    let at_week_ends = |end: i64, change: &[i64]| -> Vec<i64> {
        let mut after = 0;
        let mut out: Vec<i64> = change
            .iter()
            .rev()
            .map(|c| {
                let v = end - after;
                after += c;
                v
            })
            .collect();
        out.reverse();
        out
    };
    let members = at_week_ends(cur.members, &w.new_members);
    let outstanding = at_week_ends(cur.outstanding, &w.net);
    let series = |key: &str| -> Vec<Option<f64>> {
        let zip = |a: &[i64], b: &[i64]| a.iter().zip(b).map(|(x, y)| rate(*x, *y)).collect();
        match key {
            // Week by week: rates of each week (retention against the week
            // before), counts of each week, stocks at each week's end.
            "members" => members.iter().map(|x| n(*x)).collect(),
            "active_members" => w.active.iter().map(|x| n(*x)).collect(),
            "retention_rate" => zip(&w.retained, &w.previous_active),
            "churn_rate" => w
                .retained
                .iter()
                .zip(&w.previous_active)
                .map(|(x, y)| rate(*x, *y).map(|r| 1.0 - r))
                .collect(),
            "repeat_purchase_rate" => zip(&w.repeat_buyers, &w.active),
            "new_members" => w.new_members.iter().map(|x| n(*x)).collect(),
            "points_issued" => w.issued.iter().map(|x| n(*x)).collect(),
            "points_redeemed" => w.redeemed.iter().map(|x| n(*x)).collect(),
            "points_expired" => w.expired.iter().map(|x| n(*x)).collect(),
            "redemption_rate" => zip(&w.redeemed, &w.issued),
            "breakage" => zip(&w.expired, &w.issued),
            "outstanding_points" => outstanding.iter().map(|x| n(*x)).collect(),
            "liability" => outstanding
                .iter()
                .map(|x| n(x * point_value_centi_minor / 100))
                .collect(),
            _ => Vec::new(),
        }
    };
    let liability =
        |x: &PeriodFigures| Some((x.outstanding * point_value_centi_minor / 100) as f64);
    let mut out: Vec<Kpi> = figures
        .iter()
        .map(|(key, unit, of)| {
            let (value, previous) = if *key == "liability" {
                (liability(cur), liability(prev))
            } else {
                (of(cur), of(prev))
            };
            Kpi {
                key: key.to_string(),
                unit: *unit,
                value,
                previous,
                series: series(key),
            }
        })
        .collect();
    out.push(Kpi {
        key: "nps".into(),
        unit: KpiUnit::Score,
        value: nps(scores(cur_s, "nps")),
        previous: nps(scores(prev_s, "nps")),
        series: w.surveys.iter().map(|b| nps(scores(b, "nps"))).collect(),
    });
    out.push(Kpi {
        key: "csat".into(),
        unit: KpiUnit::Score,
        value: csat(scores(cur_s, "csat")),
        previous: csat(scores(prev_s, "csat")),
        series: w.surveys.iter().map(|b| csat(scores(b, "csat"))).collect(),
    });
    out
}

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
    let due = |t: &crate::store::targets::TargetRow| {
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
