//! The member's points history: JSON pages and a streamed CSV.

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::history::{lot_state_str, LedgerFilter, LedgerPage};
use patron_core::summary::LedgerEntry;
use patron_core::time::zone;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiQuery;
use crate::routes::csv::csv_field;
use crate::state::AppState;
use crate::store::history::Cursor;

/// Largest page a client may ask for.
pub const MAX_PAGE: i64 = 200;
/// Rows per step while streaming CSV.
const CSV_CHUNK: i64 = 1_000;

/// Paging parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// From `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    #[serde(default)]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

fn member_of(user: &crate::store::users::UserRow) -> ApiResult<i64> {
    user.member_id
        .ok_or_else(|| ApiError::Forbidden("Only members have a points history.".into()))
}

fn check_range(f: &LedgerFilter) -> ApiResult<()> {
    if let (Some(a), Some(b)) = (f.from, f.to) {
        if a > b {
            return Err(ApiError::field(
                "to",
                "The end date is before the start date.",
            ));
        }
    }
    Ok(())
}

/// One page of the signed-in member's history, newest first.
#[utoipa::path(get, path = "/api/v1/me/ledger", tag = "member", operation_id = "listMyLedger", params(LedgerFilter, PageQuery),
    responses((status = 200, body = LedgerPage), (status = 400, body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn page(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiQuery(filter): ApiQuery<LedgerFilter>,
    ApiQuery(paging): ApiQuery<PageQuery>,
) -> ApiResult<Json<LedgerPage>> {
    let member_id = member_of(&user)?;
    check_range(&filter)?;
    let limit = paging.limit.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            "Ask for 1 to 200 entries per page.",
        ));
    }
    let cursor = match paging.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(
            Cursor::decode(c)
                .ok_or_else(|| ApiError::BadRequest("That cursor is not valid.".into()))?,
        ),
    };
    let programme = state.store.programme().await?;
    let tz = zone(&programme.time_zone);
    let now = state.store.now().timestamp();
    let mut items = state
        .store
        .ledger_page(member_id, &filter, cursor, limit + 1, now, tz)
        .await?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = more.then(|| items.last()).flatten().map(|e| {
        Cursor {
            created_at: e.created_at.timestamp(),
            id: e.id,
        }
        .encode()
    });
    let total = state
        .store
        .ledger_count(member_id, &filter, now, tz)
        .await?;
    Ok(Json(LedgerPage {
        items,
        total,
        next_cursor,
    }))
}

fn csv_row(e: &LedgerEntry) -> String {
    let opt =
        |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    format!(
        "{},{},{},{},{},{},{},{}\r\n",
        e.id,
        e.created_at.to_rfc3339(),
        e.kind.as_str(),
        e.points,
        e.state.map(lot_state_str).unwrap_or(""),
        csv_field(&e.reason),
        opt(e.available_at),
        opt(e.expires_at),
    )
}

/// The filtered history as CSV, streamed in chunks (any length).
#[utoipa::path(get, path = "/api/v1/me/ledger.csv", tag = "member", operation_id = "exportMyLedgerCsv", params(LedgerFilter),
    responses((status = 200, description = "text/csv; one row per entry", content_type = "text/csv"),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn csv(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiQuery(filter): ApiQuery<LedgerFilter>,
) -> ApiResult<Response> {
    let member_id = member_of(&user)?;
    check_range(&filter)?;
    let programme = state.store.programme().await?;
    let tz = zone(&programme.time_zone);
    let now = state.store.now().timestamp();
    let store = state.store.clone();
    struct Step {
        cursor: Option<Cursor>,
        started: bool,
        done: bool,
    }
    let stream = futures_util::stream::unfold(
        Step {
            cursor: None,
            started: false,
            done: false,
        },
        move |mut step| {
            let store = store.clone();
            let filter = filter.clone();
            async move {
                if step.done {
                    return None;
                }
                if !step.started {
                    step.started = true;
                    let head = "id,created_at,kind,points,state,reason,available_at,expires_at\r\n";
                    return Some((Ok::<_, std::io::Error>(head.to_string()), step));
                }
                match store
                    .ledger_page(member_id, &filter, step.cursor, CSV_CHUNK, now, tz)
                    .await
                {
                    Ok(rows) if rows.is_empty() => None,
                    Ok(rows) => {
                        step.done = (rows.len() as i64) < CSV_CHUNK;
                        let last = rows.last().expect("non-empty");
                        step.cursor = Some(Cursor {
                            created_at: last.created_at.timestamp(),
                            id: last.id,
                        });
                        Some((Ok(rows.iter().map(csv_row).collect::<String>()), step))
                    }
                    Err(e) => {
                        step.done = true;
                        Some((Err(std::io::Error::other(e.to_string())), step))
                    }
                }
            }
        },
    );
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"points-history.csv\"",
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
