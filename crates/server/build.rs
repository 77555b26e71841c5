//! Rebuilds the crate when a migration changes: `sqlx::migrate!` embeds the
//! SQL files (SQLite in the store, PostgreSQL in the tests) at compile time,
//! and cargo does not otherwise know to look at them.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
