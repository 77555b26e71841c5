//! The desk's reports for a period: SLA met per agent and priority (also
//! as CSV), and NPS and CSAT overall, per week, tier and agent.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Datelike, NaiveDate};
use patron_core::error::ErrorEnvelope;
use patron_core::support::{csat, nps, Priority, SlaReport, SlaRow, SurveyPoint, SurveyReport};
use patron_core::time::{local_date, start_of_day, zone};
use serde::Deserialize;
use utoipa::IntoParams;

use super::common::now;
use crate::auth::Staff;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiQuery;
use crate::state::AppState;
use crate::store::support::{SlaFacts, SurveyFact};

/// A report period: `from`/`to` days (programme zone), default the last 90 days.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First day, YYYY-MM-DD.
    #[serde(default)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (inclusive).
    #[serde(default)]
    pub to: Option<String>,
}

async fn period(
    state: &AppState,
    p: &Period,
) -> ApiResult<(NaiveDate, NaiveDate, i64, i64, chrono_tz::Tz)> {
    let tz = zone(&state.store.programme().await?.time_zone);
    let today = local_date(state.store.now(), tz);
    let parse = |k: &str, v: &Option<String>, default: NaiveDate| match v
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        None => Ok(default),
        Some(s) => patron_core::time::parse_day(s)
            .ok_or_else(|| ApiError::field(k, patron_core::time::DAY_HINT)),
    };
    let to = parse("to", &p.to, today)?;
    let from = parse("from", &p.from, to - chrono::Duration::days(89))?;
    if from > to {
        return Err(ApiError::field(
            "to",
            "The end date is before the start date.",
        ));
    }
    if (to - from).num_days() > 3 * 366 {
        return Err(ApiError::field("from", "Choose at most three years."));
    }
    let next = to.succ_opt().unwrap_or(to);
    Ok((
        from,
        to,
        start_of_day(from, tz).timestamp(),
        start_of_day(next, tz).timestamp(),
        tz,
    ))
}

fn sla_rows(facts: &[SlaFacts], now: i64, key: impl Fn(&SlaFacts) -> String) -> Vec<SlaRow> {
    let mut groups: BTreeMap<String, Vec<&SlaFacts>> = BTreeMap::new();
    for f in facts {
        groups.entry(key(f)).or_default().push(f);
    }
    groups
        .into_iter()
        .map(|(k, fs)| {
            // A deadline counts once it has passed or was met.
            let (mut fr_met, mut fr_due, mut res_met, mut res_due) = (0, 0, 0, 0);
            let mut minutes: Vec<i64> = Vec::new();
            for f in &fs {
                match f.first_response_at {
                    Some(at) => {
                        fr_due += 1;
                        if at <= f.first_response_due {
                            fr_met += 1;
                        }
                        minutes.push((at - f.created_at) / 60);
                    }
                    None if f.first_response_due < now => fr_due += 1,
                    None => {}
                }
                match f.resolved_at {
                    Some(at) => {
                        res_due += 1;
                        if at <= f.resolution_due {
                            res_met += 1;
                        }
                    }
                    None if f.resolution_due < now => res_due += 1,
                    None => {}
                }
            }
            minutes.sort_unstable();
            let pct = |met: i64, due: i64| (due > 0).then(|| met as f64 * 100.0 / due as f64);
            SlaRow {
                key: k,
                tickets: fs.len() as i64,
                first_response_met: fr_met,
                first_response_due: fr_due,
                resolution_met: res_met,
                resolution_due: res_due,
                first_response_pct: pct(fr_met, fr_due),
                resolution_pct: pct(res_met, res_due),
                median_first_response_minutes: (!minutes.is_empty())
                    .then(|| minutes[minutes.len() / 2]),
            }
        })
        .collect()
}

async fn sla_report_for(state: &AppState, p: &Period) -> ApiResult<SlaReport> {
    let (from, to, a, b, _) = period(state, p).await?;
    let facts = state.store.sla_rows(a, b).await?;
    let now = now(state);
    let mut by_priority = sla_rows(&facts, now, |f| f.priority.as_str().to_string());
    by_priority.sort_by_key(|r| std::cmp::Reverse(Priority::parse(&r.key).map(|p| p.rank())));
    Ok(SlaReport {
        from: from.to_string(),
        to: to.to_string(),
        // No agent: the empty key (the reader names it in their language).
        by_agent: sla_rows(&facts, now, |f| f.agent.clone().unwrap_or_default()),
        by_priority,
    })
}

/// SLA met per agent and per priority for tickets created in the period.
#[utoipa::path(get, path = "/api/v1/support/reports/sla", tag = "support", operation_id = "getSlaReport", params(Period),
    responses((status = 200, body = SlaReport), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn sla_report(
    State(state): State<AppState>,
    Staff(_): Staff,
    ApiQuery(p): ApiQuery<Period>,
) -> ApiResult<Json<SlaReport>> {
    Ok(Json(sla_report_for(&state, &p).await?))
}

fn csv_field(s: &str) -> String {
    // Quote everything; neutralise spreadsheet formulas.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The SLA report as CSV (one row per agent and per priority).
#[utoipa::path(get, path = "/api/v1/support/reports/sla.csv", tag = "support", operation_id = "exportSlaReportCsv", params(Period),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn sla_report_csv(
    State(state): State<AppState>,
    Staff(_): Staff,
    ApiQuery(p): ApiQuery<Period>,
) -> ApiResult<Response> {
    let r = sla_report_for(&state, &p).await?;
    let mut out = String::from(
        "group,key,tickets,first_response_met,first_response_due,first_response_pct,resolution_met,resolution_due,resolution_pct,median_first_response_minutes\n",
    );
    let opt = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
    for (group, rows) in [("agent", &r.by_agent), ("priority", &r.by_priority)] {
        for row in rows {
            out.push_str(&format!(
                "{group},{},{},{},{},{},{},{},{},{}\n",
                csv_field(&row.key),
                row.tickets,
                row.first_response_met,
                row.first_response_due,
                opt(row.first_response_pct),
                row.resolution_met,
                row.resolution_due,
                opt(row.resolution_pct),
                row.median_first_response_minutes
                    .map(|m| m.to_string())
                    .unwrap_or_default()
            ));
        }
    }
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"sla-{}-{}.csv\"", r.from, r.to),
            ),
        ],
        out,
    )
        .into_response())
}

fn point(key: String, facts: &[&SurveyFact]) -> SurveyPoint {
    let nps_scores: Vec<i64> = facts
        .iter()
        .filter(|f| f.kind == "nps")
        .map(|f| f.score)
        .collect();
    let csat_scores: Vec<i64> = facts
        .iter()
        .filter(|f| f.kind != "nps")
        .map(|f| f.score)
        .collect();
    SurveyPoint {
        key,
        nps: nps(nps_scores.iter().copied()),
        nps_responses: nps_scores.len() as i64,
        csat: csat(csat_scores.iter().copied()),
        csat_responses: csat_scores.len() as i64,
    }
}

/// NPS and CSAT for the period: overall, per week, per tier, and CSAT on
/// resolved tickets per agent. NPS = % promoters (9–10) − % detractors
/// (0–6); CSAT = % of 1–5 ratings (order ratings and ticket ratings) that
/// are 4 or 5.
#[utoipa::path(get, path = "/api/v1/support/reports/surveys", tag = "support", operation_id = "getSurveyReport", params(Period),
    responses((status = 200, body = SurveyReport), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn survey_report(
    State(state): State<AppState>,
    Staff(_): Staff,
    ApiQuery(p): ApiQuery<Period>,
) -> ApiResult<Json<SurveyReport>> {
    let (from, to, a, b, tz) = period(&state, &p).await?;
    let facts = state.store.survey_rows(a, b).await?;
    let all: Vec<&SurveyFact> = facts.iter().collect();
    // Weeks start on Monday in the programme's zone; every week of the
    // period is present, empty ones too, so the chart's x axis is honest.
    let monday =
        |d: NaiveDate| d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64);
    let mut weeks: BTreeMap<NaiveDate, Vec<&SurveyFact>> = BTreeMap::new();
    let mut w = monday(from);
    while w <= to {
        weeks.insert(w, Vec::new());
        w += chrono::Duration::days(7);
    }
    let mut tiers: BTreeMap<String, Vec<&SurveyFact>> = BTreeMap::new();
    let mut agents: BTreeMap<String, Vec<&SurveyFact>> = BTreeMap::new();
    for f in &facts {
        let d = local_date(crate::store::ts(f.at), tz);
        weeks.entry(monday(d)).or_default().push(f);
        tiers
            .entry(f.tier.clone().unwrap_or_else(|| "—".into()))
            .or_default()
            .push(f);
        if f.kind == "ticket" {
            agents
                .entry(f.agent.clone().unwrap_or_default())
                .or_default()
                .push(f);
        }
    }
    let tier_order = state.store.tiers().await?;
    let mut by_tier: Vec<SurveyPoint> = tiers.into_iter().map(|(k, v)| point(k, &v)).collect();
    by_tier.sort_by_key(|p| {
        tier_order
            .iter()
            .position(|t| t.name == p.key)
            .unwrap_or(usize::MAX)
    });
    Ok(Json(SurveyReport {
        from: from.to_string(),
        to: to.to_string(),
        overall: point("all".into(), &all),
        weekly: weeks
            .into_iter()
            .map(|(k, v)| point(k.to_string(), &v))
            .collect(),
        by_tier,
        by_agent: agents.into_iter().map(|(k, v)| point(k, &v)).collect(),
    }))
}
