//! The programme as seeded: its name, zone, pending days and expiry, the
//! tiers with their perks, and the tier policy.

use patron_core::summary::{TierBasis, TierRef, TierWindow};
use patron_core::tiers::TierPolicy;

pub const PROGRAMME_NAME: &str = "Lotus Rewards";
pub const TIME_ZONE: &str = "Asia/Shanghai";
pub const PENDING_DAYS: i64 = 14;
pub const EXPIRY_MONTHS: i64 = 12;

/// The seeded tiers: (name, threshold in points earned over 12 months, colour).
pub const TIERS: [(&str, i64, &str); 4] = [
    ("Jade", 0, "#3f8f6b"),
    ("Silver", 2_000, "#8a94a6"),
    ("Gold", 6_000, "#c79a2b"),
    ("Platinum", 15_000, "#5b5f97"),
];

/// Perks per seeded tier, one per line in storage.
pub const TIER_PERKS: [&[&str]; 4] = [
    &["1 point per ¥1", "Birthday bonus 200 points"],
    &[
        "1.25 points per ¥1",
        "Free delivery twice a year",
        "Birthday bonus 300 points",
    ],
    &[
        "1.5 points per ¥1",
        "Free delivery",
        "Early access to sales",
        "Birthday bonus 500 points",
    ],
    &[
        "1.75 points per ¥1",
        "Free delivery",
        "Priority support",
        "Lounge pass each year",
        "Birthday bonus 800 points",
    ],
];

/// The tiers as the seed creates them (ids 1..).
pub fn seeded_tiers() -> Vec<TierRef> {
    TIERS
        .iter()
        .enumerate()
        .map(|(i, (name, threshold, colour))| TierRef {
            id: i as i64 + 1,
            name: name.to_string(),
            threshold: *threshold,
            colour: colour.to_string(),
        })
        .collect()
}

/// The seeded tier policy.
pub fn seeded_policy() -> TierPolicy {
    TierPolicy {
        basis: TierBasis::PointsEarned,
        window: TierWindow::RollingMonths { months: 12 },
    }
}
