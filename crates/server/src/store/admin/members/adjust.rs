//! The admin's writes on a member: manual point adjustments (never
//! overdrawing) and blocking, each audited.

use crate::store::db;
use crate::store::dialect::lock_member;
use patron_core::admin::AdjustmentResult;
use patron_core::ledger::{available, plan_debit};
use serde_json::json;
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::users::UserRow;
use crate::store::{ts, Store};

/// Why an adjustment was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdjustRefusal {
    NoSuchMember,
    Blocked,
    /// Taking this many would go below what is available.
    Insufficient {
        available: i64,
    },
}

impl Store {
    /// Adds or takes points by hand. Positive adjustments are lots that
    /// expire by the programme rule (`expires_at`); negative ones take from
    /// available lots, soonest-expiring first, and never overdraw. The
    /// answer is stored under the idempotency key in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn adjust_points(
        &self,
        member_id: i64,
        points: i64,
        reason: &str,
        expires_at: Option<i64>,
        actor: &UserRow,
        key: &str,
        now: i64,
    ) -> Result<Result<AdjustmentResult, AdjustRefusal>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        lock_member(&mut tx, member_id).await?;
        let Some(db::Flag(blocked)) =
            db::query_scalar::<db::Flag>("SELECT status = 'blocked' FROM members WHERE id = ?")
                .bind(member_id)
                .fetch_optional(&mut *tx)
                .await?
        else {
            return Ok(Err(AdjustRefusal::NoSuchMember));
        };
        if blocked {
            return Ok(Err(AdjustRefusal::Blocked));
        }
        let lots = Self::member_lots_in(&mut tx, member_id).await?;
        let now_t = ts(now);
        let plan = if points < 0 {
            match plan_debit(&lots, -points, now_t) {
                Ok(p) => p,
                Err(_) => {
                    return Ok(Err(AdjustRefusal::Insufficient {
                        available: available(&lots, now_t),
                    }))
                }
            }
        } else {
            Vec::new()
        };
        let entry_id: i64 = db::query_scalar(
            "INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, reason, actor_user_id)
             VALUES (?, 'adjust', ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(member_id)
        .bind(points)
        .bind(now)
        .bind((points > 0).then_some(now))
        .bind(if points > 0 { expires_at } else { None })
        .bind(reason.trim())
        .bind(actor.id)
        .fetch_one(&mut *tx)
        .await?;
        for a in &plan {
            db::query("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (?, ?, ?)")
                .bind(entry_id)
                .bind(a.lot_id)
                .bind(a.points)
                .execute(&mut *tx)
                .await?;
        }
        let balance: i64 = db::query_scalar(
            "SELECT COALESCE(CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries WHERE member_id = ?",
        )
        .bind(member_id)
        .fetch_one(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: "member.adjust",
                entity: "member",
                entity_id: Some(member_id.to_string()),
                before: Some(json!({ "balance": balance - points })),
                after: Some(json!({ "balance": balance, "points": points, "reason": reason.trim(), "entry": entry_id })),
            },
        )
        .await?;
        let result = AdjustmentResult {
            entry_id,
            points,
            balance,
        };
        let body = serde_json::to_string(&result).unwrap_or_default();
        Self::idempotency_finish_in(&mut tx, actor.id, key, 201, &body).await?;
        tx.commit().await?;
        Ok(Ok(result))
    }

    /// Blocks or unblocks a member; false when there is no such member.
    pub async fn set_blocked(
        &self,
        member_id: i64,
        blocked: bool,
        reason: &str,
        actor: &UserRow,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let Some(old) = db::query("SELECT status, block_reason FROM members WHERE id = ?")
            .bind(member_id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(false);
        };
        let status = if blocked { "blocked" } else { "active" };
        db::query("UPDATE members SET status = ?, block_reason = ? WHERE id = ?")
            .bind(status)
            .bind(blocked.then(|| reason.trim().to_string()))
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: if blocked { "member.block" } else { "member.unblock" },
                entity: "member",
                entity_id: Some(member_id.to_string()),
                before: Some(json!({ "status": old.get::<String, _>("status"), "reason": old.get::<Option<String>, _>("block_reason") })),
                after: Some(json!({ "status": status, "reason": reason.trim() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
