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

use crate::store::db;
use futures_util::TryStreamExt;
use sqlx::Row;
use tokio::sync::MutexGuard;

use crate::store::Store;
use index::Activity;

pub mod index;

impl Store {
    /// The activity index, brought up to date with the database.
    pub async fn activity(&self) -> Result<MutexGuard<'_, Activity>, sqlx::Error> {
        let mut a = self.activity.lock().await;
        let max: Option<i64> = db::query_scalar("SELECT MAX(id) FROM purchases")
            .fetch_one(&self.pool)
            .await?;
        let max = max.unwrap_or(0);
        if a.last_id == 0 && max > 0 {
            // First read: one row per member (100,000 rows, not 1 M).
            let times = self.dialect.string_agg("purchased_at", ',');
            let q = format!(
                "SELECT member_id, {times} FROM purchases WHERE id <= ? GROUP BY member_id"
            );
            let mut rows = db::query(&q).bind(max).fetch(&self.pool);
            while let Some(r) = rows.try_next().await? {
                let times: &str = r.get(1);
                let mut list: Vec<i64> = times.split(',').filter_map(|t| t.parse().ok()).collect();
                list.sort_unstable();
                a.times.insert(r.get(0), list);
            }
            drop(rows);
            a.last_id = max;
        } else if max > a.last_id {
            let mut rows = db::query(
                "SELECT id, member_id, purchased_at FROM purchases WHERE id > ? ORDER BY id",
            )
            .bind(a.last_id)
            .fetch(&self.pool);
            let mut batch = Vec::with_capacity(4096);
            while let Some(r) = rows.try_next().await? {
                batch.push((r.get(0), r.get(1), r.get(2)));
                if batch.len() == 4096 {
                    a.add(batch.drain(..));
                }
            }
            drop(rows);
            a.add(batch);
        }
        Ok(a)
    }
}
