//! Who bought when: an in-memory index of every member's purchase times,
//! for the distinct-member counts of the dashboard (active, repeat buyers,
//! retained, weekly and monthly active, cohorts).
//!
//! Counting distinct members over a period in SQL reads every purchase in it
//! (1 M rows at 100,000 members: 1–3 s); from this index it is a binary
//! search per member. Purchases are append-only in (member, time) — migration
//! 0010 forbids deleting them or changing either column — and their ids
//! only grow, so the index is brought up to date by reading the rows with an
//! id above the highest it has seen. The database stays the only source of
//! truth: each use first asks it for `MAX(id)`.
//!
//! On PostgreSQL an id is taken when a row is inserted and becomes visible
//! when its transaction commits, so a lower id can appear after a higher
//! one was read (several writers, or several replicas). Ids skipped over
//! are remembered as gaps and looked for again on every use, for an hour
//! (`index::GAP_PATIENCE`); so every replica's index is exact for any
//! purchase whose transaction commits within an hour.

use crate::store::db;
use futures_util::TryStreamExt;
use sqlx::Row;
use tokio::sync::MutexGuard;

use crate::store::Store;
use index::Activity;

pub mod index;

/// The newest purchases are read row by row even on the first read, so an
/// id among them that commits late is noticed as a gap.
const LATE_TAIL: i64 = 10_000;

impl Store {
    /// The activity index, brought up to date with the database.
    pub async fn activity(&self) -> Result<MutexGuard<'_, Activity>, sqlx::Error> {
        let mut a = self.activity.lock().await;
        let now = std::time::Instant::now();
        let max: Option<i64> = db::query_scalar("SELECT MAX(id) FROM purchases")
            .fetch_one(&self.pool)
            .await?;
        let max = max.unwrap_or(0);
        if a.last_id == 0 && max > LATE_TAIL {
            // First read: one row per member (100,000 rows, not 1 M), up to
            // the last ids, which are read one by one below (one of them may
            // commit late).
            let upto = max - LATE_TAIL;
            let times = self.dialect.string_agg("purchased_at", ',');
            let q = format!(
                "SELECT member_id, {times} FROM purchases WHERE id <= ? GROUP BY member_id"
            );
            let mut rows = db::query(&q).bind(upto).fetch(&self.pool);
            while let Some(r) = rows.try_next().await? {
                let times: &str = r.get(1);
                let mut list: Vec<i64> = times.split(',').filter_map(|t| t.parse().ok()).collect();
                list.sort_unstable();
                a.times.insert(r.get(0), list);
            }
            drop(rows);
            a.last_id = upto;
        }
        for chunk in a.open_gaps(now).chunks(500) {
            // Integers we hold, written into the statement.
            let ids: Vec<String> = chunk.iter().map(i64::to_string).collect();
            let q = format!(
                "SELECT id, member_id, purchased_at FROM purchases WHERE id IN ({}) ORDER BY id",
                ids.join(",")
            );
            let rows: Vec<(i64, i64, i64)> = db::query(&q)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect();
            a.add(rows, now);
        }
        if max > a.last_id {
            let mut rows = db::query(
                "SELECT id, member_id, purchased_at FROM purchases WHERE id > ? ORDER BY id",
            )
            .bind(a.last_id)
            .fetch(&self.pool);
            let mut batch = Vec::with_capacity(4096);
            while let Some(r) = rows.try_next().await? {
                batch.push((r.get(0), r.get(1), r.get(2)));
                if batch.len() == 4096 {
                    a.add(batch.drain(..), now);
                }
            }
            drop(rows);
            a.add(batch, now);
        }
        Ok(a)
    }
}
