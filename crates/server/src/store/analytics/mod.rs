//! Analytics reads, named as in core `analytics/` and `routes/analytics/`:
//! `kpi` (a period's figures), `trends` (monthly trends, cohorts),
//! `targets` (KPI targets), `scores` (RFM and churn scores, the at-risk
//! list), `activity` (the in-memory index of purchase times that the
//! distinct-member counts read).

pub mod activity;
pub mod kpi;
pub mod scores;
pub mod targets;
pub mod trends;
