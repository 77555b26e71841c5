//! What every part of the desk's endpoints uses: the time, the audit
//! record of an admin's settings write, and the answer to a version
//! conflict.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(super) fn now(state: &AppState) -> i64 {
    state.store.now().timestamp()
}

/// Records an admin's desk-settings write in the audit log.
pub(super) async fn audit(
    state: &AppState,
    user: &crate::store::users::UserRow,
    action: &str,
    entity: &str,
    id: Option<i64>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> ApiResult<()> {
    state
        .store
        .audit_now(crate::store::audit::AuditRecord {
            actor: user,
            action,
            entity,
            entity_id: id.map(|i| i.to_string()),
            before,
            after,
        })
        .await?;
    Ok(())
}

pub(super) fn changed_elsewhere() -> ApiError {
    ApiError::Conflict(
        "Someone else changed this ticket since you opened it. Reload to see their change, then try again.".into(),
    )
}
