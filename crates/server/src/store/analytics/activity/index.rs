//! The activity index itself: every member's sorted purchase times, and the
//! counts over periods the dashboard asks of it. Pure, in memory; the store
//! keeps it up to date (`super`).

use std::collections::HashMap;

/// Every member's purchase times (unix seconds), each list sorted.
#[derive(Debug, Default)]
pub struct Activity {
    pub(super) last_id: i64,
    pub(super) times: HashMap<i64, Vec<i64>>,
}

impl Activity {
    /// Adds purchases; `rows` are (id, member, time) in id order.
    pub(super) fn add(&mut self, rows: impl IntoIterator<Item = (i64, i64, i64)>) {
        let mut touched = Vec::new();
        for (id, member, at) in rows {
            let list = self.times.entry(member).or_default();
            if list.last().is_some_and(|l| *l > at) {
                touched.push(member);
            }
            list.push(at);
            self.last_id = self.last_id.max(id);
        }
        touched.sort_unstable();
        touched.dedup();
        for m in touched {
            if let Some(list) = self.times.get_mut(&m) {
                list.sort_unstable();
            }
        }
    }

    /// Each member with purchases, and their sorted purchase times.
    pub fn members(&self) -> impl Iterator<Item = (i64, &[i64])> {
        self.times.iter().map(|(m, t)| (*m, t.as_slice()))
    }

    /// One member's sorted purchase times.
    pub fn times_of(&self, member: i64) -> &[i64] {
        self.times.get(&member).map_or(&[], Vec::as_slice)
    }

    /// For each member with a purchase in `[bounds[0], bounds[n])`, the number
    /// of purchases in each `[bounds[i], bounds[i + 1])` (bounds ascending).
    pub fn each_member_counts(&self, bounds: &[i64], mut visit: impl FnMut(i64, &[u32])) {
        let n = bounds.len().saturating_sub(1);
        if n == 0 {
            return;
        }
        let mut counts = vec![0u32; n];
        for (member, times) in self.members() {
            let in_range = within(times, bounds[0], bounds[n]);
            if in_range.is_empty() {
                continue;
            }
            counts.iter_mut().for_each(|c| *c = 0);
            let mut b = 0;
            for t in in_range {
                while *t >= bounds[b + 1] {
                    b += 1;
                }
                counts[b] += 1;
            }
            visit(member, &counts);
        }
    }

    /// Members with at least one purchase in each `[bounds[i], bounds[i + 1])`.
    pub fn distinct_per_bucket(&self, bounds: &[i64]) -> Vec<i64> {
        let mut out = vec![0i64; bounds.len().saturating_sub(1)];
        self.each_member_counts(bounds, |_, counts| {
            for (o, c) in out.iter_mut().zip(counts) {
                *o += (*c > 0) as i64;
            }
        });
        out
    }
}

/// The part of a sorted list in `[from, to)`.
pub fn within(times: &[i64], from: i64, to: i64) -> &[i64] {
    let a = times.partition_point(|t| *t < from);
    let b = times.partition_point(|t| *t < to);
    &times[a..b.max(a)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(rows: &[(i64, i64, i64)]) -> Activity {
        let mut a = Activity::default();
        a.add(rows.iter().copied());
        a
    }

    #[test]
    fn counts_fall_in_half_open_buckets() {
        // Member 1 buys at 10, 20 and 30; member 2 at 5 and 40.
        let a = index(&[(1, 1, 30), (2, 2, 40), (3, 1, 10), (4, 2, 5), (5, 1, 20)]);
        let mut seen = Vec::new();
        a.each_member_counts(&[10, 20, 40], |m, c| seen.push((m, c.to_vec())));
        seen.sort();
        // 40 is the end of the range, so member 2 has nothing in it.
        assert_eq!(seen, vec![(1, vec![1, 2])]);
        assert_eq!(a.distinct_per_bucket(&[0, 10, 41]), vec![1, 2]);
        assert_eq!(a.last_id, 5);
    }

    #[test]
    fn later_rows_out_of_time_order_are_sorted_in() {
        let mut a = index(&[(1, 7, 100)]);
        a.add([(2, 7, 50), (3, 7, 75)]);
        assert_eq!(a.times[&7], vec![50, 75, 100]);
        assert_eq!(within(&a.times[&7], 60, 100), &[75]);
        assert_eq!(a.distinct_per_bucket(&[0, 60, 80, 200]), vec![1, 1, 1]);
    }
}
