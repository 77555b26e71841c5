//! Member analytics as pure rules (issue 6 builds the endpoints and pages
//! on these): RFM scores by quintile with named segments, and an
//! explainable churn-risk score with its reasons.
//!
//! Files: `rfm` (scores and named segments), `churn` (the churn-risk score
//! and its reasons), `scores` (a member's stored scores and the scoring
//! job), `at_risk` (the at-risk list).

mod at_risk;
mod churn;
mod rfm;
mod scores;

pub use at_risk::*;
pub use churn::*;
pub use rfm::*;
pub use scores::*;

/// `num / den` as a fraction, `None` when there is nothing to divide by.
pub fn rate(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_need_a_denominator() {
        assert_eq!(rate(1, 4), Some(0.25));
        assert_eq!(rate(3, 0), None);
    }
}
