//! The storage layer: every SQL statement of the server lives under here.
//! Handlers call these functions and never write SQL themselves.

pub mod admin;
pub mod analytics;
pub mod audit;
pub mod earning;
pub mod expiring;
pub mod expiry;
pub mod feedback;
pub mod history;
pub mod idempotency;
pub mod ledger;
pub mod members;
pub mod profile;
pub mod programme;
pub mod redeem;
pub mod referral;
pub mod rewards;
pub mod seed;
pub mod segments;
pub mod sessions;
pub mod support;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

use crate::clock::Clock;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

/// Handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: SqlitePool,
    /// Purchase times per member, shared by every clone.
    activity: std::sync::Arc<tokio::sync::Mutex<analytics::activity::index::Activity>>,
    /// The server's "now" (see [`crate::clock`]).
    clock: Clock,
}

/// A write transaction that holds SQLite's write lock from its first
/// statement (`BEGIN IMMEDIATE`), so concurrent writers queue on the busy
/// timeout instead of failing with SQLITE_BUSY when they upgrade.
pub type WriteTx<'a> = Transaction<'a, Sqlite>;

impl Store {
    /// Opens (creating if missing) the database at `url` and migrates it,
    /// on the system clock.
    pub async fn open(url: &str) -> Result<Self, sqlx::Error> {
        Self::open_with_clock(url, Clock::system()).await
    }

    /// The same, telling time by `clock`.
    pub async fn open_with_clock(url: &str, clock: Clock) -> Result<Self, sqlx::Error> {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Self {
            pool,
            activity: Default::default(),
            clock,
        })
    }

    /// The clock every handler and job tells time by.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Now, by [`Store::clock`].
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Closes every connection and opens the database again: connections
    /// load the planner's statistics when they open, so after seeding (which
    /// ends with ANALYZE) this lets every query see them.
    pub async fn reopen(self, url: &str) -> Result<Self, sqlx::Error> {
        self.pool.close().await;
        Self::open_with_clock(url, self.clock).await
    }

    /// Starts a write transaction (see [`WriteTx`]).
    pub async fn begin_write(&self) -> Result<WriteTx<'static>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Unix seconds to a UTC instant.
pub fn ts(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

/// Optional unix seconds to an optional UTC instant.
pub fn ts_opt(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.map(ts)
}
