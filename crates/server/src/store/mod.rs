//! The storage layer: every SQL statement of the server lives under here.
//! Handlers call these functions and never write SQL themselves.

pub mod admin;
pub mod analytics;
pub mod audit;
pub mod campaigns;
pub mod db;
pub mod dialect;
pub mod earning;
pub mod expiring;
pub mod expiry;
pub mod feedback;
pub mod history;
pub mod idempotency;
pub mod leases;
pub mod ledger;
pub mod members;
pub mod messaging;
pub mod profile;
pub mod programme;
pub mod redeem;
pub mod referral;
pub mod rewards;
pub mod seed;
pub mod segments;
pub mod sessions;
pub mod support;
pub mod throttle;
pub mod users;

use chrono::{DateTime, TimeZone, Utc};
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, ConnectOptions, Executor, Transaction};

use crate::clock::Clock;
use dialect::Dialect;

/// Handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: db::Pool,
    /// Which database `pool` talks to.
    dialect: Dialect,
    /// Purchase times per member, shared by every clone.
    activity: std::sync::Arc<tokio::sync::Mutex<analytics::activity::index::Activity>>,
    /// The server's "now" (see [`crate::clock`]).
    clock: Clock,
    /// This store's name when it holds a job lease (see [`leases`]).
    holder: std::sync::Arc<str>,
}

/// A write transaction. On SQLite it holds the write lock from its first
/// statement (`BEGIN IMMEDIATE`), so concurrent writers queue on the busy
/// timeout instead of failing with SQLITE_BUSY when they upgrade; on
/// PostgreSQL money-like writes lock the member's row (see
/// [`dialect::lock_member`]).
pub type WriteTx<'a> = Transaction<'a, Any>;

/// SQLite, per connection: write-ahead log, foreign keys, and a writer
/// that waits up to 10 s for the lock rather than failing.
const SQLITE_SETUP: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

impl Store {
    /// Opens (creating if missing) the database at `url` and migrates it,
    /// on the system clock.
    pub async fn open(url: &str) -> Result<Self, sqlx::Error> {
        Self::open_with_clock(url, Clock::system()).await
    }

    /// The same, telling time by `clock`. The URL's scheme picks the
    /// database: `sqlite:` or `postgres:` (`postgresql:`).
    pub async fn open_with_clock(url: &str, clock: Clock) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::of_url(url)?;
        let url = match dialect {
            Dialect::Sqlite => dialect::sqlite_create_if_missing(url),
            Dialect::Postgres => url.to_string(),
        };
        // Seeding writes thousands of rows per statement: only a statement
        // slower than 5 s is worth a warning (the default is 1 s).
        let opts = AnyConnectOptions::from_str(&url)?
            .log_slow_statements(log::LevelFilter::Warn, Duration::from_secs(5));
        let pool = match dialect {
            Dialect::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _| {
                        Box::pin(async move { conn.execute(SQLITE_SETUP).await.map(|_| ()) })
                    })
                    .connect_with(opts)
                    .await?
            }
            Dialect::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    // A database that went away answers 503 within 5 s
                    // rather than holding requests for the default 30.
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(opts)
                    .await?
            }
        };
        let store = Self {
            pool,
            dialect,
            activity: Default::default(),
            clock,
            holder: new_holder().into(),
        };
        // Replicas starting together migrate one after the other.
        let lock = store.startup_lock().await?;
        let migrated = match dialect {
            Dialect::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&store.pool).await,
            Dialect::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&store.pool)
                    .await
            }
        };
        lock.release().await;
        migrated?;
        Ok(store)
    }

    /// Which database this store talks to.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The connection pool, for tools and tests that read the database
    /// directly (handlers go through the store's functions).
    pub fn pool(&self) -> &db::Pool {
        &self.pool
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
        self.pool.begin_with(self.dialect.begin_write()).await
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        db::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// A name for a store that is unique among processes and machines: host,
/// process id and a random part (one process may open several stores).
fn new_holder() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "host".into());
    format!(
        "{host}:{}:{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}

/// Unix seconds to a UTC instant.
pub fn ts(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

/// Optional unix seconds to an optional UTC instant.
pub fn ts_opt(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.map(ts)
}
