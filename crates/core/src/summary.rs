//! The member dashboard: `GET /me/summary`.

use chrono::{DateTime, Utc};

crate::__wire! {
    /// Kind of a ledger entry. Entries are never edited; a correction is a
    /// new entry (`adjust` or `reverse`) that references the old one.
    #[derive(Copy, Eq, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum EntryKind {
        /// Points earned (a lot: may be pending, then active, and expires).
        Earn,
        /// Points spent on a reward.
        Spend,
        /// A manual correction by staff, positive or negative.
        Adjust,
        /// Points that reached their expiry date unused.
        Expire,
        /// Points taken back, e.g. for a returned order.
        Reverse,
    }
}

impl EntryKind {
    /// The name used on the wire and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Earn => "earn",
            EntryKind::Spend => "spend",
            EntryKind::Adjust => "adjust",
            EntryKind::Expire => "expire",
            EntryKind::Reverse => "reverse",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "earn" => EntryKind::Earn,
            "spend" => EntryKind::Spend,
            "adjust" => EntryKind::Adjust,
            "expire" => EntryKind::Expire,
            "reverse" => EntryKind::Reverse,
            _ => return None,
        })
    }
}

crate::__wire! {
    /// Where a lot of earned points stands.
    #[derive(Copy, Eq, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum LotState {
        /// Earned but inside the return period: not yet spendable.
        Pending,
        /// Spendable.
        Active,
        /// Fully used.
        Spent,
        /// Reached its expiry date.
        Expired,
    }
}

crate::__wire! {
    /// A member's points, bucketed.
    pub struct BalanceBuckets {
        /// Sum of all ledger entries: `available + pending`.
        pub balance: i64,
        /// Spendable now.
        pub available: i64,
        /// Earned, not yet spendable (return period).
        pub pending: i64,
        /// Part of `available` that expires within 30 days.
        pub expiring_soon: i64,
        /// When the earliest of those points expire.
        pub expiring_soon_at: Option<DateTime<Utc>>,
        /// All points ever earned.
        pub lifetime_earned: i64,
        /// All points spent on rewards (positive number).
        pub spent: i64,
        /// All points that expired unused (positive number).
        pub expired: i64,
        /// Net of manual adjustments and reversals (signed).
        pub adjusted: i64,
    }
}

crate::__wire! {
    /// One line of the points history.
    pub struct LedgerEntry {
        pub id: i64,
        pub kind: EntryKind,
        /// Signed: positive adds points, negative takes them.
        pub points: i64,
        pub created_at: DateTime<Utc>,
        /// Why: order number, reward, rule or staff reason.
        pub reason: String,
        /// For earned lots: when they become spendable.
        pub available_at: Option<DateTime<Utc>>,
        /// For earned lots: when what is left of them expires.
        pub expires_at: Option<DateTime<Utc>>,
        /// For earned lots: where the lot stands now.
        pub state: Option<LotState>,
        /// The staff member who made a manual entry.
        #[serde(default)]
        pub actor: Option<String>,
    }
}

crate::__wire! {
    /// A tier as members see it.
    pub struct TierRef {
        pub id: i64,
        pub name: String,
        /// Qualifying value (points or minor currency units) to reach it.
        pub threshold: i64,
        /// CSS colour for badges.
        pub colour: String,
    }
}

crate::__wire! {
    /// What counts towards tiers.
    #[derive(Copy, Eq, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum TierBasis {
        /// Points earned (net of reversals).
        PointsEarned,
        /// Amount spent, in minor currency units (net of returns).
        AmountSpent,
    }
}

crate::__wire! {
    /// Over which period the basis is summed.
    #[derive(Copy, Eq, Hash)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    pub enum TierWindow {
        /// The last N months up to today.
        RollingMonths { months: u32 },
        /// The calendar year; status earned in a year holds through the next.
        CalendarYear,
        /// Since joining.
        Lifetime,
    }
}

crate::__wire! {
    /// Where a member stands in the tiers and what it takes to move.
    pub struct TierProgress {
        pub current: TierRef,
        pub next: Option<TierRef>,
        pub basis: TierBasis,
        pub window: TierWindow,
        /// The member's value under `basis` over `window` now.
        pub qualifying: i64,
        /// More needed to reach `next`.
        pub to_next: Option<i64>,
        /// Deadline for `to_next` (end of day, programme time zone).
        pub next_by: Option<DateTime<Utc>>,
        /// More needed to keep `current` (0: already secured).
        pub to_keep: Option<i64>,
        /// Deadline for `to_keep`.
        pub keep_by: Option<DateTime<Utc>>,
        /// Set by an admin: the tier does not move with activity.
        pub locked: bool,
    }
}

crate::__wire! {
    /// `GET /me/summary`: everything the member dashboard shows.
    pub struct MemberSummary {
        pub member_id: i64,
        pub name: String,
        pub card_number: String,
        pub balance: BalanceBuckets,
        pub tier: TierProgress,
        /// The last 10 ledger entries, newest first.
        pub recent: Vec<LedgerEntry>,
        /// ISO 4217 code.
        pub currency: String,
        /// Money value of one point, in minor units × 1/100 (e.g. 50 = 0.5 cent).
        pub point_value_centi_minor: i64,
        /// IANA zone in which deadlines are set.
        pub time_zone: String,
    }
}
