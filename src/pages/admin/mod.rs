//! The admin console.

pub mod analytics;
pub mod audit;
pub mod home;
pub mod member;
pub mod members;
pub mod nav;
pub mod rewards;
pub mod rules;
pub mod settings;
pub mod staff;
pub mod tiers;
