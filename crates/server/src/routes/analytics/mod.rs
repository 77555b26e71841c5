//! Programme analytics: the KPI dashboard. Admins and support agents read.
//!
//! Files: `kpi` (the KPIs of a period against the one before), `trends`
//! (monthly trends), `targets` (KPI targets and where each stands).

mod kpi;
mod targets;
mod trends;

pub use kpi::*;
pub use targets::*;
pub use trends::*;
