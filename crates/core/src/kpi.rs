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

#[cfg(test)]
mod tests {
    use super::*;

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
}
