//! `/me/*`: the signed-in member's own data.

use patron_core::summary::MemberSummary;

use super::{client, ApiError};

/// Balance buckets, tier progress and recent entries.
pub async fn summary() -> Result<MemberSummary, ApiError> {
    client::get("/me/summary").await
}
