//! Server-side sessions, keyed by a hash of the cookie's token.

use super::users::{user_from_row, UserRow};
use super::Store;
use crate::store::db;

impl Store {
    /// Stores a new session.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        db::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Ends a session; unknown tokens are ignored.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        db::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The active account behind a live session.
    pub async fn session_user(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<UserRow>, sqlx::Error> {
        let row = db::query(
            "SELECT u.id, u.email, u.name, u.role, u.password_hash, u.member_id, u.active
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ? AND s.expires_at > ? AND u.active",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(user_from_row))
    }
}
