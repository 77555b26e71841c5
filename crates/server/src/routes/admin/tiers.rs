//! The tier editor: tiers and policy, impact preview, save (which
//! recalculates), and recalculation on demand. Admins only.

use axum::extract::State;
use axum::Json;
use patron_core::admin::{RecalcRun, TierImpact, TierPlan, TierSetup};
use patron_core::error::ErrorEnvelope;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

async fn validate(state: &AppState, plan: &TierPlan) -> ApiResult<()> {
    let mut problems = plan.problems();
    for (i, t) in plan.tiers.iter().enumerate() {
        if let Some(id) = t.id {
            if !state.store.tier_exists(id).await? {
                problems.push((
                    format!("tiers.{i}.id"),
                    "This tier no longer exists; reload the editor.".into(),
                ));
            }
        }
    }
    let existing = state.store.admin_tiers().await?;
    for old in existing.iter().filter(|o| o.active) {
        let kept = plan.tiers.iter().any(|t| t.id == old.id);
        if !kept {
            problems.push((
                "tiers".into(),
                format!(
                    "{} is missing: deactivate a tier instead of removing it.",
                    old.name
                ),
            ));
        }
    }
    ApiError::check("The tiers need another look.", problems)
}

/// Every tier (inactive too), the policy and the last recalculation.
#[utoipa::path(get, path = "/api/v1/admin/tiers", tag = "admin", operation_id = "getTierSetup",
    responses((status = 200, body = TierSetup), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn setup(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<TierSetup>> {
    Ok(Json(state.store.tier_setup().await?))
}

/// What saving `plan` would do now: members moving up, down or staying per
/// tier, and a sample of who. Nothing is written.
#[utoipa::path(post, path = "/api/v1/admin/tiers/preview", tag = "admin", operation_id = "previewTierPlan", request_body = TierPlan,
    responses((status = 200, body = TierImpact), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn preview(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiJson(plan): ApiJson<TierPlan>,
) -> ApiResult<Json<TierImpact>> {
    validate(&state, &plan).await?;
    Ok(Json(
        state.store.tier_impact(&plan, state.store.now()).await?,
    ))
}

/// Saves the tiers and policy, then recalculates every member's tier (the
/// preview's numbers). Answers the new setup.
#[utoipa::path(put, path = "/api/v1/admin/tiers", tag = "admin", operation_id = "saveTierPlan", request_body = TierPlan,
    responses((status = 200, body = TierSetup), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn save(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(plan): ApiJson<TierPlan>,
) -> ApiResult<Json<TierSetup>> {
    validate(&state, &plan).await?;
    state.store.save_tier_plan(&plan, &user).await?;
    state
        .store
        .recalculate_tiers("tier_change", Some(user.id), None, state.store.now())
        .await?;
    Ok(Json(state.store.tier_setup().await?))
}

/// Recalculates every member's tier now under the saved policy.
#[utoipa::path(post, path = "/api/v1/admin/tiers/recalculate", tag = "admin", operation_id = "recalculateTiers",
    responses((status = 200, body = RecalcRun), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn recalculate(
    State(state): State<AppState>,
    Admin(user): Admin,
) -> ApiResult<Json<RecalcRun>> {
    let run = state
        .store
        .recalculate_tiers("manual", Some(user.id), None, state.store.now())
        .await?;
    state
        .store
        .audit_now(crate::store::audit::AuditRecord {
            actor: &user,
            action: "tier.recalculate",
            entity: "tier",
            entity_id: None,
            before: None,
            after: serde_json::to_value(&run).ok(),
        })
        .await?;
    Ok(Json(run))
}
