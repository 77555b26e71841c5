//! `/me/*`, `/rewards`, `/redemptions`, `/tiers`: the member's own data.

use patron_core::history::{LedgerFilter, LedgerPage};
use patron_core::programme::TierList;
use patron_core::rewards::{RedeemRequest, RedeemResult, RedemptionList, RewardList};
use patron_core::summary::MemberSummary;

use super::{client, ApiError};

/// Balance buckets, tier progress and recent entries.
pub async fn summary() -> Result<MemberSummary, ApiError> {
    client::get("/me/summary").await
}

fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// Entries per history page.
pub const LEDGER_PAGE: usize = 40;

/// One page of the history (after `cursor`, if given).
pub async fn ledger(filter: LedgerFilter, cursor: Option<String>) -> Result<LedgerPage, ApiError> {
    let mut q = filter.to_query();
    if !q.is_empty() {
        q.push('&');
    }
    q.push_str(&format!("limit={LEDGER_PAGE}"));
    if let Some(c) = cursor {
        q.push_str(&format!("&cursor={c}"));
    }
    client::get(&with_query("/me/ledger", &q)).await
}

/// Where the filtered history downloads as CSV (a plain link: the browser
/// sends the session cookie).
pub fn ledger_csv_url(filter: &LedgerFilter) -> String {
    client::url(&with_query("/me/ledger.csv", &filter.to_query()))
}

/// The rewards catalogue; `query` is the page's own URL query (affordable,
/// category, sort).
pub async fn rewards(query: String) -> Result<RewardList, ApiError> {
    client::get(&with_query("/rewards", &query)).await
}

/// Redeems a reward. `key` identifies the intent: reuse it on retry.
pub async fn redeem(req: RedeemRequest, key: String) -> Result<RedeemResult, ApiError> {
    client::post_with("/redemptions", &req, &[("Idempotency-Key", &key)]).await
}

/// The member's vouchers.
pub async fn redemptions() -> Result<RedemptionList, ApiError> {
    client::get("/me/redemptions").await
}

/// All tiers side by side.
pub async fn tiers() -> Result<TierList, ApiError> {
    client::get("/tiers").await
}
