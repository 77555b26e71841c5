//! The member portal.

pub mod dashboard;
pub mod history;
pub mod rewards;
pub mod tiers;
pub mod wallet;
