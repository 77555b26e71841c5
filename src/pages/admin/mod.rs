//! The admin console.

#[cfg(feature = "console")]
pub mod analytics;
pub mod analytics_model;
pub mod at_risk;
pub mod audit;
pub mod home;
pub mod member;
pub mod members;
pub mod nav;
pub mod rewards;
pub mod rules;
#[cfg(feature = "console")]
pub mod segment;
#[cfg(feature = "console")]
pub mod segment_builder;
#[cfg(feature = "console")]
pub mod segment_charts;
pub mod segment_words;
pub mod segments;
pub mod settings;
pub mod staff;
#[cfg(feature = "console")]
pub mod targets;
pub mod tiers;
#[cfg(feature = "console")]
pub mod trends;
