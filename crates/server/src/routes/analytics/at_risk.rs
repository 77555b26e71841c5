//! The at-risk list, a page at a time or whole as CSV.

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use patron_core::analytics::{AtRiskPage, AT_RISK_SORTS};
use patron_core::error::ErrorEnvelope;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiQuery;
use crate::routes::csv::{csv_field, csv_response, iso, CSV_PAGE};
use crate::routes::paging::{paging, PageParams};
use crate::state::AppState;
use crate::store::analytics::scores::{at_risk_query, at_risk_row};

/// Sorting and paging of the at-risk list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AtRiskParams {
    /// score (default), last_purchase, spend or name.
    sort: Option<String>,
    /// Descending (default true for score, false otherwise).
    desc: Option<bool>,
    offset: Option<i64>,
    limit: Option<i64>,
}

fn at_risk_sort(p: &AtRiskParams) -> ApiResult<(String, bool)> {
    let sort = p.sort.clone().unwrap_or_else(|| "score".into());
    if !AT_RISK_SORTS.contains(&sort.as_str()) {
        return Err(ApiError::field(
            "sort",
            "Sort by score, last_purchase, spend or name.",
        ));
    }
    let desc = p.desc.unwrap_or(sort == "score");
    Ok((sort, desc))
}

/// Members at risk of churning, with their scores and reasons.
#[utoipa::path(get, path = "/api/v1/analytics/at-risk", tag = "analytics", operation_id = "listAtRiskMembers", params(AtRiskParams),
    responses((status = 200, body = AtRiskPage), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn at_risk(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiQuery(p): ApiQuery<AtRiskParams>,
) -> ApiResult<Json<AtRiskPage>> {
    let (sort, desc) = at_risk_sort(&p)?;
    let (offset, limit) = paging(&PageParams {
        offset: p.offset,
        limit: p.limit,
    })?;
    Ok(Json(
        state.store.at_risk_page(&sort, desc, offset, limit).await?,
    ))
}

/// The whole at-risk list as CSV (streamed), in the same order.
#[utoipa::path(get, path = "/api/v1/analytics/at-risk.csv", tag = "analytics", operation_id = "exportAtRiskCsv", params(AtRiskParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn at_risk_csv(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiQuery(p): ApiQuery<AtRiskParams>,
) -> ApiResult<Response> {
    let (sort, desc) = at_risk_sort(&p)?;
    let dialect = state.store.dialect();
    Ok(csv_response(
        "at-risk.csv",
        "id,name,email,tier,churn_score,reasons,rfm_segment,last_purchase_at,spend\r\n",
        &state,
        move |n, _| {
            let mut qb = at_risk_query(dialect, &sort, desc);
            qb.push(" LIMIT ")
                .push_bind(CSV_PAGE)
                .push(" OFFSET ")
                .push_bind(n * CSV_PAGE);
            qb
        },
        |r| {
            let m = at_risk_row(r);
            let reasons: Vec<String> = m.reasons.iter().map(|x| x.1.text()).collect();
            format!(
                "{},{},{},{},{},{},{},{},{:.2}\r\n",
                m.id,
                csv_field(&m.name),
                csv_field(&m.email),
                csv_field(&m.tier),
                m.churn_score,
                csv_field(&reasons.join("; ")),
                crate::store::analytics::scores::segment_name(m.segment),
                iso(m.last_purchase_at),
                m.monetary_minor as f64 / 100.0,
            )
        },
    ))
}
