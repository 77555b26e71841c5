//! The audit log. Admins only.

use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use patron_core::admin::AuditPage;
use patron_core::error::ErrorEnvelope;
use patron_core::time::{end_of_day, start_of_day, zone};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiQuery;
use crate::state::AppState;
use crate::store::audit::AuditFilter;

/// Filters of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// The acting user's id.
    actor: Option<i64>,
    /// tier, member, reward, earning_rule, staff, programme, …
    entity: Option<String>,
    /// On or after (YYYY-MM-DD, programme time zone).
    from: Option<String>,
    /// On or before (YYYY-MM-DD).
    to: Option<String>,
    /// Rows to skip (pages of 100).
    #[param(minimum = 0)]
    offset: Option<i64>,
}

fn day(field: &str, v: &Option<String>) -> ApiResult<Option<NaiveDate>> {
    match v.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => patron_core::time::parse_day(s)
            .map(Some)
            .ok_or_else(|| ApiError::field(field, patron_core::time::DAY_HINT)),
    }
}

/// Every admin write, newest first: who, what, which entity, the fields
/// changed (before → after) and when.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", operation_id = "listAuditLog", params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn page(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> ApiResult<Json<AuditPage>> {
    let tz = zone(&state.store.programme().await?.time_zone);
    let from = day("from", &p.from)?;
    let to = day("to", &p.to)?;
    if p.offset.is_some_and(|o| o < 0) {
        return Err(ApiError::field(
            "offset",
            "The offset is a whole number from 0.",
        ));
    }
    Ok(Json(
        state
            .store
            .audit_page(&AuditFilter {
                actor_id: p.actor,
                entity: p.entity.filter(|e| !e.is_empty()),
                from: from.map(|d| start_of_day(d, tz).timestamp()),
                to: to.map(|d| end_of_day(d, tz).timestamp()),
                offset: p.offset.unwrap_or(0),
            })
            .await?,
    ))
}
