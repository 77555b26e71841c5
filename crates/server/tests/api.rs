//! The summary against the ledger rows, the error envelope, the contract
//! and the web delivery, over real HTTP.

mod common;
use patron_server::store::db;

use common::{start, ADMIN, MEMBER, SUPPORT};
use serde_json::{json, Value};
use sqlx::Row;

#[tokio::test]
async fn summary_numbers_equal_what_the_ledger_rows_imply() {
    let s = start(40, None).await;
    let m = s.signed_in(MEMBER.0, MEMBER.1).await;
    let res = m.get(s.url("/api/v1/me/summary")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let sum: Value = res.json().await.unwrap();
    let now = chrono::Utc::now().timestamp();

    let pool = s.pool().clone();
    let scalar = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            db::query(sql)
                .bind(now)
                .bind(now)
                .fetch_one(&pool)
                .await
                .unwrap()
                .get::<i64, _>(0)
        }
    };
    let balance = scalar("SELECT COALESCE(CAST(SUM(points) AS BIGINT),0) FROM ledger_entries WHERE member_id = 1 AND ? > 0 AND ? > 0").await;
    let lots = "SELECT COALESCE(CAST(SUM(e.points - COALESCE((SELECT SUM(a.points) FROM lot_allocations a WHERE a.lot_id = e.id), 0)) AS BIGINT), 0)
                FROM ledger_entries e WHERE e.member_id = 1 AND e.points > 0";
    let available = db::query(&format!(
        "{lots} AND COALESCE(e.available_at, e.created_at) <= ? AND (e.expires_at IS NULL OR e.expires_at > ?)"
    ))
    .bind(now)
    .bind(now)
    .fetch_one(&pool)
    .await
    .unwrap()
    .get::<i64, _>(0);
    let pending = db::query(&format!("{lots} AND e.available_at > ?"))
        .bind(now)
        .fetch_one(&pool)
        .await
        .unwrap()
        .get::<i64, _>(0);
    let earned = scalar("SELECT COALESCE(CAST(SUM(points) AS BIGINT),0) FROM ledger_entries WHERE member_id = 1 AND kind = 'earn' AND ? > 0 AND ? > 0").await;
    let spent = scalar("SELECT COALESCE(-CAST(SUM(points) AS BIGINT),0) FROM ledger_entries WHERE member_id = 1 AND kind = 'spend' AND ? > 0 AND ? > 0").await;
    let expired = scalar("SELECT COALESCE(-CAST(SUM(points) AS BIGINT),0) FROM ledger_entries WHERE member_id = 1 AND kind = 'expire' AND ? > 0 AND ? > 0").await;

    let b = &sum["balance"];
    assert_eq!(b["balance"], balance);
    assert_eq!(b["available"], available);
    assert_eq!(b["pending"], pending);
    assert_eq!(b["lifetime_earned"], earned);
    assert_eq!(b["spent"], spent);
    assert_eq!(b["expired"], expired);
    assert_eq!(
        balance,
        available + pending,
        "every point is available or pending"
    );
    assert!(pending > 0, "the demo member has a pending order");
    assert!(
        b["expiring_soon"].as_i64().unwrap() > 0,
        "the demo member has points expiring soon"
    );

    // Tier: the rolling 12-month sum of earned (net of reversals) points.
    let tier = &sum["tier"];
    let current = tier["current"]["threshold"].as_i64().unwrap();
    let qualifying = tier["qualifying"].as_i64().unwrap();
    assert!(qualifying >= current);
    if let Some(next) = tier["next"]["threshold"].as_i64() {
        assert_eq!(tier["to_next"].as_i64().unwrap(), next - qualifying);
    }

    // Recent: the ten newest entries, newest first.
    let ids: Vec<i64> = db::query_scalar(
        "SELECT id FROM ledger_entries WHERE member_id = 1 ORDER BY created_at DESC, id DESC LIMIT 10",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let got: Vec<i64> = sum["recent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, ids);
}

#[tokio::test]
async fn bad_input_gets_the_error_envelope_with_the_right_status() {
    let s = start(3, None).await;
    let c = reqwest::Client::new();
    let login = s.url("/api/v1/auth/login");

    let broken = c
        .post(&login)
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    let body: Value = broken.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");

    let shape = c
        .post(&login)
        .json(&json!({"email": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(shape.status(), 422);
    let body: Value = shape.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation");

    let empty = c
        .post(&login)
        .json(&json!({"email": "", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
    let body: Value = empty.json().await.unwrap();
    assert_eq!(
        body["error"]["fields"]["email"],
        "Enter your email address."
    );

    let text = c.post(&login).body("email=a").send().await.unwrap();
    assert_eq!(text.status(), 415);
    let body: Value = text.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unsupported_media_type");

    let missing = c.get(s.url("/api/v1/no-such-thing")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");

    let wrong = c.delete(&login).send().await.unwrap();
    assert_eq!(wrong.status(), 405);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");

    // A query string of the wrong shape is the envelope too, not plain text.
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    for path in [
        "/api/v1/analytics/kpis?days=abc",
        "/api/v1/admin/audit?actor=someone",
    ] {
        let res = admin.get(s.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 400, "{path}");
        let body: Value = res.json().await.expect("a JSON body");
        assert_eq!(body["error"]["code"], "bad_request", "{path}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("The query string is not valid"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn health_answers_and_every_response_has_security_headers() {
    let s = start(3, None).await;
    let res = reqwest::get(s.url("/api/v1/health")).await.unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    let csp = h["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{csp} has {part}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h.contains_key("referrer-policy"));
}

#[tokio::test]
async fn openapi_served_equals_generated_equals_checked_in() {
    let s = start(2, None).await;
    let served = reqwest::get(s.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let generated = patron_server::openapi::document();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../api/openapi.json");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(served, generated);
    assert!(
        checked_in == generated,
        "api/openapi.json is out of date: run `make openapi` and commit it"
    );
    let doc: Value = serde_json::from_str(&served).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in ["/api/v1/auth/login", "/api/v1/me/summary", "/api/v1/health"] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    // What client generators need: a unique, descriptive operationId and a
    // declared security requirement (empty for public ones) on every
    // operation, and a server to call.
    let mut ids = std::collections::BTreeMap::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default().to_string();
            assert!(
                id.len() > 5 && id.chars().next().unwrap().is_ascii_lowercase(),
                "{method} {path}: operationId {id:?}"
            );
            assert!(op["security"].is_array(), "{method} {path}: no security");
            // Every status the shared layers can answer is declared, with
            // the error envelope (client generators type these answers).
            let signed_in = op["security"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r.as_object().is_some_and(|m| !m.is_empty()));
            let mut must = vec!["500"];
            if signed_in {
                must.extend(["401", "403"]);
            }
            if op.get("requestBody").is_some() {
                must.extend(["400", "415", "422"]);
            }
            if path.contains('{') {
                must.push("404");
            }
            for status in must {
                let r = &op["responses"][status];
                assert!(r.is_object(), "{method} {path}: {status} not declared");
                if r.get("content").is_some() {
                    assert_eq!(
                        r["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorEnvelope",
                        "{method} {path}: {status} is not the envelope"
                    );
                }
            }
            if let Some(other) = ids.insert(id.clone(), format!("{method} {path}")) {
                panic!("operationId {id} on {other} and {method} {path}");
            }
        }
    }
    assert!(ids.len() >= 100, "{} operations", ids.len());
    assert!(doc["servers"][0]["url"].is_string());
}

#[tokio::test]
async fn spa_assets_are_compressed_cached_and_hashed_into_the_csp() {
    let dist = tempfile::tempdir().unwrap();
    let script = "import init from '/patron-0123456789abcdef.js'; await init();";
    std::fs::write(
        dist.path().join("index.html"),
        format!("<!doctype html><html><head><script type=\"module\">{script}</script></head><body></body></html>"),
    )
    .unwrap();
    let js = "export default function init() { return 42; } ".repeat(200);
    std::fs::write(dist.path().join("patron-0123456789abcdef.js"), &js).unwrap();
    // The build's compression step (scripts/build-spa.sh runs it).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let made = std::process::Command::new("node")
        .arg(root.join("scripts/precompress.mjs"))
        .arg(dist.path())
        .status()
        .expect("node runs scripts/precompress.mjs");
    assert!(made.success());
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(dist.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let before = listing();
    let s = start(2, Some(dist.path().to_path_buf())).await;
    // The server writes nothing into its static directory (replicas may
    // share it read-only).
    assert_eq!(listing(), before);
    let c = reqwest::Client::new();

    let page = c.get(s.url("/dashboard")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    use base64::Engine;
    use sha2::Digest;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(page.text().await.unwrap().contains(script));

    let asset = c
        .get(s.url("/patron-0123456789abcdef.js"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.headers()["content-encoding"], "br");
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let compressed = asset.bytes().await.unwrap();
    assert!(compressed.len() < js.len() / 5);

    let gz = c
        .get(s.url("/patron-0123456789abcdef.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn admins_get_the_console_bundle_on_admin_paths_and_both_loaders_are_in_the_csp() {
    let dist = tempfile::tempdir().unwrap();
    let page = |script: &str| {
        format!("<!doctype html><html><head><script type=\"module\">{script}</script></head><body></body></html>")
    };
    let main = "import init from '/patron-aaaaaaaaaaaaaaaa.js'; await init();";
    let console = "import init from '/console/patron-bbbbbbbbbbbbbbbb.js'; await init();";
    std::fs::write(dist.path().join("index.html"), page(main)).unwrap();
    std::fs::create_dir(dist.path().join("console")).unwrap();
    std::fs::write(
        dist.path().join("console").join("index.html"),
        page(console),
    )
    .unwrap();
    let s = start(2, Some(dist.path().to_path_buf())).await;
    let anonymous = reqwest::Client::new();
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let support = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    use base64::Engine;
    use sha2::Digest;
    let cases: [(&reqwest::Client, &str, &str); 9] = [
        (&admin, "/admin", console),
        (&admin, "/admin/members/3", console),
        (&admin, "/support/tickets/1", main),
        (&admin, "/administrator", main),
        // Only admins download the console; others get the main bundle,
        // whose guard shows sign-in or "no access".
        (&anonymous, "/admin/tiers", main),
        (&member, "/admin/tiers", main),
        (&support, "/admin", main),
        // The analytics dashboard lives in the console; staff may open it.
        (&support, "/analytics", console),
        (&member, "/analytics", main),
    ];
    for (c, path, wants) in cases {
        let res = c.get(s.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        for script in [main, console] {
            let hash = base64::engine::general_purpose::STANDARD
                .encode(sha2::Sha256::digest(script.as_bytes()));
            assert!(csp.contains(&format!("'sha256-{hash}'")), "{path}: {csp}");
        }
        assert!(res.text().await.unwrap().contains(wants), "{path}");
    }
}
