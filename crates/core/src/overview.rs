//! Landing-page facts for staff.

crate::__wire! {
    /// Members per tier.
    pub struct TierCount {
        pub tier: String,
        pub members: i64,
    }
}

crate::__wire! {
    /// `GET /admin/overview`: the programme at a glance (admins only).
    pub struct AdminOverview {
        pub programme_name: String,
        pub currency: String,
        pub members: i64,
        pub active_members_90d: i64,
        pub tiers: Vec<TierCount>,
        /// Points members hold right now (available + pending).
        pub outstanding_points: i64,
        /// Outstanding points × point value, in minor currency units.
        pub liability_minor: i64,
    }
}

crate::__wire! {
    /// `GET /support/overview`: what the desk looks after (support and admins).
    pub struct SupportOverview {
        pub programme_name: String,
        pub members: i64,
        pub staff_on_desk: i64,
    }
}
