//! Sign-in, sessions and their cookie, over real HTTP.

mod common;

use common::{start, ADMIN, MEMBER, SUPPORT};
use serde_json::{json, Value};

fn session_token(res: &reqwest::Response) -> (String, String) {
    let header = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("patron_session="))
        .expect("session cookie set");
    let token = header
        .trim_start_matches("patron_session=")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    (token, header)
}

#[tokio::test]
async fn login_me_logout_round_trip_with_safe_cookie() {
    let s = start(30, None).await;
    let c = reqwest::Client::new();
    let res = c
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"email": MEMBER.0, "password": MEMBER.1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (token, header) = session_token(&res);
    assert!(header.contains("HttpOnly"), "{header}");
    assert!(header.contains("SameSite=Strict"), "{header}");
    assert!(header.contains("Path=/"), "{header}");
    // 32 random bytes, base64url: 43 characters, far beyond 128 bits.
    assert!(token.len() >= 43, "token {token}");
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["role"], "member");
    assert_eq!(me["member_id"], 1);
    assert_eq!(me["programme_name"], "Lotus Rewards");

    let cookie = format!("patron_session={token}");
    let me = c
        .get(s.url("/api/v1/auth/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);

    let out = c
        .post(s.url("/api/v1/auth/logout"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    // The old token is dead on the server, not just forgotten by the client.
    let me = c
        .get(s.url("/api/v1/auth/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
    let body: Value = me.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let s = start(5, None).await;
    let c = reqwest::Client::new();
    let wrong = c
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"email": MEMBER.0, "password": "nope"}))
        .send()
        .await
        .unwrap();
    let unknown = c
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"email": "nobody@patron.test", "password": "nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    assert!(wrong.headers().get("set-cookie").is_none());
    let a: Value = wrong.json().await.unwrap();
    let b: Value = unknown.json().await.unwrap();
    assert_eq!(a, b);
    assert_eq!(a["error"]["code"], "invalid_credentials");
}

#[tokio::test]
async fn login_rotates_the_session_token() {
    let s = start(5, None).await;
    let c = reqwest::Client::new();
    let first = c
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"email": ADMIN.0, "password": ADMIN.1}))
        .send()
        .await
        .unwrap();
    let (t1, _) = session_token(&first);
    let second = c
        .post(s.url("/api/v1/auth/login"))
        .header("cookie", format!("patron_session={t1}"))
        .json(&json!({"email": ADMIN.0, "password": ADMIN.1}))
        .send()
        .await
        .unwrap();
    let (t2, _) = session_token(&second);
    assert_ne!(t1, t2);
    let old = c
        .get(s.url("/api/v1/auth/me"))
        .header("cookie", format!("patron_session={t1}"))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401, "the pre-login token no longer works");
    let new = c
        .get(s.url("/api/v1/auth/me"))
        .header("cookie", format!("patron_session={t2}"))
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), 200);
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_429() {
    let s = start(5, None).await;
    let c = reqwest::Client::new();
    let mut last = 0;
    for _ in 0..9 {
        let res = c
            .post(s.url("/api/v1/auth/login"))
            .json(&json!({"email": "member@patron.test", "password": "guess"}))
            .send()
            .await
            .unwrap();
        last = res.status().as_u16();
        if last == 429 {
            assert!(res.headers().get("retry-after").is_some());
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["error"]["code"], "rate_limited");
            break;
        }
    }
    assert_eq!(last, 429);
}

#[tokio::test]
async fn concurrent_sign_ins_never_fail_with_busy_database() {
    let s = start(5, None).await;
    let mut tasks = Vec::new();
    // Sixteen people at once (four at a time per account: one account's
    // burst beyond eight attempts is throttled by design).
    let people = [
        ADMIN,
        MEMBER,
        SUPPORT,
        ("kai@patron.test", "patron-support"),
    ];
    for i in 0..16 {
        let url = s.url("/api/v1/auth/login");
        let (email, password) = people[i % people.len()];
        tasks.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .json(&json!({"email": email, "password": password}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
}
