//! Scoring a basket: which rules fire for a purchase and what each gives
//! (the order and rounding are in the `earning` module documentation).

use chrono::{DateTime, Utc};

use super::rules::{EarningRule, RuleKind};

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
