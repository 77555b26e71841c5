//! The outbox: a message is queued in the transaction of the event that
//! causes it, with the event's figures, and the delivery worker takes due
//! messages, records the outcome (sent, captured, skipped, failed) or
//! schedules a retry. The admin's outbox page reads it newest first.

use std::collections::HashMap;

use patron_core::messaging::{
    MessageStatus, OutboxCounts, OutboxMessage, OutboxMessageDetail, OutboxPage, TemplateKey, Topic,
};
use sqlx::Row;

use crate::store::db::{self, DbRow};
use crate::store::{ts, ts_opt, Store, WriteTx};

/// A message to queue.
pub struct NewMessage {
    pub member_id: i64,
    pub template: TemplateKey,
    /// The event's figures (merged with the member's at rendering).
    pub fields: serde_json::Value,
    /// One message per key, ever (`None`: no such rule).
    pub dedupe_key: Option<String>,
    /// Not sent before this instant (unix seconds).
    pub not_before: i64,
}

/// A queued message the worker is about to deliver.
#[derive(Debug, Clone)]
pub struct DueMessage {
    pub id: i64,
    pub member_id: i64,
    pub template: TemplateKey,
    pub topic: Topic,
    pub fields: serde_json::Value,
    pub attempts: i64,
    /// The campaign it belongs to (its text is the campaign variant's).
    pub campaign_id: Option<i64>,
}

/// How a delivery attempt ended.
pub enum Outcome<'a> {
    /// Delivered (`Sent`) or kept (`Captured`), with what it said.
    Done {
        status: MessageStatus,
        to: &'a str,
        language: &'a str,
        subject: &'a str,
        text: &'a str,
        html: &'a str,
    },
    /// Not sent, for good: skipped (no consent, suppressed) or failed.
    Ended {
        status: MessageStatus,
        to: Option<&'a str>,
        reason: &'a str,
    },
    /// Try again at `at` (unix seconds); `reason` is the last error, if
    /// the attempt failed (a wait for quiet hours or the cap has none).
    Later {
        at: i64,
        reason: Option<&'a str>,
        attempted: bool,
    },
}

const COLUMNS: &str = "g.id, g.member_id, m.name AS member_name, COALESCE(g.to_address, m.email) AS to_address,
    g.template, g.topic, COALESCE(g.language, m.language) AS language, g.subject, g.status, g.attempts,
    g.last_error, g.created_at, g.next_attempt_at, g.sent_at";

fn message(r: &DbRow) -> OutboxMessage {
    let status = MessageStatus::parse(r.get::<String, _>("status").as_str())
        .unwrap_or(MessageStatus::Queued);
    OutboxMessage {
        id: r.get("id"),
        member_id: r.get("member_id"),
        member_name: r.get("member_name"),
        to: r.get("to_address"),
        template: TemplateKey::parse(r.get::<String, _>("template").as_str())
            .unwrap_or(TemplateKey::Welcome),
        topic: Topic::parse(r.get::<String, _>("topic").as_str()).unwrap_or(Topic::Service),
        language: r.get("language"),
        subject: r.get("subject"),
        attempts: r.get("attempts"),
        last_error: r.get("last_error"),
        created_at: ts(r.get("created_at")),
        next_attempt_at: (status == MessageStatus::Queued).then(|| ts(r.get("next_attempt_at"))),
        sent_at: ts_opt(r.get("sent_at")),
        status,
    }
}

impl Store {
    /// Queues a message inside the event's transaction, after its
    /// automation's delay. False when the automation is off or the dedupe
    /// key was queued before (nothing is written then).
    pub async fn enqueue_message(
        tx: &mut WriteTx<'_>,
        m: &NewMessage,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let (enabled, delay_hours) = super::automations::automation_in(tx, m.template).await?;
        if !enabled {
            return Ok(false);
        }
        let not_before = m.not_before.max(now) + delay_hours * 3_600;
        let done = db::query(
            "INSERT INTO messages (member_id, template, topic, fields, dedupe_key, status, created_at, next_attempt_at)
             VALUES (?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(m.member_id)
        .bind(m.template.as_str())
        .bind(m.template.topic().as_str())
        .bind(m.fields.to_string())
        .bind(m.dedupe_key.as_deref())
        .bind(now)
        .bind(not_before)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Up to `limit` queued messages due at `now`, oldest due first.
    pub async fn due_messages(&self, now: i64, limit: i64) -> Result<Vec<DueMessage>, sqlx::Error> {
        let rows = db::query(
            "SELECT id, member_id, template, topic, fields, attempts, campaign_id FROM messages
             WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(DueMessage {
                    id: r.get("id"),
                    member_id: r.get("member_id"),
                    template: TemplateKey::parse(r.get::<String, _>("template").as_str())?,
                    topic: Topic::parse(r.get::<String, _>("topic").as_str())?,
                    fields: serde_json::from_str(r.get::<String, _>("fields").as_str())
                        .unwrap_or_default(),
                    attempts: r.get("attempts"),
                    campaign_id: r.get("campaign_id"),
                })
            })
            .collect())
    }

    /// Whether any queued message is due at `now`.
    pub async fn any_message_due(&self, now: i64) -> Result<bool, sqlx::Error> {
        let n: Option<i64> = db::query_scalar(
            "SELECT id FROM messages WHERE status = 'queued' AND next_attempt_at <= ? LIMIT 1",
        )
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(n.is_some())
    }

    /// Records how delivering message `id` went, at `now`.
    pub async fn record_delivery(
        &self,
        id: i64,
        outcome: Outcome<'_>,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let q = match outcome {
            Outcome::Done {
                status,
                to,
                language,
                subject,
                text,
                html,
            } => db::query(
                "UPDATE messages SET status = ?, to_address = ?, language = ?, subject = ?, text_body = ?,
                    html_body = ?, attempts = attempts + 1, last_attempt_at = ?, sent_at = ?, last_error = NULL
                 WHERE id = ? AND status = 'queued'",
            )
            .bind(status.as_str())
            .bind(to.to_string())
            .bind(language.to_string())
            .bind(subject.to_string())
            .bind(text.to_string())
            .bind(html.to_string())
            .bind(now)
            .bind(now)
            .bind(id),
            Outcome::Ended { status, to, reason } => db::query(
                "UPDATE messages SET status = ?, to_address = COALESCE(?, to_address), last_error = ?,
                    attempts = attempts + CASE WHEN ? = 'failed' THEN 1 ELSE 0 END, last_attempt_at = ?
                 WHERE id = ? AND status = 'queued'",
            )
            .bind(status.as_str())
            .bind(to.map(str::to_string))
            .bind(reason.to_string())
            .bind(status.as_str())
            .bind(now)
            .bind(id),
            Outcome::Later {
                at,
                reason,
                attempted,
            } => db::query(
                "UPDATE messages SET next_attempt_at = ?, last_error = COALESCE(?, last_error),
                    attempts = attempts + ?, last_attempt_at = CASE WHEN ? = 1 THEN ? ELSE last_attempt_at END
                 WHERE id = ? AND status = 'queued'",
            )
            .bind(at)
            .bind(reason.map(str::to_string))
            .bind(i64::from(attempted))
            .bind(i64::from(attempted))
            .bind(now)
            .bind(id),
        };
        q.execute(&self.pool).await?;
        Ok(())
    }

    /// A page of the outbox, newest first, optionally of one status.
    pub async fn outbox_page(
        &self,
        status: Option<MessageStatus>,
        offset: i64,
        limit: i64,
        delivery: &str,
    ) -> Result<OutboxPage, sqlx::Error> {
        let filter = if status.is_some() {
            "WHERE g.status = ?"
        } else {
            ""
        };
        let mut q = db::query(&format!(
            "SELECT {COLUMNS} FROM messages g JOIN members m ON m.id = g.member_id {filter}
             ORDER BY g.id DESC LIMIT ? OFFSET ?"
        ));
        if let Some(s) = status {
            q = q.bind(s.as_str());
        }
        let rows = q.bind(limit).bind(offset).fetch_all(&self.pool).await?;
        let mut counts = OutboxCounts::default();
        for r in db::query("SELECT status, COUNT(*) AS n FROM messages GROUP BY status")
            .fetch_all(&self.pool)
            .await?
        {
            let n: i64 = r.get("n");
            match MessageStatus::parse(r.get::<String, _>("status").as_str()) {
                Some(MessageStatus::Queued) => counts.queued = n,
                Some(MessageStatus::Sent) => counts.sent = n,
                Some(MessageStatus::Captured) => counts.captured = n,
                Some(MessageStatus::Failed) => counts.failed = n,
                Some(MessageStatus::Skipped) => counts.skipped = n,
                None => {}
            }
        }
        let total = match status {
            None => counts.queued + counts.sent + counts.captured + counts.failed + counts.skipped,
            Some(MessageStatus::Queued) => counts.queued,
            Some(MessageStatus::Sent) => counts.sent,
            Some(MessageStatus::Captured) => counts.captured,
            Some(MessageStatus::Failed) => counts.failed,
            Some(MessageStatus::Skipped) => counts.skipped,
        };
        let oldest: Option<i64> =
            db::query_scalar("SELECT MIN(created_at) FROM messages WHERE status = 'queued'")
                .fetch_one(&self.pool)
                .await?;
        let last = db::query(
            "SELECT last_error, last_attempt_at FROM messages
             WHERE last_error IS NOT NULL AND last_attempt_at IS NOT NULL AND status IN ('queued', 'failed')
             ORDER BY last_attempt_at DESC, id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(OutboxPage {
            items: rows.iter().map(message).collect(),
            total,
            counts,
            delivery: delivery.to_string(),
            oldest_queued_at: ts_opt(oldest),
            last_error: last.as_ref().map(|r| r.get("last_error")),
            last_error_at: last.as_ref().map(|r| ts(r.get("last_attempt_at"))),
        })
    }

    /// One message with its rendered parts.
    pub async fn outbox_message(
        &self,
        id: i64,
    ) -> Result<Option<OutboxMessageDetail>, sqlx::Error> {
        let row = db::query(&format!(
            "SELECT {COLUMNS}, g.text_body, g.html_body FROM messages g
             JOIN members m ON m.id = g.member_id WHERE g.id = ?"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| OutboxMessageDetail {
            message: message(&r),
            text: r.get("text_body"),
            html: r.get("html_body"),
        }))
    }

    /// Puts a failed message back in the queue, due now. False when it is
    /// not failed.
    pub async fn retry_message(&self, id: i64, now: i64) -> Result<bool, sqlx::Error> {
        let done = db::query(
            "UPDATE messages SET status = 'queued', next_attempt_at = ? WHERE id = ? AND status = 'failed'",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// For members `ids`: how many marketing messages each was sent since
    /// `since`, and when the first of them went (members with none are
    /// absent), in one statement.
    pub async fn marketing_sent_since(
        &self,
        ids: &[i64],
        since: i64,
    ) -> Result<HashMap<i64, (i64, i64)>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut qb = db::Builder::new(
            "SELECT member_id, COUNT(*) AS n, MIN(sent_at) AS first FROM messages
             WHERE status IN ('sent', 'captured') AND topic NOT IN ('account', 'service') AND sent_at >= ",
        );
        qb.push_bind(since).push(" AND member_id");
        qb.push_in(ids.iter().copied()).push(" GROUP BY member_id");
        let rows = qb.build().fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| (r.get("member_id"), (r.get("n"), r.get("first"))))
            .collect())
    }
}
