//! Attempt counters for throttled writes (sign-in, password checks,
//! sign-ups, feedback, invitations), kept in the database so every replica
//! counts the same attempts (issue 17). An attempt is counted *before* its
//! password is checked, for every key at once under row locks, so a burst
//! of concurrent attempts across any number of processes cannot slip under
//! the limit; a key over its limit within [`WINDOW_SECS`] is refused until
//! the window passes.

use sqlx::Row;

use super::{db, Store};

/// Length of the counting window, in seconds.
pub const WINDOW_SECS: i64 = 300;

/// Seconds until `window_start`'s window passes, if `attempts` reached `max`.
fn wait(attempts: i64, window_start: i64, max: u32, now: i64) -> Option<u64> {
    let left = window_start + WINDOW_SECS - now;
    (attempts >= i64::from(max) && left > 0).then_some(left.max(1) as u64)
}

impl Store {
    /// Counts an attempt against every `(key, max)` at once — or, if any key
    /// is at its limit, none, answering the seconds to wait.
    pub async fn throttle_attempt(
        &self,
        keys: &[(&str, u32)],
    ) -> Result<Result<(), u64>, sqlx::Error> {
        let now = self.now().timestamp();
        let mut keys = keys.to_vec();
        // One order for every process, so two requests never wait on each
        // other's rows.
        keys.sort_by(|a, b| a.0.cmp(b.0));
        keys.dedup_by(|a, b| a.0 == b.0);
        let mut tx = self.begin_write().await?;
        let lock = self.dialect().for_update();
        let mut refused = None;
        for (key, max) in &keys {
            db::query(
                "INSERT INTO throttles (key, attempts, window_start) VALUES (?, 0, ?)
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(*key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let row = db::query(&format!(
                "SELECT attempts, window_start FROM throttles WHERE key = ?{lock}"
            ))
            .bind(*key)
            .fetch_one(&mut *tx)
            .await?;
            let secs = wait(row.get("attempts"), row.get("window_start"), *max, now);
            refused = refused.max(secs);
        }
        if let Some(secs) = refused {
            tx.rollback().await?;
            return Ok(Err(secs));
        }
        for (key, _) in &keys {
            bump(&mut tx, key, now).await?;
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Seconds to wait if `key` is at `max` attempts now.
    pub async fn throttle_locked_for(
        &self,
        key: &str,
        max: u32,
    ) -> Result<Option<u64>, sqlx::Error> {
        let row = db::query("SELECT attempts, window_start FROM throttles WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        let now = self.now().timestamp();
        Ok(row.and_then(|r| wait(r.get("attempts"), r.get("window_start"), max, now)))
    }

    /// Counts a failure (or an attempt checked afterwards) for `key`.
    pub async fn throttle_fail(&self, key: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        bump(&mut tx, key, self.now().timestamp()).await?;
        tx.commit().await
    }

    /// Takes back an attempt that turned out right: `forget`'s count is
    /// dropped; each of `others` keeps only its failures.
    pub async fn throttle_succeeded(
        &self,
        forget: &str,
        others: &[&str],
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        db::query("DELETE FROM throttles WHERE key = ?")
            .bind(forget)
            .execute(&mut *tx)
            .await?;
        for key in others {
            db::query(
                "UPDATE throttles SET attempts = attempts - 1 WHERE key = ? AND attempts > 0",
            )
            .bind(*key)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }

    /// Deletes counters whose window has passed (the scheduler calls it).
    pub async fn throttle_sweep(&self) -> Result<u64, sqlx::Error> {
        let done = db::query("DELETE FROM throttles WHERE window_start <= ?")
            .bind(self.now().timestamp() - WINDOW_SECS)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

/// One more attempt for `key`, starting a new window when the old one passed.
async fn bump(tx: &mut super::WriteTx<'_>, key: &str, now: i64) -> Result<(), sqlx::Error> {
    db::query(
        "INSERT INTO throttles (key, attempts, window_start) VALUES (?, 1, ?)
         ON CONFLICT (key) DO UPDATE SET
           attempts = CASE WHEN throttles.window_start <= ? THEN 1 ELSE throttles.attempts + 1 END,
           window_start = CASE WHEN throttles.window_start <= ? THEN ? ELSE throttles.window_start END",
    )
    .bind(key)
    .bind(now)
    .bind(now - WINDOW_SECS)
    .bind(now - WINDOW_SECS)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
