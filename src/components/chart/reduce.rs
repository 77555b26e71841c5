//! Pure data reduction for the charts: no web, no leptos, so it is tested
//! natively.

/// Scatter plots with more points than this are drawn as a density grid
/// (see [`bin_2d`]) instead of one dot per point.
pub const SCATTER_MAX_POINTS: usize = 5_000;

/// Min and max of each of `columns` equal slices of `values`, for drawing
/// a series longer than the plot is wide as an envelope. NaN ("no data")
/// is skipped; a column with no data at all is `(NaN, NaN)`, a gap.
pub fn reduce_min_max(values: &[f64], columns: usize) -> Vec<(f64, f64)> {
    if columns == 0 || values.is_empty() {
        return Vec::new();
    }
    let columns = columns.min(values.len());
    (0..columns)
        .map(|c| {
            let slice = &values[c * values.len() / columns..(c + 1) * values.len() / columns];
            slice
                .iter()
                .filter(|v| !v.is_nan())
                // `NAN.min(v)` is `v`, so the first value seeds both ends.
                .fold((f64::NAN, f64::NAN), |(lo, hi), &v| (lo.min(v), hi.max(v)))
        })
        .collect()
}

/// Point counts in a grid over a scatter plot's ranges.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub cols: usize,
    pub rows: usize,
    /// Row-major, row 0 at the bottom (lowest y).
    pub counts: Vec<u32>,
    pub max: u32,
}

/// Counts `points` into a `cols` × `rows` grid spanning `x` and `y`
/// (inclusive). Points outside or not finite are not counted.
pub fn bin_2d(
    points: &[(f64, f64)],
    x: (f64, f64),
    y: (f64, f64),
    cols: usize,
    rows: usize,
) -> Grid {
    let mut counts = vec![0u32; cols * rows];
    let cell = |v: f64, (lo, hi): (f64, f64), n: usize| -> Option<usize> {
        if !v.is_finite() || v < lo || v > hi || n == 0 {
            return None;
        }
        let span = hi - lo;
        let i = if span > 0.0 {
            ((v - lo) / span * n as f64) as usize
        } else {
            0
        };
        Some(i.min(n - 1))
    };
    for &(px, py) in points {
        if let (Some(c), Some(r)) = (cell(px, x, cols), cell(py, y, rows)) {
            counts[r * cols + c] += 1;
        }
    }
    let max = counts.iter().copied().max().unwrap_or(0);
    Grid {
        cols,
        rows,
        counts,
        max,
    }
}

/// Smallest and largest finite value, if any.
pub fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// A 1-2-5 step near `raw`.
fn nice_step(raw: f64) -> f64 {
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    mag * if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    }
}

/// An axis range covering `lo..=hi`, widened to round numbers (and to 0
/// when `zero`, as bars need), never empty.
pub fn nice_range(lo: f64, hi: f64, zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = if zero {
        (lo.min(0.0), hi.max(0.0))
    } else {
        (lo, hi)
    };
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    if hi - lo < f64::EPSILON * hi.abs().max(1.0) {
        let pad = (hi.abs() * 0.1).max(1.0);
        (lo, hi) = (lo - pad, hi + pad);
        if zero && lo < 0.0 && hi - pad >= 0.0 {
            lo = 0.0;
        }
    }
    let step = nice_step((hi - lo) / 5.0);
    ((lo / step).floor() * step, (hi / step).ceil() * step)
}

/// Every how many categories to label, so that `n` labels of about
/// `label_px` fit in `avail_px`.
pub fn label_step(n: usize, avail_px: f64, label_px: f64) -> usize {
    let fit = (avail_px / label_px.max(1.0)).floor().max(1.0) as usize;
    n.div_ceil(fit).max(1)
}

/// Per category, the bottom and top of each series' segment in a stacked
/// bar (missing and NaN values count as 0; negatives stack downwards).
pub fn stack(series: &[&[f64]], categories: usize) -> Vec<Vec<(f64, f64)>> {
    let mut up = vec![0.0; categories];
    let mut down = vec![0.0; categories];
    series
        .iter()
        .map(|values| {
            (0..categories)
                .map(|i| {
                    let v = values
                        .get(i)
                        .copied()
                        .filter(|v| v.is_finite())
                        .unwrap_or(0.0);
                    let acc = if v < 0.0 { &mut down[i] } else { &mut up[i] };
                    let base = *acc;
                    *acc += v;
                    (base, *acc)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_max_per_column_skipping_gaps() {
        let v = [1.0, 5.0, f64::NAN, 2.0, f64::NAN, f64::NAN, 7.0, 3.0];
        let r = reduce_min_max(&v, 4);
        assert_eq!(r[0], (1.0, 5.0));
        assert_eq!(r[1], (2.0, 2.0));
        assert!(r[2].0.is_nan() && r[2].1.is_nan());
        assert_eq!(r[3], (3.0, 7.0));
    }

    #[test]
    fn min_max_uneven_and_degenerate() {
        let v: Vec<f64> = (0..10).map(f64::from).collect();
        let r = reduce_min_max(&v, 3);
        assert_eq!(r, vec![(0.0, 2.0), (3.0, 5.0), (6.0, 9.0)]);
        // More columns than values: one value per column.
        assert_eq!(
            reduce_min_max(&[1.0, 2.0], 10),
            vec![(1.0, 1.0), (2.0, 2.0)]
        );
        assert!(reduce_min_max(&[], 10).is_empty());
        assert!(reduce_min_max(&[1.0], 0).is_empty());
        // Every value lands in exactly one column.
        let long: Vec<f64> = (0..100_000).map(|i| (i % 977) as f64).collect();
        let r = reduce_min_max(&long, 640);
        assert_eq!(r.len(), 640);
        assert_eq!(r.iter().map(|c| c.1).fold(0.0, f64::max), 976.0);
    }

    #[test]
    fn bins_count_every_point_inside_once() {
        let pts = [
            (0.0, 0.0),
            (10.0, 10.0),
            (5.0, 0.1),
            (4.9, 9.9),
            (11.0, 5.0),
            (f64::NAN, 1.0),
        ];
        let g = bin_2d(&pts, (0.0, 10.0), (0.0, 10.0), 2, 2);
        // 5.0 starts the right half; 10.0 (the top end) is in the last cell.
        assert_eq!(g.counts, vec![1, 1, 1, 1]);
        assert_eq!(g.max, 1);
        let many: Vec<(f64, f64)> = (0..10_000)
            .map(|i| ((i % 100) as f64, (i / 100) as f64))
            .collect();
        let g = bin_2d(&many, (0.0, 99.0), (0.0, 99.0), 10, 10);
        assert_eq!(g.counts.iter().sum::<u32>(), 10_000);
        assert_eq!(g.max, 100);
        // A zero-width range puts everything in the first cell.
        let g = bin_2d(&[(1.0, 1.0), (1.0, 1.0)], (1.0, 1.0), (1.0, 1.0), 3, 3);
        assert_eq!(g.counts[0], 2);
    }

    #[test]
    fn ranges_are_round_and_never_empty() {
        assert_eq!(nice_range(3.0, 97.0, true), (0.0, 100.0));
        assert_eq!(nice_range(0.12, 0.83, true), (0.0, 1.0));
        assert_eq!(nice_range(5.0, 5.0, true), (0.0, 5.0));
        assert_eq!(nice_range(5.0, 5.0, false), (4.0, 6.0));
        assert_eq!(nice_range(0.0, 0.0, true), (0.0, 1.0));
        let (lo, hi) = nice_range(-3.0, 12.0, false);
        assert!(lo <= -3.0 && hi >= 12.0);
        assert_eq!(nice_range(f64::NAN, 1.0, false), (0.0, 1.0));
        assert_eq!(
            extent([f64::NAN, 2.0, -1.0, f64::INFINITY]),
            Some((-1.0, 2.0))
        );
        assert_eq!(extent([f64::NAN]), None);
    }

    #[test]
    fn label_thinning_and_stacking() {
        assert_eq!(label_step(10, 1000.0, 60.0), 1);
        assert_eq!(label_step(52, 600.0, 60.0), 6);
        assert_eq!(label_step(0, 600.0, 60.0), 1);
        let a = [1.0, -2.0];
        let b = [3.0, f64::NAN];
        let c = [-1.0];
        let s = stack(&[&a, &b, &c], 2);
        assert_eq!(s[0], vec![(0.0, 1.0), (0.0, -2.0)]);
        assert_eq!(s[1], vec![(1.0, 4.0), (0.0, 0.0)]);
        assert_eq!(s[2], vec![(0.0, -1.0), (0.0, 0.0)]);
    }
}
