//! Landing facts for the admin console and the support desk.

use axum::extract::State;
use axum::Json;
use patron_core::auth::Role;
use patron_core::error::ErrorEnvelope;
use patron_core::overview::{AdminOverview, SupportOverview};

use crate::auth::{Admin, Staff};
use crate::error::ApiResult;
use crate::state::AppState;

/// The programme at a glance. Admins only.
#[utoipa::path(get, path = "/api/v1/admin/overview", tag = "admin", operation_id = "getAdminOverview",
    responses((status = 200, body = AdminOverview), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn admin_overview(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> ApiResult<Json<AdminOverview>> {
    let programme = state.store.programme().await?;
    let since = state.store.now().timestamp() - 90 * 86_400;
    let (members, active) = state.store.member_counts(since).await?;
    let outstanding = state.store.outstanding_points().await?;
    Ok(Json(AdminOverview {
        programme_name: programme.name,
        currency: programme.currency,
        members,
        active_members_90d: active,
        tiers: state.store.members_per_tier().await?,
        outstanding_points: outstanding,
        liability_minor: outstanding * programme.point_value_centi_minor / 100,
    }))
}

/// What the desk looks after. Support agents and admins.
#[utoipa::path(get, path = "/api/v1/support/overview", tag = "support", operation_id = "getSupportOverview",
    responses((status = 200, body = SupportOverview), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn support_overview(
    State(state): State<AppState>,
    Staff(_): Staff,
) -> ApiResult<Json<SupportOverview>> {
    let programme = state.store.programme().await?;
    let (members, _) = state.store.member_counts(0).await?;
    Ok(Json(SupportOverview {
        programme_name: programme.name,
        members,
        staff_on_desk: state.store.count_staff(Role::Support).await?,
    }))
}
