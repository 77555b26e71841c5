//! An explainable churn-risk score with its reasons.
//!
//! ## Churn risk
//! A score from 0 to 100, the sum of these parts (each with its reason):
//! * **overdue**: days since the last purchase against the member's own
//!   usual gap (median days between their purchases; 90 when they bought
//!   once): nothing up to 1× the gap, then 30 points per extra gap, at most 60;
//! * **fewer orders**: orders in the last 90 days at most half of the 90
//!   days before (and there were some): 15;
//! * **less spend**: spend in the last 90 days at most half of the 90 days
//!   before: 10;
//! * **open complaints**: 10 each, at most 20;
//! * **unhappy**: the latest NPS answer is a detractor (0–6): 10; or it
//!   fell by 3 or more since the one before: 10.
//!
//! A member is **at risk** at 50 or more. Never-buying members have no score.

crate::__wire! {
    /// Why a member's churn risk is what it is (numbers, so any language
    /// can say it).
    #[derive(Eq)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    pub enum ChurnReason {
        /// No purchase for `days`; usually every `usual_days`.
        Overdue { days: i64, usual_days: i64 },
        /// `recent` orders in the last 90 days against `before` in the 90 before.
        FewerOrders { recent: i64, before: i64 },
        /// Spend in the last 90 days against the 90 before (minor units).
        LessSpend { recent_minor: i64, before_minor: i64 },
        /// Complaints not yet resolved.
        OpenComplaints { count: i64 },
        /// The latest NPS answer, and the one before it if any.
        Unhappy { latest: i64, previous: Option<i64> },
    }
}

impl ChurnReason {
    /// The reason in English (CSV exports, logs).
    pub fn text(&self) -> String {
        match self {
            ChurnReason::Overdue { days, usual_days } => {
                format!("no purchase for {days} days; usually every {usual_days}")
            }
            ChurnReason::FewerOrders { recent, before } => {
                format!("{recent} orders in the last 90 days, {before} in the 90 before")
            }
            ChurnReason::LessSpend {
                recent_minor,
                before_minor,
            } => format!(
                "spent {:.2} in the last 90 days, {:.2} in the 90 before",
                *recent_minor as f64 / 100.0,
                *before_minor as f64 / 100.0
            ),
            ChurnReason::OpenComplaints { count } => format!("{count} unresolved complaint(s)"),
            ChurnReason::Unhappy {
                latest,
                previous: Some(p),
            } => {
                format!("NPS answer fell from {p} to {latest}")
            }
            ChurnReason::Unhappy {
                latest,
                previous: None,
            } => {
                format!("last NPS answer was {latest}")
            }
        }
    }
}

/// What the churn score needs about one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChurnInput {
    /// Purchase days (days since an epoch, any order).
    pub purchase_days: Vec<i64>,
    /// Spend per purchase, same order as `purchase_days`.
    pub purchase_minor: Vec<i64>,
    /// Today, on the same day scale.
    pub today: i64,
    pub open_complaints: i64,
    /// NPS answers, oldest first.
    pub nps: Vec<i64>,
}

crate::__wire! {
    /// A churn-risk score with its reasons, biggest first.
    pub struct ChurnRisk {
        /// 0–100.
        pub score: i64,
        pub at_risk: bool,
        /// (points, reason), biggest first.
        pub reasons: Vec<(i64, ChurnReason)>,
    }
}

/// Score at or above which a member is at risk.
pub const AT_RISK: i64 = 50;

/// The member's churn risk (see the module documentation); `None` for
/// members who never bought.
pub fn churn_risk(x: &ChurnInput) -> Option<ChurnRisk> {
    let mut days = x.purchase_days.clone();
    days.sort_unstable();
    let last = *days.last()?;
    let since = (x.today - last).max(0);
    let usual = if days.len() >= 2 {
        let mut gaps: Vec<i64> = days.windows(2).map(|w| w[1] - w[0]).collect();
        gaps.sort_unstable();
        let mid = gaps.len() / 2;
        let median = if gaps.len().is_multiple_of(2) {
            (gaps[mid - 1] + gaps[mid]) / 2
        } else {
            gaps[mid]
        };
        median.max(1)
    } else {
        90
    };
    let mut reasons: Vec<(i64, ChurnReason)> = Vec::new();
    // 30 points per full extra usual gap beyond the first, at most 60.
    if since > usual {
        let pts = ((since - usual) * 30 / usual).min(60);
        if pts > 0 {
            reasons.push((
                pts,
                ChurnReason::Overdue {
                    days: since,
                    usual_days: usual,
                },
            ));
        }
    }
    let in_range = |from: i64, to: i64| {
        x.purchase_days
            .iter()
            .zip(x.purchase_minor.iter().chain(std::iter::repeat(&0)))
            .filter(move |(d, _)| **d > x.today - to && **d <= x.today - from)
    };
    let (recent_n, recent_s) = in_range(0, 90).fold((0, 0), |(n, s), (_, m)| (n + 1, s + m));
    let (before_n, before_s) = in_range(90, 180).fold((0, 0), |(n, s), (_, m)| (n + 1, s + m));
    if before_n > 0 && recent_n * 2 <= before_n {
        reasons.push((
            15,
            ChurnReason::FewerOrders {
                recent: recent_n,
                before: before_n,
            },
        ));
    }
    if before_s > 0 && recent_s * 2 <= before_s {
        reasons.push((
            10,
            ChurnReason::LessSpend {
                recent_minor: recent_s,
                before_minor: before_s,
            },
        ));
    }
    if x.open_complaints > 0 {
        reasons.push((
            (x.open_complaints * 10).min(20),
            ChurnReason::OpenComplaints {
                count: x.open_complaints,
            },
        ));
    }
    if let Some(&latest) = x.nps.last() {
        let previous = x.nps.len().checked_sub(2).map(|i| x.nps[i]);
        let fell = previous.is_some_and(|p| p - latest >= 3);
        if latest <= 6 || fell {
            reasons.push((10, ChurnReason::Unhappy { latest, previous }));
        }
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.0));
    let score = reasons.iter().map(|r| r.0).sum::<i64>().min(100);
    Some(ChurnRisk {
        score,
        at_risk: score >= AT_RISK,
        reasons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn churn_risk_explains_itself() {
        // Bought every 21 days, then nothing for 94 days.
        let days: Vec<i64> = (0..10).map(|i| 1_000 + i * 21).collect();
        let last = *days.last().unwrap();
        let x = ChurnInput {
            purchase_minor: vec![10_000; days.len()],
            purchase_days: days,
            today: last + 94,
            open_complaints: 1,
            nps: vec![9, 5],
        };
        let r = churn_risk(&x).unwrap();
        // overdue: (94 − 21) × 30 / 21 = 104 → capped at 60; complaint 10; NPS fell 9 → 5: 10;
        // the 90 days before had 5 orders, the last 90 days none: 15 + 10.
        assert_eq!(
            r.reasons[0],
            (
                60,
                ChurnReason::Overdue {
                    days: 94,
                    usual_days: 21
                }
            )
        );
        assert_eq!(
            r.reasons[0].1.text(),
            "no purchase for 94 days; usually every 21"
        );
        assert_eq!(r.score, 100);
        assert!(r.at_risk);
        let kinds: Vec<i64> = r.reasons.iter().map(|x| x.0).collect();
        assert_eq!(kinds, vec![60, 15, 10, 10, 10]);
    }

    #[test]
    fn a_regular_customer_on_time_has_no_risk_and_never_buyers_no_score() {
        let days: Vec<i64> = (0..6).map(|i| 100 + i * 30).collect();
        let last = *days.last().unwrap();
        let x = ChurnInput {
            purchase_minor: vec![5_000; 6],
            purchase_days: days,
            today: last + 20,
            open_complaints: 0,
            nps: vec![9, 10],
        };
        let r = churn_risk(&x).unwrap();
        assert_eq!(r.score, 0);
        assert!(r.reasons.is_empty());
        assert!(!r.at_risk);
        let none = ChurnInput {
            purchase_days: vec![],
            purchase_minor: vec![],
            today: 10,
            open_complaints: 2,
            nps: vec![],
        };
        assert_eq!(churn_risk(&none), None);
        // Half a gap late: 15 points, below the at-risk line.
        let x2 = ChurnInput {
            today: last + 45,
            ..x
        };
        let r2 = churn_risk(&x2).unwrap();
        assert_eq!(r2.score, 15);
        assert!(!r2.at_risk);
    }
}
