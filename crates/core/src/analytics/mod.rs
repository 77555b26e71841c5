//! Member analytics as pure rules (issue 6 builds the endpoints and pages
//! on these): RFM scores by quintile with named segments, and an
//! explainable churn-risk score with its reasons.
//!
//! ## RFM
//! Over a window, per member: recency R (days since the last purchase),
//! frequency F (purchases) and monetary M (spend). Each is scored 1–5 by
//! quintile among members who bought in the window (5 = best: most recent,
//! most frequent, highest spend); equal values always get the same score, so
//! a tie never straddles a quintile edge. Members with no purchase in the
//! window score R = F = M = 1.
//!
//! Named segments from R and FM = round((F + M) / 2):
//!
//! | R \ FM | 1 | 2 | 3 | 4 | 5 |
//! |---|---|---|---|---|---|
//! | 5 | new | potential loyalist | potential loyalist | champion | champion |
//! | 4 | new | potential loyalist | potential loyalist | loyal | champion |
//! | 3 | hibernating | hibernating | at risk | loyal | loyal |
//! | 2 | hibernating | hibernating | at risk | at risk | can't lose |
//! | 1 | lost | lost | hibernating | at risk | can't lose |
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
    /// A named RFM segment.
    #[derive(Copy, Eq, Hash, PartialOrd, Ord)]
    #[serde(rename_all = "snake_case")]
    pub enum RfmSegment {
        Champion,
        Loyal,
        PotentialLoyalist,
        New,
        AtRisk,
        CantLose,
        Hibernating,
        Lost,
    }
}

impl RfmSegment {
    pub const ALL: [RfmSegment; 8] = [
        RfmSegment::Champion,
        RfmSegment::Loyal,
        RfmSegment::PotentialLoyalist,
        RfmSegment::New,
        RfmSegment::AtRisk,
        RfmSegment::CantLose,
        RfmSegment::Hibernating,
        RfmSegment::Lost,
    ];

    /// The segment for scores `r` and `fm` (both 1–5; see the table above).
    pub fn of(r: u8, fm: u8) -> Self {
        use RfmSegment::*;
        const GRID: [[RfmSegment; 5]; 5] = [
            [Lost, Lost, Hibernating, AtRisk, CantLose],
            [Hibernating, Hibernating, AtRisk, AtRisk, CantLose],
            [Hibernating, Hibernating, AtRisk, Loyal, Loyal],
            [New, PotentialLoyalist, PotentialLoyalist, Loyal, Champion],
            [
                New,
                PotentialLoyalist,
                PotentialLoyalist,
                Champion,
                Champion,
            ],
        ];
        GRID[(r.clamp(1, 5) - 1) as usize][(fm.clamp(1, 5) - 1) as usize]
    }
}

/// Scores `values` 1–5 by quintile, higher value → higher score (pass
/// negated values to reverse). Equal values get the same score: the score
/// of a value is `1 + floor(5 × (number of smaller values) / n)`.
pub fn quintile_scores(values: &[i64]) -> Vec<u8> {
    let n = values.len();
    if n == 0 {
        return Vec::new();
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    values
        .iter()
        .map(|v| {
            let below = sorted.partition_point(|x| x < v);
            (1 + (5 * below) / n) as u8
        })
        .collect()
}

/// One member's window facts for RFM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RfmInput {
    pub member_id: i64,
    /// Days since the last purchase in the window; `None`: none in it.
    pub recency_days: Option<i64>,
    pub frequency: i64,
    pub monetary_minor: i64,
}

crate::__wire! {
    /// A member's RFM scores and segment.
    #[derive(Copy, Eq)]
    pub struct RfmScore {
        pub member_id: i64,
        pub r: u8,
        pub f: u8,
        pub m: u8,
        pub segment: RfmSegment,
    }
}

/// Scores every member (see the module documentation).
pub fn rfm(members: &[RfmInput]) -> Vec<RfmScore> {
    let buyers: Vec<&RfmInput> = members
        .iter()
        .filter(|m| m.recency_days.is_some())
        .collect();
    let r = quintile_scores(
        &buyers
            .iter()
            .map(|m| -m.recency_days.unwrap_or(0))
            .collect::<Vec<_>>(),
    );
    let f = quintile_scores(&buyers.iter().map(|m| m.frequency).collect::<Vec<_>>());
    let m = quintile_scores(&buyers.iter().map(|m| m.monetary_minor).collect::<Vec<_>>());
    let mut scored = std::collections::HashMap::new();
    for (i, b) in buyers.iter().enumerate() {
        scored.insert(b.member_id, (r[i], f[i], m[i]));
    }
    members
        .iter()
        .map(|x| {
            let (r, f, m) = scored.get(&x.member_id).copied().unwrap_or((1, 1, 1));
            let fm = ((f as f64 + m as f64) / 2.0).round() as u8;
            RfmScore {
                member_id: x.member_id,
                r,
                f,
                m,
                segment: RfmSegment::of(r, fm),
            }
        })
        .collect()
}

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

/// Sorts of the at-risk list.
pub const AT_RISK_SORTS: [&str; 4] = ["score", "last_purchase", "spend", "name"];

/// `num / den` as a fraction, `None` when there is nothing to divide by.
pub fn rate(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintiles_split_ten_values_in_pairs_and_ties_never_straddle_an_edge() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(quintile_scores(&v), vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        // The edge between 1 and 2 falls inside the run of 3s: all get 1.
        assert_eq!(quintile_scores(&[3, 3, 3, 7, 9]), vec![1, 1, 1, 4, 5]);
        assert_eq!(quintile_scores(&[5, 5, 5, 5]), vec![1, 1, 1, 1]);
        assert_eq!(quintile_scores(&[42]), vec![1]);
        assert!(quintile_scores(&[]).is_empty());
    }

    #[test]
    fn rfm_scores_hand_built_members() {
        let m = |id, r: Option<i64>, f, mo| RfmInput {
            member_id: id,
            recency_days: r,
            frequency: f,
            monetary_minor: mo,
        };
        let members = [
            m(1, Some(2), 20, 900_000), // bought yesterday-ish, often, a lot
            m(2, Some(10), 12, 400_000),
            m(3, Some(40), 6, 150_000),
            m(4, Some(120), 3, 60_000),
            m(5, Some(300), 1, 5_000), // long ago, once, little
            m(6, None, 0, 0),          // nothing in the window
        ];
        let s = rfm(&members);
        let by = |id: i64| s.iter().find(|x| x.member_id == id).copied().unwrap();
        assert_eq!(
            (by(1).r, by(1).f, by(1).m, by(1).segment),
            (5, 5, 5, RfmSegment::Champion)
        );
        assert_eq!(
            (by(2).r, by(2).f, by(2).m, by(2).segment),
            (4, 4, 4, RfmSegment::Loyal)
        );
        assert_eq!(
            (by(3).r, by(3).f, by(3).m, by(3).segment),
            (3, 3, 3, RfmSegment::AtRisk)
        );
        assert_eq!((by(4).r, by(4).segment), (2, RfmSegment::Hibernating));
        assert_eq!(
            (by(5).r, by(5).f, by(5).m, by(5).segment),
            (1, 1, 1, RfmSegment::Lost)
        );
        assert_eq!(
            (by(6).r, by(6).f, by(6).m, by(6).segment),
            (1, 1, 1, RfmSegment::Lost)
        );
    }

    #[test]
    fn every_cell_of_the_grid_has_a_segment_and_corners_are_right() {
        for r in 1..=5 {
            for fm in 1..=5 {
                let _ = RfmSegment::of(r, fm);
            }
        }
        assert_eq!(RfmSegment::of(5, 5), RfmSegment::Champion);
        assert_eq!(RfmSegment::of(1, 5), RfmSegment::CantLose);
        assert_eq!(RfmSegment::of(5, 1), RfmSegment::New);
        assert_eq!(RfmSegment::of(1, 1), RfmSegment::Lost);
    }

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

    #[test]
    fn rates_need_a_denominator() {
        assert_eq!(rate(1, 4), Some(0.25));
        assert_eq!(rate(3, 0), None);
    }
}
