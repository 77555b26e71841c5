//! Triage: the agents tickets go to, changes to one ticket or many (each
//! checked against the version the agent saw), status moves and the
//! ticket's history.

use crate::store::db;
use patron_core::feedback::TicketStatus;
use patron_core::support::{Agent, TicketUpdate};
use sqlx::Row;

use super::rows::{priority_of, status_of};
use super::sla::{refresh_sla, Touch};
use crate::store::{Store, WriteTx};

/// How a triage change went.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateOutcome {
    Updated,
    /// Someone changed the ticket since `version`; the current version.
    Conflict(i64),
    Missing,
}

/// Records an entry in a ticket's history.
pub(crate) async fn record_event(
    tx: &mut WriteTx<'_>,
    feedback_id: i64,
    actor_id: Option<i64>,
    action: &str,
    from: Option<&str>,
    to: Option<&str>,
    at: i64,
) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO feedback_events (feedback_id, actor_id, action, from_value, to_value, at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(feedback_id)
    .bind(actor_id)
    .bind(action)
    .bind(from)
    .bind(to)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves a ticket from `old` to `new` status (resolved/closed stamp the
/// resolution time once; reopening clears it) and records who did it.
pub(crate) async fn set_status(
    tx: &mut WriteTx<'_>,
    id: i64,
    actor: i64,
    old: TicketStatus,
    new: TicketStatus,
    now: i64,
) -> Result<(), sqlx::Error> {
    if old == new {
        return Ok(());
    }
    let done = matches!(new, TicketStatus::Resolved | TicketStatus::Closed);
    db::query(
        "UPDATE feedback SET status = ?,
            resolved_at = CASE WHEN ? THEN COALESCE(resolved_at, ?) ELSE NULL END
         WHERE id = ?",
    )
    .bind(new.as_str())
    .bind(done)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    record_event(
        tx,
        id,
        Some(actor),
        "status",
        Some(old.as_str()),
        Some(new.as_str()),
        now,
    )
    .await
}

/// Applies one triage change inside `tx`; the caller checked the version.
async fn apply_change(
    tx: &mut WriteTx<'_>,
    id: i64,
    actor: i64,
    upd: &TicketUpdate,
    add_label: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let cur = db::query(
        "SELECT f.status, f.priority, f.assignee_id, u.name AS assignee_name
         FROM feedback f LEFT JOIN users u ON u.id = f.assignee_id WHERE f.id = ?",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    if let Some(new) = upd.assignee_id {
        let old: Option<i64> = cur.get("assignee_id");
        if old != new {
            let new_name: Option<String> = match new {
                Some(a) => {
                    db::query_scalar("SELECT name FROM users WHERE id = ?")
                        .bind(a)
                        .fetch_optional(&mut **tx)
                        .await?
                }
                None => None,
            };
            db::query("UPDATE feedback SET assignee_id = ? WHERE id = ?")
                .bind(new)
                .bind(id)
                .execute(&mut **tx)
                .await?;
            let old_name: Option<String> = cur.get("assignee_name");
            record_event(
                tx,
                id,
                Some(actor),
                "assigned",
                old_name.as_deref(),
                new_name.as_deref(),
                now,
            )
            .await?;
        }
    }
    if let Some(s) = upd.status {
        set_status(tx, id, actor, status_of(cur.get("status")), s, now).await?;
    }
    if let Some(p) = upd.priority {
        let old = priority_of(cur.get("priority"));
        if old != p {
            db::query("UPDATE feedback SET priority = ? WHERE id = ?")
                .bind(p.as_str())
                .bind(id)
                .execute(&mut **tx)
                .await?;
            record_event(
                tx,
                id,
                Some(actor),
                "priority",
                Some(old.as_str()),
                Some(p.as_str()),
                now,
            )
            .await?;
        }
    }
    if let Some(labels) = &upd.labels {
        let old: Vec<String> = db::query_scalar(
            "SELECT label FROM feedback_labels WHERE feedback_id = ? ORDER BY label",
        )
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
        let mut new = labels.clone();
        new.sort();
        new.dedup();
        if old != new {
            db::query("DELETE FROM feedback_labels WHERE feedback_id = ?")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            for l in &new {
                db::query("INSERT INTO feedback_labels (feedback_id, label) VALUES (?, ?)")
                    .bind(id)
                    .bind(l)
                    .execute(&mut **tx)
                    .await?;
            }
            record_event(
                tx,
                id,
                Some(actor),
                "labels",
                Some(&old.join(", ")),
                Some(&new.join(", ")),
                now,
            )
            .await?;
        }
    }
    if let Some(l) = add_label {
        let added = db::query(
            "INSERT INTO feedback_labels (feedback_id, label) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(l)
        .execute(&mut **tx)
        .await?;
        if added.rows_affected() == 1 {
            record_event(tx, id, Some(actor), "label_added", None, Some(l), now).await?;
        }
    }
    refresh_sla(tx, id, now, Touch::Change).await
}

impl Store {
    /// Staff who can be assigned tickets: active support agents and admins.
    pub async fn agents(&self) -> Result<Vec<Agent>, sqlx::Error> {
        let rows = db::query(
            "SELECT id, name FROM users WHERE role IN ('support', 'admin') AND active ORDER BY name, id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Agent {
                id: r.get("id"),
                name: r.get("name"),
            })
            .collect())
    }

    /// Whether `id` is an active agent.
    pub async fn is_agent(&self, id: i64) -> Result<bool, sqlx::Error> {
        Ok(self.agents().await?.iter().any(|a| a.id == id))
    }

    /// The current version of a ticket.
    pub async fn ticket_version(&self, id: i64) -> Result<Option<i64>, sqlx::Error> {
        db::query_scalar("SELECT version FROM feedback WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Applies a triage change if the ticket is still at `upd.version`.
    pub async fn update_ticket(
        &self,
        id: i64,
        actor: i64,
        upd: &TicketUpdate,
        now: i64,
    ) -> Result<UpdateOutcome, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let Some(version): Option<i64> =
            db::query_scalar("SELECT version FROM feedback WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
        else {
            return Ok(UpdateOutcome::Missing);
        };
        if version != upd.version {
            return Ok(UpdateOutcome::Conflict(version));
        }
        apply_change(&mut tx, id, actor, upd, None, now).await?;
        tx.commit().await?;
        Ok(UpdateOutcome::Updated)
    }

    /// One change to many tickets, each only if still at the version seen.
    pub async fn bulk_update(
        &self,
        tickets: &[(i64, i64)],
        actor: i64,
        upd: &TicketUpdate,
        add_label: Option<&str>,
        now: i64,
    ) -> Result<(Vec<i64>, Vec<i64>, Vec<i64>), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let (mut updated, mut conflicts, mut missing) = (vec![], vec![], vec![]);
        for &(id, seen) in tickets {
            let v: Option<i64> = db::query_scalar("SELECT version FROM feedback WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            match v {
                None => missing.push(id),
                Some(v) if v != seen => conflicts.push(id),
                Some(_) => {
                    apply_change(&mut tx, id, actor, upd, add_label, now).await?;
                    updated.push(id);
                }
            }
        }
        tx.commit().await?;
        Ok((updated, conflicts, missing))
    }
}
