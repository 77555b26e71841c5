//! Staff accounts and API keys.

use crate::store::db;
use crate::store::dialect::Dialect;
use patron_core::admin::{ApiKeyInfo, StaffAccount};
use patron_core::auth::Role;
use serde_json::json;
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::users::UserRow;
use crate::store::users::{parse_role, role_str};
use crate::store::{ts, ts_opt, Store};

/// Refusal: deactivating this account would leave no active admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastAdmin;

/// Staff changes take turns on PostgreSQL (SQLite's write transaction
/// already does): each locks the admins' rows first, so two changes at once
/// cannot both see "another admin is left" and remove the last two.
async fn lock_admins(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    if Dialect::of(conn) == Dialect::Postgres {
        db::query("SELECT id FROM users WHERE role = 'admin' ORDER BY id FOR UPDATE")
            .execute(conn)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Every admin and support account.
    pub async fn staff_accounts(&self) -> Result<Vec<StaffAccount>, sqlx::Error> {
        let rows = db::query(
            "SELECT id, email, name, role, active, created_at FROM users
             WHERE role IN ('admin', 'support') ORDER BY active DESC, role, name",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| StaffAccount {
                id: r.get("id"),
                email: r.get("email"),
                name: r.get("name"),
                role: parse_role(r.get::<&str, _>("role")),
                active: r.get::<db::Flag, _>("active").0,
                created_at: ts(r.get("created_at")),
            })
            .collect())
    }

    /// Creates a staff account; `Ok(None)` when the email is taken.
    pub async fn create_staff(
        &self,
        email: &str,
        name: &str,
        role: Role,
        hash: &str,
        actor: &UserRow,
        now: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        lock_admins(&mut tx).await?;
        let taken: i64 =
            db::query_scalar("SELECT COUNT(*) FROM users WHERE lower(email) = lower(?)")
                .bind(email)
                .fetch_one(&mut *tx)
                .await?;
        if taken > 0 {
            return Ok(None);
        }
        let id: i64 = db::query_scalar(
            "INSERT INTO users (email, name, role, password_hash, active, created_at) VALUES (?, ?, ?, ?, TRUE, ?) RETURNING id",
        )
        .bind(email)
        .bind(name)
        .bind(role_str(role))
        .bind(hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: "staff.create",
                entity: "staff",
                entity_id: Some(id.to_string()),
                before: None,
                after: Some(
                    json!({ "email": email, "name": name, "role": role_str(role), "active": true }),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// The staff account `id` (not members).
    pub async fn staff_account(&self, id: i64) -> Result<Option<StaffAccount>, sqlx::Error> {
        Ok(self
            .staff_accounts()
            .await?
            .into_iter()
            .find(|s| s.id == id))
    }

    /// Sets a new password and ends the account's sessions.
    pub async fn reset_staff_password(
        &self,
        id: i64,
        hash: &str,
        actor: &UserRow,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        lock_admins(&mut tx).await?;
        db::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        db::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: "staff.password_reset",
                entity: "staff",
                entity_id: Some(id.to_string()),
                before: None,
                after: Some(json!({ "password": "changed", "sessions": "ended" })),
            },
        )
        .await?;
        tx.commit().await
    }

    /// Deactivates (ending every session) or reactivates an account.
    pub async fn set_staff_active(
        &self,
        id: i64,
        active: bool,
        actor: &UserRow,
    ) -> Result<Result<(), LastAdmin>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        lock_admins(&mut tx).await?;
        // Counted inside the write, so two deactivations at once cannot
        // both see "another admin is left".
        if !active {
            let others: i64 = db::query_scalar(
                "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active AND id <> ?",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let is_admin: bool = db::query_scalar::<db::Flag>(
                "SELECT COUNT(*) > 0 FROM users WHERE id = ? AND role = 'admin'",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .0;
            if is_admin && others == 0 {
                return Ok(Err(LastAdmin));
            }
        }
        db::query("UPDATE users SET active = ? WHERE id = ?")
            .bind(active)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !active {
            db::query("DELETE FROM sessions WHERE user_id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: if active {
                    "staff.reactivate"
                } else {
                    "staff.deactivate"
                },
                entity: "staff",
                entity_id: Some(id.to_string()),
                before: Some(json!({ "active": !active })),
                after: Some(json!({ "active": active })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Every API key, newest first.
    pub async fn api_keys(&self) -> Result<Vec<ApiKeyInfo>, sqlx::Error> {
        let rows = db::query(
            "SELECT id, name, prefix, created_at, revoked_at FROM api_keys ORDER BY id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| ApiKeyInfo {
                id: r.get("id"),
                name: r.get("name"),
                prefix: r.get("prefix"),
                created_at: ts(r.get("created_at")),
                revoked_at: ts_opt(r.get("revoked_at")),
                key: None,
            })
            .collect())
    }

    /// Stores a new key (its hash) and answers its row.
    pub async fn create_api_key(
        &self,
        name: &str,
        prefix: &str,
        hash: &str,
        actor: &UserRow,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        lock_admins(&mut tx).await?;
        let id: i64 = db::query_scalar(
            "INSERT INTO api_keys (name, prefix, key_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(name)
        .bind(prefix)
        .bind(hash)
        .bind(actor.id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: "api_key.create",
                entity: "api_key",
                entity_id: Some(id.to_string()),
                before: None,
                after: Some(json!({ "name": name, "prefix": prefix })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Revokes a key; false when there is no live key with this id.
    pub async fn revoke_api_key(
        &self,
        id: i64,
        actor: &UserRow,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        lock_admins(&mut tx).await?;
        let done =
            db::query("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: "api_key.revoke",
                entity: "api_key",
                entity_id: Some(id.to_string()),
                before: Some(json!({ "revoked": false })),
                after: Some(json!({ "revoked": true })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The live key with this hash: (key id, the admin who made it).
    pub async fn api_key_owner(&self, hash: &str) -> Result<Option<(i64, i64)>, sqlx::Error> {
        // A key dies with its maker's admin rights.
        let r = db::query(
            "SELECT k.id, k.created_by FROM api_keys k JOIN users u ON u.id = k.created_by
             WHERE k.key_hash = ? AND k.revoked_at IS NULL AND u.active AND u.role = 'admin'",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.map(|r| (r.get("id"), r.get("created_by"))))
    }
}
