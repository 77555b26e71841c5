//! Earning rules and the simulator. Admins only.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use patron_core::admin::{RuleList, SimulateRequest, Simulation};
use patron_core::earning::{evaluate, BasketLine, EarningRule, RuleDraft};
use patron_core::error::ErrorEnvelope;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::ApiJson;
use crate::state::AppState;

/// Problems with a basket: field → message.
pub fn basket_problems(lines: &[BasketLine]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if lines.is_empty() {
        out.push((
            "lines".into(),
            "Add at least one line to the basket.".into(),
        ));
    }
    if lines.len() > 200 {
        out.push(("lines".into(), "A basket has at most 200 lines.".into()));
    }
    for (i, l) in lines.iter().enumerate() {
        if l.category.trim().is_empty() || l.category.len() > 40 {
            out.push((
                format!("lines.{i}.category"),
                "Name the line's category (up to 40 characters).".into(),
            ));
        }
        if !(1..=10_000_000_000).contains(&l.amount_minor) {
            out.push((
                format!("lines.{i}.amount_minor"),
                "A line's amount must be positive.".into(),
            ));
        }
    }
    out
}

/// Every rule in evaluation order, and the categories seen in purchases.
#[utoipa::path(get, path = "/api/v1/admin/earning-rules", tag = "admin", operation_id = "listEarningRules",
    responses((status = 200, body = RuleList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn list(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<RuleList>> {
    Ok(Json(RuleList {
        rules: state.store.earning_rules().await?,
        categories: state.store.categories().await?,
    }))
}

/// Creates a rule.
#[utoipa::path(post, path = "/api/v1/admin/earning-rules", tag = "admin", operation_id = "createEarningRule", request_body = RuleDraft,
    responses((status = 201, body = EarningRule), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(draft): ApiJson<RuleDraft>,
) -> ApiResult<(StatusCode, Json<EarningRule>)> {
    ApiError::check("The rule needs another look.", draft.problems())?;
    let rule = state
        .store
        .save_rule(None, draft, &user)
        .await?
        .ok_or_else(|| ApiError::internal("created rule vanished"))?;
    Ok((StatusCode::CREATED, Json(rule)))
}

/// Replaces a rule.
#[utoipa::path(put, path = "/api/v1/admin/earning-rules/{id}", tag = "admin", operation_id = "updateEarningRule", request_body = RuleDraft,
    params(("id" = i64, Path, description = "Rule id")),
    responses((status = 200, body = EarningRule), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(draft): ApiJson<RuleDraft>,
) -> ApiResult<Json<EarningRule>> {
    let id = parse_id(&id, "rule")?;
    ApiError::check("The rule needs another look.", draft.problems())?;
    state
        .store
        .save_rule(Some(id), draft, &user)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("No such rule.".into()))
}

/// Deletes a rule (past points stay as they were earned).
#[utoipa::path(delete, path = "/api/v1/admin/earning-rules/{id}", tag = "admin", operation_id = "deleteEarningRule",
    params(("id" = i64, Path, description = "Rule id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id(&id, "rule")?;
    if state.store.delete_rule(id, &user).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("No such rule.".into()))
    }
}

/// Which rules fire for a member and a basket (or one of their past
/// orders), and the points each gives — against the saved rules or an
/// unsaved set. Nothing is written. `POST /transactions` with the same
/// member, basket and instant earns exactly these points.
#[utoipa::path(post, path = "/api/v1/admin/earning-rules/simulate", tag = "admin", operation_id = "simulateEarning", request_body = SimulateRequest,
    responses((status = 200, body = Simulation), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn simulate(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiJson(req): ApiJson<SimulateRequest>,
) -> ApiResult<Json<Simulation>> {
    let member = state
        .store
        .member(req.member_id)
        .await?
        .ok_or_else(|| ApiError::field("member_id", "No member with this id."))?;
    let (at, lines) = match req
        .order_ref
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(order) => {
            let (at, lines) = state
                .store
                .order_lines(member.id, order)
                .await?
                .ok_or_else(|| {
                    ApiError::field("order_ref", "This member has no order with that number.")
                })?;
            (req.at.unwrap_or_else(|| crate::store::ts(at)), lines)
        }
        None => {
            ApiError::check(
                "The basket needs another look.",
                basket_problems(&req.lines),
            )?;
            (
                req.at.unwrap_or_else(|| state.store.now()),
                req.lines.clone(),
            )
        }
    };
    let rules = match req.rules {
        Some(r) => {
            let problems: Vec<(String, String)> = r
                .iter()
                .filter_map(|x| {
                    x.rule
                        .problem()
                        .map(|p| (format!("rules.{}", x.id), p.to_string()))
                })
                .collect();
            ApiError::check("A rule being tried needs another look.", problems)?;
            r
        }
        None => state.store.earning_rules().await?,
    };
    let ctx = crate::earning::context(&state.store, &member, at).await?;
    Ok(Json(Simulation {
        member_name: member.name,
        tier: ctx.tier_name.clone(),
        evaluation: evaluate(&rules, &ctx, &lines),
        lines,
    }))
}
