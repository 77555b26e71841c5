//! PostgreSQL is Patron's second backend (issue 17), and its migrations
//! (migrations/postgres) are twins of SQLite's (migrations/sqlite). These
//! tests run both from empty, PostgreSQL on a throw-away cluster from
//! scripts/postgres.sh, and check that:
//! - both hold the same tables, columns (type, NOT NULL, default), keys,
//!   foreign keys, indexes, triggers and seed rows;
//! - the same statements meet the same refusals, with the same messages:
//!   what SQLite's triggers enforce (the append-only ledger and allocations,
//!   the points-expiry rules, the desk's history, the audit log, purchases)
//!   PostgreSQL enforces too, and what the bookkeeping triggers keep
//!   (balances, hourly sums, status counts, search) ends up the same;
//! - on PostgreSQL, two transactions racing for one lot cannot overdraw it
//!   or expire it twice.
//!
//! Without PostgreSQL 15 (scripts/setup.sh installs it) they fail.

mod pg;

use std::time::{Duration, Instant};

use pg::catalog::{self, Schema};
use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;

/// Indexes only PostgreSQL has, and why.
const PG_ONLY_INDEXES: &[&str] = &[
    // Accounts are found by email case-insensitively: lower(email) = lower($1).
    "users_email_lower",
    "members_email_lower",
    // The search index; FTS5 keeps its own inside the virtual table.
    "feedback_search_body",
];

/// Triggers only PostgreSQL has: TRUNCATE skips row triggers there.
const PG_ONLY_TRIGGERS: &[&str] = &[
    "ledger_entries_no_truncate",
    "lot_allocations_no_truncate",
    "feedback_events_no_truncate",
    "audit_no_truncate",
    "purchases_no_truncate",
];

#[tokio::test]
async fn the_postgres_schema_is_the_sqlite_schema() {
    let started = Instant::now();
    let cluster = pg::Cluster::start();
    let cluster_ready = started.elapsed();
    let pg = cluster.migrated().await;
    let dir = tempfile::tempdir().unwrap();
    let lite = pg::sqlite_migrated(dir.path()).await;
    eprintln!(
        "cluster started in {cluster_ready:?}, both migrated in {:?}",
        started.elapsed() - cluster_ready
    );

    let (lite_schema, pg_schema) = (catalog::sqlite(&lite).await, catalog::postgres(&pg).await);
    eprintln!(
        "compared {} tables, {} indexes, {} triggers",
        lite_schema.tables.len(),
        lite_schema.indexes.len(),
        lite_schema.triggers.len()
    );
    let diff = schema_differences(&lite_schema, &pg_schema);
    assert!(diff.is_empty(), "the schemas differ:\n{}", diff.join("\n"));

    // Seed rows: every table holds the same rows, and the seeded ones some.
    let diff = row_differences(&lite, &pg, &pg_schema).await;
    assert!(
        diff.is_empty(),
        "the seed rows differ:\n{}",
        diff.join("\n")
    );
    for (table, n) in [
        ("earning_rules", 7),
        ("sla_policy", 4),
        ("support_settings", 1),
        ("canned_replies", 3),
        ("feedback_status_counts", 5),
    ] {
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&pg)
            .await
            .unwrap();
        assert_eq!(count, n, "{table} seed rows on PostgreSQL");
    }
    eprintln!("schema test done in {:?}", started.elapsed());
}

#[tokio::test]
async fn postgres_refuses_what_sqlite_refuses() {
    let started = Instant::now();
    let cluster = pg::Cluster::start();
    let pg = cluster.migrated().await;
    let dir = tempfile::tempdir().unwrap();
    let lite = pg::sqlite_migrated(dir.path()).await;

    let mut wrong = Vec::new();
    for step in STEPS {
        let on_pg = outcome(sqlx::query(step.sql).execute(&pg).await);
        if on_pg != step.expect {
            wrong.push(format!(
                "PostgreSQL: {}\n  expected {:?}, got {on_pg:?}",
                step.sql, step.expect
            ));
        }
        if step.pg_only {
            continue;
        }
        let on_lite = outcome(sqlx::query(step.sql).execute(&lite).await);
        if on_lite != step.expect {
            wrong.push(format!(
                "SQLite: {}\n  expected {:?}, got {on_lite:?}",
                step.sql, step.expect
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // What the bookkeeping triggers wrote (balances, hourly sums, status
    // counts, the search table), and that every refused write left nothing.
    let schema = catalog::postgres(&pg).await;
    let diff = row_differences(&lite, &pg, &schema).await;
    assert!(
        diff.is_empty(),
        "the databases differ afterwards:\n{}",
        diff.join("\n")
    );
    let balance: i64 = sqlx::query_scalar("SELECT ledger_sum FROM members WHERE id = 1")
        .fetch_one(&pg)
        .await
        .unwrap();
    assert_eq!(balance, -55, "members.ledger_sum after the steps");

    for (terms, ids) in SEARCHES {
        let (on_lite, on_pg) = (
            search_sqlite(&lite, terms).await,
            search_pg(&pg, terms).await,
        );
        assert_eq!(on_lite, *ids, "SQLite search for {terms:?}");
        assert_eq!(on_pg, *ids, "PostgreSQL search for {terms:?}");
    }

    // Racing writers (PostgreSQL only: SQLite has one writer at a time).
    for sql in [
        "INSERT INTO ledger_entries (id, member_id, kind, points, created_at, expires_at, reason) VALUES (40, 1, 'earn', 100, 20000, 90000, 'lot D')",
        "INSERT INTO ledger_entries (id, member_id, kind, points, created_at, reason) VALUES (41, 1, 'spend', -60, 20100, 'spend 60')",
        "INSERT INTO ledger_entries (id, member_id, kind, points, created_at, reason) VALUES (42, 1, 'spend', -60, 20200, 'spend 60')",
        "INSERT INTO ledger_entries (id, member_id, kind, points, created_at, expires_at, reason) VALUES (43, 1, 'earn', 20, 20300, 90000, 'lot E')",
    ] {
        sqlx::query(sql).execute(&pg).await.unwrap();
    }
    let second = race(
        &pg,
        "INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (41, 40, 60)",
        "INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (42, 40, 60)",
    )
    .await;
    assert_eq!(
        second,
        Outcome::Refused(WITHIN_LOT),
        "two spends racing for one lot"
    );
    let second = race(
        &pg,
        "INSERT INTO ledger_entries (id, member_id, kind, points, created_at, ref_entry_id, reason) VALUES (44, 1, 'expire', -20, 90000, 43, 'expired')",
        "INSERT INTO ledger_entries (id, member_id, kind, points, created_at, ref_entry_id, reason) VALUES (45, 1, 'expire', -20, 90000, 43, 'expired')",
    )
    .await;
    assert_eq!(second, Outcome::Unique, "two expiries racing for one lot");
    eprintln!("rules test done in {:?}", started.elapsed());
}

/// Runs `first` in a transaction, then `second` in another while the first
/// is still open: the second must wait for the first to commit (it is not
/// done after 300 ms), and its outcome is returned.
async fn race(pool: &PgPool, first: &str, second: &'static str) -> Outcome {
    let mut a = pool.begin().await.unwrap();
    sqlx::query(first)
        .execute(&mut *a)
        .await
        .expect("the first writer");
    let mut b = pool.begin().await.unwrap();
    let waiting = tokio::spawn(async move {
        let r = outcome(sqlx::query(second).execute(&mut *b).await);
        b.rollback().await.unwrap();
        r
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "the second writer did not wait for the first: {second}"
    );
    a.commit().await.unwrap();
    waiting.await.unwrap()
}

// ---- The steps: the same statement on both databases, the same outcome.

const APPEND_ONLY: &str = "ledger entries are append-only";
const ALLOCATIONS: &str = "lot allocations are append-only";
const WITHIN_LOT: &str = "an allocation takes more than is left of the lot";
const NAMES_LOT: &str = "an expire entry takes points from the lot it references";
const WHOLE_LOT: &str = "an expiry takes all that is left of its own lot";
const HISTORY: &str = "ticket history is append-only";
const AUDIT: &str = "audit log rows are append-only";
const FIXED: &str = "a purchase's member and time are fixed";
const KEPT: &str = "purchases are kept";

#[derive(Debug, PartialEq)]
enum Outcome {
    Done,
    /// Refused by a trigger, with this message.
    Refused(&'static str),
    /// A unique key or index said no.
    Unique,
    /// A CHECK constraint said no.
    Check,
    Other(String),
}

/// What became of a statement, on either database.
fn outcome<T>(r: Result<T, sqlx::Error>) -> Outcome {
    let e = match r {
        Ok(_) => return Outcome::Done,
        Err(sqlx::Error::Database(e)) => e,
        Err(e) => return Outcome::Other(e.to_string()),
    };
    if e.is_unique_violation() {
        return Outcome::Unique;
    }
    if e.is_check_violation() {
        return Outcome::Check;
    }
    let known = [
        APPEND_ONLY,
        ALLOCATIONS,
        WITHIN_LOT,
        NAMES_LOT,
        WHOLE_LOT,
        HISTORY,
        AUDIT,
        FIXED,
        KEPT,
    ];
    match known.into_iter().find(|m| *m == e.message()) {
        Some(m) => Outcome::Refused(m),
        None => Outcome::Other(e.message().to_string()),
    }
}

struct Step {
    sql: &'static str,
    expect: Outcome,
    pg_only: bool,
}

const fn done(sql: &'static str) -> Step {
    Step {
        sql,
        expect: Outcome::Done,
        pg_only: false,
    }
}
const fn refused(sql: &'static str, message: &'static str) -> Step {
    Step {
        sql,
        expect: Outcome::Refused(message),
        pg_only: false,
    }
}
const fn unique(sql: &'static str) -> Step {
    Step {
        sql,
        expect: Outcome::Unique,
        pg_only: false,
    }
}
const fn check(sql: &'static str) -> Step {
    Step {
        sql,
        expect: Outcome::Check,
        pg_only: false,
    }
}
/// SQLite has no TRUNCATE.
const fn truncate_refused(sql: &'static str, message: &'static str) -> Step {
    Step {
        sql,
        expect: Outcome::Refused(message),
        pg_only: true,
    }
}

const STEPS: &[Step] = &[
    // A member with two lots: A (100 points) and B (50).
    done("INSERT INTO tiers (id, name, rank, threshold, earn_multiplier_pct, colour) VALUES (1, 'Blue', 0, 0, 100, '#2563eb')"),
    done("INSERT INTO members (id, card_number, name, email, region, city, age_band, gender, occupation, education, joined_at, tier_id)
          VALUES (1, '100001', 'Ann Lee', 'Ann@Example.com', 'north', 'Harbin', '25-34', 'f', 'clerk', 'degree', 0, 1)"),
    done("INSERT INTO users (id, email, name, role, password_hash, member_id, created_at) VALUES (1, 'ann@example.com', 'Ann Lee', 'member', 'x', 1, 0)"),
    done("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, expires_at, reason) VALUES (10, 1, 'earn', 100, 7200, 90000, 'lot A')"),
    done("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, expires_at, reason) VALUES (11, 1, 'earn', 50, 7300, 90000, 'lot B')"),
    check("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, reason) VALUES (19, 1, 'adjust', 0, 7300, 'nothing')"),
    // The ledger is append-only.
    refused("UPDATE ledger_entries SET reason = 'edited' WHERE id = 10", APPEND_ONLY),
    refused("DELETE FROM ledger_entries WHERE id = 10", APPEND_ONLY),
    truncate_refused("TRUNCATE ledger_entries CASCADE", APPEND_ONLY),
    // Spends take from lots, never more than is left.
    done("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, reason) VALUES (20, 1, 'spend', -30, 10800, 'spend 30')"),
    done("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (20, 10, 30)"),
    refused("UPDATE lot_allocations SET points = 1 WHERE entry_id = 20", ALLOCATIONS),
    refused("DELETE FROM lot_allocations WHERE entry_id = 20", ALLOCATIONS),
    truncate_refused("TRUNCATE lot_allocations", ALLOCATIONS),
    done("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, reason) VALUES (21, 1, 'spend', -80, 10900, 'spend 80')"),
    refused("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (21, 10, 80)", WITHIN_LOT),
    done("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (21, 10, 70)"),
    done("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (21, 11, 10)"),
    // Lot B has 40 left: one statement's second row sees its first.
    done("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, reason) VALUES (22, 1, 'spend', -30, 11000, 'spend 30')"),
    done("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, reason) VALUES (23, 1, 'spend', -15, 11100, 'spend 15')"),
    refused("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (22, 11, 30), (23, 11, 15)", WITHIN_LOT),
    // An expiry names its lot and takes points; one per lot, ever.
    refused("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, reason) VALUES (30, 1, 'expire', -40, 90000, 'expired')", NAMES_LOT),
    refused("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, ref_entry_id, reason) VALUES (30, 1, 'expire', 40, 90000, 11, 'expired')", NAMES_LOT),
    done("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, ref_entry_id, reason) VALUES (31, 1, 'expire', -40, 90000, 11, 'expired')"),
    unique("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, ref_entry_id, reason) VALUES (32, 1, 'expire', -40, 90001, 11, 'expired again')"),
    // It takes all that is left of its own lot. (Lot A is empty, so both
    // allocation triggers object to the first: the same one speaks first.)
    refused("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (31, 10, 40)", WHOLE_LOT),
    refused("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (31, 11, 20)", WHOLE_LOT),
    done("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (31, 11, 40)"),
    // An expiry entry must say what is left: lot C has 50 left, not 60.
    done("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, expires_at, reason) VALUES (12, 1, 'earn', 60, 14400, 90000, 'lot C')"),
    done("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, reason) VALUES (24, 1, 'spend', -10, 14500, 'spend 10')"),
    done("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (24, 12, 10)"),
    done("INSERT INTO ledger_entries (id, member_id, kind, points, created_at, ref_entry_id, reason) VALUES (33, 1, 'expire', -60, 90000, 12, 'expired')"),
    refused("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (33, 12, 60)", WHOLE_LOT),
    refused("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (33, 12, 50)", WHOLE_LOT),
    // Purchases are kept, their member and time fixed; returns may change.
    done("INSERT INTO purchases (id, member_id, order_ref, amount_minor, category, purchased_at) VALUES (1, 1, 'ORD-1001', 12900, 'apparel', 7200)"),
    done("UPDATE purchases SET returned_minor = 2900 WHERE id = 1"),
    refused("UPDATE purchases SET member_id = 1 WHERE id = 1", FIXED),
    refused("UPDATE purchases SET purchased_at = 0 WHERE id = 1", FIXED),
    refused("DELETE FROM purchases WHERE id = 1", KEPT),
    truncate_refused("TRUNCATE purchases CASCADE", KEPT),
    // A ticket, its thread and history; staff messages have an author.
    done("INSERT INTO feedback (id, reference, member_id, kind, subject, status, created_at, updated_at)
          VALUES (1, 'FB-1', 1, 'complaint', 'Crème jacket: ORD-1001 arrived torn', 'new', 7200, 7200)"),
    done("INSERT INTO feedback_messages (id, feedback_id, author_id, from_staff, body, created_at)
          VALUES (1, 1, NULL, FALSE, 'The “sleeve” is torn — please help', 7300)"),
    check("INSERT INTO feedback_messages (id, feedback_id, author_id, from_staff, body, created_at) VALUES (2, 1, NULL, TRUE, 'Sorry', 7400)"),
    done("UPDATE feedback SET status = 'open', version = version + 1 WHERE id = 1"),
    done("INSERT INTO feedback_events (id, feedback_id, actor_id, action, from_value, to_value, at) VALUES (1, 1, 1, 'status', 'new', 'open', 7400)"),
    refused("UPDATE feedback_events SET action = 'edited' WHERE id = 1", HISTORY),
    refused("DELETE FROM feedback_events WHERE id = 1", HISTORY),
    truncate_refused("TRUNCATE feedback_events", HISTORY),
    // The audit log is append-only.
    done("INSERT INTO audit_log (id, actor_user_id, actor_name, action, entity, at) VALUES (1, 1, 'Ann Lee', 'update', 'tier', 7400)"),
    refused("UPDATE audit_log SET action = 'edited' WHERE id = 1", AUDIT),
    refused("DELETE FROM audit_log WHERE id = 1", AUDIT),
    truncate_refused("TRUNCATE audit_log", AUDIT),
    // One expiry run at a time.
    done("INSERT INTO expiry_runs (id, trigger, status, started_at, heartbeat_at, through_at, scanned_to_id) VALUES (1, 'manual', 'running', 0, 0, 0, 0)"),
    unique("INSERT INTO expiry_runs (id, trigger, status, started_at, heartbeat_at, through_at, scanned_to_id) VALUES (2, 'scheduled', 'running', 0, 0, 0, 0)"),
    done("INSERT INTO expiry_runs (id, trigger, status, started_at, heartbeat_at, through_at, scanned_to_id) VALUES (2, 'scheduled', 'succeeded', 0, 0, 0, 0)"),
];

/// Terms as a member of staff types them, and the tickets found: every term
/// a word prefix, all in one subject or message.
const SEARCHES: &[(&[&str], &[i64])] = &[
    (&["creme"], &[1]),           // accents removed
    (&["CR"], &[1]),              // a prefix, any case
    (&["ord", "1001"], &[1]),     // punctuation separates words
    (&["sleeve", "help"], &[1]),  // typographic quotes and dashes too
    (&["jacket", "sleeve"], &[]), // not in one text
    (&["1001", "torn"], &[1]),
    (&["leeve"], &[]), // not the middle of a word
];

async fn search_sqlite(pool: &SqlitePool, terms: &[&str]) -> Vec<i64> {
    let q: Vec<String> = terms.iter().map(|t| format!("\"{t}\"*")).collect();
    sqlx::query_scalar(
        "SELECT DISTINCT feedback_id FROM feedback_search WHERE feedback_search MATCH ? ORDER BY 1",
    )
    .bind(q.join(" "))
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn search_pg(pool: &PgPool, terms: &[&str]) -> Vec<i64> {
    let q: Vec<String> = terms.iter().map(|t| format!("{t}:*")).collect();
    sqlx::query_scalar(
        "SELECT DISTINCT feedback_id FROM feedback_search
         WHERE feedback_search_vector(body) @@ to_tsquery('feedback_search_words', $1) ORDER BY 1",
    )
    .bind(q.join(" & "))
    .fetch_all(pool)
    .await
    .unwrap()
}

// ---- Comparing the two.

fn schema_differences(lite: &Schema, pg: &Schema) -> Vec<String> {
    let mut diff = Vec::new();
    for name in lite.tables.keys().filter(|t| !pg.tables.contains_key(*t)) {
        diff.push(format!("table {name}: only in SQLite"));
    }
    for name in pg.tables.keys().filter(|t| !lite.tables.contains_key(*t)) {
        diff.push(format!("table {name}: only in PostgreSQL"));
    }
    for (name, l) in &lite.tables {
        let Some(p) = pg.tables.get(name) else {
            continue;
        };
        let names =
            |t: &catalog::Table| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        if names(l) != names(p) {
            diff.push(format!(
                "table {name}: columns\n  SQLite     {:?}\n  PostgreSQL {:?}",
                names(l),
                names(p)
            ));
            continue;
        }
        for (lc, pc) in l.columns.iter().zip(&p.columns) {
            let col = format!("{name}.{}", lc.name);
            if lc.family != "any" && lc.family != pc.family {
                diff.push(format!(
                    "{col}: type {} in SQLite, {} in PostgreSQL",
                    lc.family, pc.family
                ));
            }
            if lc.not_null != pc.not_null {
                diff.push(format!(
                    "{col}: NOT NULL {} in SQLite, {} in PostgreSQL",
                    lc.not_null, pc.not_null
                ));
            }
            if lc.default != pc.default {
                diff.push(format!(
                    "{col}: default {:?} in SQLite, {:?} in PostgreSQL",
                    lc.default, pc.default
                ));
            }
        }
        if l.keys != p.keys {
            diff.push(format!(
                "table {name}: keys\n  SQLite     {:?}\n  PostgreSQL {:?}",
                l.keys, p.keys
            ));
        }
        if l.foreign_keys != p.foreign_keys {
            diff.push(format!(
                "table {name}: foreign keys\n  SQLite     {:?}\n  PostgreSQL {:?}",
                l.foreign_keys, p.foreign_keys
            ));
        }
    }
    for (name, l) in &lite.indexes {
        match pg.indexes.get(name) {
            None => diff.push(format!("index {name}: only in SQLite")),
            Some(p) if p != l => diff.push(format!(
                "index {name}:\n  SQLite     {l:?}\n  PostgreSQL {p:?}"
            )),
            Some(_) => {}
        }
    }
    for name in pg.indexes.keys() {
        if !lite.indexes.contains_key(name) && !PG_ONLY_INDEXES.contains(&name.as_str()) {
            diff.push(format!("index {name}: only in PostgreSQL"));
        }
    }
    for name in PG_ONLY_INDEXES
        .iter()
        .filter(|i| !pg.indexes.contains_key(**i))
    {
        diff.push(format!("index {name}: missing in PostgreSQL"));
    }
    for t in lite.triggers.difference(&pg.triggers) {
        diff.push(format!("trigger {t:?}: only in SQLite"));
    }
    for t in pg.triggers.difference(&lite.triggers) {
        if !PG_ONLY_TRIGGERS.contains(&t.1.as_str()) {
            diff.push(format!("trigger {t:?}: only in PostgreSQL"));
        }
    }
    diff
}

/// Rows that one database has and the other has not, table by table.
async fn row_differences(lite: &SqlitePool, pg: &PgPool, schema: &Schema) -> Vec<String> {
    let mut diff = Vec::new();
    for (name, table) in &schema.tables {
        let l = catalog::sqlite_rows(lite, name, &table.columns).await;
        let p = catalog::postgres_rows(pg, name, &table.columns).await;
        for row in l.iter().filter(|r| !p.contains(r)) {
            diff.push(format!("{name}: only in SQLite     {row:?}"));
        }
        for row in p.iter().filter(|r| !l.contains(r)) {
            diff.push(format!("{name}: only in PostgreSQL {row:?}"));
        }
    }
    diff
}
