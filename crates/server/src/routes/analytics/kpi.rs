//! The KPI dashboard: every KPI of a period against the period of the same
//! length before, each with a weekly series.

use axum::extract::State;
use axum::Json;
use chrono::{Days, NaiveDate};
use patron_core::analytics::rate;
use patron_core::error::ErrorEnvelope;
use patron_core::kpi::{Kpi, KpiDashboard, KpiUnit};
use patron_core::support::{csat, nps};
use patron_core::time::{local_date, start_of_day, zone};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Staff;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiQuery;
use crate::state::AppState;
use crate::store::analytics::kpi::{Answers, PeriodFigures, Weekly};

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
