//! Where a member stands under the tier policy and what it takes to reach
//! the next tier or keep this one, with the deadlines.

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;

use super::window::{drop_date, sum_between, value_on};
use crate::summary::{TierBasis, TierProgress, TierRef, TierWindow};
use crate::time::{end_of_day, local_date, year_end, year_start};

/// The programme's tier policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierPolicy {
    pub basis: TierBasis,
    pub window: TierWindow,
}

/// One qualifying event: points earned or an amount spent (net, signed: a
/// return or reversal is negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    pub at: DateTime<Utc>,
    pub value: i64,
}

/// The highest tier whose threshold `value` meets. `tiers` must be sorted
/// by threshold ascending, the first with threshold 0.
pub fn tier_index(tiers: &[TierRef], value: i64) -> usize {
    tiers
        .iter()
        .rposition(|t| value >= t.threshold)
        .unwrap_or(0)
}

/// Where the member stands at `now` and what it takes to move up or stay.
///
/// * Rolling N months: the tier follows today's window sum. "To next" is the
///   shortfall, due before the first of today's activity drops out (after
///   that more is needed). "To keep" is the shortfall on the first day the
///   window sum would fall below this tier's threshold without new activity,
///   due the day before.
/// * Calendar year: status earned in a year holds through the next, so the
///   tier is the better of last year's and this year's; both "to next" and
///   "to keep" are due by 31 December.
/// * Lifetime: nothing is ever lost; "to next" has no deadline.
///
/// A `locked` tier (admin lock) is shown as current regardless of activity.
pub fn progress(
    policy: TierPolicy,
    tiers: &[TierRef],
    activity: &[Activity],
    now: DateTime<Utc>,
    tz: Tz,
    locked: Option<i64>,
) -> TierProgress {
    progress_held(policy, tiers, activity, now, tz, locked, None)
}

/// [`progress`] for a member whose recorded tier is `held`: upgrades show
/// at once, but a member below the recorded tier keeps it until tier
/// recalculation moves them down (downgrade rule and grace period).
pub fn progress_held(
    policy: TierPolicy,
    tiers: &[TierRef],
    activity: &[Activity],
    now: DateTime<Utc>,
    tz: Tz,
    locked: Option<i64>,
    held: Option<i64>,
) -> TierProgress {
    assert!(!tiers.is_empty(), "a programme has at least one tier");
    let today = local_date(now, tz);
    let mut acts: Vec<(NaiveDate, i64)> = activity
        .iter()
        .map(|a| (local_date(a.at, tz), a.value))
        .collect();
    acts.sort();
    let qualifying = value_on(&acts, policy.window, today);

    let earned_idx = match policy.window {
        TierWindow::CalendarYear => {
            let last_year_end = year_start(today) - Days::new(1);
            let last = sum_between(&acts, year_start(last_year_end), last_year_end);
            tier_index(tiers, qualifying).max(tier_index(tiers, last))
        }
        _ => tier_index(tiers, qualifying),
    };
    let locked_idx = locked.and_then(|id| tiers.iter().position(|t| t.id == id));
    let held_idx = held.and_then(|id| tiers.iter().position(|t| t.id == id));
    let idx = locked_idx.unwrap_or(earned_idx.max(held_idx.unwrap_or(0)));
    let current = tiers[idx].clone();
    let next = tiers.get(idx + 1).cloned();

    let to_next = next.as_ref().map(|n| (n.threshold - qualifying).max(0));
    let next_by = match (policy.window, &next) {
        (_, None) => None,
        (TierWindow::RollingMonths { months }, Some(_)) => acts
            .iter()
            .filter(|(d, _)| *d <= today && today < drop_date(*d, months))
            .map(|(d, _)| drop_date(*d, months))
            .min()
            .map(|drop| end_of_day(drop - Days::new(1), tz)),
        (TierWindow::CalendarYear, Some(_)) => Some(end_of_day(year_end(today), tz)),
        (TierWindow::Lifetime, Some(_)) => None,
    };

    let (to_keep, keep_by) = if locked_idx.is_some() || current.threshold <= 0 {
        (None, None)
    } else {
        match policy.window {
            TierWindow::Lifetime => (None, None),
            TierWindow::CalendarYear => (
                Some((current.threshold - qualifying).max(0)),
                Some(end_of_day(year_end(today), tz)),
            ),
            TierWindow::RollingMonths { months } => {
                if qualifying < current.threshold {
                    (
                        Some(current.threshold - qualifying),
                        Some(end_of_day(today, tz)),
                    )
                } else {
                    // Walk the drop dates in order until the sum falls short.
                    let mut drops: Vec<NaiveDate> = acts
                        .iter()
                        .filter(|(d, _)| *d <= today && today < drop_date(*d, months))
                        .map(|(d, _)| drop_date(*d, months))
                        .collect();
                    drops.sort();
                    drops.dedup();
                    drops
                        .into_iter()
                        .map(|drop| (drop, value_on(&acts, policy.window, drop)))
                        .find(|(_, v)| *v < current.threshold)
                        .map(|(drop, v)| {
                            (
                                Some(current.threshold - v),
                                Some(end_of_day(drop - Days::new(1), tz)),
                            )
                        })
                        .unwrap_or((Some(0), None))
                }
            }
        }
    };

    TierProgress {
        current,
        next,
        basis: policy.basis,
        window: policy.window,
        qualifying,
        to_next,
        next_by,
        to_keep,
        keep_by,
        locked: locked_idx.is_some(),
    }
}

/// How far from the current tier's threshold to the next one the member
/// is, in whole percent (100 at the top tier).
pub fn percent_to_next(p: &TierProgress) -> u8 {
    match &p.next {
        None => 100,
        Some(next) => {
            let span = next.threshold - p.current.threshold;
            if span <= 0 {
                return 100;
            }
            let done = (p.qualifying - p.current.threshold).clamp(0, span);
            (done * 100 / span) as u8
        }
    }
}
