//! Rewards, redemption and the wallet.

use chrono::{DateTime, Utc};

use crate::summary::TierRef;

crate::__wire! {
    /// Whether the member can redeem a reward now, and if not, why.
    #[derive(Copy, Eq, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum Availability {
        Available,
        /// Needs a higher tier (`min_tier`).
        TierLocked,
        /// Not enough available points (`missing_points`).
        Unaffordable,
        OutOfStock,
        /// The member has redeemed it as often as allowed.
        LimitReached,
        /// Its redemption window has not opened yet.
        NotYetValid,
        /// Its redemption window has closed.
        Ended,
        /// The member is blocked from earning and spending.
        MemberBlocked,
    }
}

crate::__wire! {
    /// A reward as one member sees it.
    pub struct Reward {
        pub id: i64,
        pub name: String,
        pub description: String,
        pub category: String,
        pub cost_points: i64,
        /// `None`: unlimited.
        pub stock_left: Option<i64>,
        /// `None`: no limit per member.
        pub per_member_limit: Option<i64>,
        /// How often this member has redeemed it (not counting cancelled).
        pub redeemed_by_me: i64,
        /// Lowest tier allowed to redeem it.
        pub min_tier: Option<TierRef>,
        /// Offered to a group of members this one belongs to ("just for you").
        #[serde(default)]
        pub personal: bool,
        pub valid_from: Option<DateTime<Utc>>,
        pub valid_until: Option<DateTime<Utc>>,
        pub availability: Availability,
        /// Points still missing to afford it (0 when affordable).
        pub missing_points: i64,
    }
}

/// The facts [`availability`] decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RewardFacts {
    pub cost_points: i64,
    pub stock_left: Option<i64>,
    pub per_member_limit: Option<i64>,
    pub redeemed_by_me: i64,
    /// Threshold of the lowest tier allowed, if restricted.
    pub min_tier_threshold: Option<i64>,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
}

/// The facts about the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberFacts {
    pub available_points: i64,
    /// Threshold of the member's current tier.
    pub tier_threshold: i64,
    pub blocked: bool,
}

/// Whether `member` may redeem the reward at `now`; the first reason that
/// stops it, in the order a person would want to hear them.
pub fn availability(r: &RewardFacts, m: &MemberFacts, now: DateTime<Utc>) -> Availability {
    if m.blocked {
        Availability::MemberBlocked
    } else if r.valid_from.is_some_and(|f| now < f) {
        Availability::NotYetValid
    } else if r.valid_until.is_some_and(|u| now > u) {
        Availability::Ended
    } else if r.min_tier_threshold.is_some_and(|t| m.tier_threshold < t) {
        Availability::TierLocked
    } else if r.stock_left.is_some_and(|s| s <= 0) {
        Availability::OutOfStock
    } else if r.per_member_limit.is_some_and(|l| r.redeemed_by_me >= l) {
        Availability::LimitReached
    } else if m.available_points < r.cost_points {
        Availability::Unaffordable
    } else {
        Availability::Available
    }
}

crate::__wire! {
    /// `POST /redemptions` body. Sent with an `Idempotency-Key` header.
    pub struct RedeemRequest {
        pub reward_id: i64,
    }
}

crate::__wire! {
    /// Where a voucher stands.
    #[derive(Copy, Eq, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum RedemptionStatus {
        Issued,
        Used,
        Expired,
        Cancelled,
    }
}

impl RedemptionStatus {
    /// Parses the stored name.
    pub fn parse(s: &str) -> Self {
        match s {
            "used" => RedemptionStatus::Used,
            "expired" => RedemptionStatus::Expired,
            "cancelled" => RedemptionStatus::Cancelled,
            _ => RedemptionStatus::Issued,
        }
    }
}

crate::__wire! {
    /// A redeemed reward in the member's wallet.
    pub struct Redemption {
        pub id: i64,
        pub reward_id: i64,
        pub reward_name: String,
        /// The voucher code to show at checkout.
        pub code: String,
        pub status: RedemptionStatus,
        /// Points it cost.
        pub points: i64,
        pub created_at: DateTime<Utc>,
        /// Until when the voucher can be used.
        pub expires_at: Option<DateTime<Utc>>,
    }
}

crate::__wire! {
    /// The answer to a redemption.
    pub struct RedeemResult {
        pub redemption: Redemption,
        /// Points available after it.
        pub available_after: i64,
    }
}

crate::__wire! {
    /// `GET /me/redemptions`.
    pub struct RedemptionList {
        pub items: Vec<Redemption>,
    }
}

crate::__wire! {
    /// `GET /rewards`.
    pub struct RewardList {
        pub items: Vec<Reward>,
        /// The member's available points when the list was made.
        pub available_points: i64,
        /// Categories present, for the filter.
        pub categories: Vec<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap()
    }

    fn reward() -> RewardFacts {
        RewardFacts {
            cost_points: 1000,
            stock_left: Some(5),
            per_member_limit: Some(2),
            redeemed_by_me: 0,
            min_tier_threshold: Some(2000),
            valid_from: Some(now() - Duration::days(1)),
            valid_until: Some(now() + Duration::days(1)),
        }
    }

    fn member() -> MemberFacts {
        MemberFacts {
            available_points: 1000,
            tier_threshold: 2000,
            blocked: false,
        }
    }

    #[test]
    fn exactly_affordable_and_eligible_is_available() {
        assert_eq!(
            availability(&reward(), &member(), now()),
            Availability::Available
        );
    }

    #[test]
    fn each_reason_is_reported() {
        let n = now();
        let m = member();
        let mut r = reward();
        r.valid_from = Some(n + Duration::seconds(1));
        assert_eq!(availability(&r, &m, n), Availability::NotYetValid);
        let mut r = reward();
        r.valid_until = Some(n - Duration::seconds(1));
        assert_eq!(availability(&r, &m, n), Availability::Ended);
        let mut r = reward();
        r.min_tier_threshold = Some(6000);
        assert_eq!(availability(&r, &m, n), Availability::TierLocked);
        let mut r = reward();
        r.stock_left = Some(0);
        assert_eq!(availability(&r, &m, n), Availability::OutOfStock);
        let mut r = reward();
        r.redeemed_by_me = 2;
        assert_eq!(availability(&r, &m, n), Availability::LimitReached);
        let poor = MemberFacts {
            available_points: 999,
            ..m
        };
        assert_eq!(
            availability(&reward(), &poor, n),
            Availability::Unaffordable
        );
        let blocked = MemberFacts { blocked: true, ..m };
        assert_eq!(
            availability(&reward(), &blocked, n),
            Availability::MemberBlocked
        );
    }

    #[test]
    fn unlimited_stock_and_no_limit_never_block() {
        let r = RewardFacts {
            stock_left: None,
            per_member_limit: None,
            redeemed_by_me: 99,
            min_tier_threshold: None,
            valid_from: None,
            valid_until: None,
            ..reward()
        };
        assert_eq!(availability(&r, &member(), now()), Availability::Available);
    }
}
