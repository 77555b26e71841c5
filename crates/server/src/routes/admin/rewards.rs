//! The rewards catalogue and redemptions, as admins manage them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use patron_core::admin::{AdminRedemption, AdminReward, RedemptionStatusChange, RewardDraft};
use patron_core::error::ErrorEnvelope;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::{ApiJson, ApiQuery};
use crate::state::AppState;
use crate::store::admin::rewards::{RewardSave, StatusRefusal};

const SEGMENT_GONE: &str = "Choose one of the saved segments.";

/// The answer to a save.
fn saved(r: RewardSave) -> ApiResult<AdminReward> {
    match r {
        RewardSave::Saved(r) => Ok(*r),
        RewardSave::NoSuchReward => Err(ApiError::NotFound("No such reward.".into())),
        RewardSave::SegmentGone => Err(ApiError::field("segment_id", SEGMENT_GONE)),
    }
}

async fn validate(state: &AppState, d: &RewardDraft) -> ApiResult<()> {
    let mut problems: Vec<(&str, &str)> = d.problems();
    if let Some(t) = d.min_tier_id {
        if !state.store.tier_exists(t).await? {
            problems.push(("min_tier_id", "Choose one of the tiers."));
        }
    }
    if let (Some(g), false) = (d.segment_id, d.archived) {
        if state.store.segment(g).await?.is_none() {
            problems.push(("segment_id", SEGMENT_GONE));
        }
    }
    ApiError::check("The reward needs another look.", problems)
}

/// Every reward (archived last) with redemptions and codes left.
#[utoipa::path(get, path = "/api/v1/admin/rewards", tag = "admin", operation_id = "listAdminRewards",
    responses((status = 200, body = Vec<AdminReward>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> ApiResult<Json<Vec<AdminReward>>> {
    Ok(Json(state.store.admin_rewards().await?))
}

/// Creates a reward.
#[utoipa::path(post, path = "/api/v1/admin/rewards", tag = "admin", operation_id = "createReward", request_body = RewardDraft,
    responses((status = 201, body = AdminReward), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(d): ApiJson<RewardDraft>,
) -> ApiResult<(StatusCode, Json<AdminReward>)> {
    validate(&state, &d).await?;
    let r = saved(state.store.save_reward(None, &d, &user).await?)?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Replaces a reward (archive or restore with `archived`); new codes are
/// added to its pool.
#[utoipa::path(put, path = "/api/v1/admin/rewards/{id}", tag = "admin", operation_id = "updateReward", request_body = RewardDraft,
    params(("id" = i64, Path, description = "Reward id")),
    responses((status = 200, body = AdminReward), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<RewardDraft>,
) -> ApiResult<Json<AdminReward>> {
    let id = parse_id(&id, "reward")?;
    validate(&state, &d).await?;
    saved(state.store.save_reward(Some(id), &d, &user).await?).map(Json)
}

/// Filters of the redemptions list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RedemptionParams {
    /// Reward id.
    reward: Option<i64>,
    /// Member id.
    member: Option<i64>,
    /// issued, used, expired or cancelled.
    status: Option<String>,
}

/// Redemptions, newest first (at most 500).
#[utoipa::path(get, path = "/api/v1/admin/redemptions", tag = "admin", operation_id = "listRedemptions", params(RedemptionParams),
    responses((status = 200, body = Vec<AdminRedemption>), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn redemptions(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiQuery(p): ApiQuery<RedemptionParams>,
) -> ApiResult<Json<Vec<AdminRedemption>>> {
    let status = p.status.as_deref().filter(|s| !s.is_empty());
    if status.is_some_and(|s| !["issued", "used", "expired", "cancelled"].contains(&s)) {
        return Err(ApiError::field(
            "status",
            "Status is issued, used, expired or cancelled.",
        ));
    }
    Ok(Json(
        state
            .store
            .admin_redemptions(p.member, p.reward, status, 500)
            .await?,
    ))
}

/// Marks an issued voucher used, or cancels it: the points come back to the
/// member by a new ledger entry and the stock by one.
#[utoipa::path(patch, path = "/api/v1/admin/redemptions/{id}", tag = "admin", operation_id = "setRedemptionStatus", request_body = RedemptionStatusChange,
    params(("id" = i64, Path, description = "Redemption id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn set_status(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RedemptionStatusChange>,
) -> ApiResult<StatusCode> {
    let id = parse_id(&id, "redemption")?;
    if req.status != "used" && req.status != "cancelled" {
        return Err(ApiError::field(
            "status",
            "Set the status to used or cancelled.",
        ));
    }
    match state
        .store
        .set_redemption_status(id, &req.status, &user, state.store.now().timestamp())
        .await?
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(StatusRefusal::NoSuchRedemption) => {
            Err(ApiError::NotFound("No such redemption.".into()))
        }
        Err(StatusRefusal::NotIssued(s)) => Err(ApiError::Conflict(format!(
            "This voucher is already {s}; only issued vouchers can change."
        ))),
        Err(StatusRefusal::Expired) => Err(ApiError::Conflict(
            "This voucher has expired: it can no longer be used or cancelled for a refund.".into(),
        )),
    }
}
