//! Deterministic demo data: a programme, tiers, rewards, members with 13
//! months of purchases and a ledger that reconciles (earn, spend, reverse,
//! expire, pending), plus the three demo sign-ins. Same seed and day, same data.
//!
//! `accounts` (the sign-ins), `programme` (settings, tiers, policy),
//! `rewards` (the catalogue), `people` (who members are), `members` (one
//! member's purchases and ledger), `rows` (what it produces), `rng`.

mod accounts;
mod members;
mod people;
mod programme;
mod rewards;
mod rng;
mod rows;

pub use accounts::*;
pub use members::*;
pub use programme::*;
pub use rewards::*;
pub use rng::*;
pub use rows::*;

#[cfg(test)]
mod tests;
