use super::progress::*;
use super::recalculation::*;
use super::window::*;
use crate::summary::{TierBasis, TierRef, TierWindow};
use crate::time::zone;
use chrono::{DateTime, TimeZone, Utc};
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
