//! The suppression list as admins see it: newest first, an address added
//! by hand, an entry lifted (both audited). The worker's checks and the
//! automatic entries (bounces, complaints) are in `recipients`.

use patron_core::messaging::{Suppression, SuppressionPage, SuppressionReason};
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::db;
use crate::store::users::UserRow;
use crate::store::{ts, Store};

impl Store {
    /// A page of the list, newest first.
    pub async fn suppressions(
        &self,
        offset: i64,
        limit: i64,
    ) -> Result<SuppressionPage, sqlx::Error> {
        let rows = db::query(
            "SELECT email, reason, detail, created_at FROM suppressions
             ORDER BY created_at DESC, email LIMIT ? OFFSET ?",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = db::query_scalar("SELECT COUNT(*) FROM suppressions")
            .fetch_one(&self.pool)
            .await?;
        Ok(SuppressionPage {
            items: rows
                .iter()
                .map(|r| Suppression {
                    email: r.get("email"),
                    reason: SuppressionReason::parse(r.get::<&str, _>("reason"))
                        .unwrap_or(SuppressionReason::Admin),
                    detail: r.get("detail"),
                    created_at: ts(r.get("created_at")),
                })
                .collect(),
            total,
        })
    }

    /// An admin suppresses `email` (audited); false when it already was.
    pub async fn add_suppression(
        &self,
        email: &str,
        detail: Option<&str>,
        actor: &UserRow,
    ) -> Result<bool, sqlx::Error> {
        let now = self.now().timestamp();
        let mut tx = self.begin_write().await?;
        let done = db::query(
            "INSERT INTO suppressions (email, reason, detail, created_at) VALUES (lower(?), 'admin', ?, ?)
             ON CONFLICT (email) DO NOTHING",
        )
        .bind(email)
        .bind(detail)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        let rec = AuditRecord {
            actor,
            action: "suppression.add",
            entity: "suppression",
            entity_id: Some(email.to_lowercase()),
            before: None,
            after: Some(serde_json::json!({ "detail": detail })),
        };
        Store::audit_at(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Lifts the suppression of `email` (audited with what it was); false
    /// when there was none.
    pub async fn lift_suppression(
        &self,
        email: &str,
        actor: &UserRow,
    ) -> Result<bool, sqlx::Error> {
        let now = self.now().timestamp();
        let mut tx = self.begin_write().await?;
        let was = db::query("SELECT reason, detail FROM suppressions WHERE email = lower(?)")
            .bind(email)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(was) = was else {
            return Ok(false);
        };
        db::query("DELETE FROM suppressions WHERE email = lower(?)")
            .bind(email)
            .execute(&mut *tx)
            .await?;
        let rec = AuditRecord {
            actor,
            action: "suppression.lift",
            entity: "suppression",
            entity_id: Some(email.to_lowercase()),
            before: Some(serde_json::json!({
                "reason": was.get::<&str, _>("reason"),
                "detail": was.get::<Option<String>, _>("detail"),
            })),
            after: None,
        };
        Store::audit_at(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}
