//! Campaigns to segments, measured against a holdout (issue 19): the wire
//! types of the admin's campaigns (`types`), what a draft must be (`rules`) and the report's arithmetic
//! (`stats`: arms, attribution, lift, ROI, the A/B winner).

pub mod rules;
pub mod stats;
pub mod types;

pub use rules::*;
pub use stats::*;
pub use types::*;
