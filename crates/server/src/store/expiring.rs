//! The "expiring in the next N days" list: members whose points (pending
//! ones too) lapse within a horizon, with the totals — what the settings
//! card shows and what expiry reminders will be sent from. The job that
//! expires lapsed lots is in `expiry.rs`.

use crate::store::db;
use chrono::{DateTime, Duration, Utc};
use patron_core::expiry::{ExpiringMember, ExpiringPage, ExpiringTotals};
use sqlx::Row;

use super::expiry::LEFT;
use super::{ts, Store};

impl Store {
    /// Members and points expiring after `now` and within `days`.
    pub async fn expiring_totals(
        &self,
        now: DateTime<Utc>,
        days: i64,
    ) -> Result<ExpiringTotals, sqlx::Error> {
        let sql = format!(
            "SELECT COUNT(DISTINCT e.member_id) AS members, COALESCE(CAST(SUM({LEFT}) AS BIGINT), 0) AS points
             FROM ledger_entries e
             WHERE e.points > 0 AND e.expires_at IS NOT NULL AND e.expires_at > ? AND e.expires_at <= ?
               AND {LEFT} > 0"
        );
        let r = db::query(&sql)
            .bind(now.timestamp())
            .bind((now + Duration::days(days)).timestamp())
            .fetch_one(&self.pool)
            .await?;
        Ok(ExpiringTotals {
            days,
            members: r.get("members"),
            points: r.get("points"),
        })
    }

    /// Members whose points expire after `now` and within `days`, by member
    /// id after `after`, `limit` at a time, with the totals.
    pub async fn expiring_page(
        &self,
        now: DateTime<Utc>,
        days: i64,
        after: i64,
        limit: i64,
    ) -> Result<ExpiringPage, sqlx::Error> {
        let sql = format!(
            "SELECT m.id, m.name, m.email, x.points, x.first_at FROM (
                SELECT e.member_id, CAST(SUM({LEFT}) AS BIGINT) AS points, MIN(e.expires_at) AS first_at
                FROM ledger_entries e
                WHERE e.points > 0 AND e.expires_at IS NOT NULL AND e.expires_at > ? AND e.expires_at <= ?
                  AND e.member_id > ? AND {LEFT} > 0
                GROUP BY e.member_id ORDER BY e.member_id LIMIT ?
             ) x JOIN members m ON m.id = x.member_id ORDER BY m.id"
        );
        let rows = db::query(&sql)
            .bind(now.timestamp())
            .bind((now + Duration::days(days)).timestamp())
            .bind(after)
            .bind(limit + 1)
            .fetch_all(&self.pool)
            .await?;
        let mut items: Vec<ExpiringMember> = rows
            .iter()
            .map(|r| ExpiringMember {
                member_id: r.get("id"),
                name: r.get("name"),
                email: r.get("email"),
                points: r.get("points"),
                first_expires_at: ts(r.get("first_at")),
            })
            .collect();
        let more = items.len() as i64 > limit;
        items.truncate(limit.max(0) as usize);
        Ok(ExpiringPage {
            next_after: more.then(|| items.last().map(|m| m.member_id)).flatten(),
            items,
            totals: self.expiring_totals(now, days).await?,
        })
    }
}
