//! Who may read what: every endpoint checks the caller on the server.

mod common;

use common::{start, ADMIN, MEMBER, SUPPORT};
use serde_json::Value;

#[tokio::test]
async fn anonymous_callers_get_401_everywhere() {
    let s = start(5, None).await;
    let c = s.client();
    for path in [
        "/api/v1/auth/me",
        "/api/v1/me/summary",
        "/api/v1/members/1/summary",
        "/api/v1/admin/overview",
        "/api/v1/support/overview",
    ] {
        let res = c.get(s.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 401, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized", "{path}");
    }
}

#[tokio::test]
async fn a_member_reads_only_their_own_summary() {
    let s = start(20, None).await;
    let m = s.signed_in(MEMBER.0, MEMBER.1).await;
    let own = m
        .get(s.url("/api/v1/members/1/summary"))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    let other = m
        .get(s.url("/api/v1/members/2/summary"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 403);
    let body: Value = other.json().await.unwrap();
    assert_eq!(body["error"]["code"], "forbidden");
    // Admins may look any member up; support agents, who have no member
    // records in the permission matrix, may not (they see a ticket's member
    // on the ticket).
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let res = admin
        .get(s.url("/api/v1/members/2/summary"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["member_id"], 2);
    let sup = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let res = sup
        .get(s.url("/api/v1/members/2/summary"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // Staff have no points of their own.
    let res = sup.get(s.url("/api/v1/me/summary")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    // Nonsense ids are a clear 400, unknown ones 404.
    let res = admin
        .get(s.url("/api/v1/members/abc/summary"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = admin
        .get(s.url("/api/v1/members/99999/summary"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn staff_routes_refuse_the_wrong_roles() {
    let s = start(10, None).await;
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let support = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let status = |c: &reqwest::Client, path: &str| {
        let req = c.get(s.url(path));
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status(&member, "/api/v1/admin/overview").await, 403);
    assert_eq!(status(&member, "/api/v1/support/overview").await, 403);
    assert_eq!(status(&support, "/api/v1/admin/overview").await, 403);
    assert_eq!(status(&support, "/api/v1/support/overview").await, 200);
    assert_eq!(status(&admin, "/api/v1/support/overview").await, 200);
    let res = admin
        .get(s.url("/api/v1/admin/overview"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["members"], 10);
    let per_tier: i64 = body["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["members"].as_i64().unwrap())
        .sum();
    assert_eq!(per_tier, 10);
}

#[tokio::test]
async fn every_member_endpoint_refuses_anonymous_and_staff_callers() {
    let s = start(5, None).await;
    let support = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let anon = s.client();
    let gets = [
        "/api/v1/me/summary",
        "/api/v1/me/ledger",
        "/api/v1/me/ledger.csv",
        "/api/v1/me/redemptions",
        "/api/v1/me/profile",
        "/api/v1/me/referrals",
        "/api/v1/me/orders",
        "/api/v1/me/tickets",
        "/api/v1/rewards",
    ];
    let posts = [
        ("/api/v1/redemptions", serde_json::json!({"reward_id": 1})),
        (
            "/api/v1/feedback",
            serde_json::json!({"kind": "nps", "score": 9}),
        ),
        (
            "/api/v1/me/referrals/invites",
            serde_json::json!({"email": "x@example.cn"}),
        ),
    ];
    for path in gets {
        assert_eq!(
            anon.get(s.url(path)).send().await.unwrap().status(),
            401,
            "anon {path}"
        );
        for (who, c) in [("support", &support), ("admin", &admin)] {
            assert_eq!(
                c.get(s.url(path)).send().await.unwrap().status(),
                403,
                "{who} {path}"
            );
        }
    }
    for (path, body) in posts {
        let req = |c: &reqwest::Client| {
            c.post(s.url(path))
                .header("Idempotency-Key", "k1")
                .json(&body)
        };
        assert_eq!(
            req(&anon).send().await.unwrap().status(),
            401,
            "anon {path}"
        );
        assert_eq!(
            req(&support).send().await.unwrap().status(),
            403,
            "support {path}"
        );
        assert_eq!(
            req(&admin).send().await.unwrap().status(),
            403,
            "admin {path}"
        );
    }
    // Staff ticket endpoints: members refused, both staff roles allowed.
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let r: Value = member
        .post(s.url("/api/v1/feedback"))
        .json(&serde_json::json!({"kind": "suggestion", "message": "Add dark mode please"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/support/tickets/{}", r["id"]);
    assert_eq!(member.get(s.url(&path)).send().await.unwrap().status(), 403);
    assert_eq!(
        support.get(s.url(&path)).send().await.unwrap().status(),
        200
    );
    assert_eq!(admin.get(s.url(&path)).send().await.unwrap().status(), 200);
}
