//! RFM scores by quintile, and the named segments they fall in.
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
}
