//! Earning rules, recorded purchases (transactions) and returns.
//!
//! `rules`: the earning rules; `transactions`: recorded purchases and their
//! earn entries; `returns`: points taken back on a return.

mod returns;
mod rules;
mod transactions;

pub use transactions::{EarnRefusal, NewPurchase};
