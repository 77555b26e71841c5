//! Leases that let one replica at a time run a scheduled job (issue 17),
//! and the start-up lock that lets one replica at a time migrate and seed.
//! A lease is a row in `job_leases`: a process takes it when it is free or
//! expired, renews it while it works, and gives it back when done; a
//! replica that dies mid-job stops renewing, and another takes the job over
//! once the lease runs out.

use sqlx::pool::PoolConnection;
use sqlx::{Any, Connection};

use super::dialect::Dialect;
use super::{db, Store};

/// Arbitrary constant naming Patron's start-up lock among PostgreSQL's
/// advisory locks ("PATRON01" in ASCII).
const STARTUP_LOCK: i64 = 0x5041_5452_4f4e_3031;

/// Held while one process migrates and seeds; dropped after.
pub struct StartupLock(Option<PoolConnection<Any>>);

impl StartupLock {
    /// Releases the lock (closing the connection that held it, so the
    /// lock can never stay behind in the pool).
    pub async fn release(mut self) {
        if let Some(conn) = self.0.take() {
            let _ = conn.detach().close().await;
        }
    }
}

impl Store {
    /// This process's name in `job_leases` (unique per opened store).
    pub fn lease_holder(&self) -> &str {
        &self.holder
    }

    /// Takes (or renews) the lease `name` for `secs` seconds: true when
    /// this store holds it now.
    pub async fn take_lease(&self, name: &str, secs: i64) -> Result<bool, sqlx::Error> {
        let now = self.now().timestamp();
        let taken = db::query(
            "INSERT INTO job_leases (name, holder, expires_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
             WHERE job_leases.holder = excluded.holder OR job_leases.expires_at <= ?",
        )
        .bind(name)
        .bind(&*self.holder)
        .bind(now + secs)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(taken == 1)
    }

    /// Gives the lease back, if this store holds it.
    pub async fn release_lease(&self, name: &str) -> Result<(), sqlx::Error> {
        db::query("DELETE FROM job_leases WHERE name = ? AND holder = ?")
            .bind(name)
            .bind(&*self.holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Waits until no other process is migrating or seeding this database
    /// and holds it off until [`StartupLock::release`] (a session advisory
    /// lock on PostgreSQL; on SQLite the file has one process).
    pub async fn startup_lock(&self) -> Result<StartupLock, sqlx::Error> {
        if self.dialect != Dialect::Postgres {
            return Ok(StartupLock(None));
        }
        let mut conn = self.pool.acquire().await?;
        db::query("SELECT 1 FROM pg_advisory_lock(?)")
            .bind(STARTUP_LOCK)
            .execute(&mut *conn)
            .await?;
        Ok(StartupLock(Some(conn)))
    }
}
