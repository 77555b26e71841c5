//! The member portal.

pub mod dashboard;
pub mod feedback;
pub mod history;
pub mod messages;
pub mod profile;
pub mod referral;
pub mod rewards;
pub mod tickets;
pub mod tiers;
pub mod wallet;
