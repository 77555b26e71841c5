//! How a member's recorded tier moves at a recalculation: the tier the
//! window sums earn, the downgrade rule and the grace period.

use chrono::{DateTime, Utc};

use super::progress::tier_index;
use crate::summary::TierRef;

/// How a member who no longer qualifies moves down at recalculation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Downgrade {
    /// One tier per recalculation.
    DropOne,
    /// Straight to the tier the member qualifies for.
    Recalculate,
}

/// The tier index a member qualifies for from window sums: `this` (sum
/// since `from`) and, for a calendar year, `last_year`'s sum.
pub fn earned_index(tiers: &[TierRef], this: i64, last_year: Option<i64>) -> usize {
    tier_index(tiers, this).max(last_year.map_or(0, |v| tier_index(tiers, v)))
}

/// One member's tier after a recalculation at `now`.
///
/// * Qualifying for the recorded tier or higher: move there; any pending
///   downgrade is cancelled.
/// * Below it, with a grace period: the first recalculation that sees it
///   sets `downgrade_due` to now + grace and keeps the tier; one at or after
///   that date applies the downgrade.
/// * Applying: drop one tier, or straight to the qualifying tier.
///
/// Running it twice at the same instant gives the same answer.
pub fn recalculated(
    held: usize,
    earned: usize,
    rule: Downgrade,
    grace_days: i64,
    downgrade_due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> (usize, Option<DateTime<Utc>>) {
    if earned >= held {
        return (earned, None);
    }
    if grace_days > 0 {
        match downgrade_due {
            None => return (held, Some(now + chrono::Duration::days(grace_days))),
            Some(due) if now < due => return (held, Some(due)),
            Some(_) => {}
        }
    }
    let to = match rule {
        Downgrade::DropOne => held - 1,
        Downgrade::Recalculate => earned,
    };
    (to, None)
}
