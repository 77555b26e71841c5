//! Feedback records and their threads.

use crate::store::db;
use patron_core::feedback::{
    FeedbackKind, FeedbackReceipt, Ticket, TicketMessage, TicketStatus, TicketSummary,
};
use sqlx::Row;

use super::{ts, Store};

/// A new piece of feedback, validated by the caller.
#[derive(Debug, Clone)]
pub struct NewFeedback {
    pub member_id: i64,
    pub author_user_id: i64,
    pub kind: FeedbackKind,
    pub score: Option<i64>,
    pub category: Option<String>,
    pub order_ref: Option<String>,
    pub subject: String,
    pub message: Option<String>,
    pub desired_resolution: Option<String>,
    pub status: TicketStatus,
    pub priority: patron_core::support::Priority,
}

/// A message to add to a thread.
#[derive(Debug, Clone, Copy)]
pub struct NewMessage<'a> {
    pub feedback_id: i64,
    pub author_id: i64,
    pub from_staff: bool,
    /// A staff note the member never sees.
    pub internal: bool,
    pub body: &'a str,
    /// Status to set with it.
    pub status: Option<TicketStatus>,
}

/// One of the member's orders, for pickers.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct OrderRef {
    pub order_ref: String,
    pub amount_minor: i64,
    pub purchased_at: chrono::DateTime<chrono::Utc>,
}

const TICKET_SELECT: &str = "SELECT id, reference, kind, subject, status, created_at, updated_at,
        csat_score, category, order_ref, desired_resolution, member_id FROM feedback";

fn summary_from_row(r: &db::DbRow) -> TicketSummary {
    let status = TicketStatus::parse(r.get::<&str, _>("status")).unwrap_or(TicketStatus::Open);
    let csat: Option<i64> = r.get("csat_score");
    TicketSummary {
        id: r.get("id"),
        reference: r.get("reference"),
        kind: FeedbackKind::parse(r.get::<&str, _>("kind")).unwrap_or(FeedbackKind::Complaint),
        subject: r.get("subject"),
        status,
        created_at: ts(r.get("created_at")),
        updated_at: ts(r.get("updated_at")),
        awaiting_csat: matches!(status, TicketStatus::Resolved | TicketStatus::Closed)
            && csat.is_none(),
    }
}

impl Store {
    /// Stores feedback (and its first message); returns its reference.
    pub async fn create_feedback(
        &self,
        f: NewFeedback,
        now: i64,
    ) -> Result<FeedbackReceipt, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let id: i64 = db::query_scalar(
            "INSERT INTO feedback (reference, member_id, kind, score, category, order_ref, subject,
                                   desired_resolution, status, priority, created_at, updated_at)
             VALUES ('pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(f.member_id)
        .bind(f.kind.as_str())
        .bind(f.score)
        .bind(&f.category)
        .bind(&f.order_ref)
        .bind(&f.subject)
        .bind(&f.desired_resolution)
        .bind(f.status.as_str())
        .bind(f.priority.as_str())
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let reference = format!("FB-{id:06}");
        db::query("UPDATE feedback SET reference = ? WHERE id = ?")
            .bind(&reference)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if let Some(m) = f.message.as_deref().filter(|m| !m.trim().is_empty()) {
            db::query(
                "INSERT INTO feedback_messages (feedback_id, author_id, from_staff, internal, body, created_at)
                 VALUES (?, ?, FALSE, FALSE, ?, ?)",
            )
            .bind(id)
            .bind(f.author_user_id)
            .bind(m.trim())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        super::support::record_event(
            &mut tx,
            id,
            None,
            "created",
            None,
            Some(f.status.as_str()),
            now,
        )
        .await?;
        super::support::refresh_sla(&mut tx, id, now, super::support::Touch::Change).await?;
        tx.commit().await?;
        Ok(FeedbackReceipt {
            id,
            reference,
            kind: f.kind,
        })
    }

    /// The member's complaints and suggestions, newest activity first.
    pub async fn tickets_of(&self, member_id: i64) -> Result<Vec<TicketSummary>, sqlx::Error> {
        let rows = db::query(&format!(
            "{TICKET_SELECT} WHERE member_id = ? AND kind IN ('complaint', 'suggestion')
             ORDER BY updated_at DESC, id DESC LIMIT 500"
        ))
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(summary_from_row).collect())
    }

    /// A ticket with its thread. `with_internal` only for staff; the owner
    /// check is the caller's (`member_id` is returned for it).
    pub async fn ticket(
        &self,
        id: i64,
        with_internal: bool,
    ) -> Result<Option<(i64, Ticket)>, sqlx::Error> {
        let Some(r) = db::query(&format!("{TICKET_SELECT} WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        // Internal notes are filtered here, in SQL, not by the client.
        let rows = db::query(
            "SELECT m.id, m.from_staff, m.internal, m.body, m.created_at,
                    COALESCE(u.name, mem.name) AS name
             FROM feedback_messages m LEFT JOIN users u ON u.id = m.author_id
                JOIN feedback f ON f.id = m.feedback_id JOIN members mem ON mem.id = f.member_id
             WHERE m.feedback_id = ? AND (? OR NOT m.internal)
             ORDER BY m.created_at, m.id",
        )
        .bind(id)
        .bind(with_internal)
        .fetch_all(&self.pool)
        .await?;
        let messages = rows
            .iter()
            .map(|m| TicketMessage {
                id: m.get("id"),
                from_staff: m.get::<db::Flag, _>("from_staff").0,
                author_name: m.get("name"),
                body: m.get("body"),
                internal: m.get::<db::Flag, _>("internal").0,
                created_at: ts(m.get("created_at")),
            })
            .collect();
        Ok(Some((
            r.get("member_id"),
            Ticket {
                summary: summary_from_row(&r),
                category: r.get("category"),
                order_ref: r.get("order_ref"),
                desired_resolution: r.get("desired_resolution"),
                messages,
                csat_score: r.get("csat_score"),
            },
        )))
    }

    /// Adds a message and sets the status, together; records the first
    /// staff response, the history entry and the new deadlines. With
    /// `expect_version`, nothing is written when the ticket changed since
    /// (returns false).
    pub async fn add_message(
        &self,
        m: NewMessage<'_>,
        expect_version: Option<i64>,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let NewMessage {
            feedback_id,
            author_id,
            from_staff,
            internal,
            body,
            status,
        } = m;
        let mut tx = self.begin_write().await?;
        let cur = db::query("SELECT status, version FROM feedback WHERE id = ?")
            .bind(feedback_id)
            .fetch_one(&mut *tx)
            .await?;
        if expect_version.is_some_and(|v| v != cur.get::<i64, _>("version")) {
            return Ok(false);
        }
        let old = TicketStatus::parse(cur.get::<&str, _>("status")).unwrap_or(TicketStatus::Open);
        // Checked here, inside the write transaction: a ticket closed a
        // moment ago is not reopened by a member's reply.
        if !from_staff && old == TicketStatus::Closed {
            return Ok(false);
        }
        db::query(
            "INSERT INTO feedback_messages (feedback_id, author_id, from_staff, internal, body, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(feedback_id)
        .bind(author_id)
        .bind(from_staff)
        .bind(internal)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let action = match (from_staff, internal) {
            (true, true) => "note",
            (true, false) => "replied",
            (false, _) => "member_replied",
        };
        super::support::record_event(
            &mut tx,
            feedback_id,
            Some(author_id),
            action,
            None,
            None,
            now,
        )
        .await?;
        if from_staff && !internal {
            // The member gets the reply by email too.
            let t = db::query("SELECT member_id, reference, subject FROM feedback WHERE id = ?")
                .bind(feedback_id)
                .fetch_one(&mut *tx)
                .await?;
            super::messaging::events::ticket_reply(
                &mut tx,
                t.get("member_id"),
                t.get::<&str, _>("reference"),
                t.get::<&str, _>("subject"),
                body,
                now,
            )
            .await?;
            db::query(
                "UPDATE feedback SET first_response_at = COALESCE(first_response_at, ?) WHERE id = ?",
            )
            .bind(now)
            .bind(feedback_id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(s) = status {
            super::support::set_status(&mut tx, feedback_id, author_id, old, s, now).await?;
        }
        // A note is for staff only: no new version, no activity members see.
        let touch = if internal {
            super::support::Touch::Quiet
        } else {
            super::support::Touch::Change
        };
        super::support::refresh_sla(&mut tx, feedback_id, now, touch).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records the member's rating of a resolved ticket, once. False when
    /// it is not resolved or already rated.
    pub async fn rate_ticket(
        &self,
        feedback_id: i64,
        score: i64,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = db::query(
            "UPDATE feedback SET csat_score = ?, updated_at = ?, version = version + 1
             WHERE id = ? AND csat_score IS NULL AND status IN ('resolved', 'closed')
                AND kind IN ('complaint', 'suggestion')",
        )
        .bind(score)
        .bind(now)
        .bind(feedback_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The member's most recent orders.
    pub async fn orders_of(
        &self,
        member_id: i64,
        limit: i64,
    ) -> Result<Vec<OrderRef>, sqlx::Error> {
        let rows = db::query(
            "SELECT order_ref, amount_minor, purchased_at FROM purchases
             WHERE member_id = ? ORDER BY purchased_at DESC, id DESC LIMIT ?",
        )
        .bind(member_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| OrderRef {
                order_ref: r.get("order_ref"),
                amount_minor: r.get("amount_minor"),
                purchased_at: ts(r.get("purchased_at")),
            })
            .collect())
    }

    /// Whether `order_ref` is one of the member's orders.
    pub async fn owns_order(&self, member_id: i64, order_ref: &str) -> Result<bool, sqlx::Error> {
        let n: i64 = db::query_scalar(
            "SELECT COUNT(*) FROM purchases WHERE member_id = ? AND order_ref = ?",
        )
        .bind(member_id)
        .bind(order_ref)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }
}
