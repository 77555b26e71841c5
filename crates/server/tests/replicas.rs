//! Two server processes on one database behave as one (issue 17, stateless
//! replicas): a session made on one works on the other, sign-in throttling
//! and idempotency keys are counted once for both, a scheduled job runs on
//! one replica at a time and is taken over when its holder dies, replicas
//! starting together seed once, and a database that is gone answers 503
//! in the JSON envelope.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{add_member_with_points, start, start_on, start_replica, TestServer};
use patron_server::clock::Clock;
use patron_server::jobs::LEASE_SECS;
use patron_server::limiter::MAX_FAILURES;
use patron_server::store::db;
use serde_json::{json, Value};

async fn login(s: &TestServer, c: &reqwest::Client, email: &str, password: &str) -> u16 {
    c.post(s.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_session_made_on_one_replica_works_and_ends_on_the_other() {
    let a = start(5, None).await;
    let b = start_replica(&a).await;
    // The session cookie as a browser would hold it, sent by hand so that
    // signing out cannot hide a live session by forgetting the cookie.
    let plain = reqwest::Client::new();
    let res = plain
        .post(a.url("/api/v1/auth/login"))
        .json(&json!({"email": common::MEMBER.0, "password": common::MEMBER.1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_string();
    let me = |s: &TestServer| {
        plain
            .get(s.url("/api/v1/auth/me"))
            .header("cookie", cookie.clone())
            .send()
    };
    let res = me(&b).await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["email"], common::MEMBER.0);
    let out = plain
        .post(b.url("/api/v1/auth/logout"))
        .header("cookie", cookie.clone())
        .send()
        .await
        .unwrap();
    assert!(out.status().is_success(), "{}", out.status());
    assert_eq!(me(&a).await.unwrap().status(), 401);
    assert_eq!(me(&b).await.unwrap().status(), 401);
}

#[tokio::test]
async fn sign_in_attempts_are_counted_once_for_every_replica() {
    let a = start(5, None).await;
    let b = start_replica(&a).await;
    let c = a.client();
    // Wrong passwords spread over both replicas add up to one limit.
    for i in 0..MAX_FAILURES {
        let s = if i % 2 == 0 { &a } else { &b };
        assert_eq!(
            login(s, &c, common::MEMBER.0, "not-the-password").await,
            401
        );
    }
    for s in [&a, &b] {
        let res = c
            .post(s.url("/api/v1/auth/login"))
            .json(&json!({"email": common::MEMBER.0, "password": common::MEMBER.1}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 429, "the right password waits too");
        assert!(res.headers().contains_key("retry-after"));
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "rate_limited");
    }
    // Five minutes on, the member gets in again, on either replica.
    a.store.clock().set(Utc::now() + Duration::seconds(301));
    assert_eq!(login(&b, &c, common::MEMBER.0, common::MEMBER.1).await, 200);
}

#[tokio::test]
async fn one_idempotency_key_spends_once_across_replicas() {
    let a = start(5, None).await;
    let b = start_replica(&a).await;
    let m = add_member_with_points(&a, "twin@patron.test", "pw-twin-12", 10_000).await;
    let c = a.signed_in("twin@patron.test", "pw-twin-12").await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let url = if i % 2 == 0 { a.url("") } else { b.url("") };
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            let res = c
                .post(format!("{url}/api/v1/redemptions"))
                .header("Idempotency-Key", "one-intent")
                .json(&json!({"reward_id": 1}))
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        }));
    }
    let mut codes = std::collections::BTreeSet::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert!(status == 201 || status == 409, "{status} {body}");
        if status == 201 {
            codes.insert(body["redemption"]["code"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(codes.len(), 1, "every success is the same redemption");
    let spends: i64 = db::query_scalar(
        "SELECT COUNT(*) FROM ledger_entries WHERE member_id = ? AND kind = 'spend'",
    )
    .bind(m)
    .fetch_one(a.pool())
    .await
    .unwrap();
    assert_eq!(spends, 1);
    // A retry after the dust settles replays the answer on either replica.
    for s in [&a, &b] {
        let res = c
            .post(s.url("/api/v1/redemptions"))
            .header("Idempotency-Key", "one-intent")
            .json(&json!({"reward_id": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let body: Value = res.json().await.unwrap();
        assert!(codes.contains(body["redemption"]["code"].as_str().unwrap()));
    }
}

#[tokio::test]
async fn a_job_runs_on_one_replica_and_is_taken_over_when_its_holder_dies() {
    let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    let a = start_on(5, 0, None, Clock::fixed(t0)).await;
    let b = start_replica(&a).await;
    assert!(a.store.take_lease("expiry", LEASE_SECS).await.unwrap());
    assert!(!b.store.take_lease("expiry", LEASE_SECS).await.unwrap());
    // The holder renews its own lease; giving it back frees it.
    assert!(a.store.take_lease("expiry", LEASE_SECS).await.unwrap());
    a.store.release_lease("expiry").await.unwrap();
    assert!(b.store.take_lease("expiry", LEASE_SECS).await.unwrap());
    b.store.release_lease("expiry").await.unwrap();

    // The daily score refresh: `a` holds its lease for three days (a long
    // job). Two days on the refresh is due, and `b`'s scheduler skips it.
    let runs = || async {
        db::query_scalar::<i64>("SELECT COUNT(*) FROM score_runs")
            .fetch_one(a.pool())
            .await
            .unwrap()
    };
    patron_server::jobs::tick(&a.store).await;
    let before = runs().await;
    assert!(a.store.take_lease("scores", 3 * 86_400).await.unwrap());
    a.store.clock().set(t0 + Duration::days(2));
    patron_server::jobs::tick(&b.store).await;
    assert_eq!(runs().await, before, "b refreshed scores under a's lease");
    // `a` dies without giving the lease back; once it runs out, b takes
    // the job over, and a no longer holds it.
    a.store
        .clock()
        .set(t0 + Duration::days(3) + Duration::seconds(1));
    patron_server::jobs::tick(&b.store).await;
    assert_eq!(runs().await, before + 1, "b took the refresh over");
    assert!(b.store.take_lease("scores", LEASE_SECS).await.unwrap());
    assert!(!a.store.take_lease("scores", LEASE_SECS).await.unwrap());
}

#[tokio::test]
async fn replicas_starting_together_on_an_empty_database_seed_it_once() {
    if !common::on_postgres() {
        // A SQLite file belongs to one process; replicas need PostgreSQL
        // (`make test-postgres` runs this).
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = common::database_url(dir.path()).await;
    let config = patron_server::app::Config {
        database_url: url,
        static_dir: None,
        members: 40,
        feedback: 10,
        seed: 7,
        secure_cookies: false,
        clock: Clock::system(),
        trusted_proxies: Vec::new(),
        messaging: Default::default(),
    };
    let (x, y, z) = tokio::join!(
        patron_server::app::build(&config),
        patron_server::app::build(&config),
        patron_server::app::build(&config)
    );
    let built = [x, y, z].map(|b| b.expect("every replica starts"));
    let seeded = built.iter().filter(|b| b.seeded.is_some()).count();
    assert_eq!(seeded, 1, "exactly one replica seeds");
    let members: i64 = db::query_scalar("SELECT COUNT(*) FROM members")
        .fetch_one(built[0].store.pool())
        .await
        .unwrap();
    assert_eq!(members, 40);
}

#[tokio::test]
async fn a_database_that_is_gone_answers_503_in_the_envelope() {
    let s = start(5, None).await;
    let c = s.signed_in(common::MEMBER.0, common::MEMBER.1).await;
    s.pool().close().await;
    let res = c.get(s.url("/api/v1/me/summary")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["retry-after"], "1");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("try again"));
}

#[tokio::test]
async fn the_activity_index_misses_no_purchase_that_commits_late() {
    if !common::on_postgres() {
        // SQLite commits one writer at a time, in id order.
        return;
    }
    let s = start(5, None).await;
    let b = start_replica(&s).await;
    let (early, late) = (1_i64, 2_i64);
    let insert =
        "INSERT INTO purchases (member_id, order_ref, amount_minor, category, purchased_at)
                  VALUES (?, ?, 1000, 'grocery', ?)";
    let at = Utc::now().timestamp();
    // The lower id is taken first, but its transaction commits last.
    let mut slow = s.pool().begin().await.unwrap();
    db::query(insert)
        .bind(late)
        .bind("LATE-1")
        .bind(at)
        .execute(&mut *slow)
        .await
        .unwrap();
    db::query(insert)
        .bind(early)
        .bind("EARLY-1")
        .bind(at)
        .execute(s.pool())
        .await
        .unwrap();
    for store in [&s.store, &b.store] {
        let a = store.activity().await.unwrap();
        assert!(a.times_of(early).contains(&at));
        assert!(!a.times_of(late).contains(&at));
    }
    slow.commit().await.unwrap();
    for store in [&s.store, &b.store] {
        let a = store.activity().await.unwrap();
        assert!(
            a.times_of(late).contains(&at),
            "the late purchase is counted"
        );
        assert_eq!(a.times_of(early).iter().filter(|t| **t == at).count(), 1);
    }
}
