//! The SLA policy: read by staff, replaced by admins (audited).

use axum::extract::State;
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::support::SlaPolicy;

use super::common::{audit, now};
use crate::auth::{Admin, Staff};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// The SLA policy: targets per priority, "due soon" window, VIP rule.
#[utoipa::path(get, path = "/api/v1/support/sla-policy", tag = "support", operation_id = "getSlaPolicy",
    responses((status = 200, body = SlaPolicy), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn sla_policy(
    State(state): State<AppState>,
    Staff(_): Staff,
) -> ApiResult<Json<SlaPolicy>> {
    Ok(Json(state.store.sla_policy().await?))
}

/// Replaces the SLA policy; open tickets' deadlines follow. Admins only.
#[utoipa::path(put, path = "/api/v1/admin/sla-policy", tag = "admin", operation_id = "setSlaPolicy", request_body = SlaPolicy,
    responses((status = 200, body = SlaPolicy), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn set_sla_policy(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(mut p): ApiJson<SlaPolicy>,
) -> ApiResult<Json<SlaPolicy>> {
    p.targets.sort_by_key(|t| t.priority);
    let mut fields = p.problems();
    if let Some(rank) = p.vip_min_rank {
        if rank as usize >= state.store.tiers().await?.len() {
            fields.insert("vip_min_rank".into(), "Choose one of the tiers.".into());
        }
    }
    if !fields.is_empty() {
        return Err(ApiError::Validation {
            message: "The SLA policy needs another look.".into(),
            fields,
        });
    }
    let before = state.store.sla_policy().await?;
    state.store.set_sla_policy(&p, now(&state)).await?;
    let after = state.store.sla_policy().await?;
    audit(
        &state,
        &user,
        "sla_policy.update",
        "sla_policy",
        None,
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&after).ok(),
    )
    .await?;
    Ok(Json(after))
}
