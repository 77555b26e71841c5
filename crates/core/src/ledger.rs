//! The points ledger as pure rules. Earned points form lots; spending and
//! expiry consume lots (soonest expiry first) by allocations, so every
//! negative entry is tied to the lots it used and nothing is counted twice.

use chrono::{DateTime, Duration, Utc};

use crate::summary::{BalanceBuckets, EntryKind, LotState};

/// A lot of earned points and how much of it has been used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lot {
    /// The id of the earning entry.
    pub id: i64,
    /// Points earned (> 0).
    pub points: i64,
    /// Points already consumed by spends, expiry or reversals.
    pub used: i64,
    /// The part of `used` that expired.
    pub expired: i64,
    /// Spendable from this instant on (the pending period ends).
    pub available_at: DateTime<Utc>,
    /// What is left expires at this instant; `None`: never.
    pub expires_at: Option<DateTime<Utc>>,
}

impl Lot {
    /// Points left in the lot.
    pub fn remaining(&self) -> i64 {
        self.points - self.used
    }

    /// Where the lot stands at `now`.
    pub fn state(&self, now: DateTime<Utc>) -> LotState {
        if self.remaining() <= 0 {
            if self.expired > 0 {
                LotState::Expired
            } else {
                LotState::Spent
            }
        } else if self.expires_at.is_some_and(|e| e <= now) {
            LotState::Expired
        } else if self.available_at > now {
            LotState::Pending
        } else {
            LotState::Active
        }
    }

    /// Whether its points can be spent at `now`.
    pub fn spendable(&self, now: DateTime<Utc>) -> bool {
        self.state(now) == LotState::Active
    }
}

/// Points taken from one lot by one debit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    pub lot_id: i64,
    pub points: i64,
}

/// Why a debit cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpendError {
    /// Amount must be positive.
    NotPositive,
    /// Not enough spendable points.
    Insufficient { available: i64 },
}

/// Consumption order: soonest expiry first, never-expiring last, then oldest.
fn by_expiry(a: &Lot, b: &Lot) -> std::cmp::Ordering {
    let key = |l: &Lot| (l.expires_at.is_none(), l.expires_at, l.available_at, l.id);
    key(a).cmp(&key(b))
}

/// Spendable points at `now`.
pub fn available(lots: &[Lot], now: DateTime<Utc>) -> i64 {
    lots.iter()
        .filter(|l| l.spendable(now))
        .map(Lot::remaining)
        .sum()
}

/// Plans a debit of `amount` points: which lots it consumes, soonest-expiring
/// first. Pending and expired lots are never touched. Refuses to overdraw.
pub fn plan_debit(
    lots: &[Lot],
    amount: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Allocation>, SpendError> {
    if amount <= 0 {
        return Err(SpendError::NotPositive);
    }
    let have = available(lots, now);
    if have < amount {
        return Err(SpendError::Insufficient { available: have });
    }
    let mut spendable: Vec<&Lot> = lots.iter().filter(|l| l.spendable(now)).collect();
    spendable.sort_by(|a, b| by_expiry(a, b));
    let mut left = amount;
    let mut out = Vec::new();
    for lot in spendable {
        if left == 0 {
            break;
        }
        let take = lot.remaining().min(left);
        out.push(Allocation {
            lot_id: lot.id,
            points: take,
        });
        left -= take;
    }
    debug_assert_eq!(left, 0);
    Ok(out)
}

/// The expiry entries due at `now`: what is left of each lot past its date.
pub fn plan_expiry(lots: &[Lot], now: DateTime<Utc>) -> Vec<Allocation> {
    lots.iter()
        .filter(|l| l.remaining() > 0 && l.state(now) == LotState::Expired)
        .map(|l| Allocation {
            lot_id: l.id,
            points: l.remaining(),
        })
        .collect()
}

/// Signed point totals per entry kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindTotals {
    pub earn: i64,
    pub spend: i64,
    pub adjust: i64,
    pub expire: i64,
    pub reverse: i64,
}

impl KindTotals {
    /// Adds one entry's points under its kind.
    pub fn add(&mut self, kind: EntryKind, points: i64) {
        match kind {
            EntryKind::Earn => self.earn += points,
            EntryKind::Spend => self.spend += points,
            EntryKind::Adjust => self.adjust += points,
            EntryKind::Expire => self.expire += points,
            EntryKind::Reverse => self.reverse += points,
        }
    }

    /// The balance: the sum of all entries.
    pub fn balance(&self) -> i64 {
        self.earn + self.spend + self.adjust + self.expire + self.reverse
    }
}

/// How far ahead "expiring soon" looks.
pub const EXPIRING_SOON_DAYS: i64 = 30;

/// The dashboard's buckets from the member's lots and per-kind totals.
pub fn buckets(lots: &[Lot], totals: &KindTotals, now: DateTime<Utc>) -> BalanceBuckets {
    let horizon = now + Duration::days(EXPIRING_SOON_DAYS);
    let mut available = 0;
    let mut pending = 0;
    let mut expiring_soon = 0;
    let mut expiring_soon_at: Option<DateTime<Utc>> = None;
    for lot in lots {
        match lot.state(now) {
            LotState::Active => {
                available += lot.remaining();
                if let Some(e) = lot.expires_at.filter(|e| *e <= horizon) {
                    expiring_soon += lot.remaining();
                    expiring_soon_at = Some(expiring_soon_at.map_or(e, |x| x.min(e)));
                }
            }
            LotState::Pending => pending += lot.remaining(),
            LotState::Spent | LotState::Expired => {}
        }
    }
    BalanceBuckets {
        balance: totals.balance(),
        available,
        pending,
        expiring_soon,
        expiring_soon_at,
        lifetime_earned: totals.earn,
        spent: -totals.spend,
        expired: -totals.expire,
        adjusted: totals.adjust + totals.reverse,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn t(day: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::days(day)
    }

    fn lot(id: i64, points: i64, avail_day: i64, expire_day: Option<i64>) -> Lot {
        Lot {
            id,
            points,
            used: 0,
            expired: 0,
            available_at: t(avail_day),
            expires_at: expire_day.map(t),
        }
    }

    #[test]
    fn debit_takes_soonest_expiring_first() {
        let lots = vec![
            lot(1, 100, 0, Some(300)),
            lot(2, 50, 0, Some(100)),
            lot(3, 70, 0, None),
        ];
        let plan = plan_debit(&lots, 120, t(10)).unwrap();
        assert_eq!(
            plan,
            vec![
                Allocation {
                    lot_id: 2,
                    points: 50
                },
                Allocation {
                    lot_id: 1,
                    points: 70
                }
            ]
        );
    }

    #[test]
    fn pending_points_cannot_be_spent() {
        let lots = vec![lot(1, 100, 0, None), lot(2, 500, 20, None)];
        assert_eq!(
            plan_debit(&lots, 150, t(10)),
            Err(SpendError::Insufficient { available: 100 })
        );
        // Once the return period is over they can.
        assert!(plan_debit(&lots, 150, t(20)).is_ok());
    }

    #[test]
    fn expired_points_cannot_be_spent_and_are_planned_for_expiry() {
        let lots = vec![lot(1, 100, 0, Some(5)), lot(2, 40, 0, None)];
        assert_eq!(available(&lots, t(5)), 40);
        assert_eq!(
            plan_expiry(&lots, t(5)),
            vec![Allocation {
                lot_id: 1,
                points: 100
            }]
        );
        assert!(plan_expiry(&lots, t(4)).is_empty());
    }

    #[test]
    fn zero_or_negative_debits_are_refused() {
        let lots = vec![lot(1, 100, 0, None)];
        assert_eq!(plan_debit(&lots, 0, t(1)), Err(SpendError::NotPositive));
        assert_eq!(plan_debit(&lots, -5, t(1)), Err(SpendError::NotPositive));
    }

    #[test]
    fn buckets_split_available_pending_and_expiring_soon() {
        let mut lots = vec![
            lot(1, 100, 0, Some(40)), // expires within 30 days of day 15
            lot(2, 60, 0, Some(400)),
            lot(3, 25, 30, None), // pending until day 30
        ];
        lots[1].used = 10;
        let mut totals = KindTotals::default();
        totals.add(EntryKind::Earn, 185);
        totals.add(EntryKind::Spend, -10);
        let b = buckets(&lots, &totals, t(15));
        assert_eq!(b.available, 150);
        assert_eq!(b.pending, 25);
        assert_eq!(b.expiring_soon, 100);
        assert_eq!(b.expiring_soon_at, Some(t(40)));
        assert_eq!(b.balance, 175);
        assert_eq!(b.balance, b.available + b.pending);
        assert_eq!(b.spent, 10);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Earn {
            points: i64,
            pending_days: i64,
            expiry_days: Option<i64>,
        },
        Spend {
            points: i64,
        },
        Advance {
            days: i64,
        },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1..500i64, 0..30i64, proptest::option::of(1..400i64)).prop_map(
                |(points, pending_days, expiry_days)| Op::Earn {
                    points,
                    pending_days,
                    expiry_days
                }
            ),
            (1..800i64).prop_map(|points| Op::Spend { points }),
            (0..60i64).prop_map(|days| Op::Advance { days }),
        ]
    }

    proptest! {
        /// Replays random earn/spend/time sequences through the rules with
        /// expiry processed as time passes, and checks the invariants.
        #[test]
        fn ledger_invariants(ops in proptest::collection::vec(op(), 1..60)) {
            let mut now = t(0);
            let mut lots: Vec<Lot> = Vec::new();
            let mut totals = KindTotals::default();
            for op in ops {
                match op {
                    Op::Earn { points, pending_days, expiry_days } => {
                        let id = lots.len() as i64 + 1;
                        lots.push(Lot {
                            id, points, used: 0, expired: 0,
                            available_at: now + Duration::days(pending_days),
                            expires_at: expiry_days.map(|d| now + Duration::days(d)),
                        });
                        totals.add(EntryKind::Earn, points);
                    }
                    Op::Spend { points } => {
                        let before = available(&lots, now);
                        match plan_debit(&lots, points, now) {
                            Ok(plan) => {
                                prop_assert!(points <= before);
                                prop_assert_eq!(plan.iter().map(|a| a.points).sum::<i64>(), points);
                                // Soonest-expiry first: every lot left with points
                                // expires no sooner than any lot this spend touched
                                // (except the last, partially used one).
                                let touched: Vec<i64> = plan.iter().map(|a| a.lot_id).collect();
                                for a in &plan {
                                    let l = lots.iter_mut().find(|l| l.id == a.lot_id).unwrap();
                                    prop_assert!(l.spendable(now));
                                    l.used += a.points;
                                    prop_assert!(l.remaining() >= 0);
                                }
                                let full: Vec<&Lot> = lots.iter().filter(|l| touched.contains(&l.id) && l.remaining() == 0).collect();
                                for untouched in lots.iter().filter(|l| !touched.contains(&l.id) && l.spendable(now)) {
                                    for f in &full {
                                        prop_assert!(by_expiry(f, untouched) != std::cmp::Ordering::Greater);
                                    }
                                }
                                totals.add(EntryKind::Spend, -points);
                            }
                            Err(SpendError::Insufficient { available: a }) => {
                                prop_assert_eq!(a, before);
                                prop_assert!(points > before);
                            }
                            Err(SpendError::NotPositive) => prop_assert!(false),
                        }
                    }
                    Op::Advance { days } => {
                        now += Duration::days(days);
                        for a in plan_expiry(&lots, now) {
                            let l = lots.iter_mut().find(|l| l.id == a.lot_id).unwrap();
                            l.used += a.points;
                            l.expired += a.points;
                            totals.add(EntryKind::Expire, -a.points);
                        }
                    }
                }
                // Balance = sum of entries = what the lots still hold; never negative.
                let b = buckets(&lots, &totals, now);
                let held: i64 = lots.iter().filter(|l| l.state(now) != LotState::Expired).map(Lot::remaining).sum();
                prop_assert!(b.available >= 0 && b.pending >= 0);
                prop_assert_eq!(b.balance, held);
                prop_assert_eq!(b.balance, b.available + b.pending);
                prop_assert_eq!(b.lifetime_earned - b.spent - b.expired + b.adjusted, b.balance);
            }
        }
    }
}
