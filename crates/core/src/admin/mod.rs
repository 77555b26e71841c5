//! The admin console's wire types: programme settings, the tier editor and
//! its impact preview, members, adjustments, rewards, audit log and staff.
//!
//! One file per capability, named as in the server's `store/admin/` and
//! `routes/admin/` and the SPA's `pages/admin/`: `settings`, `tiers`,
//! `earning`, `members`, `rewards`, `audit`, `staff`.

mod audit;
mod earning;
mod members;
mod rewards;
mod settings;
mod staff;
mod tiers;

pub use crate::expiry::ExpiryRule;

pub use audit::*;
pub use earning::*;
pub use members::*;
pub use rewards::*;
pub use settings::*;
pub use staff::*;
pub use tiers::*;

#[cfg(test)]
mod tests;
