//! Defects found by a review, each with the test that failed before its
//! fix: dates at the end of the calendar in query strings, a handler panic,
//! a raceable sign-in throttle, client addresses behind a proxy, refunds of
//! expired vouchers, the last admin deactivated twice at once, and cookies
//! without `Secure` by default.

mod common;
use patron_server::store::db;

use axum::routing::get;
use chrono::{Duration, Utc};
use common::{add_member_with_points, start, start_config, start_on, ADMIN, MEMBER, SUPPORT};
use patron_server::clock::Clock;
use reqwest::Client;
use serde_json::{json, Value};

const FAR: &str = "%2B262142-12-31";

async fn status_and_body(c: &Client, url: String) -> (u16, Value) {
    let res = c
        .get(url)
        .send()
        .await
        .expect("an answer, not a dropped connection");
    let st = res.status().as_u16();
    (st, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn dates_at_the_end_of_the_calendar_are_refused_in_every_filter() {
    let s = start(5, None).await;
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let support = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let cases: Vec<(&Client, String)> = vec![
        (&member, format!("/api/v1/me/ledger?to={FAR}")),
        (&member, format!("/api/v1/me/ledger.csv?to={FAR}")),
        (&member, format!("/api/v1/me/ledger?from={FAR}")),
        (&member, "/api/v1/me/ledger?to=1969-12-31".into()),
        (&support, format!("/api/v1/support/queue?to={FAR}")),
        (&support, format!("/api/v1/support/reports/sla?to={FAR}")),
        (
            &admin,
            format!("/api/v1/analytics/kpis?from=2026-01-01&to={FAR}"),
        ),
        (&admin, format!("/api/v1/admin/audit?to={FAR}")),
        (&admin, format!("/api/v1/admin/members?joined_to={FAR}")),
        (&admin, format!("/api/v1/admin/members?last_from={FAR}")),
    ];
    for (c, path) in cases {
        let (st, body) = status_and_body(c, s.url(&path)).await;
        assert!(st == 400 || st == 422, "{path}: {st} {body}");
        let msg = body["error"]["message"].as_str().unwrap_or_default();
        let field = body["error"]["fields"]
            .as_object()
            .map(|f| f.values().filter_map(Value::as_str).collect::<String>())
            .unwrap_or_default();
        assert!(
            format!("{msg} {field}").contains("1970 to 9999"),
            "{path}: says which dates work: {body}"
        );
    }
    // The server is still there.
    let (st, _) = status_and_body(&member, s.url("/api/v1/me/summary")).await;
    assert_eq!(st, 200);
}

#[tokio::test]
async fn a_handler_that_panics_answers_500_in_the_envelope() {
    let app = axum::Router::new()
        .route(
            "/boom",
            get(|| async {
                if Utc::now().timestamp() > 0 {
                    panic!("a bug we have not found yet");
                }
                "never"
            }),
        )
        .layer(patron_server::envelope::catch_panics())
        .layer(axum::middleware::from_fn(
            patron_server::envelope::finish_errors,
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let res = Client::new()
        .get(format!("http://{addr}/boom"))
        .header("Accept-Language", "zh-CN")
        .send()
        .await
        .expect("an answer, not a dropped connection");
    assert_eq!(res.status(), 500);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "internal");
    let msg = body["error"]["message"].as_str().unwrap();
    assert!(
        !msg.contains("bug we have not found"),
        "no internals leak: {msg}"
    );
    assert!(
        msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "translated: {msg}"
    );
}

#[tokio::test]
async fn a_burst_of_sign_ins_is_throttled_before_any_password_is_checked() {
    let s = start(3, None).await;
    let attempts = (0..40).map(|_| {
        let c = s.client();
        let url = s.url("/api/v1/auth/login");
        async move {
            c.post(url)
                .json(&json!({"email": MEMBER.0, "password": "not-the-password"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let codes = futures_util::future::join_all(attempts).await;
    let tried = codes.iter().filter(|c| **c == 401).count();
    let refused = codes.iter().filter(|c| **c == 429).count();
    assert!(tried <= 8, "at most 8 passwords checked, got {codes:?}");
    assert_eq!(tried + refused, 40, "{codes:?}");
    // The right password is refused too while the email is locked.
    let res = s
        .client()
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"email": MEMBER.0, "password": MEMBER.1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
}

/// Wrong sign-ins for different emails from the address `xff` says, one
/// more than an address may make.
async fn fail_from(s: &common::TestServer, xff: &str, tag: &str) -> Vec<u16> {
    let mut out = Vec::new();
    for i in 0..=patron_server::limiter::MAX_PER_ADDRESS {
        let res = s
            .client()
            .post(s.url("/api/v1/auth/login"))
            .header("X-Forwarded-For", xff)
            .json(&json!({"email": format!("{tag}{i}@nowhere.test"), "password": "wrong-password"}))
            .send()
            .await
            .unwrap();
        out.push(res.status().as_u16());
    }
    out
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_throttle_and_otherwise_the_header_is_ignored(
) {
    let proxied = start_config(
        3,
        0,
        None,
        Clock::system(),
        vec!["127.0.0.1".parse().unwrap()],
    )
    .await;
    assert_eq!(
        *fail_from(&proxied, "203.0.113.5", "a")
            .await
            .last()
            .unwrap(),
        429
    );
    // Another client behind the same proxy is not locked out.
    assert_eq!(fail_from(&proxied, "203.0.113.6", "b").await[0], 401);
    // IPv6 clients hopping to a new address inside one /64 for every
    // attempt share a throttle.
    let mut hops = Vec::new();
    for i in 0..=patron_server::limiter::MAX_PER_ADDRESS {
        let res = proxied
            .client()
            .post(proxied.url("/api/v1/auth/login"))
            .header("X-Forwarded-For", format!("2001:db8:7:7::{:x}", i + 1))
            .json(&json!({"email": format!("v6-{i}@nowhere.test"), "password": "wrong-password"}))
            .send()
            .await
            .unwrap();
        hops.push(res.status().as_u16());
    }
    assert_eq!(*hops.last().unwrap(), 429, "{hops:?}");
    assert_eq!(hops[0], 401, "{hops:?}");

    // Not configured: a forged header does not give a fresh throttle.
    let direct = start(3, None).await;
    assert_eq!(
        *fail_from(&direct, "203.0.113.5", "c").await.last().unwrap(),
        429
    );
    assert_eq!(fail_from(&direct, "203.0.113.99", "d").await[0], 429);
}

#[tokio::test]
async fn an_expired_voucher_cannot_be_cancelled_for_a_refund() {
    let clock = Clock::fixed(Utc::now());
    let s = start_on(3, 0, None, clock.clone()).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let m = add_member_with_points(&s, "vex@patron.test", "pw-vex-123", 3_000).await;
    let c = s.signed_in("vex@patron.test", "pw-vex-123").await;
    let res = c
        .post(s.url("/api/v1/redemptions"))
        .header("Idempotency-Key", "vex-1")
        .json(&json!({"reward_id": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let red: Value = res.json().await.unwrap();
    let id = red["redemption"]["id"].as_i64().unwrap();
    let before = s
        .get_json(&admin, &format!("/api/v1/members/{m}/summary"))
        .await;

    clock.advance(Duration::days(91));
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let res = admin
        .patch(s.url(&format!("/api/v1/admin/redemptions/{id}")))
        .json(&json!({"status": "cancelled"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{body}"
    );
    let after = s
        .get_json(&admin, &format!("/api/v1/members/{m}/summary"))
        .await;
    assert_eq!(
        after["balance"]["balance"], before["balance"]["balance"],
        "no refund"
    );
    let res = admin
        .patch(s.url(&format!("/api/v1/admin/redemptions/{id}")))
        .json(&json!({"status": "used"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409, "and it is recorded as expired");
}

#[tokio::test]
async fn two_admins_deactivating_each_other_at_once_leave_one_active() {
    let s = start(3, None).await;
    let a = s.signed_in(ADMIN.0, ADMIN.1).await;
    let res = a
        .post(s.url("/api/v1/admin/staff"))
        .json(
            &json!({"email": "second.admin@patron.test", "name": "Second Admin",
            "role": "admin", "password": "second-admin-pw"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let b_id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let pool = s.pool().clone();
    let a_id: i64 = db::query_scalar("SELECT id FROM users WHERE email = ?")
        .bind(ADMIN.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    for round in 0..6 {
        let a = s.signed_in(ADMIN.0, ADMIN.1).await;
        let b = s
            .signed_in("second.admin@patron.test", "second-admin-pw")
            .await;
        let off = |c: Client, id: i64| {
            let url = s.url(&format!("/api/v1/admin/staff/{id}/active"));
            async move {
                c.put(url)
                    .json(&json!({"active": false}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        let (x, y) = tokio::join!(off(a, b_id), off(b, a_id));
        let active: i64 =
            db::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(active, 1, "round {round}: {x} {y}");
        assert!([x, y].contains(&200), "round {round}: {x} {y}");
        // Put both back for the next round (directly: one of them is out).
        db::query("UPDATE users SET active = TRUE WHERE role = 'admin'")
            .execute(&pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn session_cookies_are_secure_unless_development_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let cookie_of = |insecure: bool, n: u16| {
        let dir = dir.path().to_path_buf();
        async move {
            // Port 0: the server picks a free one and prints it.
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_patron-server"));
            cmd.args(["--bind", "127.0.0.1:0", "--members", "2", "--feedback", "0"])
                .arg("--database-url")
                .arg(format!("sqlite://{}/c{n}.db", dir.display()))
                .stdout(std::process::Stdio::piped());
            if insecure {
                cmd.arg("--insecure-cookies");
            }
            let mut child = Killed(cmd.spawn().unwrap());
            let stdout = child.0.stdout.take().unwrap();
            // Read until it says where it runs, and keep draining after (a
            // closed pipe would end the server at its next line).
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                use std::io::BufRead;
                for line in std::io::BufReader::new(stdout)
                    .lines()
                    .map_while(Result::ok)
                {
                    if let Some(base) = line.strip_prefix("Patron is running at ") {
                        let _ = tx.send(base.to_string());
                    }
                }
            });
            let base = tokio::task::spawn_blocking(move || {
                rx.recv_timeout(std::time::Duration::from_secs(300))
            })
            .await
            .unwrap()
            .expect("the server starts and says where");
            let res = Client::new()
                .post(format!("{base}/api/v1/auth/login"))
                .json(&json!({"email": MEMBER.0, "password": MEMBER.1}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            res.headers()["set-cookie"].to_str().unwrap().to_string()
        }
    };
    let default = cookie_of(false, 1).await;
    assert!(default.contains("; Secure"), "{default}");
    let dev = cookie_of(true, 2).await;
    assert!(!dev.contains("Secure"), "{dev}");
}

/// A child process that is stopped when the test lets go of it.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn member_input_is_bounded_consents_change_once_and_feedback_is_rate_limited() {
    let s = start(3, None).await;
    let m = s.signed_in(MEMBER.0, MEMBER.1).await;
    let post = |body: Value| {
        let m = m.clone();
        let url = s.url("/api/v1/feedback");
        async move {
            let res = m.post(url).json(&body).send().await.unwrap();
            let st = res.status().as_u16();
            (st, res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let long = "x".repeat(200_000);
    let (st, body) =
        post(json!({"kind": "suggestion", "message": "A loyalty app idea.", "category": long}))
            .await;
    assert_eq!(st, 422, "{body}");
    assert!(body["error"]["fields"]["category"].is_string());
    let (st, body) = post(json!({"kind": "complaint", "category": "points",
        "message": "Points went missing.", "desired_resolution": long}))
    .await;
    assert_eq!(st, 422);
    assert!(body["error"]["fields"]["desired_resolution"].is_string());

    // One consent change per channel per request.
    let res = m
        .patch(s.url("/api/v1/me/profile"))
        .json(&json!({"consents": [{"channel": "email_offers", "granted": true}, {"channel": "email_offers", "granted": false},
            {"channel": "email_offers", "granted": true}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let pool = s.pool().clone();
    let rows_before: i64 = db::query_scalar("SELECT COUNT(*) FROM consents")
        .fetch_one(&pool)
        .await
        .unwrap_or(0);
    let res = m
        .patch(s.url("/api/v1/me/profile"))
        .json(&json!({"consents": [{"channel": "email_offers", "granted": true}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let rows_after: i64 = db::query_scalar("SELECT COUNT(*) FROM consents")
        .fetch_one(&pool)
        .await
        .unwrap_or(0);
    assert!(rows_after - rows_before <= 1);

    // A script filling the desk is slowed down.
    let mut limited = false;
    for i in 0..30 {
        let (st, body) =
            post(json!({"kind": "suggestion", "message": format!("Idea number {i} for the app")}))
                .await;
        if st == 429 {
            assert!(body["error"]["message"].is_string());
            limited = true;
            break;
        }
        assert_eq!(st, 201, "{body}");
    }
    assert!(limited, "feedback is rate limited per member");
}
