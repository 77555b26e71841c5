//! The at-risk list: members whose churn score is at or above the line.

use super::churn::ChurnReason;
use super::rfm::RfmSegment;

crate::__wire! {
    /// One row of the at-risk list.
    pub struct AtRiskMember {
        pub id: i64,
        pub name: String,
        pub email: String,
        pub tier: String,
        pub churn_score: i64,
        pub reasons: Vec<(i64, ChurnReason)>,
        pub segment: RfmSegment,
        pub last_purchase_at: Option<i64>,
        /// Net spend in the RFM window.
        pub monetary_minor: i64,
    }
}

crate::__wire! {
    /// A page of at-risk members.
    pub struct AtRiskPage {
        pub members: Vec<AtRiskMember>,
        pub total: i64,
        pub offset: i64,
        /// When the scores were computed (unix seconds).
        pub computed_at: Option<i64>,
    }
}

/// Sorts of the at-risk list.
pub const AT_RISK_SORTS: [&str; 4] = ["score", "last_purchase", "spend", "name"];
