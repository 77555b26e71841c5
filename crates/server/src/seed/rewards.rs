//! The seeded rewards catalogue.

/// A seeded reward: (name, description, category, cost, stock, per-member
/// limit, index of the lowest tier allowed).
pub type SeedReward = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<i64>,
    Option<i64>,
    Option<usize>,
);

pub const REWARDS: [SeedReward; 8] = [
    (
        "¥10 voucher",
        "Ten yuan off your next order",
        "voucher",
        1_000,
        None,
        None,
        None,
    ),
    (
        "¥50 voucher",
        "Fifty yuan off orders over ¥200",
        "voucher",
        4_500,
        None,
        None,
        None,
    ),
    (
        "Free delivery",
        "Free delivery on one order",
        "service",
        600,
        None,
        Some(4),
        None,
    ),
    (
        "Tea gift set",
        "Oolong tasting set",
        "gift",
        3_000,
        Some(500),
        Some(1),
        None,
    ),
    (
        "Cinema tickets",
        "Two tickets, any screening",
        "experience",
        5_000,
        Some(200),
        Some(2),
        Some(1),
    ),
    (
        "Birthday cake",
        "A cake from our bakery partner",
        "gift",
        2_500,
        Some(300),
        Some(1),
        None,
    ),
    (
        "Lounge pass",
        "Airport lounge day pass",
        "experience",
        9_000,
        Some(100),
        Some(1),
        Some(2),
    ),
    (
        "Spa weekend",
        "Two nights for two",
        "experience",
        40_000,
        Some(10),
        Some(1),
        Some(3),
    ),
];
