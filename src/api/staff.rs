//! `/admin/*` and `/support/*` landing facts.

use patron_core::overview::{AdminOverview, SupportOverview};

use super::{client, ApiError};

/// The programme at a glance (admins).
pub async fn admin_overview() -> Result<AdminOverview, ApiError> {
    client::get("/admin/overview").await
}

/// What the desk looks after (support and admins).
pub async fn support_overview() -> Result<SupportOverview, ApiError> {
    client::get("/support/overview").await
}
