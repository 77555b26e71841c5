//! The report's arithmetic against hand computations.

use super::*;

const DAY: i64 = 86_400;

#[test]
fn lift_is_the_difference_of_rates_with_the_unpooled_95_percent_interval() {
    // 120 of 1,000 treated bought, 8 of 100 held out: 12 % − 8 % = 4 points;
    // se = √(.12·.88/1000 + .08·.92/100) = √.0008416 = .029010.
    let l = lift((120, 1000), (8, 100)).unwrap();
    assert!((l.estimate - 0.04).abs() < 1e-12);
    assert!(
        (l.low - (0.04 - 1.959_964 * 0.029_010_3)).abs() < 1e-6,
        "{l:?}"
    );
    assert!(
        (l.high - (0.04 + 1.959_964 * 0.029_010_3)).abs() < 1e-6,
        "{l:?}"
    );
    assert!(l.low < 0.0, "not significant at this size");
    assert_eq!(lift((1, 10), (0, 0)), None, "no holdout, no lift");
}

#[test]
fn incremental_revenue_and_roi_follow_the_domain_formulas() {
    // 900 treated spent 5,000.00, 100 held out 400.00: 5.5556 − 4.00 per
    // member × 900 = 1,400.00.
    assert_eq!(
        incremental_revenue((500_000, 900), (40_000, 100)),
        Some(140_000)
    );
    assert_eq!(roi(140_000, 40_000), Some(2.5));
    assert_eq!(roi(140_000, 0), None);
    assert_eq!(incremental_revenue((1, 1), (0, 0)), None);
}

#[test]
fn the_normal_distribution_function_matches_its_table() {
    assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
    assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
    assert!((normal_cdf(-1.0) - 0.158_655_25).abs() < 1e-6);
    assert!((normal_cdf(3.0) - 0.998_650_1).abs() < 1e-6);
}

#[test]
fn the_winner_has_the_best_rate_and_the_confidence_it_beats_the_runner_up() {
    // 5 % vs 3 % of 1,000 each: pooled 4 %, se = √(.04·.96·.002) = .0087636,
    // z = .02 / .0087636 = 2.2822, Φ(z) = .98876.
    let (best, conf) = winner(&[(30, 1000), (50, 1000), (10, 1000)]).unwrap();
    assert_eq!(best, 1);
    assert!((conf - 0.988_76).abs() < 1e-4, "{conf}");
    // Equal rates: the earlier variant, with no confidence either way.
    assert_eq!(winner(&[(5, 100), (5, 100)]), Some((0, 0.5)));
    assert_eq!(winner(&[(0, 0), (0, 0)]), None);
}

#[test]
fn a_purchase_belongs_to_the_latest_click_within_7_days_else_the_latest_open_within_2() {
    let at = 100 * DAY;
    let click = |c, days_before: i64| Touch {
        campaign_id: c,
        kind: TouchKind::Click,
        at: at - days_before * DAY,
    };
    let open = |c, hours_before: i64| Touch {
        campaign_id: c,
        kind: TouchKind::Open,
        at: at - hours_before * 3_600,
    };
    let w = Windows::default();
    assert_eq!(attribute(at, &[click(1, 6), click(2, 3)], w), Some(2));
    // A click beats a later open.
    assert_eq!(attribute(at, &[click(1, 6), open(2, 1)], w), Some(1));
    // A click 8 days before is out; an open 47 hours before is in.
    assert_eq!(attribute(at, &[click(1, 8), open(2, 47)], w), Some(2));
    assert_eq!(attribute(at, &[click(1, 8), open(2, 49)], w), None);
    // Touches after the purchase never count.
    assert_eq!(attribute(at, &[click(1, -1)], w), None);
}

#[test]
fn arms_are_stable_proportionate_and_differ_between_campaigns() {
    let n = 100_000;
    let mut held = 0;
    let mut per_variant = [0u32; 3];
    let mut rest = 0;
    for m in 0..n {
        let arm = arm_of(7, m, 10, 30, 3);
        assert_eq!(arm, arm_of(7, m, 10, 30, 3), "stable");
        match arm {
            Arm::Holdout => held += 1,
            Arm::Variant(v) => per_variant[v as usize] += 1,
            Arm::Rest => rest += 1,
        }
        assert_eq!(Arm::from_code(arm.code()), Some(arm));
    }
    assert!((9_500..10_500).contains(&held), "{held}");
    for v in per_variant {
        assert!((9_500..10_500).contains(&v), "{per_variant:?}");
    }
    assert!((59_000..61_000).contains(&rest), "{rest}");
    let other: u32 = (0..n)
        .filter(|&m| {
            arm_of(7, m, 10, 0, 1) == Arm::Holdout && arm_of(8, m, 10, 0, 1) == Arm::Holdout
        })
        .count() as u32;
    assert!(
        other < 1_500,
        "another campaign holds out other members ({other})"
    );
    assert!((0..1000).all(|m| arm_of(7, m, 0, 0, 1) == Arm::Variant(0)));
}
