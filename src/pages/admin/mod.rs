//! The admin console.

pub mod analytics;
pub mod audit;
pub mod earning;
pub mod expiry;
pub mod home;
pub mod member;
pub mod members;
pub mod messaging;
pub mod nav;
pub mod rewards;
pub mod segments;
pub mod settings;
pub mod staff;
pub mod tiers;
