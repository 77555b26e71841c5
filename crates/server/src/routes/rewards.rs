//! The rewards catalogue, redeeming, and the wallet.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::rewards::{
    availability, Availability, MemberFacts, RedeemRequest, RedeemResult, RedemptionList, Reward,
    RewardList,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::json::{ApiJson, ApiQuery};
use crate::routes::idempotent;
use crate::state::AppState;
use crate::store::redeem::{RedeemRefusal, Redeemer};
use crate::store::users::UserRow;
use crate::summary::member_tier;

fn member_of(user: &UserRow) -> ApiResult<i64> {
    user.member_id
        .ok_or_else(|| ApiError::Forbidden("Only members can use rewards.".into()))
}

/// Catalogue filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RewardQuery {
    /// Only rewards the member can redeem now.
    #[serde(default)]
    pub affordable: Option<bool>,
    /// Only this category.
    #[serde(default)]
    pub category: Option<String>,
    /// `cost_asc` (default) or `cost_desc`.
    #[serde(default)]
    #[param(pattern = "^(cost_asc|cost_desc)?$")]
    pub sort: Option<String>,
}

/// Rewards the member can see: locked ones say which tier they need, and
/// unaffordable ones how many points are missing.
#[utoipa::path(get, path = "/api/v1/rewards", tag = "rewards", operation_id = "listRewards", params(RewardQuery),
    responses((status = 200, body = RewardList), (status = 400, body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiQuery(q): ApiQuery<RewardQuery>,
) -> ApiResult<Json<RewardList>> {
    let member_id = member_of(&user)?;
    let member = state
        .store
        .member(member_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such member.".into()))?;
    let now = state.store.now();
    let tier = member_tier(&state.store, &member, now).await?;
    let lots = state.store.member_lots(member_id).await?;
    let available = patron_core::ledger::available(&lots, now);
    let facts = MemberFacts {
        available_points: available,
        tier_threshold: tier.current.threshold,
        blocked: member.blocked,
    };
    let cx = crate::routes::segments::context(&state).await?;
    let rows = state.store.rewards_for(member_id, cx).await?;
    let mut categories: Vec<String> = rows.iter().map(|r| r.category.clone()).collect();
    categories.sort();
    categories.dedup();
    let mut items: Vec<Reward> = rows
        .into_iter()
        .map(|r| Reward {
            availability: availability(&r.facts, &facts, now),
            missing_points: (r.facts.cost_points - available).max(0),
            id: r.id,
            name: r.name,
            description: r.description,
            category: r.category,
            cost_points: r.facts.cost_points,
            stock_left: r.facts.stock_left,
            per_member_limit: r.facts.per_member_limit,
            redeemed_by_me: r.facts.redeemed_by_me,
            min_tier: r.min_tier,
            personal: r.segment_id.is_some(),
            valid_from: r.facts.valid_from,
            valid_until: r.facts.valid_until,
        })
        .collect();
    if q.affordable == Some(true) {
        items.retain(|r| r.availability == Availability::Available);
    }
    if let Some(c) = q.category.filter(|c| !c.is_empty()) {
        items.retain(|r| r.category == c);
    }
    match q.sort.as_deref() {
        None | Some("") | Some("cost_asc") => items.sort_by_key(|r| (r.cost_points, r.id)),
        Some("cost_desc") => items.sort_by_key(|r| (std::cmp::Reverse(r.cost_points), r.id)),
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "Unknown sort '{other}': use cost_asc or cost_desc."
            )))
        }
    }
    Ok(Json(RewardList {
        items,
        available_points: available,
        categories,
    }))
}

fn refusal_error(r: RedeemRefusal) -> ApiError {
    match r {
        RedeemRefusal::NoSuchReward => ApiError::NotFound("No such reward.".into()),
        RedeemRefusal::Unavailable(a, available) => match a {
            Availability::Unaffordable => ApiError::Conflict(format!(
                "You have {available} points available; this reward costs more."
            )),
            Availability::OutOfStock => ApiError::Conflict("This reward is out of stock.".into()),
            Availability::LimitReached => ApiError::Conflict(
                "You have already redeemed this reward as often as allowed.".into(),
            ),
            Availability::TierLocked => {
                ApiError::Forbidden("This reward needs a higher tier.".into())
            }
            Availability::NotYetValid => ApiError::Validation {
                message: "This reward cannot be redeemed yet.".into(),
                fields: Default::default(),
            },
            Availability::Ended => ApiError::Validation {
                message: "This reward can no longer be redeemed.".into(),
                fields: Default::default(),
            },
            Availability::MemberBlocked => ApiError::Conflict(
                "Your membership is on hold, so points cannot be spent. Please contact support."
                    .into(),
            ),
            Availability::Available => ApiError::internal("available yet refused"),
        },
    }
}

/// Redeems a reward. Requires an `Idempotency-Key` header: the same key with
/// the same body answers the original result (one ledger entry); with another
/// body 422; while the first is still running 409.
#[utoipa::path(post, path = "/api/v1/redemptions", tag = "rewards", operation_id = "redeemReward", request_body = RedeemRequest,
    params(("Idempotency-Key" = String, Header, description = "One per redemption intent; reuse it when retrying", pattern = r"\S", max_length = 200)),
    responses((status = 201, body = RedeemResult), (status = 400, body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn redeem(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<RedeemRequest>,
) -> ApiResult<Response> {
    let member_id = member_of(&user)?;
    let key = idempotent::key(&headers, "redemption")?;
    let hash = idempotent::request_hash("POST /redemptions", &req)?;
    let now = state.store.now();
    idempotent::once(&state, user.id, &key, &hash, || async {
        let member = state
            .store
            .member(member_id)
            .await?
            .ok_or_else(|| ApiError::NotFound("No such member.".into()))?;
        let tier = member_tier(&state.store, &member, now).await?;
        let who = Redeemer {
            user_id: user.id,
            member_id,
            tier_threshold: tier.current.threshold,
            cx: crate::routes::segments::context(&state).await?,
        };
        match state
            .store
            .redeem(who, req.reward_id, &key, now.timestamp())
            .await?
        {
            Ok(result) => Ok((StatusCode::CREATED, Json(result)).into_response()),
            Err(refusal) => Err(refusal_error(refusal)),
        }
    })
    .await
}

/// The member's redeemed rewards with voucher codes, newest first.
#[utoipa::path(get, path = "/api/v1/me/redemptions", tag = "rewards", operation_id = "listMyVouchers",
    responses((status = 200, body = RedemptionList), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn wallet(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<RedemptionList>> {
    let member_id = member_of(&user)?;
    let now = state.store.now().timestamp();
    Ok(Json(RedemptionList {
        items: state.store.redemptions_of(member_id, 500, now).await?,
    }))
}
