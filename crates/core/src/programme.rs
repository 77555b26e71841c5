//! What the programme offers: its tiers side by side.

use crate::summary::{TierBasis, TierRef, TierWindow};

crate::__wire! {
    /// A tier with what it gives.
    pub struct TierInfo {
        pub tier: TierRef,
        /// Earn multiplier in percent (125 = 1.25×).
        pub earn_multiplier_pct: i64,
        pub perks: Vec<String>,
    }
}

crate::__wire! {
    /// `GET /tiers`: every active tier, lowest first, and the policy.
    pub struct TierList {
        pub tiers: Vec<TierInfo>,
        pub basis: TierBasis,
        pub window: TierWindow,
    }
}
