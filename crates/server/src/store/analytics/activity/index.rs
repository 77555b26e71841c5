//! The activity index itself: every member's sorted purchase times, and the
//! counts over periods the dashboard asks of it. Pure, in memory; the store
//! keeps it up to date (`super`).

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// How long an id skipped over is looked for again: a transaction holding
/// it may still commit (on PostgreSQL ids are taken at insert and commit in
/// any order); after this it is taken to be rolled back.
pub const GAP_PATIENCE: Duration = Duration::from_secs(3600);

/// At most this many skipped ids are remembered (a jump larger than that,
/// such as a sequence moved past seeded ids, is not waited for).
pub const MAX_GAPS: usize = 100_000;

/// Every member's purchase times (unix seconds), each list sorted.
#[derive(Debug, Default)]
pub struct Activity {
    pub(super) last_id: i64,
    pub(super) times: HashMap<i64, Vec<i64>>,
    /// Ids below `last_id` not seen yet, with when they were first missed.
    pub(super) gaps: BTreeMap<i64, Instant>,
}

impl Activity {
    /// Adds purchases; `rows` are (id, member, time) in id order: rows
    /// above `last_id` (ids skipped on the way are remembered as gaps), or
    /// rows that fill a gap. Rows seen before are ignored.
    pub(super) fn add(&mut self, rows: impl IntoIterator<Item = (i64, i64, i64)>, now: Instant) {
        let mut touched = Vec::new();
        for (id, member, at) in rows {
            if id > self.last_id {
                let skipped = (id - self.last_id - 1) as usize;
                if skipped > 0 && self.gaps.len() + skipped <= MAX_GAPS {
                    self.gaps.extend((self.last_id + 1..id).map(|g| (g, now)));
                }
                self.last_id = id;
            } else if self.gaps.remove(&id).is_none() {
                continue;
            }
            let list = self.times.entry(member).or_default();
            if list.last().is_some_and(|l| *l > at) {
                touched.push(member);
            }
            list.push(at);
        }
        touched.sort_unstable();
        touched.dedup();
        for m in touched {
            if let Some(list) = self.times.get_mut(&m) {
                list.sort_unstable();
            }
        }
    }

    /// The gaps still worth looking for at `now` (older ones are dropped).
    pub(super) fn open_gaps(&mut self, now: Instant) -> Vec<i64> {
        self.gaps
            .retain(|_, since| now.saturating_duration_since(*since) < GAP_PATIENCE);
        self.gaps.keys().copied().collect()
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
        a.add(rows.iter().copied(), Instant::now());
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
        a.add([(2, 7, 50), (3, 7, 75)], Instant::now());
        assert_eq!(a.times[&7], vec![50, 75, 100]);
        assert_eq!(within(&a.times[&7], 60, 100), &[75]);
        assert_eq!(a.distinct_per_bucket(&[0, 60, 80, 200]), vec![1, 1, 1]);
    }

    #[test]
    fn an_id_committed_late_is_picked_up_once_and_old_gaps_are_dropped() {
        let t0 = Instant::now();
        // Id 2's transaction has not committed when 3 is read.
        let mut a = index(&[(1, 7, 100), (3, 8, 300)]);
        assert_eq!(a.open_gaps(t0), vec![2]);
        a.add([(2, 9, 200)], t0);
        a.add([(2, 9, 200), (3, 8, 300)], t0);
        assert_eq!(a.times[&9], vec![200]);
        assert_eq!(a.times[&8], vec![300]);
        assert!(a.open_gaps(t0).is_empty());
        // A gap never filled (a rolled-back insert) is forgotten in time.
        a.add([(5, 7, 500)], t0);
        assert_eq!(a.open_gaps(t0), vec![4]);
        assert!(a.open_gaps(t0 + GAP_PATIENCE).is_empty());
    }
}
