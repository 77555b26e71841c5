//! A saved segment's members: a page at a time, or all of them as CSV.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::segments::SegmentMemberPage;

use super::definition::context;
use super::saved::load;
use crate::auth::Admin;
use crate::error::ApiResult;
use crate::json::ApiQuery;
use crate::routes::csv::{csv_field, csv_response, iso, CSV_PAGE};
use crate::routes::paging::{paging, PageParams};
use crate::state::AppState;
use crate::store::segments::{member_row, members_query};

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
                    .map(crate::store::analytics::scores::segment_name)
                    .unwrap_or_default(),
                m.churn_score.map(|s| s.to_string()).unwrap_or_default(),
            )
        },
    ))
}
