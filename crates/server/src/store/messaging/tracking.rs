//! What members do with a message: opens (a person's, or a machine's —
//! a privacy proxy or prefetcher, left out of open rates) and clicks; and
//! the messages a member was sent, for their message centre.

use patron_core::messaging::{MemberMessage, Topic};
use sqlx::Row;

use crate::store::db;
use crate::store::{ts, Store};

impl Store {
    /// When message `id` was sent (`None`: no such message, or not sent).
    pub async fn message_sent_at(&self, id: i64) -> Result<Option<i64>, sqlx::Error> {
        let at: Option<Option<i64>> = db::query_scalar("SELECT sent_at FROM messages WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(at.flatten())
    }

    /// Records an `open`, `machine_open` or `click` (with its link).
    pub async fn record_message_event(
        &self,
        id: i64,
        kind: &str,
        detail: Option<&str>,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        db::query("INSERT INTO message_events (message_id, kind, detail, at) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(kind)
            .bind(detail)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The newest `limit` messages sent (or captured) to member
    /// `member_id`.
    pub async fn member_messages(
        &self,
        member_id: i64,
        limit: i64,
    ) -> Result<Vec<MemberMessage>, sqlx::Error> {
        let rows = db::query(
            "SELECT id, topic, subject, text_body, sent_at FROM messages
             WHERE member_id = ? AND status IN ('sent', 'captured') AND sent_at IS NOT NULL
             ORDER BY sent_at DESC, id DESC LIMIT ?",
        )
        .bind(member_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| MemberMessage {
                id: r.get("id"),
                topic: Topic::parse(r.get::<&str, _>("topic")).unwrap_or(Topic::Service),
                subject: r.get::<Option<String>, _>("subject").unwrap_or_default(),
                text: r.get::<Option<String>, _>("text_body").unwrap_or_default(),
                sent_at: ts(r.get("sent_at")),
            })
            .collect())
    }
}
