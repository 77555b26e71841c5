//! Plain Rust behind the at-risk list and the analytics charts and targets,
//! so it is tested natively. (The segment builder's is `segments::model`.)

use chrono::NaiveDate;
use patron_core::analytics::AT_RISK_SORTS;
use patron_core::kpi::{path_value, Target};
use patron_core::segments::{Condition, SegmentDefinition};

/// Whether a KPI's values are fractions shown (and typed) as percent.
pub fn is_rate_kpi(kpi: &str) -> bool {
    kpi.ends_with("_rate") || kpi == "breakage"
}

/// Whether a KPI is money (minor units on the wire, typed in major units).
pub fn is_money_kpi(kpi: &str) -> bool {
    kpi == "liability"
}

/// The target as sent: percent typed for rates becomes a fraction, money
/// typed in major units becomes minor units.
pub fn target_value(kpi: &str, typed: &str) -> f64 {
    let v: f64 = typed.trim().replace(',', "").parse().unwrap_or(f64::NAN);
    if is_rate_kpi(kpi) {
        v / 100.0
    } else if is_money_kpi(kpi) {
        (v * 100.0).round()
    } else {
        v
    }
}

/// The target as sent when the typed number is a change from the current
/// value ("retention +5"): the current wire value plus the typed change in
/// wire units; `None` without a current value.
pub fn target_by_change(kpi: &str, typed: &str, current: Option<f64>) -> Option<f64> {
    Some(current? + target_value(kpi, typed))
}

/// A target's chart: day labels (start, each check, deadline, in order),
/// the straight planned path and the recorded values (NaN where a day has
/// none; the path is all NaN without a baseline). Rates are scaled to
/// percent, money to major units.
pub fn target_path(t: &Target) -> (Vec<NaiveDate>, Vec<f64>, Vec<f64>) {
    let mut days: Vec<NaiveDate> = std::iter::once(t.start)
        .chain(t.checks.iter().map(|c| c.0))
        .chain(std::iter::once(t.deadline))
        .collect();
    days.sort();
    days.dedup();
    let scale = if is_rate_kpi(&t.kpi) {
        100.0
    } else if is_money_kpi(&t.kpi) {
        0.01
    } else {
        1.0
    };
    let planned = days
        .iter()
        .map(|d| match t.baseline {
            Some(b) => path_value(b, t.target, t.start, t.deadline, *d) * scale,
            None => f64::NAN,
        })
        .collect();
    let actual = days
        .iter()
        .map(|d| {
            t.checks
                .iter()
                .find(|c| c.0 == *d)
                .map(|c| c.1 * scale)
                .unwrap_or(f64::NAN)
        })
        .collect();
    (days, planned, actual)
}

/// Cohort retention as a grid `[cohort][months since joining]` (fractions),
/// with as many columns as the longest cohort.
pub fn cohort_grid(retained: &[Vec<Option<f64>>]) -> Vec<Vec<Option<f64>>> {
    let width = retained.iter().map(Vec::len).max().unwrap_or(0);
    retained
        .iter()
        .map(|r| (0..width).map(|k| r.get(k).copied().flatten()).collect())
        .collect()
}

/// The at-risk list's state, as kept in the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtRiskView {
    pub sort: String,
    pub desc: bool,
    pub page: i64,
}

impl AtRiskView {
    /// From query values; unknown sorts fall back to the score.
    pub fn from_query(sort: Option<&str>, desc: Option<&str>, page: Option<&str>) -> Self {
        let sort = sort
            .filter(|s| AT_RISK_SORTS.contains(s))
            .unwrap_or("score")
            .to_string();
        // Names read A→Z by default; the rest biggest or latest first.
        let desc = desc.map(|d| d == "true").unwrap_or(sort != "name");
        let page = page.and_then(|p| p.parse().ok()).unwrap_or(0i64).max(0);
        AtRiskView { sort, desc, page }
    }

    /// The query string (no `?`).
    pub fn to_query(&self) -> String {
        let mut q = format!("sort={}&desc={}", self.sort, self.desc);
        if self.page > 0 {
            q.push_str(&format!("&page={}", self.page));
        }
        q
    }

    /// Sorting by `column`: the other direction when already sorted by it,
    /// else its natural direction; back to the first page.
    pub fn sorted_by(&self, column: &str) -> Self {
        let desc = if self.sort == column {
            !self.desc
        } else {
            column != "name"
        };
        AtRiskView {
            sort: column.to_string(),
            desc,
            page: 0,
        }
    }
}

/// Number of pages for `total` rows, `per` a page (at least one).
pub fn page_count(total: i64, per: i64) -> i64 {
    ((total.max(0) + per - 1) / per.max(1)).max(1)
}

/// The definition of a win-back segment: every at-risk member.
pub fn at_risk_definition() -> SegmentDefinition {
    SegmentDefinition::single(Condition::AtRisk { value: true })
}

#[cfg(test)]
mod tests {
    use super::*;
    use patron_core::kpi::{Comparison, KpiUnit, TargetStatus};

    #[test]
    fn rate_targets_are_typed_in_percent_and_sent_as_fractions() {
        assert!((target_value("retention_rate", "65") - 0.65).abs() < 1e-9);
        assert!((target_value("breakage", "10") - 0.10).abs() < 1e-9);
        assert_eq!(target_value("members", "5000"), 5000.0);
        assert_eq!(target_value("liability", "12.5"), 1250.0);
        assert!(target_value("nps", "abc").is_nan());
    }

    #[test]
    fn a_change_is_added_to_the_current_value_in_wire_units() {
        // Retention 62 % now, +5 points: 67 %.
        let t = target_by_change("retention_rate", "5", Some(0.62)).unwrap();
        assert!((t - 0.67).abs() < 1e-9);
        // CSAT 80, −2.5: 77.5; liability 1,000.00 + 12.50 in minor units.
        assert_eq!(target_by_change("csat", "-2.5", Some(80.0)), Some(77.5));
        assert_eq!(
            target_by_change("liability", "12.5", Some(100_000.0)),
            Some(101_250.0)
        );
        assert_eq!(target_by_change("nps", "5", None), None);
    }

    #[test]
    fn a_target_path_runs_from_baseline_to_target_with_checks_between() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let t = Target {
            id: 1,
            kpi: "retention_rate".into(),
            unit: KpiUnit::Rate,
            comparison: Comparison::AtLeast,
            target: 0.65,
            baseline: Some(0.60),
            start: d("2026-01-01"),
            deadline: d("2026-04-11"),
            owner_id: 1,
            owner: "A".into(),
            note: String::new(),
            actual: Some(0.62),
            expected: Some(0.625),
            status: TargetStatus::Behind,
            checks: vec![(d("2026-02-20"), 0.62)],
        };
        let (days, planned, actual) = target_path(&t);
        assert_eq!(days.len(), 3);
        assert!((planned[0] - 60.0).abs() < 1e-9);
        assert!((planned[1] - 62.5).abs() < 1e-9);
        assert!((planned[2] - 65.0).abs() < 1e-9);
        assert!(actual[0].is_nan() && (actual[1] - 62.0).abs() < 1e-9);
    }

    #[test]
    fn cohorts_fill_months_not_reached_with_gaps() {
        let g = cohort_grid(&[vec![Some(1.0), Some(0.5)], vec![Some(1.0)]]);
        assert_eq!(g, vec![vec![Some(1.0), Some(0.5)], vec![Some(1.0), None]]);
    }

    #[test]
    fn the_at_risk_view_round_trips_and_flips_direction() {
        let v = AtRiskView::from_query(None, None, None);
        assert_eq!(v.to_query(), "sort=score&desc=true");
        let n = v.sorted_by("name");
        assert_eq!((n.sort.as_str(), n.desc), ("name", false));
        assert!(n.sorted_by("name").desc);
        let p = AtRiskView::from_query(Some("spend"), Some("false"), Some("3"));
        assert_eq!(p.to_query(), "sort=spend&desc=false&page=3");
        assert_eq!(
            AtRiskView::from_query(Some("evil"), None, None).sort,
            "score"
        );
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(101, 50), 3);
    }
}
