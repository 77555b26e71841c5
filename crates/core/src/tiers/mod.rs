//! Tiers under an explicit policy: what counts (basis), over which period
//! (window), and what it takes to reach the next tier or keep this one.
//!
//! `window`: which activity counts on a day, and the bounds of a window;
//! `progress`: where a member stands and what it takes to move up or stay;
//! `recalculation`: how a recorded tier moves at a recalculation run.

mod progress;
mod recalculation;
mod window;

#[cfg(test)]
mod tests;

pub use progress::{percent_to_next, progress, progress_held, tier_index, Activity, TierPolicy};
pub use recalculation::{earned_index, recalculated, Downgrade};
pub use window::{window_bounds, WindowBounds};
