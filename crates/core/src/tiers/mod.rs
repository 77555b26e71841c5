//! Tiers under an explicit policy: what counts (basis), over which period
//! (window), and what it takes to reach the next tier or keep this one.

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::summary::{TierBasis, TierProgress, TierRef, TierWindow};
use crate::time::{add_months, end_of_day, local_date, year_end, year_start};

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

/// In a rolling window of `months`, activity on local date `a` counts on
/// every day before `a + months` (its drop date).
fn drop_date(a: NaiveDate, months: u32) -> NaiveDate {
    add_months(a, months as i32)
}

/// Sum of the activity whose local date falls in `[from, to]`.
fn sum_between(acts: &[(NaiveDate, i64)], from: NaiveDate, to: NaiveDate) -> i64 {
    acts.iter()
        .filter(|(d, _)| *d >= from && *d <= to)
        .map(|(_, v)| v)
        .sum()
}

/// The member's qualifying value on `today` under `window`.
fn value_on(acts: &[(NaiveDate, i64)], window: TierWindow, today: NaiveDate) -> i64 {
    match window {
        TierWindow::RollingMonths { months } => acts
            .iter()
            .filter(|(d, _)| *d <= today && today < drop_date(*d, months))
            .map(|(_, v)| v)
            .sum(),
        TierWindow::CalendarYear => sum_between(acts, year_start(today), today),
        TierWindow::Lifetime => acts
            .iter()
            .filter(|(d, _)| *d <= today)
            .map(|(_, v)| v)
            .sum(),
    }
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

/// How a member who no longer qualifies moves down at recalculation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Downgrade {
    /// One tier per recalculation.
    DropOne,
    /// Straight to the tier the member qualifies for.
    Recalculate,
}

/// The instants that bound a window's sums at `now`: activity at or after
/// `from` (and not after `now`) counts; for a calendar year, `last_year` is
/// last year's `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowBounds {
    pub from: Option<DateTime<Utc>>,
    pub last_year: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// The bounds of `window` at `now`, exactly as [`progress`] counts: in a
/// rolling window activity on local date `a` counts while
/// `today < a + months`, so the first counting date is found from the
/// clamped month arithmetic rather than approximated.
pub fn window_bounds(window: TierWindow, now: DateTime<Utc>, tz: Tz) -> WindowBounds {
    use crate::time::start_of_day;
    let today = local_date(now, tz);
    match window {
        TierWindow::Lifetime => WindowBounds {
            from: None,
            last_year: None,
        },
        TierWindow::CalendarYear => {
            let start = year_start(today);
            let last_start = year_start(start - Days::new(1));
            WindowBounds {
                from: Some(start_of_day(start, tz)),
                last_year: Some((start_of_day(last_start, tz), start_of_day(start, tz))),
            }
        }
        TierWindow::RollingMonths { months } => {
            // add_months is monotonic, so the counting dates are an up-set:
            // walk from a few days before today − months to the first one.
            let mut a = add_months(today, -(months as i32)) - Days::new(4);
            while today >= drop_date(a, months) {
                a = a + Days::new(1);
            }
            WindowBounds {
                from: Some(start_of_day(a, tz)),
                last_year: None,
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::zone;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn tiers() -> Vec<TierRef> {
        [("Bronze", 0), ("Silver", 1000), ("Gold", 5000)]
            .iter()
            .enumerate()
            .map(|(i, (n, t))| TierRef {
                id: i as i64 + 1,
                name: n.to_string(),
                threshold: *t,
                colour: "#000".into(),
            })
            .collect()
    }

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    fn rolling() -> TierPolicy {
        TierPolicy {
            basis: TierBasis::PointsEarned,
            window: TierWindow::RollingMonths { months: 12 },
        }
    }

    #[test]
    fn exactly_at_threshold_reaches_the_tier() {
        let acts = [Activity {
            at: at(2026, 5, 1),
            value: 1000,
        }];
        let p = progress(
            rolling(),
            &tiers(),
            &acts,
            at(2026, 6, 1),
            zone("UTC"),
            None,
        );
        assert_eq!(p.current.name, "Silver");
        assert_eq!(p.to_next, Some(4000));
        let p = progress(
            rolling(),
            &tiers(),
            &[Activity {
                at: at(2026, 5, 1),
                value: 999,
            }],
            at(2026, 6, 1),
            zone("UTC"),
            None,
        );
        assert_eq!(p.current.name, "Bronze");
        assert_eq!(p.to_next, Some(1));
    }

    #[test]
    fn rolling_window_edge_drops_old_activity() {
        let acts = [
            Activity {
                at: at(2025, 6, 1),
                value: 800,
            },
            Activity {
                at: at(2026, 3, 1),
                value: 400,
            },
        ];
        let tz = zone("UTC");
        // On 31 May 2026 both count (12 months from 1 June 2025 ends 31 May 2026).
        let p = progress(rolling(), &tiers(), &acts, at(2026, 5, 31), tz, None);
        assert_eq!(p.qualifying, 1200);
        assert_eq!(p.current.name, "Silver");
        // Keeping Silver: on 1 June 2026 the 800 drops, leaving 400: need 600 by 31 May.
        assert_eq!(p.to_keep, Some(600));
        assert_eq!(p.keep_by.unwrap().to_rfc3339(), "2026-05-31T23:59:59+00:00");
        assert_eq!(p.next_by.unwrap().to_rfc3339(), "2026-05-31T23:59:59+00:00");
        // On 1 June 2026 the old activity is out.
        let p = progress(rolling(), &tiers(), &acts, at(2026, 6, 1), tz, None);
        assert_eq!(p.qualifying, 400);
        assert_eq!(p.current.name, "Bronze");
        assert_eq!(p.to_keep, None);
    }

    #[test]
    fn deadlines_are_end_of_day_in_programme_zone() {
        let acts = [Activity {
            at: at(2026, 2, 10),
            value: 1500,
        }];
        let p = progress(
            rolling(),
            &tiers(),
            &acts,
            at(2026, 3, 1),
            zone("Asia/Shanghai"),
            None,
        );
        // Drops on 10 Feb 2027: keep by 9 Feb 2027 23:59:59 in Shanghai (UTC+8).
        assert_eq!(p.keep_by.unwrap().to_rfc3339(), "2027-02-09T15:59:59+00:00");
        assert_eq!(p.to_keep, Some(1000));
    }

    #[test]
    fn calendar_year_status_holds_through_next_year() {
        let policy = TierPolicy {
            basis: TierBasis::AmountSpent,
            window: TierWindow::CalendarYear,
        };
        let acts = [
            Activity {
                at: at(2025, 11, 1),
                value: 6000,
            },
            Activity {
                at: at(2026, 2, 1),
                value: 1200,
            },
        ];
        let p = progress(policy, &tiers(), &acts, at(2026, 4, 1), zone("UTC"), None);
        assert_eq!(p.current.name, "Gold");
        assert_eq!(p.qualifying, 1200);
        assert_eq!(p.next, None);
        assert_eq!(p.to_keep, Some(3800));
        assert_eq!(p.keep_by.unwrap().to_rfc3339(), "2026-12-31T23:59:59+00:00");
    }

    #[test]
    fn lifetime_window_never_needs_keeping() {
        let policy = TierPolicy {
            basis: TierBasis::PointsEarned,
            window: TierWindow::Lifetime,
        };
        let acts = [Activity {
            at: at(2010, 1, 1),
            value: 1000,
        }];
        let p = progress(policy, &tiers(), &acts, at(2026, 4, 1), zone("UTC"), None);
        assert_eq!(p.current.name, "Silver");
        assert_eq!((p.to_keep, p.keep_by, p.next_by), (None, None, None));
        assert_eq!(p.to_next, Some(4000));
    }

    #[test]
    fn percent_to_next_spans_current_to_next_threshold() {
        let at_value = |v| {
            let acts = [Activity {
                at: at(2026, 5, 1),
                value: v,
            }];
            percent_to_next(&progress(
                rolling(),
                &tiers(),
                &acts,
                at(2026, 6, 1),
                zone("UTC"),
                None,
            ))
        };
        assert_eq!(at_value(0), 0);
        assert_eq!(at_value(500), 50);
        assert_eq!(at_value(3000), 50); // Silver 1000 → Gold 5000
        assert_eq!(at_value(9000), 100); // top tier
    }

    #[test]
    fn a_locked_tier_wins_over_activity() {
        let p = progress(
            rolling(),
            &tiers(),
            &[],
            at(2026, 4, 1),
            zone("UTC"),
            Some(3),
        );
        assert_eq!(p.current.name, "Gold");
        assert!(p.locked);
        assert_eq!(p.to_keep, None);
    }

    #[test]
    fn window_bounds_agree_with_progress_at_the_edge() {
        let tz = zone("Asia/Shanghai");
        for (y, m, d) in [
            (2026, 5, 31),
            (2026, 3, 1),
            (2026, 2, 28),
            (2024, 2, 29),
            (2026, 1, 1),
        ] {
            let now = at(y, m, d);
            let b = window_bounds(TierWindow::RollingMonths { months: 12 }, now, tz);
            let from = b.from.unwrap();
            // Activity one second before `from` does not count; at `from` it does.
            for (when, counts) in [(from - chrono::Duration::seconds(1), false), (from, true)] {
                let p = progress(
                    rolling(),
                    &tiers(),
                    &[Activity {
                        at: when,
                        value: 1000,
                    }],
                    now,
                    tz,
                    None,
                );
                assert_eq!(p.qualifying == 1000, counts, "{y}-{m}-{d} at {when}");
            }
        }
    }

    #[test]
    fn recalculation_moves_down_by_rule_after_grace() {
        let now = at(2026, 5, 1);
        assert_eq!(
            recalculated(1, 2, Downgrade::DropOne, 30, None, now),
            (2, None)
        );
        assert_eq!(
            recalculated(3, 0, Downgrade::DropOne, 0, None, now),
            (2, None)
        );
        assert_eq!(
            recalculated(3, 0, Downgrade::Recalculate, 0, None, now),
            (0, None)
        );
        let due = now + chrono::Duration::days(30);
        assert_eq!(
            recalculated(3, 0, Downgrade::Recalculate, 30, None, now),
            (3, Some(due))
        );
        assert_eq!(
            recalculated(3, 0, Downgrade::Recalculate, 30, Some(due), now),
            (3, Some(due)),
            "idempotent"
        );
        assert_eq!(
            recalculated(3, 0, Downgrade::Recalculate, 30, Some(due), due),
            (0, None)
        );
        assert_eq!(
            recalculated(3, 3, Downgrade::Recalculate, 30, Some(due), now),
            (3, None),
            "requalifying cancels"
        );
    }

    #[test]
    fn a_held_tier_shows_until_recalculation() {
        let acts = [Activity {
            at: at(2026, 5, 1),
            value: 1200,
        }];
        let p = progress_held(
            rolling(),
            &tiers(),
            &acts,
            at(2026, 5, 2),
            zone("UTC"),
            None,
            Some(3),
        );
        assert_eq!(p.current.name, "Gold");
        let p = progress_held(
            rolling(),
            &tiers(),
            &acts,
            at(2026, 5, 2),
            zone("UTC"),
            None,
            Some(1),
        );
        assert_eq!(p.current.name, "Silver", "upgrades show at once");
    }

    proptest! {
        /// The tier is the highest whose threshold the value meets, and the
        /// shortfall to next is exactly what reaches it.
        #[test]
        fn to_next_reaches_next_tier(values in proptest::collection::vec(0..3000i64, 0..10)) {
            let now = at(2026, 6, 15);
            let acts: Vec<Activity> = values.iter().enumerate()
                .map(|(i, v)| Activity { at: now - chrono::Duration::days(i as i64 * 20), value: *v })
                .collect();
            let tz = zone("Europe/Berlin");
            let p = progress(rolling(), &tiers(), &acts, now, tz, None);
            prop_assert!(p.qualifying >= p.current.threshold);
            if let (Some(next), Some(gap)) = (p.next.clone(), p.to_next) {
                prop_assert!(p.qualifying < next.threshold);
                let mut more = acts.clone();
                more.push(Activity { at: now, value: gap });
                let q = progress(rolling(), &tiers(), &more, now, tz, None);
                prop_assert!(q.current.threshold >= next.threshold);
            }
            if let Some(keep) = p.to_keep {
                if keep > 0 {
                    // Earning `keep` today keeps the tier through the keep date.
                    let by = p.keep_by.unwrap();
                    let mut more = acts.clone();
                    more.push(Activity { at: now, value: keep });
                    let q = progress(rolling(), &tiers(), &more, by, tz, None);
                    prop_assert!(q.current.threshold >= p.current.threshold);
                    // And the day after the deadline, without it, the tier is lost.
                    let r = progress(rolling(), &tiers(), &acts, by + chrono::Duration::seconds(1), tz, None);
                    prop_assert!(r.current.threshold < p.current.threshold);
                }
            }
        }
    }
}
