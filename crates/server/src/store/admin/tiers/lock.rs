//! Tier locks: an admin locks (or unlocks) a member's tier, with a history
//! line and an audit row.

use crate::store::db;
use serde_json::json;
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::users::UserRow;
use crate::store::Store;

impl Store {
    /// Locks (or with `tier_id = None` unlocks) a member's tier.
    pub async fn set_tier_lock(
        &self,
        member_id: i64,
        tier_id: Option<i64>,
        reason: &str,
        until: Option<i64>,
        actor: &UserRow,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let old = db::query(
            "SELECT m.tier_id, m.tier_locked_id, m.tier_lock_reason, m.tier_lock_until, t.name AS locked_name
             FROM members m LEFT JOIN tiers t ON t.id = m.tier_locked_id WHERE m.id = ?",
        )
        .bind(member_id)
        .fetch_one(&mut *tx)
        .await?;
        let new_name: Option<String> = match tier_id {
            Some(t) => {
                db::query_scalar("SELECT name FROM tiers WHERE id = ?")
                    .bind(t)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            None => None,
        };
        db::query(
            "UPDATE members SET tier_locked_id = ?, tier_lock_reason = ?, tier_lock_until = ?, tier_lock_by = ?,
                tier_id = COALESCE(?, tier_id), downgrade_due_at = NULL WHERE id = ?",
        )
        .bind(tier_id)
        .bind(tier_id.map(|_| reason.trim().to_string()))
        .bind(tier_id.and(until))
        .bind(tier_id.map(|_| actor.id))
        .bind(tier_id)
        .bind(member_id)
        .execute(&mut *tx)
        .await?;
        let from: i64 = old.get("tier_id");
        db::query(
            "INSERT INTO tier_history (member_id, from_tier_id, to_tier_id, reason, at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(member_id)
        .bind(from)
        .bind(tier_id.unwrap_or(from))
        .bind(if tier_id.is_some() {
            format!("locked by {}: {}", actor.name, reason.trim())
        } else {
            format!("unlocked by {}: {}", actor.name, reason.trim())
        })
        .bind(now)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: if tier_id.is_some() {
                    "member.tier_lock"
                } else {
                    "member.tier_unlock"
                },
                entity: "member",
                entity_id: Some(member_id.to_string()),
                before: Some(json!({
                    "tier_lock": old.get::<Option<String>, _>("locked_name"),
                    "lock_reason": old.get::<Option<String>, _>("tier_lock_reason"),
                    "lock_until": old.get::<Option<i64>, _>("tier_lock_until"),
                })),
                after: Some(json!({
                    "tier_lock": new_name,
                    "lock_reason": tier_id.map(|_| reason.trim()),
                    "lock_until": tier_id.and(until),
                })),
            },
        )
        .await?;
        tx.commit().await
    }
}
