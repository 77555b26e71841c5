//! The admin console's endpoints.

use patron_core::admin::{
    AdjustmentRequest, AdjustmentResult, AdminRedemption, AdminReward, ApiKeyInfo, AuditPage,
    BlockRequest, MemberPage, MemberProfileAdmin, MemberQuery, NewApiKey, NewStaff, PasswordReset,
    ProgrammeSettings, RecalcRun, RedemptionStatusChange, RewardDraft, RuleList, SimulateRequest,
    Simulation, StaffAccount, StaffActive, StaffList, TierImpact, TierLockRequest, TierPlan,
    TierSetup, TransactionRequest, TransactionResult,
};
use patron_core::earning::{EarningRule, RuleDraft};

use super::{client, ApiError};

pub async fn settings() -> Result<ProgrammeSettings, ApiError> {
    client::get("/admin/programme").await
}

pub async fn save_settings(s: ProgrammeSettings) -> Result<ProgrammeSettings, ApiError> {
    client::put("/admin/programme", &s).await
}

pub async fn tiers() -> Result<TierSetup, ApiError> {
    client::get("/admin/tiers").await
}

pub async fn preview_tiers(plan: TierPlan) -> Result<TierImpact, ApiError> {
    client::post("/admin/tiers/preview", &plan).await
}

pub async fn save_tiers(plan: TierPlan) -> Result<TierSetup, ApiError> {
    client::put("/admin/tiers", &plan).await
}

pub async fn recalculate() -> Result<RecalcRun, ApiError> {
    client::post("/admin/tiers/recalculate", &()).await
}

pub async fn rules() -> Result<RuleList, ApiError> {
    client::get("/admin/earning-rules").await
}

/// Creates (`id = None`) or replaces a rule.
pub async fn save_rule(id: Option<i64>, d: RuleDraft) -> Result<EarningRule, ApiError> {
    match id {
        Some(id) => client::put(&format!("/admin/earning-rules/{id}"), &d).await,
        None => client::post("/admin/earning-rules", &d).await,
    }
}

pub async fn delete_rule(id: i64) -> Result<(), ApiError> {
    client::delete(&format!("/admin/earning-rules/{id}")).await
}

pub async fn simulate(req: SimulateRequest) -> Result<Simulation, ApiError> {
    client::post("/admin/earning-rules/simulate", &req).await
}

pub async fn record_transaction(req: TransactionRequest) -> Result<TransactionResult, ApiError> {
    client::post("/transactions", &req).await
}

pub async fn members(q: MemberQuery) -> Result<MemberPage, ApiError> {
    let mut qs = q.to_query();
    if q.offset > 0 {
        if !qs.is_empty() {
            qs.push('&');
        }
        qs.push_str(&format!("offset={}", q.offset));
    }
    client::get(&format!("/admin/members?{qs}")).await
}

pub async fn member(id: i64) -> Result<MemberProfileAdmin, ApiError> {
    client::get(&format!("/admin/members/{id}")).await
}

pub async fn adjust(
    id: i64,
    req: AdjustmentRequest,
    key: String,
) -> Result<AdjustmentResult, ApiError> {
    client::post_with(
        &format!("/admin/members/{id}/adjustments"),
        &req,
        &[("Idempotency-Key", &key)],
    )
    .await
}

pub async fn block(id: i64, req: BlockRequest) -> Result<MemberProfileAdmin, ApiError> {
    client::put(&format!("/admin/members/{id}/block"), &req).await
}

pub async fn tier_lock(id: i64, req: TierLockRequest) -> Result<MemberProfileAdmin, ApiError> {
    client::put(&format!("/admin/members/{id}/tier-lock"), &req).await
}

pub async fn rewards() -> Result<Vec<AdminReward>, ApiError> {
    client::get("/admin/rewards").await
}

/// Creates (`id = None`) or replaces a reward.
pub async fn save_reward(id: Option<i64>, d: RewardDraft) -> Result<AdminReward, ApiError> {
    match id {
        Some(id) => client::put(&format!("/admin/rewards/{id}"), &d).await,
        None => client::post("/admin/rewards", &d).await,
    }
}

pub async fn redemptions(
    reward: Option<i64>,
    status: Option<String>,
) -> Result<Vec<AdminRedemption>, ApiError> {
    let mut qs = Vec::new();
    if let Some(r) = reward {
        qs.push(format!("reward={r}"));
    }
    if let Some(s) = status {
        qs.push(format!("status={s}"));
    }
    client::get(&format!("/admin/redemptions?{}", qs.join("&"))).await
}

pub async fn set_redemption_status(id: i64, status: &str) -> Result<(), ApiError> {
    client::patch_no_content(
        &format!("/admin/redemptions/{id}"),
        &RedemptionStatusChange {
            status: status.to_string(),
        },
    )
    .await
}

/// The audit log with filters as a query string (no `?`).
pub async fn audit(query: String) -> Result<AuditPage, ApiError> {
    client::get(&format!("/admin/audit?{query}")).await
}

pub async fn staff() -> Result<StaffList, ApiError> {
    client::get("/admin/staff").await
}

pub async fn create_staff(s: NewStaff) -> Result<StaffAccount, ApiError> {
    client::post("/admin/staff", &s).await
}

pub async fn reset_password(id: i64, password: String) -> Result<(), ApiError> {
    client::post_no_content(
        &format!("/admin/staff/{id}/password"),
        &PasswordReset { password },
    )
    .await
}

pub async fn set_staff_active(id: i64, active: bool) -> Result<StaffAccount, ApiError> {
    client::put(
        &format!("/admin/staff/{id}/active"),
        &StaffActive { active },
    )
    .await
}

pub async fn api_keys() -> Result<Vec<ApiKeyInfo>, ApiError> {
    client::get("/admin/api-keys").await
}

pub async fn create_api_key(name: String) -> Result<ApiKeyInfo, ApiError> {
    client::post("/admin/api-keys", &NewApiKey { name }).await
}

pub async fn revoke_api_key(id: i64) -> Result<(), ApiError> {
    client::delete(&format!("/admin/api-keys/{id}")).await
}

/// The expiry job's last run and what lapses next.
pub async fn expiry() -> Result<patron_core::expiry::ExpiryOverview, ApiError> {
    client::get("/admin/expiry").await
}

/// "Run now": the finished run, or the one still going.
pub async fn run_expiry() -> Result<patron_core::expiry::ExpiryRun, ApiError> {
    client::post("/admin/expiry/runs", &()).await
}
