//! Programme analytics.

use patron_core::kpi::KpiDashboard;

use super::{client, ApiError};

/// The KPIs for `query` (`days=30` or `from=…&to=…`).
pub async fn kpis(query: String) -> Result<KpiDashboard, ApiError> {
    client::get(&format!("/analytics/kpis?{query}")).await
}
