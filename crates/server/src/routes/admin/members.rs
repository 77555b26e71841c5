//! The member table and a member's record: adjustments, block, tier lock.
//! Admins only (support agents see member context on tickets).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use patron_core::admin::{
    AdjustmentRequest, BlockRequest, MemberPage, MemberProfileAdmin, MemberQuery, TierLockRequest,
};
use patron_core::earning::lot_dates;
use patron_core::error::ErrorEnvelope;
use patron_core::time::zone;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::{ApiJson, ApiQuery};
use crate::routes::idempotent;
use crate::state::AppState;
use crate::store::admin::members::AdjustRefusal;

fn reason_problem(reason: &str) -> Option<(&'static str, &'static str)> {
    let n = reason.trim().chars().count();
    if n < 3 {
        Some((
            "reason",
            "Say why (at least 3 characters); the member and the audit log see it.",
        ))
    } else if n > 200 {
        Some(("reason", "Keep the reason under 200 characters."))
    } else {
        None
    }
}

/// The member table's query parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct MemberParams {
    /// Name (start of any word), email (start) or card number (start).
    q: Option<String>,
    /// Tier id.
    tier: Option<i64>,
    /// active or blocked.
    status: Option<String>,
    region: Option<String>,
    /// Joined on or after (YYYY-MM-DD, programme time zone).
    joined_from: Option<String>,
    joined_to: Option<String>,
    /// Last purchase on or after (YYYY-MM-DD).
    last_from: Option<String>,
    last_to: Option<String>,
    /// name (default), joined_newest, joined_oldest, last_purchase_newest, last_purchase_oldest.
    sort: Option<String>,
    /// Rows to skip (pages of 100).
    #[param(minimum = 0)]
    offset: Option<i64>,
}

/// A page of members matching the filters, with the total.
#[utoipa::path(get, path = "/api/v1/admin/members", tag = "admin", operation_id = "listMembers", params(MemberParams),
    responses((status = 200, body = MemberPage), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiQuery(pairs): ApiQuery<Vec<(String, String)>>,
) -> ApiResult<Json<MemberPage>> {
    let q = MemberQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|(k, m)| ApiError::field(&k, &m))?;
    let tz = state.store.programme().await?.time_zone;
    Ok(Json(state.store.member_page(&q, &tz).await?))
}

/// The member's whole record, as admins need it.
pub async fn profile_of(state: &AppState, id: i64) -> ApiResult<MemberProfileAdmin> {
    let now = state.store.now();
    let facts = state
        .store
        .member_facts(id, now.timestamp())
        .await?
        .ok_or_else(|| ApiError::NotFound("No such member.".into()))?;
    let summary = crate::summary::member_summary(&state.store, id, now).await?;
    Ok(MemberProfileAdmin {
        summary,
        email: facts.email,
        region: facts.region,
        city: facts.city,
        age_band: facts.age_band,
        joined_at: crate::store::ts(facts.joined_at),
        blocked: facts.blocked,
        block_reason: facts.block_reason,
        lock: facts.lock,
        ledger: state
            .store
            .ledger_page(
                id,
                &Default::default(),
                None,
                200,
                now.timestamp(),
                chrono_tz::Tz::UTC,
            )
            .await?,
        purchases: state.store.member_purchases(id).await?,
        redemptions: state
            .store
            .admin_redemptions(Some(id), None, None, 200)
            .await?,
        tickets: state.store.member_ticket_briefs(id).await?,
        tier_history: state.store.tier_history(id).await?,
        scores: state.store.member_scores(id).await?,
    })
}

/// A member's record: summary as they see it, ledger, purchases,
/// redemptions, tickets and tier history.
#[utoipa::path(get, path = "/api/v1/admin/members/{id}", tag = "admin", operation_id = "getMemberRecord",
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberProfileAdmin), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn profile(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<MemberProfileAdmin>> {
    Ok(Json(profile_of(&state, parse_id(&id, "member")?).await?))
}

/// Adds (positive) or takes (negative) points with a reason the member
/// sees. Requires an `Idempotency-Key`: a retry answers the first result
/// and makes no second entry. Never takes more than is available.
#[utoipa::path(post, path = "/api/v1/admin/members/{id}/adjustments", tag = "admin", operation_id = "adjustMemberPoints", request_body = AdjustmentRequest,
    params(("id" = i64, Path, description = "Member id"),
        ("Idempotency-Key" = String, Header, description = "One per adjustment; reuse it when retrying", pattern = r"\S", max_length = 200)),
    responses((status = 201, body = patron_core::admin::AdjustmentResult), (status = 400, body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn adjust(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<AdjustmentRequest>,
) -> ApiResult<Response> {
    let id = parse_id(&id, "member")?;
    let mut problems: Vec<(&str, &str)> = reason_problem(&req.reason).into_iter().collect();
    if req.points == 0 || req.points.abs() > 1_000_000 {
        problems.push(("points", "Adjust by 1 to 1,000,000 points, up or down."));
    }
    ApiError::check("The adjustment needs another look.", problems)?;
    let key = idempotent::key(&headers, "adjustment")?;
    let hash = idempotent::request_hash(&format!("POST /admin/members/{id}/adjustments"), &req)?;
    idempotent::once(&state, user.id, &key, &hash, || async {
        let programme = state.store.programme().await?;
        let now = state.store.now();
        let (_, expires) = lot_dates(programme.expiry, 0, now, zone(&programme.time_zone));
        let reason = format!("Adjustment: {}", req.reason.trim());
        match state
            .store
            .adjust_points(
                id,
                req.points,
                &reason,
                expires.map(|e| e.timestamp()),
                &user,
                &key,
                now.timestamp(),
            )
            .await?
        {
            Ok(r) => Ok((StatusCode::CREATED, Json(r)).into_response()),
            Err(AdjustRefusal::NoSuchMember) => Err(ApiError::NotFound("No such member.".into())),
            Err(AdjustRefusal::Blocked) => Err(ApiError::Conflict(
                "This member is blocked: unblock them before changing their points.".into(),
            )),
            Err(AdjustRefusal::Insufficient { available }) => Err(ApiError::field(
                "points",
                &format!("The member has only {available} points available to take."),
            )),
        }
    })
    .await
}

/// Blocks (they can neither earn nor spend) or unblocks a member.
#[utoipa::path(put, path = "/api/v1/admin/members/{id}/block", tag = "admin", operation_id = "setMemberBlocked", request_body = BlockRequest,
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberProfileAdmin), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn block(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<BlockRequest>,
) -> ApiResult<Json<MemberProfileAdmin>> {
    let id = parse_id(&id, "member")?;
    ApiError::check("", reason_problem(&req.reason))?;
    if !state
        .store
        .set_blocked(id, req.blocked, &req.reason, &user)
        .await?
    {
        return Err(ApiError::NotFound("No such member.".into()));
    }
    Ok(Json(profile_of(&state, id).await?))
}

/// Locks the member's tier (recalculation leaves them there until the
/// lock ends) or, with `tier_id: null`, removes the lock.
#[utoipa::path(put, path = "/api/v1/admin/members/{id}/tier-lock", tag = "admin", operation_id = "setMemberTierLock", request_body = TierLockRequest,
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberProfileAdmin), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn tier_lock(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<TierLockRequest>,
) -> ApiResult<Json<MemberProfileAdmin>> {
    let id = parse_id(&id, "member")?;
    let now = state.store.now();
    let mut problems: Vec<(&str, &str)> = reason_problem(&req.reason).into_iter().collect();
    if let Some(t) = req.tier_id {
        let active = state.store.tiers().await?.iter().any(|x| x.id == t);
        if !active {
            problems.push(("tier_id", "Choose one of the active tiers."));
        }
    }
    if req.until.is_some_and(|u| u <= now) {
        problems.push(("until", "The lock must end in the future."));
    }
    ApiError::check("The tier lock needs another look.", problems)?;
    if state.store.member(id).await?.is_none() {
        return Err(ApiError::NotFound("No such member.".into()));
    }
    state
        .store
        .set_tier_lock(
            id,
            req.tier_id,
            &req.reason,
            req.until.map(|u| u.timestamp()),
            &user,
            now.timestamp(),
        )
        .await?;
    Ok(Json(profile_of(&state, id).await?))
}
