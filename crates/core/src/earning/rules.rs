//! Earning rules as stored and as an admin writes them: the kinds with
//! their parameters, what is wrong with a draft, and the referral rule's
//! terms (paid at a friend's first purchase, not in a basket).

use chrono::{DateTime, Utc};

crate::__wire! {
    /// What a rule does, with its parameters.
    #[derive(Eq)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    pub enum RuleKind {
        /// `points_per_unit` points per whole `unit_minor` spent.
        Base { points_per_unit: i64, unit_minor: i64 },
        /// Multiplier on base points of lines in `category`.
        Category { category: String, multiplier_pct: i64 },
        /// The member's tier earn multiplier (set in the tier editor).
        TierMultiplier,
        /// Multiplier on base points between `starts_at` and `ends_at`,
        /// optionally only for one category.
        Promotion { multiplier_pct: i64, category: Option<String> },
        /// Points on the member's first purchase.
        SignUp { points: i64 },
        /// Points on the first purchase in the member's birthday month.
        Birthday { points: i64 },
        /// Points to the friend and the referrer when a friend who joined
        /// with a referral code makes a first purchase (not a basket rule);
        /// a referrer earns at most `referrer_daily_cap` such bonuses a day.
        Referral {
            friend_points: i64,
            referrer_points: i64,
            #[serde(default = "default_referrer_daily_cap")]
            referrer_daily_cap: i64,
        },
    }
}

/// Referral bonuses a referrer may earn per day unless the rule says.
pub const DEFAULT_REFERRER_DAILY_CAP: i64 = 5;

fn default_referrer_daily_cap() -> i64 {
    DEFAULT_REFERRER_DAILY_CAP
}

/// What the referral rule in force gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferralTerms {
    pub friend_points: i64,
    pub referrer_points: i64,
    pub referrer_daily_cap: i64,
}

/// The active referral rule's terms at `at`; `None` without one.
pub fn referral_terms(rules: &[EarningRule], at: DateTime<Utc>) -> Option<ReferralTerms> {
    rules
        .iter()
        .filter(|r| {
            r.active && r.starts_at.is_none_or(|s| at >= s) && r.ends_at.is_none_or(|e| at < e)
        })
        .find_map(|r| match r.rule {
            RuleKind::Referral {
                friend_points,
                referrer_points,
                referrer_daily_cap,
            } => Some(ReferralTerms {
                friend_points,
                referrer_points,
                referrer_daily_cap,
            }),
            _ => None,
        })
}

impl RuleKind {
    /// The machine name of the kind.
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Base { .. } => "base",
            RuleKind::Category { .. } => "category",
            RuleKind::TierMultiplier => "tier_multiplier",
            RuleKind::Promotion { .. } => "promotion",
            RuleKind::SignUp { .. } => "sign_up",
            RuleKind::Birthday { .. } => "birthday",
            RuleKind::Referral { .. } => "referral",
        }
    }

    /// What is wrong with the parameters, if anything.
    pub fn problem(&self) -> Option<&'static str> {
        const MAX_PCT: i64 = 10_000;
        const MAX_POINTS: i64 = 1_000_000;
        match self {
            RuleKind::Base {
                points_per_unit,
                unit_minor,
            } => {
                if *unit_minor < 1 || *unit_minor > 1_000_000 {
                    Some("The spend unit must be between 1 and 1,000,000 minor units.")
                } else if *points_per_unit < 1 || *points_per_unit > 10_000 {
                    Some("Points per unit must be between 1 and 10,000.")
                } else {
                    None
                }
            }
            RuleKind::Category {
                category,
                multiplier_pct,
            } => {
                if category.trim().is_empty() {
                    Some("Choose the category the multiplier applies to.")
                } else if *multiplier_pct < 100 || *multiplier_pct > MAX_PCT {
                    Some("A multiplier must be between 100 % (×1) and 10,000 % (×100).")
                } else {
                    None
                }
            }
            RuleKind::Promotion { multiplier_pct, .. } => {
                if *multiplier_pct < 100 || *multiplier_pct > MAX_PCT {
                    Some("A multiplier must be between 100 % (×1) and 10,000 % (×100).")
                } else {
                    None
                }
            }
            RuleKind::TierMultiplier => None,
            RuleKind::SignUp { points } | RuleKind::Birthday { points } => (*points < 1
                || *points > MAX_POINTS)
                .then_some("Bonus points must be between 1 and 1,000,000."),
            RuleKind::Referral {
                friend_points,
                referrer_points,
                referrer_daily_cap,
            } => {
                let range = 0..=MAX_POINTS;
                if !range.contains(friend_points) || !range.contains(referrer_points) {
                    Some("Bonus points must be between 0 and 1,000,000.")
                } else if *friend_points == 0 && *referrer_points == 0 {
                    Some("Give points to the friend, the referrer, or both.")
                } else if !(1..=1_000).contains(referrer_daily_cap) {
                    Some("Allow 1 to 1,000 referral bonuses per referrer per day.")
                } else {
                    None
                }
            }
        }
    }
}

crate::__wire! {
    /// An earning rule as stored.
    pub struct EarningRule {
        pub id: i64,
        pub name: String,
        pub rule: RuleKind,
        /// Lower runs first.
        pub priority: i64,
        /// When this rule fires, no later rule does.
        pub stop_further: bool,
        pub active: bool,
        /// Time box (promotions); `None` means open-ended.
        pub starts_at: Option<DateTime<Utc>>,
        pub ends_at: Option<DateTime<Utc>>,
    }
}

crate::__wire! {
    /// A rule as an admin writes it (`POST`/`PUT /admin/earning-rules`).
    pub struct RuleDraft {
        pub name: String,
        pub rule: RuleKind,
        pub priority: i64,
        pub stop_further: bool,
        pub active: bool,
        pub starts_at: Option<DateTime<Utc>>,
        pub ends_at: Option<DateTime<Utc>>,
    }
}

impl RuleDraft {
    /// Field → message for everything wrong with the draft.
    pub fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            out.push(("name", "Give the rule a name."));
        } else if name.chars().count() > 80 {
            out.push(("name", "Keep the name under 80 characters."));
        }
        if let Some(p) = self.rule.problem() {
            out.push(("rule", p));
        }
        if !(0..=10_000).contains(&self.priority) {
            out.push(("priority", "Priority must be between 0 and 10,000."));
        }
        if let (Some(s), Some(e)) = (self.starts_at, self.ends_at) {
            if e <= s {
                out.push(("ends_at", "The end must be after the start."));
            }
        }
        out
    }

    /// The stored rule this draft becomes under `id`.
    pub fn into_rule(self, id: i64) -> EarningRule {
        EarningRule {
            id,
            name: self.name.trim().to_string(),
            rule: self.rule,
            priority: self.priority,
            stop_further: self.stop_further,
            active: self.active,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
        }
    }
}
