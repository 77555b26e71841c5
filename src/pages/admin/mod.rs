//! The admin console.

#[cfg(feature = "console")]
pub mod analytics;
pub mod analytics_model;
pub mod at_risk;
pub mod audit;
pub mod earning;
pub mod expiry;
pub mod home;
#[cfg(feature = "console")]
pub mod kpi_words;
pub mod member;
pub mod members;
pub mod nav;
pub mod rewards;
pub mod segments;
pub mod settings;
pub mod staff;
#[cfg(feature = "console")]
pub mod targets;
pub mod tiers;
#[cfg(feature = "console")]
pub mod trends;
