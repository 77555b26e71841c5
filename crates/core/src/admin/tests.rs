//! Unit tests of the admin wire types' checks and the member query's URL
//! form.

use chrono::NaiveDate;

use super::members::{MemberQuery, MemberSort};
use super::settings::{DowngradeRule, ProgrammeSettings, Recalculation, TierPolicySettings};
use super::tiers::{AdminTier, TierPlan};
use crate::expiry::ExpiryRule;
use crate::summary::{TierBasis, TierWindow};

fn tier(name: &str, threshold: i64) -> AdminTier {
    AdminTier {
        id: None,
        name: name.into(),
        threshold,
        earn_multiplier_pct: 100,
        perks: vec![],
        colour: "#112233".into(),
        icon: String::new(),
        active: true,
        members: 0,
    }
}

fn policy() -> TierPolicySettings {
    TierPolicySettings {
        basis: TierBasis::PointsEarned,
        window: TierWindow::RollingMonths { months: 12 },
        recalculation: Recalculation::Nightly,
        downgrade: DowngradeRule::Recalculate,
        grace_days: 0,
    }
}

#[test]
fn thresholds_must_strictly_increase_among_active_tiers() {
    let mut plan = TierPlan {
        tiers: vec![tier("A", 0), tier("B", 100), tier("C", 100)],
        policy: policy(),
    };
    let p = plan.problems();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, "tiers.2.threshold");
    assert!(p[0].1.contains("higher than B's"));
    plan.tiers[1].active = false;
    assert!(plan.problems().is_empty(), "an inactive tier is not ranked");
    plan.tiers[0].threshold = 5;
    assert_eq!(plan.problems()[0].0, "tiers.0.threshold");
}

#[test]
fn member_query_round_trips_through_the_url() {
    let q = MemberQuery {
        q: "Li Na".into(),
        tier_id: Some(3),
        status: Some("blocked".into()),
        region: Some("East".into()),
        joined_from: NaiveDate::from_ymd_opt(2025, 1, 2),
        sort: MemberSort::JoinedNewest,
        ..Default::default()
    };
    let s = q.to_query();
    assert_eq!(
        s,
        "q=Li%20Na&tier=3&status=blocked&region=East&joined_from=2025-01-02&sort=joined_newest"
    );
    let pairs: Vec<(String, String)> = s
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), v.replace("%20", " "))
        })
        .collect();
    let back =
        MemberQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap();
    assert_eq!(back, q);
    assert_eq!(
        MemberQuery::from_pairs([("sort", "age")]).unwrap_err().0,
        "sort"
    );
}

#[test]
fn settings_name_each_problem() {
    let s = ProgrammeSettings {
        name: "".into(),
        currency: "yuan".into(),
        point_value_centi_minor: 0,
        time_zone: "Mars/Base".into(),
        expiry: ExpiryRule::MonthsAfterEarning { months: 0 },
        pending_days: -1,
        tier_policy: TierPolicySettings {
            recalculation: Recalculation::FixedDate { month: 2, day: 29 },
            ..policy()
        },
    };
    let fields: Vec<&str> = s.problems(|z| z == "UTC").iter().map(|p| p.0).collect();
    assert_eq!(
        fields,
        vec![
            "name",
            "currency",
            "point_value_centi_minor",
            "time_zone",
            "expiry",
            "pending_days",
            "recalculation"
        ]
    );
}
