//! Stored answers for writes a client may retry (`Idempotency-Key`).

use crate::store::db;
use sqlx::Row;

use super::{Store, WriteTx};

/// An `in_flight` row older than this is taken to be from a request that
/// died, and the key may be used again.
pub const IN_FLIGHT_STALE_SECS: i64 = 60;

/// What to do with a request that carries a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    /// First use: the key is now marked in flight; do the work.
    Fresh,
    /// Seen and finished: answer exactly this again.
    Replay { status: u16, body: String },
    /// Another request with this key is running now.
    InFlight,
    /// The key was used with a different request body.
    Mismatch,
}

impl Store {
    /// Claims `key` for `user_id`, or says why not. The claim is one
    /// insert that the unique (user, key) pair lets only one request win,
    /// on any number of replicas; the loser reads what the winner stored.
    pub async fn idempotency_begin(
        &self,
        user_id: i64,
        key: &str,
        request_hash: &str,
        now: i64,
    ) -> Result<KeyState, sqlx::Error> {
        let claimed = db::query(
            "INSERT INTO idempotency_keys (user_id, key, request_hash, state, created_at)
             VALUES (?, ?, ?, 'in_flight', ?)
             ON CONFLICT (user_id, key) DO NOTHING",
        )
        .bind(user_id)
        .bind(key)
        .bind(request_hash)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if claimed == 1 {
            return Ok(KeyState::Fresh);
        }
        let Some(r) = db::query(
            "SELECT request_hash, state, status_code, response_body, created_at
             FROM idempotency_keys WHERE user_id = ? AND key = ?",
        )
        .bind(user_id)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?
        else {
            // Abandoned between our insert and read: claim it again.
            return Box::pin(self.idempotency_begin(user_id, key, request_hash, now)).await;
        };
        Ok(match r {
            r if r.get::<&str, _>("request_hash") != request_hash => KeyState::Mismatch,
            r if r.get::<&str, _>("state") == "done" => KeyState::Replay {
                status: r.get::<i64, _>("status_code") as u16,
                body: r.get("response_body"),
            },
            r if now - r.get::<i64, _>("created_at") < IN_FLIGHT_STALE_SECS => KeyState::InFlight,
            r => {
                // A stale claim is taken over by whoever moves its time
                // first (compare-and-set on the time read).
                let moved = db::query(
                    "UPDATE idempotency_keys SET created_at = ?
                     WHERE user_id = ? AND key = ? AND state = 'in_flight' AND created_at = ?",
                )
                .bind(now)
                .bind(user_id)
                .bind(key)
                .bind(r.get::<i64, _>("created_at"))
                .execute(&self.pool)
                .await?
                .rows_affected();
                if moved == 1 {
                    KeyState::Fresh
                } else {
                    KeyState::InFlight
                }
            }
        })
    }

    /// Records the answer inside the transaction that did the work, so the
    /// effect and the stored answer commit together.
    pub async fn idempotency_finish_in(
        tx: &mut WriteTx<'_>,
        user_id: i64,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), sqlx::Error> {
        db::query(
            "UPDATE idempotency_keys SET state = 'done', status_code = ?, response_body = ?
             WHERE user_id = ? AND key = ?",
        )
        .bind(status as i64)
        .bind(body)
        .bind(user_id)
        .bind(key)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Records a refusal (nothing changed) as the key's answer.
    pub async fn idempotency_finish(
        &self,
        user_id: i64,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        Self::idempotency_finish_in(&mut tx, user_id, key, status, body).await?;
        tx.commit().await
    }

    /// Frees a key whose request failed on our side, so a retry can run.
    pub async fn idempotency_abandon(&self, user_id: i64, key: &str) -> Result<(), sqlx::Error> {
        db::query(
            "DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND state = 'in_flight'",
        )
        .bind(user_id)
        .bind(key)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
