//! Segments, the at-risk list and the scoring job's controls. Admin only:
//! these list members with their contact details.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use patron_core::analytics::{window_problem, AtRiskPage, ScoreRun, AT_RISK_SORTS};
use patron_core::error::ErrorEnvelope;
use patron_core::segments::{
    CountRequest, Segment, SegmentCharts, SegmentCount, SegmentDefinition, SegmentDraft,
    SegmentMemberPage, SegmentOptions,
};
use patron_core::time::zone;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::{ApiJson, ApiQuery};
use crate::state::AppState;
use crate::store::scores::{at_risk_query, at_risk_row};
use crate::store::segments::{member_row, members_query, Context, SegmentDelete};

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

/// Saved segments, most recently changed first.
#[utoipa::path(get, path = "/api/v1/analytics/segments", tag = "analytics", operation_id = "listSegments",
    responses((status = 200, body = Vec<Segment>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn list(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<Vec<Segment>>> {
    Ok(Json(state.store.segments().await?))
}

async fn save(
    state: &AppState,
    id: Option<i64>,
    d: &SegmentDraft,
    user: &crate::store::users::UserRow,
) -> ApiResult<Segment> {
    ApiError::check("The segment needs another look.", d.problems())?;
    let cx = context(state).await?;
    let count = state.store.segment_count(&d.definition, cx).await?;
    let id = state
        .store
        .save_segment(id, d, count, user, cx.now.timestamp())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such segment.".into()))?;
    state
        .store
        .segment(id)
        .await?
        .ok_or_else(|| ApiError::internal("saved segment vanished"))
}

/// Saves a segment with its member count.
#[utoipa::path(post, path = "/api/v1/analytics/segments", tag = "analytics", operation_id = "createSegment", request_body = SegmentDraft,
    responses((status = 201, body = Segment), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(d): ApiJson<SegmentDraft>,
) -> ApiResult<(StatusCode, Json<Segment>)> {
    Ok((
        StatusCode::CREATED,
        Json(save(&state, None, &d, &user).await?),
    ))
}

/// One saved segment.
#[utoipa::path(get, path = "/api/v1/analytics/segments/{id}", tag = "analytics", operation_id = "getSegment",
    params(("id" = i64, Path, description = "Segment id")),
    responses((status = 200, body = Segment), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn get_one(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Segment>> {
    Ok(Json(load(&state, &id).await?))
}

async fn load(state: &AppState, id: &str) -> ApiResult<Segment> {
    let id = parse_id(id, "segment")?;
    state
        .store
        .segment(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such segment.".into()))
}

/// Replaces a segment's name, description and definition (recounted).
#[utoipa::path(put, path = "/api/v1/analytics/segments/{id}", tag = "analytics", operation_id = "updateSegment", request_body = SegmentDraft,
    params(("id" = i64, Path, description = "Segment id")),
    responses((status = 200, body = Segment), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<SegmentDraft>,
) -> ApiResult<Json<Segment>> {
    let id = parse_id(&id, "segment")?;
    Ok(Json(save(&state, Some(id), &d, &user).await?))
}

/// Deletes a segment.
#[utoipa::path(delete, path = "/api/v1/analytics/segments/{id}", tag = "analytics", operation_id = "deleteSegment",
    params(("id" = i64, Path, description = "Segment id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id(&id, "segment")?;
    match state
        .store
        .delete_segment(id, &user, state.store.now().timestamp())
        .await?
    {
        SegmentDelete::Deleted => Ok(StatusCode::NO_CONTENT),
        SegmentDelete::NotFound => Err(ApiError::NotFound("No such segment.".into())),
        SegmentDelete::OfferedRewards(names) => Err(ApiError::Conflict(format!(
            "Rewards are offered only to this segment: {}. Offer them to someone else or archive them first.",
            names.join(", ")
        ))),
    }
}

/// Counts a saved segment's members again now.
#[utoipa::path(post, path = "/api/v1/analytics/segments/{id}/refresh", tag = "analytics", operation_id = "refreshSegmentCount",
    params(("id" = i64, Path, description = "Segment id")),
    responses((status = 200, body = Segment), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn refresh(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Segment>> {
    let s = load(&state, &id).await?;
    let cx = context(&state).await?;
    let n = state.store.segment_count(&s.definition, cx).await?;
    state
        .store
        .set_segment_count(s.id, n, cx.now.timestamp())
        .await?;
    Ok(Json(load(&state, &id).await?))
}

/// Paging of member lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Rows to skip (default 0).
    offset: Option<i64>,
    /// Rows to return, 1–200 (default 50).
    limit: Option<i64>,
}

fn paging(p: &PageParams) -> ApiResult<(i64, i64)> {
    let offset = p.offset.unwrap_or(0);
    let limit = p.limit.unwrap_or(50);
    if offset < 0 {
        return Err(ApiError::field("offset", "The offset cannot be negative."));
    }
    if !(1..=200).contains(&limit) {
        return Err(ApiError::field("limit", "Ask for 1 to 200 rows."));
    }
    Ok((offset, limit))
}

/// A page of a segment's members (by member id).
#[utoipa::path(get, path = "/api/v1/analytics/segments/{id}/members", tag = "analytics", operation_id = "listSegmentMembers",
    params(("id" = i64, Path, description = "Segment id"), PageParams),
    responses((status = 200, body = SegmentMemberPage), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn members(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<PageParams>,
) -> ApiResult<Json<SegmentMemberPage>> {
    let (offset, limit) = paging(&p)?;
    let s = load(&state, &id).await?;
    let cx = context(&state).await?;
    Ok(Json(
        state
            .store
            .segment_members(&s.definition, cx, offset, limit)
            .await?,
    ))
}

/// One CSV field: quoted when needed, and a leading `=`, `+`, `-`, `@`, tab or CR
/// neutralised so a spreadsheet never runs it as a formula.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn iso(t: Option<i64>) -> String {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Rows per page of a CSV export.
const CSV_PAGE: i64 = 5_000;

/// Streams rows as CSV, a page at a time: `page(n, last_id)` gives the
/// query of page `n` (after the row with id `last_id`), at most
/// [`CSV_PAGE`] rows.
/// Each page is read whole and the connection goes back to the pool before
/// the lines are sent, so a slow download never holds the database.
fn csv_response<P, F>(
    filename: &str,
    header_line: &'static str,
    state: &AppState,
    page: P,
    line: F,
) -> Response
where
    P: Fn(i64, Option<i64>) -> sqlx::QueryBuilder<'static, sqlx::Sqlite> + Send + 'static,
    F: Fn(&sqlx::sqlite::SqliteRow) -> String + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let pool = state.store.pool.clone();
    tokio::spawn(async move {
        use sqlx::Row;
        if tx.send(Ok(Bytes::from(header_line))).await.is_err() {
            return;
        }
        let (mut n, mut last) = (0, None);
        loop {
            let mut qb = page(n, last);
            let rows = match qb.build().fetch_all(&pool).await {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::warn!("CSV export failed: {e}");
                    let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                    return;
                }
            };
            let mut buf = String::with_capacity(rows.len() * 120);
            for r in &rows {
                buf.push_str(&line(r));
            }
            last = rows.last().map(|r| r.get::<i64, _>("id"));
            if !buf.is_empty() && tx.send(Ok(Bytes::from(buf))).await.is_err() {
                return;
            }
            if (rows.len() as i64) < CSV_PAGE {
                return;
            }
            n += 1;
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// Every member of a segment as CSV (streamed).
#[utoipa::path(get, path = "/api/v1/analytics/segments/{id}/members.csv", tag = "analytics", operation_id = "exportSegmentMembersCsv",
    params(("id" = i64, Path, description = "Segment id")),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn export(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let s = load(&state, &id).await?;
    let cx = context(&state).await?;
    let def = s.definition.clone();
    Ok(csv_response(
        &format!("segment-{}.csv", s.id),
        "id,name,email,card_number,tier,region,joined_at,last_purchase_at,rfm_segment,churn_score\r\n",
        &state,
        move |_, after| {
            let mut qb = members_query(&def, cx, after);
            qb.push(" LIMIT ").push_bind(CSV_PAGE);
            qb
        },
        |r| {
            let m = member_row(r);
            format!(
                "{},{},{},{},{},{},{},{},{},{}\r\n",
                m.id,
                csv_field(&m.name),
                csv_field(&m.email),
                csv_field(&m.card_number),
                csv_field(&m.tier),
                csv_field(&m.region),
                iso(Some(m.joined_at)),
                iso(m.last_purchase_at),
                m.rfm_segment
                    .map(crate::store::scores::segment_name)
                    .unwrap_or_default(),
                m.churn_score.map(|s| s.to_string()).unwrap_or_default(),
            )
        },
    ))
}

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
    Ok(csv_response(
        "at-risk.csv",
        "id,name,email,tier,churn_score,reasons,rfm_segment,last_purchase_at,spend\r\n",
        &state,
        move |n, _| {
            let mut qb = at_risk_query(&sort, desc);
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
                crate::store::scores::segment_name(m.segment),
                iso(m.last_purchase_at),
                m.monetary_minor as f64 / 100.0,
            )
        },
    ))
}

/// The scoring job's last run (`null` before the first).
#[utoipa::path(get, path = "/api/v1/analytics/scores", tag = "analytics", operation_id = "getScoreRun",
    responses((status = 200, body = Option<ScoreRun>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn score_run(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> ApiResult<Json<Option<ScoreRun>>> {
    Ok(Json(state.store.last_score_run().await?))
}

/// Optional new RFM window for a scoring run.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ScoreRefresh {
    /// Days (30–1,095); the stored window when left out.
    #[serde(default)]
    pub window_days: Option<i64>,
}

/// Recomputes every member's RFM scores and churn risk now.
#[utoipa::path(post, path = "/api/v1/analytics/scores/refresh", tag = "analytics", operation_id = "refreshScores", request_body = ScoreRefresh,
    responses((status = 200, body = ScoreRun), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn refresh_scores(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiJson(r): ApiJson<ScoreRefresh>,
) -> ApiResult<Json<ScoreRun>> {
    if let Some(problem) = r.window_days.and_then(window_problem) {
        return Err(ApiError::field("window_days", problem));
    }
    Ok(Json(
        state
            .store
            .refresh_scores(state.store.now(), r.window_days)
            .await?,
    ))
}
