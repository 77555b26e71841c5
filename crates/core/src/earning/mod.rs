//! Earning rules: which rules fire for a purchase and how many points each
//! gives. Pure, so the simulator (browser or server) and the transaction
//! endpoint use the very same evaluation.
//!
//! How a basket is scored:
//! 1. Rules are taken in ascending `priority` (ties by id). Inactive rules
//!    and rules outside their time box are skipped.
//! 2. **Base** gives `points_per_unit` for every whole `unit_minor` of each
//!    line (rounded down per line: a ¥9.99 line earns 9 points at 1 per ¥1).
//! 3. **Category**, **tier** and **promotion** multipliers add the extra
//!    part of the multiplier on the base points of the lines they cover:
//!    ×1.5 on 120 base points adds 60. Each is rounded down on its own.
//!    Multipliers stack additively (×1.5 and ×2 on 100 base add 50 + 100).
//! 4. **Sign-up** gives its points on the member's first purchase;
//!    **birthday** on the first purchase in the birthday month (once a year).
//!    **Referral** is not a basket rule: its points go to the friend and the
//!    referrer at the friend's first purchase (proof that a customer, not a
//!    script, joined with the referrer's code), the referrer's at most
//!    `referrer_daily_cap` times a day.
//! 5. A rule that fires with "stop further rules" ends the evaluation: no
//!    rule of a later priority fires.

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

crate::__wire! {
    /// One line of a basket.
    #[derive(Eq)]
    pub struct BasketLine {
        pub category: String,
        /// Net line amount in minor currency units.
        pub amount_minor: i64,
    }
}

/// What the evaluation needs to know about the member at purchase time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarnContext {
    pub at: DateTime<Utc>,
    /// The member's tier earn multiplier in percent (100 = none).
    pub tier_multiplier_pct: i64,
    pub tier_name: String,
    /// No earlier purchase on record.
    pub first_purchase: bool,
    /// The purchase is in the member's birthday month and this year's
    /// birthday bonus has not been given (and the birthday was not set just
    /// before it).
    pub birthday_bonus_due: bool,
}

crate::__wire! {
    /// A rule that fired and what it gave.
    pub struct RuleHit {
        pub rule_id: i64,
        pub rule_name: String,
        pub kind: String,
        pub points: i64,
        /// How the points were reached, e.g. "×1.5 on 120 base points".
        pub detail: String,
    }
}

crate::__wire! {
    /// The outcome of evaluating a basket.
    pub struct Evaluation {
        pub hits: Vec<RuleHit>,
        /// Points the member earns.
        pub member_points: i64,
        /// The rule that stopped the evaluation, if any.
        pub stopped_by: Option<i64>,
    }
}

fn in_window(rule: &EarningRule, at: DateTime<Utc>) -> bool {
    rule.active && rule.starts_at.is_none_or(|s| at >= s) && rule.ends_at.is_none_or(|e| at < e)
}

fn pct(p: i64) -> String {
    if p % 100 == 0 {
        format!("×{}", p / 100)
    } else if p % 10 == 0 {
        format!("×{}.{}", p / 100, (p % 100) / 10)
    } else {
        format!("×{}.{:02}", p / 100, p % 100)
    }
}

/// Scores `lines` for the member in `ctx` under `rules` (see the module
/// documentation for the order and rounding).
pub fn evaluate(rules: &[EarningRule], ctx: &EarnContext, lines: &[BasketLine]) -> Evaluation {
    let mut order: Vec<&EarningRule> = rules.iter().filter(|r| in_window(r, ctx.at)).collect();
    order.sort_by_key(|r| (r.priority, r.id));

    // Base points per line, from the first base rule that fires.
    let mut base: Option<Vec<i64>> = None;
    let mut out = Evaluation {
        hits: Vec::new(),
        member_points: 0,
        stopped_by: None,
    };
    let base_of = |base: &Option<Vec<i64>>, only: Option<&str>| -> i64 {
        base.as_ref().map_or(0, |b| {
            b.iter()
                .zip(lines)
                .filter(|(_, l)| only.is_none_or(|c| l.category == c))
                .map(|(p, _)| *p)
                .sum()
        })
    };
    for rule in order {
        let mut hit = |points: i64, detail: String| {
            if points > 0 {
                out.hits.push(RuleHit {
                    rule_id: rule.id,
                    rule_name: rule.name.clone(),
                    kind: rule.rule.name().to_string(),
                    points,
                    detail,
                });
                true
            } else {
                false
            }
        };
        let fired = match &rule.rule {
            RuleKind::Base {
                points_per_unit,
                unit_minor,
            } => {
                if base.is_some() {
                    false
                } else {
                    let per_line: Vec<i64> = lines
                        .iter()
                        .map(|l| {
                            (l.amount_minor.max(0) / (*unit_minor).max(1))
                                .saturating_mul(*points_per_unit)
                        })
                        .collect();
                    let total: i64 = per_line.iter().sum();
                    base = Some(per_line);
                    hit(
                        total,
                        format!("{points_per_unit} per {unit_minor} minor units, per line"),
                    )
                }
            }
            RuleKind::Category {
                category,
                multiplier_pct,
            } => {
                let b = base_of(&base, Some(category));
                hit(
                    b.saturating_mul(multiplier_pct - 100) / 100,
                    format!("{} on {b} base points in {category}", pct(*multiplier_pct)),
                )
            }
            RuleKind::TierMultiplier => {
                let b = base_of(&base, None);
                hit(
                    b.saturating_mul(ctx.tier_multiplier_pct - 100) / 100,
                    format!(
                        "{} for {} on {b} base points",
                        pct(ctx.tier_multiplier_pct),
                        ctx.tier_name
                    ),
                )
            }
            RuleKind::Promotion {
                multiplier_pct,
                category,
            } => {
                let b = base_of(&base, category.as_deref());
                hit(
                    b.saturating_mul(multiplier_pct - 100) / 100,
                    format!("{} on {b} base points", pct(*multiplier_pct)),
                )
            }
            RuleKind::SignUp { points } => {
                ctx.first_purchase && hit(*points, "first purchase".into())
            }
            RuleKind::Birthday { points } => {
                ctx.birthday_bonus_due && hit(*points, "birthday month".into())
            }
            // Applied when the friend joins, never to a basket.
            RuleKind::Referral { .. } => false,
        };
        if fired && rule.stop_further {
            out.stopped_by = Some(rule.id);
            break;
        }
    }
    out.member_points = out.hits.iter().map(|h| h.points).sum();
    out
}

/// Points to take back when `returned_minor` of an order of `amount_minor`
/// that earned `earned` comes back: the same share of the points, rounded
/// down, never more than `left` (what is left of them after earlier
/// returns and spending).
pub fn return_points(earned: i64, amount_minor: i64, returned_minor: i64, left: i64) -> i64 {
    if amount_minor <= 0 || earned <= 0 {
        return 0;
    }
    let share = (earned as i128 * returned_minor.clamp(0, amount_minor) as i128
        / amount_minor as i128) as i64;
    share.min(left).max(0)
}

/// When points earned at `at` become spendable and when they expire, under
/// the programme's pending days and expiry rule (`tz`: programme zone).
pub fn lot_dates(
    rule: crate::expiry::ExpiryRule,
    pending_days: i64,
    at: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
    use crate::expiry::ExpiryRule;
    use crate::time::{add_months, end_of_day, local_date};
    use chrono::Datelike;
    let available = at + chrono::Duration::days(pending_days.max(0));
    let expires = match rule {
        ExpiryRule::Never => None,
        ExpiryRule::MonthsAfterEarning { months } => Some(
            add_months(at.date_naive(), months as i32)
                .and_time(at.time())
                .and_utc(),
        ),
        ExpiryRule::EndOfNextYear => {
            let y = local_date(at, tz).year() + 1;
            chrono::NaiveDate::from_ymd_opt(y, 12, 31).map(|d| end_of_day(d, tz))
        }
    };
    (available, expires)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 10, 12, 0, 0).unwrap()
    }

    fn rule(id: i64, priority: i64, rule: RuleKind) -> EarningRule {
        EarningRule {
            id,
            name: format!("r{id}"),
            rule,
            priority,
            stop_further: false,
            active: true,
            starts_at: None,
            ends_at: None,
        }
    }

    fn ctx() -> EarnContext {
        EarnContext {
            at: at(),
            tier_multiplier_pct: 150,
            tier_name: "Gold".into(),
            first_purchase: false,
            birthday_bonus_due: false,
        }
    }

    fn line(c: &str, a: i64) -> BasketLine {
        BasketLine {
            category: c.into(),
            amount_minor: a,
        }
    }

    fn base() -> RuleKind {
        RuleKind::Base {
            points_per_unit: 1,
            unit_minor: 100,
        }
    }

    #[test]
    fn base_rounds_down_per_line() {
        let e = evaluate(
            &[rule(1, 0, base())],
            &ctx(),
            &[line("home", 999), line("home", 1_050)],
        );
        assert_eq!(e.member_points, 9 + 10);
    }

    #[test]
    fn multipliers_stack_additively_on_base_points() {
        let rules = [
            rule(1, 0, base()),
            rule(
                2,
                10,
                RuleKind::Category {
                    category: "beauty".into(),
                    multiplier_pct: 200,
                },
            ),
            rule(3, 20, RuleKind::TierMultiplier),
        ];
        let e = evaluate(
            &rules,
            &ctx(),
            &[line("beauty", 10_000), line("home", 2_000)],
        );
        // base 100 + 20; beauty ×2 adds 100; Gold ×1.5 adds 60.
        let pts: Vec<i64> = e.hits.iter().map(|h| h.points).collect();
        assert_eq!(pts, vec![120, 100, 60]);
        assert_eq!(e.member_points, 280);
    }

    #[test]
    fn stop_further_ends_the_evaluation() {
        let mut promo = rule(
            2,
            5,
            RuleKind::Promotion {
                multiplier_pct: 300,
                category: None,
            },
        );
        promo.stop_further = true;
        let rules = [
            rule(1, 0, base()),
            promo,
            rule(3, 20, RuleKind::TierMultiplier),
        ];
        let e = evaluate(&rules, &ctx(), &[line("home", 10_000)]);
        assert_eq!(e.member_points, 100 + 200);
        assert_eq!(e.stopped_by, Some(2));
    }

    #[test]
    fn promotions_fire_only_inside_their_time_box() {
        let mut promo = rule(
            2,
            5,
            RuleKind::Promotion {
                multiplier_pct: 200,
                category: None,
            },
        );
        promo.starts_at = Some(at() + chrono::Duration::days(1));
        let rules = [rule(1, 0, base()), promo.clone()];
        assert_eq!(
            evaluate(&rules, &ctx(), &[line("home", 1_000)]).member_points,
            10
        );
        promo.starts_at = Some(at() - chrono::Duration::days(1));
        promo.ends_at = Some(at());
        let rules = [rule(1, 0, base()), promo.clone()];
        assert_eq!(
            evaluate(&rules, &ctx(), &[line("home", 1_000)]).member_points,
            10,
            "the end instant is outside"
        );
        promo.ends_at = Some(at() + chrono::Duration::seconds(1));
        let rules = [rule(1, 0, base()), promo];
        assert_eq!(
            evaluate(&rules, &ctx(), &[line("home", 1_000)]).member_points,
            20
        );
    }

    #[test]
    fn bonuses_fire_on_their_occasion_and_referral_never_in_a_basket() {
        let rules = [
            rule(1, 0, base()),
            rule(2, 30, RuleKind::SignUp { points: 100 }),
            rule(3, 31, RuleKind::Birthday { points: 200 }),
            rule(
                4,
                32,
                RuleKind::Referral {
                    friend_points: 300,
                    referrer_points: 500,
                    referrer_daily_cap: 5,
                },
            ),
        ];
        let lines = [line("home", 1_000)];
        assert_eq!(evaluate(&rules, &ctx(), &lines).member_points, 10);
        let c = EarnContext {
            first_purchase: true,
            birthday_bonus_due: true,
            ..ctx()
        };
        let e = evaluate(&rules, &c, &lines);
        assert_eq!(e.member_points, 10 + 100 + 200);
    }

    #[test]
    fn inactive_rules_never_fire_and_problems_are_named() {
        let mut r = rule(1, 0, base());
        r.active = false;
        assert_eq!(
            evaluate(&[r], &ctx(), &[line("x", 10_000)]).member_points,
            0
        );
        assert!(RuleKind::Base {
            points_per_unit: 1,
            unit_minor: 0
        }
        .problem()
        .is_some());
        assert!(RuleKind::Category {
            category: "x".into(),
            multiplier_pct: 50
        }
        .problem()
        .is_some());
        assert!(RuleKind::Referral {
            friend_points: 0,
            referrer_points: 0,
            referrer_daily_cap: 5,
        }
        .problem()
        .is_some());
        assert!(RuleKind::Referral {
            friend_points: 10,
            referrer_points: 10,
            referrer_daily_cap: 0,
        }
        .problem()
        .is_some());
        // Rules saved before the cap existed read with the default.
        let old: RuleKind =
            serde_json::from_str(r#"{"kind":"referral","friend_points":1,"referrer_points":2}"#)
                .unwrap();
        assert_eq!(
            referral_terms(&[rule(9, 0, old)], at()),
            Some(ReferralTerms {
                friend_points: 1,
                referrer_points: 2,
                referrer_daily_cap: DEFAULT_REFERRER_DAILY_CAP
            })
        );
    }

    #[test]
    fn lots_expire_by_the_programme_rule() {
        use crate::expiry::ExpiryRule;
        let tz = crate::time::zone("Asia/Shanghai");
        let (avail, exp) = lot_dates(ExpiryRule::MonthsAfterEarning { months: 12 }, 14, at(), tz);
        assert_eq!(avail, at() + chrono::Duration::days(14));
        assert_eq!(
            exp,
            Some(Utc.with_ymd_and_hms(2027, 5, 10, 12, 0, 0).unwrap())
        );
        assert_eq!(lot_dates(ExpiryRule::Never, 0, at(), tz).1, None);
        // 31 Dec 2027 23:59:59 in Shanghai is 15:59:59 UTC.
        assert_eq!(
            lot_dates(ExpiryRule::EndOfNextYear, 0, at(), tz).1,
            Some(Utc.with_ymd_and_hms(2027, 12, 31, 15, 59, 59).unwrap())
        );
    }

    #[test]
    fn returns_take_back_a_share_never_more_than_left() {
        assert_eq!(return_points(300, 30_000, 10_000, 300), 100);
        assert_eq!(return_points(300, 30_000, 30_000, 300), 300);
        assert_eq!(
            return_points(300, 30_000, 90_000, 300),
            300,
            "capped at the order"
        );
        assert_eq!(
            return_points(300, 30_000, 30_000, 120),
            120,
            "capped at what is left"
        );
        assert_eq!(return_points(0, 30_000, 30_000, 0), 0);
    }
}
