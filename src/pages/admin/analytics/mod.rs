//! Analytics pages: the KPI dashboard (`/analytics`: `dashboard`, with its
//! `trends` charts and KPI `targets`), the at-risk list (`/admin/at-risk`),
//! the KPIs in `words`, and the plain Rust behind them (`model`, tested
//! natively). Named as in core `analytics/` and `routes/analytics/`.

pub mod at_risk;
#[cfg(feature = "console")]
pub mod dashboard;
pub mod model;
#[cfg(feature = "console")]
pub mod targets;
#[cfg(feature = "console")]
pub mod trends;
#[cfg(feature = "console")]
pub mod words;
