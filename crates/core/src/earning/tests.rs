use super::evaluation::*;
use super::lots::*;
use super::rules::*;
use chrono::{DateTime, TimeZone, Utc};

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
