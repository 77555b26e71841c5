//! The charts of a segment: who is in it against all members, the RFM heat
//! map, spend bins and the recency/spend scatter.

crate::__wire! {
    /// Members per value of one attribute, in the segment and in all.
    pub struct Distribution {
        /// (value, members in the segment, members overall).
        pub rows: Vec<(String, i64, i64)>,
    }
}

crate::__wire! {
    /// One cell of the RFM heat map.
    #[derive(Copy, Eq)]
    pub struct RfmCell {
        /// Recency score 1–5.
        pub r: u8,
        /// Frequency score 1–5.
        pub f: u8,
        pub members: i64,
        /// Average net spend in the RFM window (minor units).
        pub avg_spend_minor: i64,
    }
}

crate::__wire! {
    /// A histogram bin: members whose spend is in `[from_minor, to_minor)`.
    #[derive(Copy, Eq)]
    pub struct SpendBin {
        pub from_minor: i64,
        pub to_minor: i64,
        pub members: i64,
    }
}

crate::__wire! {
    /// The charts of a segment (or of a definition not yet saved).
    pub struct SegmentCharts {
        pub count: i64,
        pub total: i64,
        pub by_tier: Distribution,
        pub by_region: Distribution,
        pub by_age_band: Distribution,
        pub by_gender: Distribution,
        /// The 25 cells, r and f from 1 to 5 (members with a purchase in
        /// the RFM window only).
        pub rfm: Vec<RfmCell>,
        /// Net spend in the RFM window, members with a purchase in it.
        pub spend: Vec<SpendBin>,
        /// Up to 10,000 members with a purchase in the RFM window (an even
        /// sample by member id beyond that): (days since the last purchase,
        /// net spend in the window, minor units).
        #[serde(default)]
        pub scatter: Vec<(i64, i64)>,
        pub rfm_window_days: i64,
    }
}

/// Most points in [`SegmentCharts::scatter`].
pub const SCATTER_MAX: i64 = 10_000;

/// Bins for a spend histogram: `n` bins of a "nice" width (1, 2 or 5 ×
/// 10^k minor units) from 0 covering `max`.
pub fn spend_bins(max_minor: i64, n: i64) -> (i64, i64) {
    let n = n.max(1);
    let raw = (max_minor.max(1) + n - 1) / n;
    let mut step = 1i64;
    loop {
        for m in [1, 2, 5] {
            if step * m >= raw {
                let w = step * m;
                return (w, (max_minor / w + 1).min(n + 1));
            }
        }
        step *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spend_bins_have_nice_widths_covering_the_maximum() {
        assert_eq!(spend_bins(95_000, 10), (10_000, 10));
        assert_eq!(spend_bins(100_000, 10), (10_000, 11));
        assert_eq!(spend_bins(1_234, 10), (200, 7));
        assert_eq!(spend_bins(0, 10), (1, 1));
    }
}
