//! `GET /support/queue`: the feedback queue, filtered, sorted and paged.

use axum::extract::State;
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::support::{QueuePage, QueueQuery};
use patron_core::time::{end_of_day, start_of_day, zone};
use serde::Deserialize;
use utoipa::IntoParams;

use super::common::now;
use crate::auth::Staff;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiQuery;
use crate::state::AppState;
use crate::store::support::Bounds;

/// The queue's query parameters (all optional; lists are comma-separated).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct QueueParams {
    /// new, open, waiting, resolved, closed (default: new,open,waiting).
    status: Option<String>,
    /// nps, csat, complaint, suggestion.
    r#type: Option<String>,
    /// low, normal, high, urgent.
    priority: Option<String>,
    /// me, none, any, or an agent's id.
    assignee: Option<String>,
    /// Tier id.
    tier: Option<i64>,
    /// ok, due_soon, breached.
    sla: Option<String>,
    /// Created on or after (YYYY-MM-DD, programme time zone).
    from: Option<String>,
    /// Created on or before (YYYY-MM-DD).
    to: Option<String>,
    /// Words in the subject or any message.
    q: Option<String>,
    label: Option<String>,
    /// oldest (default), newest, priority, sla_due.
    sort: Option<String>,
    /// Rows to skip: the previous page's next_offset.
    offset: Option<i64>,
}

async fn day_bounds(state: &AppState, q: &QueueQuery) -> ApiResult<Bounds> {
    let tz = zone(&state.store.programme().await?.time_zone);
    let day = |s: &Option<String>| s.as_deref().and_then(patron_core::time::parse_day);
    let (from, to) = (day(&q.from), day(&q.to));
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            return Err(ApiError::field(
                "to",
                "The end date is before the start date.",
            ));
        }
    }
    Ok(Bounds {
        from: from.map(|d| start_of_day(d, tz).timestamp()),
        to: to.map(|d| end_of_day(d, tz).timestamp()),
    })
}

/// The feedback queue: one page of tickets matching the filters, the
/// total, and the counts per status for the filter bar.
#[utoipa::path(get, path = "/api/v1/support/queue", tag = "support", operation_id = "listSupportQueue", params(QueueParams),
    responses((status = 200, body = QueuePage), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn queue(
    State(state): State<AppState>,
    Staff(user): Staff,
    ApiQuery(pairs): ApiQuery<Vec<(String, String)>>,
) -> ApiResult<([(axum::http::HeaderName, String); 1], Json<QueuePage>)> {
    let q = QueueQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|(k, m)| ApiError::field(&k, &m))?;
    let bounds = day_bounds(&state, &q).await?;
    let started = std::time::Instant::now();
    let page = state.store.queue(&q, user.id, now(&state), bounds).await?;
    // How long the database work took, for `make bench` and browser devtools.
    let timing = format!("db;dur={:.2}", started.elapsed().as_secs_f64() * 1000.0);
    Ok((
        [(axum::http::HeaderName::from_static("server-timing"), timing)],
        Json(page),
    ))
}
