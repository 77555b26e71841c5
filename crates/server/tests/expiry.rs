//! Points expiry over HTTP on a real server whose clock the test moves: a
//! lapsed lot gets exactly one `expire` entry for what is left of it (runs
//! twice, at the same time, after a crash or a failure), the schema refuses
//! a second or partial expiry, "Run now" is admin-only, audited and returns
//! a run that is going instead of starting another, and the "expiring in N
//! days" list adds up.

mod common;
use patron_server::store::db;

use chrono::{Duration, TimeZone, Utc};
use common::{add_member_with_points, start_on, TestServer, ADMIN, MEMBER, SUPPORT};
use patron_server::clock::Clock;
use reqwest::Client;
use serde_json::Value;

const DAY: i64 = 86_400;

fn t0() -> chrono::DateTime<Utc> {
    // A fixed instant a little after the real one, so the seed (which dates
    // history up to "now") and the direct inserts below agree.
    let now = Utc::now().timestamp();
    Utc.timestamp_opt(now - now % 60, 0).unwrap()
}

async fn pool(s: &TestServer) -> db::Pool {
    s.pool().clone()
}

/// A lot of `points` for `member`, earned now, expiring in `days`.
async fn lot(s: &TestServer, member: i64, points: i64, days: i64) -> i64 {
    let now = s.store.now().timestamp();
    db::query_scalar(
        "INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, reason)
         VALUES (?, 'earn', ?, ?, ?, ?, 'Test order') RETURNING id",
    )
    .bind(member)
    .bind(points)
    .bind(now)
    .bind(now)
    .bind(now + days * DAY)
    .fetch_one(&pool(s).await)
    .await
    .unwrap()
}

async fn ledger_sum(s: &TestServer, member: i64) -> i64 {
    db::query_scalar(
        "SELECT COALESCE(CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries WHERE member_id = ?",
    )
    .bind(member)
    .fetch_one(&pool(s).await)
    .await
    .unwrap()
}

async fn expiries_of(s: &TestServer, lot: i64) -> Vec<(i64, i64)> {
    db::query_as(
        "SELECT points, created_at FROM ledger_entries WHERE kind = 'expire' AND ref_entry_id = ?",
    )
    .bind(lot)
    .fetch_all(&pool(s).await)
    .await
    .unwrap()
}

async fn run_now(c: &Client, s: &TestServer) -> (u16, Value) {
    let res = c
        .post(s.url("/api/v1/admin/expiry/runs"))
        .send()
        .await
        .unwrap();
    let st = res.status().as_u16();
    (st, res.json().await.unwrap())
}

async fn summary(c: &Client, s: &TestServer, member: i64) -> Value {
    s.get_json(c, &format!("/api/v1/members/{member}/summary"))
        .await
}

#[tokio::test]
async fn a_lapsed_lot_expires_once_with_what_is_left_dated_at_its_expiry() {
    let clock = Clock::fixed(t0());
    let s = start_on(5, 0, None, clock.clone()).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let m = add_member_with_points(&s, "exp1@patron.test", "pw-exp1-123", 0).await;
    let big = lot(&s, m, 1_000, 10).await;
    let _later = lot(&s, m, 300, 400).await;
    // Spend part of the lot that expires first (soonest-expiry first).
    let (st, _) = (
        admin
            .post(s.url(&format!("/api/v1/admin/members/{m}/adjustments")))
            .header("Idempotency-Key", "exp1-spend")
            .json(&serde_json::json!({"points": -400, "reason": "Test spend"}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        (),
    );
    assert_eq!(st, 201);

    // Before its date nothing happens.
    let (st, run) = run_now(&admin, &s).await;
    assert_eq!(st, 200, "{run}");
    assert_eq!(run["status"], "succeeded");
    assert!(expiries_of(&s, big).await.is_empty());

    // Eleven days on, the 600 points left of it expire, dated at its expiry.
    clock.advance(Duration::days(11));
    let before = summary(&admin, &s, m).await;
    assert_eq!(
        before["balance"]["available"], 300,
        "lapsed points are not spendable"
    );
    let (st, run) = run_now(&admin, &s).await;
    assert_eq!(st, 200, "{run}");
    assert_eq!(run["status"], "succeeded");
    assert!(run["lots"].as_i64().unwrap() >= 1);
    assert!(run["points"].as_i64().unwrap() >= 600);
    assert_eq!(run["actor"], "Ada Admin", "{run}");
    let exp = expiries_of(&s, big).await;
    let expires_at = (t0() + Duration::days(10)).timestamp();
    assert_eq!(exp, vec![(-600, expires_at)]);
    let after = summary(&admin, &s, m).await;
    assert_eq!(after["balance"]["balance"], 300);
    assert_eq!(after["balance"]["available"], 300);
    assert_eq!(after["balance"]["expired"], 600);
    assert_eq!(ledger_sum(&s, m).await, 300);

    // Again, and twice at once: nothing more is written.
    let (_, again) = run_now(&admin, &s).await;
    assert_eq!(again["lots"], 0);
    let (a, b) = tokio::join!(
        patron_server::jobs::run_expiry_now(&s.store),
        patron_server::jobs::run_expiry_now(&s.store)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.lots + b.lots, 0);
    assert_eq!(expiries_of(&s, big).await.len(), 1);
    assert_eq!(ledger_sum(&s, m).await, 300);

    // The member sees it in their history, dated at the lot's expiry.
    let c = s.signed_in("exp1@patron.test", "pw-exp1-123").await;
    let history = s.get_json(&c, "/api/v1/me/ledger?kind=expire").await;
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{history}");
    assert_eq!(items[0]["points"], -600);
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(items[0]["created_at"].as_str().unwrap())
            .unwrap()
            .timestamp(),
        expires_at
    );

    // Audited as the admin's.
    let audit = s
        .get_json(&admin, "/api/v1/admin/audit?entity=expiry_run")
        .await;
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "expiry.run"),
        "{audit}"
    );
}

#[tokio::test]
async fn the_schema_refuses_a_second_or_partial_expiry_and_overdrawn_lots() {
    let clock = Clock::fixed(t0());
    let s = start_on(3, 0, None, clock.clone()).await;
    let m = add_member_with_points(&s, "exp2@patron.test", "pw-exp2-123", 0).await;
    let l = lot(&s, m, 500, 1).await;
    let p = pool(&s).await;
    let expire = |points: i64| {
        let p = p.clone();
        async move {
            let mut tx = p.begin().await.unwrap();
            let e: Result<i64, _> = db::query_scalar(
                "INSERT INTO ledger_entries (member_id, kind, points, created_at, ref_entry_id, reason)
                 VALUES (?, 'expire', ?, 0, ?, 'Points expired') RETURNING id",
            )
            .bind(m)
            .bind(-points)
            .bind(l)
            .fetch_one(&mut *tx)
            .await;
            let e = e?;
            db::query("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (?, ?, ?)")
                .bind(e)
                .bind(l)
                .bind(points)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
    };
    // Half a lot cannot expire.
    let half = expire(250).await.unwrap_err().to_string();
    assert!(half.contains("all that is left"), "{half}");
    // An expiry without its lot cannot be written.
    let orphan = db::query(
        "INSERT INTO ledger_entries (member_id, kind, points, created_at, reason) VALUES (?, 'expire', -5, 0, 'x')",
    )
    .bind(m)
    .execute(&p)
    .await
    .unwrap_err()
    .to_string();
    assert!(orphan.contains("references"), "{orphan}");
    // The whole lot can, once.
    expire(500).await.unwrap();
    let twice = expire(500).await.unwrap_err().to_string();
    // SQLite: "UNIQUE constraint failed"; PostgreSQL: "duplicate key value
    // violates unique constraint".
    assert!(twice.to_lowercase().contains("unique"), "{twice}");
    // And nothing can be taken from it afterwards.
    let spend: i64 = db::query_scalar(
        "INSERT INTO ledger_entries (member_id, kind, points, created_at, reason) VALUES (?, 'spend', -1, 0, 'x') RETURNING id",
    )
    .bind(m)
    .fetch_one(&p)
    .await
    .unwrap();
    let over = db::query("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (?, ?, 1)")
        .bind(spend)
        .bind(l)
        .execute(&p)
        .await
        .unwrap_err()
        .to_string();
    assert!(over.contains("more than is left"), "{over}");
}

#[tokio::test]
async fn interrupted_and_failed_runs_are_shown_and_retried_and_a_running_one_is_returned() {
    let clock = Clock::fixed(t0());
    let s = start_on(3, 0, None, clock.clone()).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let m = add_member_with_points(&s, "exp3@patron.test", "pw-exp3-123", 0).await;
    let l = lot(&s, m, 700, 2).await;
    let p = pool(&s).await;
    let runs = || async {
        db::query_scalar::<i64>("SELECT COUNT(*) FROM expiry_runs")
            .fetch_one(&pool(&s).await)
            .await
            .unwrap()
    };

    // A run that is going (another server's, say): "Run now" returns it.
    let now = s.store.now().timestamp();
    let going: i64 = db::query_scalar(
        "INSERT INTO expiry_runs (trigger, status, started_at, heartbeat_at, through_at, scanned_to_id)
         VALUES ('scheduled', 'running', ?, ?, ?, 0) RETURNING id",
    )
    .bind(now)
    .bind(now)
    .bind(now)
    .fetch_one(&p)
    .await
    .unwrap();
    let count = runs().await;
    let (st, run) = run_now(&admin, &s).await;
    assert_eq!(st, 202, "{run}");
    assert_eq!(run["id"], going);
    assert_eq!(run["status"], "running");
    assert_eq!(runs().await, count, "no second run");
    let o = s.get_json(&admin, "/api/v1/admin/expiry").await;
    assert_eq!(o["last_run"]["status"], "running");

    // It stops reporting (the server died): later it counts as interrupted,
    // and the next check expires the lot.
    clock.advance(Duration::days(3));
    patron_server::jobs::tick(&s.store).await;
    let status: String = db::query_scalar("SELECT status FROM expiry_runs WHERE id = ?")
        .bind(going)
        .fetch_one(&p)
        .await
        .unwrap();
    assert_eq!(status, "failed");
    assert_eq!(expiries_of(&s, l).await.len(), 1);

    // A run that fails is shown failed with its error and retried.
    let l2 = lot(&s, m, 90, 1).await;
    let break_expiry: &[&str] = if common::on_postgres() {
        &[
            "CREATE FUNCTION test_break_expiry() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN IF NEW.kind = 'expire' THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$",
            "CREATE TRIGGER test_break_expiry BEFORE INSERT ON ledger_entries
             FOR EACH ROW EXECUTE FUNCTION test_break_expiry()",
        ]
    } else {
        &["CREATE TRIGGER test_break_expiry BEFORE INSERT ON ledger_entries WHEN NEW.kind = 'expire'
           BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"]
    };
    for sql in break_expiry {
        db::query(sql).execute(&p).await.unwrap();
    }
    clock.advance(Duration::days(2));
    patron_server::jobs::tick(&s.store).await;
    let o = s.get_json(&admin, "/api/v1/admin/expiry").await;
    assert_eq!(o["last_run"]["status"], "failed", "{o}");
    assert!(
        o["last_run"]["error"]
            .as_str()
            .unwrap()
            .contains("disk on fire"),
        "{o}"
    );
    assert_eq!(o["due_lots"], 1);
    assert!(expiries_of(&s, l2).await.is_empty());
    db::query(if common::on_postgres() {
        "DROP TRIGGER test_break_expiry ON ledger_entries"
    } else {
        "DROP TRIGGER test_break_expiry"
    })
    .execute(&p)
    .await
    .unwrap();
    patron_server::jobs::tick(&s.store).await;
    let o = s.get_json(&admin, "/api/v1/admin/expiry").await;
    assert_eq!(o["last_run"]["status"], "succeeded", "{o}");
    assert_eq!(o["due_lots"], 0);
    assert_eq!(
        expiries_of(&s, l2).await,
        vec![(-90, (t0() + Duration::days(4)).timestamp())]
    );

    // A run that stopped reporting when nothing is due is still cleared up
    // by a later check (the card does not say "running" for ever).
    let now = s.store.now().timestamp();
    let stuck: i64 = db::query_scalar(
        "INSERT INTO expiry_runs (trigger, status, started_at, heartbeat_at, through_at, scanned_to_id)
         VALUES ('scheduled', 'running', ?, ?, ?, 0) RETURNING id",
    )
    .bind(now)
    .bind(now)
    .bind(now)
    .fetch_one(&p)
    .await
    .unwrap();
    clock.advance(Duration::hours(1));
    patron_server::jobs::tick(&s.store).await;
    let o = s.get_json(&admin, "/api/v1/admin/expiry").await;
    assert_ne!(o["last_run"]["id"], stuck);
    assert_eq!(o["last_run"]["status"], "succeeded", "{o}");
    let status: String = db::query_scalar("SELECT status FROM expiry_runs WHERE id = ?")
        .bind(stuck)
        .fetch_one(&p)
        .await
        .unwrap();
    assert_eq!(status, "failed");
}

#[tokio::test]
async fn only_admins_see_or_run_expiry() {
    let s = start_on(3, 0, None, Clock::fixed(t0())).await;
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let support = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let anon = s.client();
    for (c, want) in [(&member, 403), (&support, 403), (&anon, 401)] {
        let (st, body) = run_now(c, &s).await;
        assert_eq!(st, want, "{body}");
        assert!(body["error"]["message"].is_string());
        for path in ["/api/v1/admin/expiry", "/api/v1/admin/expiring?days=30"] {
            let st = c.get(s.url(path)).send().await.unwrap().status().as_u16();
            assert_eq!(st, want, "{path}");
        }
    }
    let runs: i64 = db::query_scalar("SELECT COUNT(*) FROM expiry_runs")
        .fetch_one(&pool(&s).await)
        .await
        .unwrap();
    assert_eq!(runs, 0, "refused callers started nothing");
}

#[tokio::test]
async fn members_with_points_expiring_within_n_days_page_by_id_with_totals() {
    let clock = Clock::fixed(t0());
    let s = start_on(3, 0, None, clock.clone()).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let p = pool(&s).await;
    // Start from a programme whose seeded lots expire beyond the horizon.
    db::query("UPDATE programme SET expiry_months = NULL")
        .execute(&p)
        .await
        .unwrap();
    let baseline = s.get_json(&admin, "/api/v1/admin/expiring?days=20").await["totals"].clone();
    let a = add_member_with_points(&s, "soon-a@patron.test", "pw-soon-a1", 0).await;
    let b = add_member_with_points(&s, "soon-b@patron.test", "pw-soon-b1", 0).await;
    let c = add_member_with_points(&s, "soon-c@patron.test", "pw-soon-c1", 0).await;
    lot(&s, a, 100, 5).await;
    lot(&s, a, 50, 15).await;
    lot(&s, b, 70, 19).await;
    lot(&s, c, 999, 25).await; // beyond 20 days
    let page = s
        .get_json(&admin, "/api/v1/admin/expiring?days=20&limit=500")
        .await;
    let items = page["items"].as_array().unwrap();
    let of = |id: i64| items.iter().find(|i| i["member_id"] == id).cloned();
    assert_eq!(of(a).unwrap()["points"], 150);
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(of(a).unwrap()["first_expires_at"].as_str().unwrap())
            .unwrap()
            .timestamp(),
        (t0() + Duration::days(5)).timestamp()
    );
    assert_eq!(of(b).unwrap()["points"], 70);
    assert!(of(c).is_none());
    assert_eq!(
        page["totals"]["points"].as_i64().unwrap(),
        baseline["points"].as_i64().unwrap() + 220
    );
    assert_eq!(
        page["totals"]["members"].as_i64().unwrap(),
        baseline["members"].as_i64().unwrap() + 2
    );
    // One at a time, every member once, in id order.
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let pg = s
            .get_json(
                &admin,
                &format!("/api/v1/admin/expiring?days=20&limit=1&after={after}"),
            )
            .await;
        for i in pg["items"].as_array().unwrap() {
            seen.push(i["member_id"].as_i64().unwrap());
        }
        match pg["next_after"].as_i64() {
            Some(n) => after = n,
            None => break,
        }
    }
    let all: Vec<i64> = items
        .iter()
        .map(|i| i["member_id"].as_i64().unwrap())
        .collect();
    assert_eq!(seen, all);
    // Bad horizons are refused with the field named.
    for q in ["days=0", "days=400", "days=abc", "limit=0", "after=-1"] {
        let res = admin
            .get(s.url(&format!("/api/v1/admin/expiring?{q}")))
            .send()
            .await
            .unwrap();
        let st = res.status().as_u16();
        let body: Value = res.json().await.unwrap();
        assert!(st == 422 || st == 400, "{q}: {st} {body}");
        assert!(body["error"]["message"].is_string(), "{q}: {body}");
    }
    // The overview counts the same 30-day horizon the card shows.
    let o = s.get_json(&admin, "/api/v1/admin/expiry").await;
    assert_eq!(o["upcoming"]["days"], 30);
    assert!(o["upcoming"]["points"].as_i64().unwrap() >= 220 + 999);
}
