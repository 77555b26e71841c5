//! Purchases and returns from tills and shops: an admin session or an API
//! key (`Authorization: Bearer …`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use patron_core::admin::{
    Recalculation, ReturnRequest, ReturnResult, TransactionRequest, TransactionResult,
};
use patron_core::earning::{evaluate, lot_dates};
use patron_core::error::ErrorEnvelope;
use patron_core::time::{local_date, start_of_day, year_start, zone};

use crate::auth::Integrator;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::routes::admin::earning::basket_problems;
use crate::routes::idempotent;
use crate::state::AppState;
use crate::store::earning::{EarnRefusal, NewPurchase};

fn refusal(r: EarnRefusal) -> ApiError {
    match r {
        EarnRefusal::Blocked => ApiError::Conflict(
            "This member is blocked: they cannot earn or spend points until an admin unblocks them.".into(),
        ),
        EarnRefusal::NoSuchOrder => ApiError::NotFound("No order with this number.".into()),
        EarnRefusal::ReturnTooLarge(left) => ApiError::field(
            "amount_minor",
            &format!("Only {left} (minor units) of this order is left to return."),
        ),
    }
}

async fn recalc_on_activity(state: &AppState, member_id: i64) -> ApiResult<()> {
    let s = state.store.programme_settings().await?;
    if s.tier_policy.recalculation == Recalculation::OnActivity {
        state
            .store
            .recalculate_tiers("activity", None, Some(member_id), state.store.now())
            .await?;
    }
    Ok(())
}

/// Purchases and returns typed in by an admin (not a till's API key) are
/// admin writes: they go to the audit log.
async fn audit_manual(
    state: &AppState,
    who: &Integrator,
    action: &str,
    order_ref: &str,
    after: Option<serde_json::Value>,
) -> ApiResult<()> {
    if who.api_key.is_some() {
        return Ok(());
    }
    if let Some(user) = state.store.user_by_id(who.user_id).await? {
        state
            .store
            .audit_now(crate::store::audit::AuditRecord {
                actor: &user,
                action,
                entity: "order",
                entity_id: Some(order_ref.to_string()),
                before: None,
                after,
            })
            .await?;
    }
    Ok(())
}

fn replayed(body: &str) -> ApiResult<Response> {
    let mut r: TransactionResult = serde_json::from_str(body).map_err(ApiError::internal)?;
    r.replayed = true;
    Ok((StatusCode::OK, Json(r)).into_response())
}

/// Records a purchase and earns its points under the earning rules
/// (pending for the programme's pending days, expiring by its expiry rule).
/// `order_ref` makes it idempotent: the same order again answers 200 with
/// the first result and `replayed: true`, and earns nothing more.
#[utoipa::path(post, path = "/api/v1/transactions", tag = "transactions", operation_id = "recordTransaction", request_body = TransactionRequest,
    responses((status = 201, body = TransactionResult), (status = 200, body = TransactionResult, description = "Already recorded"),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = []), ("api_key" = [])))]
pub async fn record(
    State(state): State<AppState>,
    who: Integrator,
    ApiJson(req): ApiJson<TransactionRequest>,
) -> ApiResult<Response> {
    let order_ref = req.order_ref.trim();
    let mut problems = basket_problems(&req.lines);
    if order_ref.is_empty() || order_ref.len() > 64 {
        problems.push((
            "order_ref".into(),
            "Give the order number (up to 64 characters).".into(),
        ));
    }
    let now = state.store.now();
    let at = req.purchased_at.unwrap_or(now);
    if at > now + chrono::Duration::minutes(5) {
        problems.push((
            "purchased_at".into(),
            "A purchase cannot be in the future.".into(),
        ));
    }
    ApiError::check("The transaction needs another look.", problems)?;
    let member_id = match (req.member_id, req.card_number.as_deref()) {
        (Some(id), _) => id,
        (None, Some(card)) => state
            .store
            .member_by_card(card.trim())
            .await?
            .ok_or_else(|| ApiError::NotFound("No member with this card number.".into()))?,
        (None, None) => {
            return Err(ApiError::field(
                "member_id",
                "Name the member by id or card number.",
            ))
        }
    };
    if let Some((owner, body)) = state.store.recorded_transaction(order_ref).await? {
        if owner != member_id {
            return Err(ApiError::Conflict(
                "This order number was already used for another member.".into(),
            ));
        }
        return replayed(&body.unwrap_or_default());
    }
    let member = state
        .store
        .member(member_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such member.".into()))?;
    let rules = state.store.earning_rules().await?;
    let ctx = crate::earning::context(&state.store, &member, at).await?;
    let eval = evaluate(&rules, &ctx, &req.lines);
    let bonuses: Vec<(&'static str, String, i64)> = eval
        .hits
        .iter()
        .filter_map(|h| match h.kind.as_str() {
            "sign_up" => Some((
                "sign_up",
                format!("Welcome bonus: {}", h.rule_name),
                h.points,
            )),
            "birthday" => Some((
                "birthday",
                format!("Birthday bonus: {}", h.rule_name),
                h.points,
            )),
            _ => None,
        })
        .collect();
    let bonus_points: i64 = bonuses.iter().map(|b| b.2).sum();
    let programme = state.store.programme().await?;
    let tz = zone(&programme.time_zone);
    let year_start = start_of_day(year_start(local_date(at, tz)), tz).timestamp();
    let (available, expires) = lot_dates(
        programme.expiry,
        programme.pending_days,
        at,
        zone(&programme.time_zone),
    );
    // Referral bonuses expire like points earned now.
    let (_, referral_expiry) = lot_dates(programme.expiry, 0, now, tz);
    let result = TransactionResult {
        purchase_id: 0,
        order_ref: order_ref.to_string(),
        member_id,
        amount_minor: 0,
        points: eval.member_points,
        available_at: Some(available),
        expires_at: expires,
        hits: eval.hits.clone(),
        replayed: false,
    };
    let outcome = state
        .store
        .record_purchase(
            NewPurchase {
                member_id,
                order_ref,
                lines: &req.lines,
                at: at.timestamp(),
                basket_points: eval.member_points - bonus_points,
                bonuses,
                year_start,
                available_at: available.timestamp(),
                expires_at: expires.map(|e| e.timestamp()),
                actor_user_id: who.api_key.is_none().then_some(who.user_id),
                referral: patron_core::earning::referral_terms(&rules, now).map(|terms| {
                    crate::store::referral::ReferralCredit {
                        terms,
                        now: now.timestamp(),
                        day_start: start_of_day(local_date(now, tz), tz).timestamp(),
                        expires_at: referral_expiry.map(|e| e.timestamp()),
                    }
                }),
            },
            result,
        )
        .await?
        .map_err(refusal)?;
    match outcome {
        Some(r) => {
            recalc_on_activity(&state, member_id).await?;
            audit_manual(
                &state,
                &who,
                "transaction.record",
                order_ref,
                serde_json::to_value(&r).ok(),
            )
            .await?;
            Ok((StatusCode::CREATED, Json(r)).into_response())
        }
        // Recorded by a concurrent request meanwhile.
        None => match state.store.recorded_transaction(order_ref).await? {
            Some((owner, _)) if owner != member_id => Err(ApiError::Conflict(
                "This order number was already used for another member.".into(),
            )),
            Some((_, body)) => replayed(&body.unwrap_or_default()),
            None => Err(ApiError::internal("order vanished")),
        },
    }
}

/// Records money coming back on an order and takes back its share of the
/// order's points (never more than the order earned or has left; bonuses
/// stay). Requires an `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/transactions/{order_ref}/returns", tag = "transactions", operation_id = "recordReturn", request_body = ReturnRequest,
    params(("order_ref" = String, Path, description = "The order's number"),
        ("Idempotency-Key" = String, Header, description = "One per return; reuse it when retrying", pattern = r"\S", max_length = 200)),
    responses((status = 201, body = ReturnResult), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = []), ("api_key" = [])))]
pub async fn record_return(
    State(state): State<AppState>,
    who: Integrator,
    Path(order_ref): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<ReturnRequest>,
) -> ApiResult<Response> {
    if req.amount_minor < 1 {
        return Err(ApiError::field(
            "amount_minor",
            "The returned amount must be positive.",
        ));
    }
    let key = who.key_scope(&idempotent::key(&headers, "return")?);
    let hash = idempotent::request_hash(&format!("POST /transactions/{order_ref}/returns"), &req)?;
    idempotent::once(&state, who.user_id, &key, &hash, || async {
        let (member_id, result) = state
            .store
            .record_return(
                &order_ref,
                req.amount_minor,
                who.user_id,
                &key,
                state.store.now().timestamp(),
            )
            .await?
            .map_err(refusal)?;
        recalc_on_activity(&state, member_id).await?;
        audit_manual(
            &state,
            &who,
            "transaction.return",
            &order_ref,
            serde_json::to_value(&result).ok(),
        )
        .await?;
        Ok((StatusCode::CREATED, Json(result)).into_response())
    })
    .await
}
