//! What the PostgreSQL tests share: a throw-away cluster started with
//! scripts/postgres.sh (stopped when dropped, so also when a test panics),
//! and both databases migrated from empty with their own migrations folder.

#![allow(dead_code)]

pub mod catalog;

use std::path::Path;
use std::process::Command;
use std::str::FromStr;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/postgres.sh");

/// A PostgreSQL cluster of its own in a temporary directory.
pub struct Cluster {
    pub url: String,
    dir: tempfile::TempDir,
}

impl Cluster {
    /// Starts one, or panics with the script's output: a machine without
    /// PostgreSQL fails these tests instead of skipping them.
    pub fn start() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("patron-pg")
            .tempdir()
            .expect("temporary directory");
        let out = postgres_sh("start", dir.path());
        assert!(
            out.status.success(),
            "scripts/postgres.sh start failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).expect("utf-8 url");
        let url = stdout.lines().last().expect("the URL line").to_string();
        assert!(url.starts_with("postgres://"), "not a URL: {url}");
        Self { url, dir }
    }

    /// A pool on the cluster's `postgres` database, with every PostgreSQL
    /// migration run.
    pub async fn migrated(&self) -> PgPool {
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("connect to {}: {e}", self.url));
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .expect("PostgreSQL migrations");
        pool
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let out = postgres_sh("stop", self.dir.path());
        if !out.status.success() {
            eprintln!(
                "scripts/postgres.sh stop failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

fn postgres_sh(cmd: &str, dir: &Path) -> std::process::Output {
    Command::new(SCRIPT)
        .arg(cmd)
        .arg(dir)
        .output()
        .unwrap_or_else(|e| panic!("run {SCRIPT}: {e}"))
}

/// A fresh SQLite file in `dir` with every SQLite migration run, as the
/// store opens it (foreign keys on).
pub async fn sqlite_migrated(dir: &Path) -> SqlitePool {
    let url = format!("sqlite://{}", dir.join("patron.db").display());
    let opts = SqliteConnectOptions::from_str(&url)
        .expect("sqlite url")
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .expect("open sqlite");
    sqlx::migrate!("./migrations/sqlite")
        .run(&pool)
        .await
        .expect("SQLite migrations");
    pool
}
