//! Programme analytics: the KPI dashboard (admins and support agents read),
//! and the scores behind the at-risk list (admins only: it lists members
//! with their contact details).
//!
//! Files: `kpi` (the KPIs of a period against the one before), `trends`
//! (monthly trends), `targets` (KPI targets and where each stands),
//! `at_risk` (the at-risk list and its export), `scores` (the scoring job).

mod at_risk;
mod kpi;
mod scores;
mod targets;
mod trends;

pub use at_risk::*;
pub use kpi::*;
pub use scores::*;
pub use targets::*;
pub use trends::*;
