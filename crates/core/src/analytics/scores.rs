//! A member's stored RFM scores and churn risk, and the scoring job's runs
//! and window.

use super::churn::ChurnReason;
use super::rfm::RfmSegment;

crate::__wire! {
    /// A member's stored RFM scores and churn risk (refreshed by the
    /// server's scoring job).
    pub struct MemberScores {
        pub r: u8,
        pub f: u8,
        pub m: u8,
        pub segment: RfmSegment,
        /// Purchases and net spend in the RFM window.
        pub frequency: i64,
        pub monetary_minor: i64,
        /// `None`: never bought.
        pub churn_score: Option<i64>,
        pub at_risk: bool,
        /// (points, reason), biggest first.
        pub reasons: Vec<(i64, ChurnReason)>,
        pub window_days: i64,
        /// Unix seconds.
        pub computed_at: i64,
    }
}

crate::__wire! {
    /// The scoring job's last run.
    pub struct ScoreRun {
        pub started_at: i64,
        pub finished_at: i64,
        pub window_days: i64,
        pub members: i64,
        pub at_risk: i64,
    }
}

/// The RFM window an admin may choose, in days.
pub const RFM_WINDOW_DAYS: std::ops::RangeInclusive<i64> = 30..=1095;

/// What is wrong with an RFM window, if anything.
pub fn window_problem(days: i64) -> Option<&'static str> {
    (!RFM_WINDOW_DAYS.contains(&days)).then_some("The RFM window is 30 to 1,095 days.")
}
