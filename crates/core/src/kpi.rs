//! The KPI dashboard's wire types (`GET /analytics/kpis`). Formulas are in
//! `../shared/domain.md`; the server computes every figure, so any backend
//! can serve the same dashboard.

use chrono::NaiveDate;

crate::__wire! {
    /// What a KPI's value is.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum KpiUnit {
        /// A number of members.
        Members,
        /// A fraction 0–1 (shown as a percentage).
        Rate,
        /// Points.
        Points,
        /// Money in minor units of the programme currency.
        Money,
        /// A score (NPS −100…100, CSAT 0–100).
        Score,
    }
}

crate::__wire! {
    /// One KPI over the period, the same over the period before, and a
    /// weekly series for a sparkline (empty when not meaningful weekly).
    pub struct Kpi {
        /// members, active_members, new_members, retention_rate, churn_rate,
        /// repeat_purchase_rate, points_issued, points_redeemed,
        /// points_expired, redemption_rate, breakage, outstanding_points,
        /// liability, nps, csat.
        pub key: String,
        pub unit: KpiUnit,
        pub value: Option<f64>,
        pub previous: Option<f64>,
        pub series: Vec<Option<f64>>,
    }
}

crate::__wire! {
    /// `GET /analytics/kpis`: the KPIs for a period (dates inclusive, in the
    /// programme's time zone) and the period of the same length before it.
    pub struct KpiDashboard {
        pub from: NaiveDate,
        pub to: NaiveDate,
        pub previous_from: NaiveDate,
        pub previous_to: NaiveDate,
        pub currency: String,
        pub kpis: Vec<Kpi>,
    }
}

impl KpiDashboard {
    /// Days in the last weekly bucket when it is shorter than a week (the
    /// series' weeks run from `from`; a 30-day period ends with 2 days).
    pub fn partial_last_week(&self) -> Option<i64> {
        let days = (self.to - self.from).num_days() + 1;
        (days % 7 != 0).then_some(days % 7)
    }

    /// The KPI with this key.
    pub fn get(&self, key: &str) -> Option<&Kpi> {
        self.kpis.iter().find(|k| k.key == key)
    }
}

/// Change from `previous` to `value`: a difference for rates and scores
/// (percentage points / score points), a relative change for amounts.
pub fn change(unit: KpiUnit, value: Option<f64>, previous: Option<f64>) -> Option<f64> {
    let (v, p) = (value?, previous?);
    match unit {
        KpiUnit::Rate | KpiUnit::Score => Some(v - p),
        _ => (p != 0.0).then(|| (v - p) / p.abs()),
    }
}

crate::__wire! {
    /// Whether a target is a floor or a ceiling.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum Comparison {
        AtLeast,
        AtMost,
    }
}

crate::__wire! {
    /// Where a target stands.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum TargetStatus {
        /// Reached before the deadline (or at it).
        Met,
        /// Not reached yet, at or ahead of the straight path from the
        /// baseline to the target.
        OnTrack,
        /// Behind the straight path.
        Behind,
        /// The deadline passed without reaching it.
        Missed,
        /// No value to compare yet.
        NoData,
    }
}

/// KPI keys a target may be set on (the dashboard's keys).
pub const TARGET_KPIS: [&str; 15] = [
    "members",
    "active_members",
    "new_members",
    "retention_rate",
    "churn_rate",
    "repeat_purchase_rate",
    "points_issued",
    "points_redeemed",
    "points_expired",
    "redemption_rate",
    "breakage",
    "outstanding_points",
    "liability",
    "nps",
    "csat",
];

crate::__wire! {
    /// A target to set: the KPI (as measured over the last 30 days) should
    /// be at least / at most `target` by `deadline`. Rates are fractions
    /// (0.65 = 65 %), NPS −100…100, CSAT 0–100 (% of 4–5 ratings).
    pub struct TargetDraft {
        pub kpi: String,
        pub comparison: Comparison,
        pub target: f64,
        /// Set the target as this change from the baseline (the KPI over
        /// the last 30 days when the target is saved), in the KPI's wire
        /// units ("retention +5 %" is 0.05): the server then works out
        /// `target` itself.
        #[serde(default)]
        pub change: Option<f64>,
        pub deadline: NaiveDate,
        /// A staff user id.
        pub owner_id: i64,
        #[serde(default)]
        pub note: String,
    }
}

impl TargetDraft {
    /// What is wrong, as (field, message).
    pub fn problems(&self, today: NaiveDate) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if !TARGET_KPIS.contains(&self.kpi.as_str()) {
            out.push(("kpi".into(), "Choose a KPI from the list.".into()));
        }
        if !self.target.is_finite() {
            out.push(("target".into(), "Give the target as a number.".into()));
        } else if self.kpi.ends_with("_rate") || self.kpi == "breakage" {
            if !(0.0..=1.0).contains(&self.target) {
                out.push((
                    "target".into(),
                    "A rate target is between 0 % and 100 %.".into(),
                ));
            }
        } else if self.kpi == "nps" {
            if !(-100.0..=100.0).contains(&self.target) {
                out.push(("target".into(), "NPS is between -100 and 100.".into()));
            }
        } else if self.kpi == "csat" {
            if !(0.0..=100.0).contains(&self.target) {
                out.push(("target".into(), "CSAT is between 0 and 100.".into()));
            }
        } else if self.target < 0.0 {
            out.push(("target".into(), "The target cannot be negative.".into()));
        }
        if self.deadline <= today {
            out.push((
                "deadline".into(),
                "The deadline must be after today.".into(),
            ));
        }
        if self.note.chars().count() > 500 {
            out.push(("note".into(), "Use at most 500 characters.".into()));
        }
        out
    }
}

crate::__wire! {
    /// A target with where it stands.
    pub struct Target {
        pub id: i64,
        pub kpi: String,
        pub unit: KpiUnit,
        pub comparison: Comparison,
        pub target: f64,
        /// The KPI when the target was set, and that day.
        pub baseline: Option<f64>,
        pub start: NaiveDate,
        pub deadline: NaiveDate,
        pub owner_id: i64,
        pub owner: String,
        pub note: String,
        /// The KPI over the last 30 days, today.
        pub actual: Option<f64>,
        /// Where the straight path from baseline to target is today.
        pub expected: Option<f64>,
        pub status: TargetStatus,
        /// Recorded values (at most one a day), oldest first.
        pub checks: Vec<(NaiveDate, f64)>,
    }
}

/// The straight path's value on `day` from `baseline` on `start` to
/// `target` on `deadline`.
pub fn path_value(
    baseline: f64,
    target: f64,
    start: NaiveDate,
    deadline: NaiveDate,
    day: NaiveDate,
) -> f64 {
    let total = (deadline - start).num_days().max(1) as f64;
    let done = ((day - start).num_days() as f64).clamp(0.0, total);
    baseline + (target - baseline) * done / total
}

/// Where a target stands on `today` (see [`TargetStatus`]), and the path's
/// value today.
pub fn target_status(
    comparison: Comparison,
    target: f64,
    baseline: Option<f64>,
    start: NaiveDate,
    deadline: NaiveDate,
    today: NaiveDate,
    actual: Option<f64>,
) -> (TargetStatus, Option<f64>) {
    let expected = baseline.map(|b| path_value(b, target, start, deadline, today));
    let Some(a) = actual else {
        return (TargetStatus::NoData, expected);
    };
    let at_or_beyond = |x: f64, y: f64| match comparison {
        Comparison::AtLeast => x >= y - 1e-9,
        Comparison::AtMost => x <= y + 1e-9,
    };
    let status = if at_or_beyond(a, target) {
        TargetStatus::Met
    } else if today > deadline {
        TargetStatus::Missed
    } else if expected.is_none_or(|e| at_or_beyond(a, e)) {
        TargetStatus::OnTrack
    } else {
        TargetStatus::Behind
    };
    (status, expected)
}

crate::__wire! {
    /// A join-month cohort: its size and the share active k months after
    /// joining (k = 0, 1, …; `None` for months not yet reached).
    pub struct Cohort {
        /// `YYYY-MM`.
        pub month: String,
        pub size: i64,
        pub retained: Vec<Option<f64>>,
    }
}

crate::__wire! {
    /// `GET /analytics/trends`: monthly figures over the last 12 months.
    pub struct Trends {
        /// `YYYY-MM`, oldest first.
        pub months: Vec<String>,
        /// Members with a purchase in each month.
        pub active: Vec<i64>,
        /// Tier names, lowest first, and members per tier at each month's
        /// end: `tier_counts[tier][month]`.
        pub tiers: Vec<String>,
        pub tier_counts: Vec<Vec<i64>>,
        pub cohorts: Vec<Cohort>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_ends_with_a_short_week_unless_it_is_whole_weeks() {
        let d = |from: &str, to: &str| KpiDashboard {
            from: from.parse().unwrap(),
            to: to.parse().unwrap(),
            previous_from: from.parse().unwrap(),
            previous_to: to.parse().unwrap(),
            currency: "CNY".into(),
            kpis: Vec::new(),
        };
        assert_eq!(d("2031-01-01", "2031-01-30").partial_last_week(), Some(2));
        assert_eq!(d("2031-01-01", "2031-01-28").partial_last_week(), None);
        assert_eq!(d("2031-01-01", "2031-01-01").partial_last_week(), Some(1));
        assert_eq!(d("2030-01-01", "2030-12-31").partial_last_week(), Some(1));
    }

    #[test]
    fn rates_change_in_points_and_amounts_relatively() {
        assert_eq!(
            change(KpiUnit::Rate, Some(0.30), Some(0.25)).map(|x| (x * 100.0).round()),
            Some(5.0)
        );
        assert_eq!(
            change(KpiUnit::Members, Some(150.0), Some(100.0)),
            Some(0.5)
        );
        assert_eq!(change(KpiUnit::Points, Some(5.0), Some(0.0)), None);
        assert_eq!(change(KpiUnit::Score, None, Some(3.0)), None);
    }

    #[test]
    fn a_target_is_on_track_on_or_ahead_of_the_straight_path() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let (start, deadline) = (d("2026-01-01"), d("2026-04-11")); // 100 days
                                                                    // Retention 0.60 → 0.65: halfway the path is at 0.625.
        let mid = d("2026-02-20");
        assert!((path_value(0.60, 0.65, start, deadline, mid) - 0.625).abs() < 1e-9);
        let st = |a: f64, day| {
            target_status(
                Comparison::AtLeast,
                0.65,
                Some(0.60),
                start,
                deadline,
                day,
                Some(a),
            )
            .0
        };
        assert_eq!(st(0.63, mid), TargetStatus::OnTrack);
        assert_eq!(st(0.625, mid), TargetStatus::OnTrack);
        assert_eq!(st(0.62, mid), TargetStatus::Behind);
        assert_eq!(st(0.65, mid), TargetStatus::Met);
        assert_eq!(st(0.64, d("2026-04-12")), TargetStatus::Missed);
        // A ceiling (churn at most 10 %) runs the other way.
        let (s2, e2) = target_status(
            Comparison::AtMost,
            0.10,
            Some(0.20),
            start,
            deadline,
            mid,
            Some(0.14),
        );
        assert_eq!(s2, TargetStatus::OnTrack);
        assert!((e2.unwrap() - 0.15).abs() < 1e-9);
        assert_eq!(
            target_status(
                Comparison::AtMost,
                0.10,
                Some(0.20),
                start,
                deadline,
                mid,
                None
            )
            .0,
            TargetStatus::NoData
        );
    }

    #[test]
    fn target_drafts_are_checked_against_the_kpi() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let t = TargetDraft {
            kpi: "retention_rate".into(),
            comparison: Comparison::AtLeast,
            target: 65.0,
            change: None,
            deadline: today,
            owner_id: 1,
            note: String::new(),
        };
        let p: Vec<String> = t.problems(today).into_iter().map(|x| x.0).collect();
        assert_eq!(p, vec!["target", "deadline"]);
        let ok = TargetDraft {
            target: 0.65,
            deadline: today.succ_opt().unwrap(),
            ..t
        };
        assert!(ok.problems(today).is_empty());
    }
}
