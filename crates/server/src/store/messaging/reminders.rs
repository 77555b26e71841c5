//! Who gets a points-expiry reminder: members who chose to hear about it
//! and have points (pending ones too) lapsing in a window, with how many
//! and the first date. The reminder job queues one message per member,
//! horizon and expiry date.

use sqlx::Row;

use crate::store::db;
use crate::store::expiry::LEFT;
use crate::store::Store;

/// A member to remind.
#[derive(Debug, Clone)]
pub struct ReminderDue {
    pub member_id: i64,
    /// Points lapsing in the window.
    pub points: i64,
    /// When the first of them lapses (unix seconds).
    pub first_at: i64,
}

impl Store {
    /// Members who consented to points reminders, with points lapsing after
    /// `from` and at or before `to` (unix seconds), by member id after
    /// `after`, `limit` at a time.
    pub async fn reminders_due(
        &self,
        from: i64,
        to: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ReminderDue>, sqlx::Error> {
        let sql = format!(
            "SELECT e.member_id, CAST(SUM({LEFT}) AS BIGINT) AS points, MIN(e.expires_at) AS first_at
             FROM ledger_entries e
             WHERE e.points > 0 AND e.expires_at IS NOT NULL AND e.expires_at > ? AND e.expires_at <= ?
               AND e.member_id > ? AND {LEFT} > 0
               AND COALESCE((SELECT c.granted FROM consents c WHERE c.member_id = e.member_id
                    AND c.channel = 'points_reminders' ORDER BY c.id DESC LIMIT 1), FALSE) = ?
             GROUP BY e.member_id ORDER BY e.member_id LIMIT ?"
        );
        let rows = db::query(&sql)
            .bind(from)
            .bind(to)
            .bind(after)
            .bind(true)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| ReminderDue {
                member_id: r.get("member_id"),
                points: r.get("points"),
                first_at: r.get("first_at"),
            })
            .collect())
    }
}
