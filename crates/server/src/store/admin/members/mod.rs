//! The admin member table, a member's full record, manual adjustments and
//! blocking.
//!
//! `list` (the table and its filters), `profile` (the member's record) and
//! `adjust` (adjustments and blocking).

mod adjust;
mod list;
mod profile;

pub use adjust::AdjustRefusal;
pub use profile::MemberFacts;
