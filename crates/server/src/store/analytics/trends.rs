//! Monthly trends for the dashboard: active members, tier distribution at
//! each month's end (today's tiers with later moves undone), and join-month
//! cohort retention. Months are calendar months in the programme time zone.

use crate::store::db;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use patron_core::kpi::{Cohort, Trends};
use patron_core::time::start_of_day;
use sqlx::Row;

use super::activity::index::within;
use crate::store::Store;

/// The first day of the month `k` months after `d`'s month.
fn month_add(d: NaiveDate, k: i32) -> NaiveDate {
    let m0 = d.year() * 12 + d.month0() as i32 + k;
    NaiveDate::from_ymd_opt(m0.div_euclid(12), m0.rem_euclid(12) as u32 + 1, 1).unwrap_or(d)
}

fn month_index(d: NaiveDate) -> i32 {
    d.year() * 12 + d.month0() as i32
}

impl Store {
    /// The last `n` months up to the one holding `today`.
    pub async fn trends(&self, today: NaiveDate, tz: Tz, n: i32) -> Result<Trends, sqlx::Error> {
        let first = month_add(today, -(n - 1));
        let starts: Vec<NaiveDate> = (0..=n).map(|k| month_add(first, k)).collect();
        let ts: Vec<i64> = starts
            .iter()
            .map(|d| start_of_day(*d, tz).timestamp())
            .collect();
        let months: Vec<String> = starts[..n as usize]
            .iter()
            .map(|d| d.format("%Y-%m").to_string())
            .collect();

        let active = self.activity().await?.distinct_per_bucket(&ts);

        // Tier distribution at each month's end.
        let tiers: Vec<(i64, String)> = db::query("SELECT id, name FROM tiers ORDER BY rank")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| (r.get("id"), r.get("name")))
            .collect();
        let members = db::query("SELECT id, tier_id, joined_at FROM members")
            .fetch_all(&self.pool)
            .await?;
        let mut tier_of: HashMap<i64, i64> = HashMap::with_capacity(members.len());
        let mut joined: Vec<(i64, i64)> = Vec::with_capacity(members.len());
        for r in &members {
            tier_of.insert(r.get("id"), r.get("tier_id"));
            joined.push((r.get("id"), r.get("joined_at")));
        }
        let history = db::query(
            "SELECT member_id, from_tier_id, at FROM tier_history WHERE at >= ? ORDER BY at DESC, id DESC",
        )
        .bind(ts[1])
        .fetch_all(&self.pool)
        .await?;
        let mut tier_counts = vec![vec![0i64; n as usize]; tiers.len()];
        let mut h = 0;
        for mi in (0..n as usize).rev() {
            let end = ts[mi + 1];
            while h < history.len() && history[h].get::<i64, _>("at") >= end {
                let m: i64 = history[h].get("member_id");
                if let Some(from) = history[h].get::<Option<i64>, _>("from_tier_id") {
                    tier_of.insert(m, from);
                }
                h += 1;
            }
            for (id, at) in &joined {
                if *at < end {
                    if let Some(ti) = tier_of
                        .get(id)
                        .and_then(|t| tiers.iter().position(|x| x.0 == *t))
                    {
                        tier_counts[ti][mi] += 1;
                    }
                }
            }
        }

        // Cohorts: members who joined in each month, and the share of them
        // with a purchase (at or after joining) k months after.
        // The month of an instant from the month starts worked out above
        // (programme time zone): no time-zone conversion per row. Purchases
        // after the last month's end fall outside and are left out below.
        let local_month = |t: i64| month_index(first) + ts.partition_point(|b| *b <= t) as i32 - 1;
        let base = month_index(first);
        let now_m = month_index(today);
        let mut size = vec![0i64; n as usize];
        let mut counts: HashMap<(usize, usize), i64> = HashMap::new();
        let activity = self.activity().await?;
        for (id, at) in &joined {
            let c = local_month(*at) - base;
            if *at < ts[0] || !(0..n).contains(&c) {
                continue;
            }
            size[c as usize] += 1;
            // Times are sorted, so each month k comes in one run.
            let mut last_k = -1;
            for p in within(activity.times_of(*id), *at, ts[n as usize]) {
                let k = local_month(*p) - base - c;
                if k != last_k && base + c + k <= now_m {
                    *counts.entry((c as usize, k as usize)).or_default() += 1;
                    last_k = k;
                }
            }
        }
        drop(activity);
        let cohorts = (0..n as usize)
            .map(|c| {
                let s = size[c];
                let reach = (now_m - (base + c as i32)).max(-1);
                Cohort {
                    month: months[c].clone(),
                    size: s,
                    retained: (0..=reach)
                        .map(|k| {
                            (s > 0).then(|| {
                                *counts.get(&(c, k as usize)).unwrap_or(&0) as f64 / s as f64
                            })
                        })
                        .collect(),
                }
            })
            .collect();

        Ok(Trends {
            months,
            active,
            tiers: tiers.into_iter().map(|t| t.1).collect(),
            tier_counts,
            cohorts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_step_over_year_ends() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 17).unwrap();
        assert_eq!(
            month_add(d, -2),
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()
        );
        assert_eq!(
            month_add(d, 11),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
        assert_eq!(
            month_add(d, 0),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
        );
    }
}
