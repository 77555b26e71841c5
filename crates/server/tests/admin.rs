//! The admin console's API: who may call it, tiers and recalculation,
//! earning rules and transactions, adjustments, blocking, rewards, audit
//! log, staff and settings.

mod common;
use patron_server::store::db;

use common::{add_member_with_points, start, TestServer, ADMIN, MEMBER, SUPPORT};
use reqwest::{Client, Method};
use serde_json::{json, Value};

const DAY: i64 = 86_400;

async fn call(
    c: &Client,
    s: &TestServer,
    m: Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut req = c
        .request(m, s.url(path))
        .header("Idempotency-Key", format!("k-{path}"));
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get(c: &Client, s: &TestServer, path: &str) -> Value {
    let (st, v) = call(c, s, Method::GET, path, None).await;
    assert_eq!(st, 200, "GET {path}: {v}");
    v
}

async fn pool(s: &TestServer) -> db::Pool {
    s.pool().clone()
}

/// A member with earned points at given days ago (counts towards tiers).
async fn member_with_earnings(s: &TestServer, email: &str, earned: &[(i64, i64)]) -> i64 {
    let id = add_member_with_points(s, email, "patron-member-pw", 0).await;
    let p = pool(s).await;
    let now = chrono::Utc::now().timestamp();
    for (days_ago, points) in earned {
        let at = now - days_ago * DAY;
        db::query(
            "INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, reason)
             VALUES (?, 'earn', ?, ?, ?, ?, 'Test order')",
        )
        .bind(id)
        .bind(points)
        .bind(at)
        .bind(at)
        .bind(at + 400 * DAY)
        .execute(&p)
        .await
        .unwrap();
    }
    id
}

async fn tier_of(s: &TestServer, member: i64) -> String {
    db::query_scalar("SELECT t.name FROM members m JOIN tiers t ON t.id = m.tier_id WHERE m.id = ?")
        .bind(member)
        .fetch_one(&pool(s).await)
        .await
        .unwrap()
}

/// The saved tier plan with `f` applied.
async fn plan_with(c: &Client, s: &TestServer, f: impl FnOnce(&mut Value)) -> Value {
    let mut plan = get(c, s, "/api/v1/admin/tiers").await["plan"].clone();
    f(&mut plan);
    plan
}

#[tokio::test]
async fn every_admin_endpoint_refuses_anonymous_members_and_support() {
    let s = start(10, None).await;
    let anon = s.client();
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let support = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let plan = get(&admin, &s, "/api/v1/admin/tiers").await["plan"].clone();
    let settings = get(&admin, &s, "/api/v1/admin/programme").await;
    let rule = json!({"name": "Double days", "rule": {"kind": "promotion", "multiplier_pct": 200, "category": null},
        "priority": 15, "stop_further": false, "active": true, "starts_at": null, "ends_at": null});
    let reward = json!({"name": "Tote bag", "description": "Canvas", "reward_type": "gift", "value": null,
        "cost_points": 800, "stock": 5, "per_member_limit": 1, "visible_from": null, "visible_until": null,
        "valid_from": null, "valid_until": null, "min_tier_id": null, "segment_id": null,
        "code_source": "generated", "new_codes": [], "image_url": null});
    let basket = json!({"member_id": 2, "lines": [{"category": "home", "amount_minor": 12_000}]});
    let txn = json!({"member_id": 2, "order_ref": "POS-MATRIX-1", "lines": [{"category": "home", "amount_minor": 12_000}]});
    // (method, path, body, status an admin gets)
    let cases: Vec<(Method, &str, Option<Value>, u16)> = vec![
        (Method::GET, "/api/v1/admin/programme", None, 200),
        (
            Method::PUT,
            "/api/v1/admin/programme",
            Some(settings.clone()),
            200,
        ),
        (Method::GET, "/api/v1/admin/tiers", None, 200),
        (
            Method::POST,
            "/api/v1/admin/tiers/preview",
            Some(plan.clone()),
            200,
        ),
        (Method::PUT, "/api/v1/admin/tiers", Some(plan.clone()), 200),
        (Method::POST, "/api/v1/admin/tiers/recalculate", None, 200),
        (Method::GET, "/api/v1/admin/earning-rules", None, 200),
        (
            Method::POST,
            "/api/v1/admin/earning-rules",
            Some(rule.clone()),
            201,
        ),
        (
            Method::PUT,
            "/api/v1/admin/earning-rules/1",
            Some(json!({"name": "1 point per ¥1",
            "rule": {"kind": "base", "points_per_unit": 1, "unit_minor": 100}, "priority": 0,
            "stop_further": false, "active": true, "starts_at": null, "ends_at": null})),
            200,
        ),
        (
            Method::POST,
            "/api/v1/admin/earning-rules/simulate",
            Some(basket),
            200,
        ),
        (Method::POST, "/api/v1/transactions", Some(txn), 201),
        (
            Method::POST,
            "/api/v1/transactions/POS-MATRIX-1/returns",
            Some(json!({"amount_minor": 2_000})),
            201,
        ),
        (Method::GET, "/api/v1/admin/members", None, 200),
        (Method::GET, "/api/v1/admin/members/2", None, 200),
        (
            Method::POST,
            "/api/v1/admin/members/2/adjustments",
            Some(json!({"points": 50, "reason": "Goodwill"})),
            201,
        ),
        (
            Method::PUT,
            "/api/v1/admin/members/3/block",
            Some(json!({"blocked": true, "reason": "Fraud check"})),
            200,
        ),
        (
            Method::PUT,
            "/api/v1/admin/members/2/tier-lock",
            Some(json!({"tier_id": 2, "reason": "VIP guest", "until": null})),
            200,
        ),
        (Method::GET, "/api/v1/admin/rewards", None, 200),
        (
            Method::POST,
            "/api/v1/admin/rewards",
            Some(reward.clone()),
            201,
        ),
        (
            Method::PUT,
            "/api/v1/admin/rewards/1",
            Some(reward.clone()),
            200,
        ),
        (Method::GET, "/api/v1/admin/redemptions", None, 200),
        (Method::GET, "/api/v1/admin/audit", None, 200),
        (Method::GET, "/api/v1/admin/staff", None, 200),
        (
            Method::POST,
            "/api/v1/admin/staff",
            Some(
                json!({"email": "new.agent@patron.test", "name": "New Agent",
            "role": "support", "password": "a-long-password"}),
            ),
            201,
        ),
        (
            Method::POST,
            "/api/v1/admin/staff/3/password",
            Some(json!({"password": "another-long-one"})),
            204,
        ),
        (
            Method::PUT,
            "/api/v1/admin/staff/4/active",
            Some(json!({"active": false})),
            200,
        ),
        (Method::GET, "/api/v1/admin/api-keys", None, 200),
        (
            Method::POST,
            "/api/v1/admin/api-keys",
            Some(json!({"name": "Till 1"})),
            201,
        ),
        (Method::DELETE, "/api/v1/admin/api-keys/1", None, 204),
        (Method::DELETE, "/api/v1/admin/earning-rules/8", None, 204),
    ];
    for (m, path, body, _) in &cases {
        for (who, c, want) in [
            ("anonymous", &anon, 401),
            ("member", &member, 403),
            ("support", &support, 403),
        ] {
            let (st, v) = call(c, &s, m.clone(), path, body.as_ref()).await;
            assert_eq!(st, want, "{who} {m} {path}: {v}");
            assert!(
                v["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty()),
                "{who} {m} {path} has a message"
            );
        }
    }
    for (m, path, body, want) in &cases {
        let (st, v) = call(&admin, &s, m.clone(), path, body.as_ref()).await;
        assert_eq!(st, *want, "admin {m} {path}: {v}");
    }
    // Every admin write above left an audit row.
    let audit = get(&admin, &s, "/api/v1/admin/audit").await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect();
    for a in [
        "programme.update",
        "earning_rule.create",
        "member.adjust",
        "member.block",
        "member.tier_lock",
        "reward.create",
        "staff.create",
        "staff.password_reset",
        "staff.deactivate",
        "api_key.create",
        "api_key.revoke",
        "earning_rule.delete",
        "tier.recalculate",
    ] {
        assert!(actions.contains(&a), "audit has {a}: {actions:?}");
    }
}

#[tokio::test]
async fn thresholds_must_increase_and_preview_matches_what_saving_does() {
    let s = start(300, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    // Silver ≤ Jade is refused with the field named.
    let bad = plan_with(&admin, &s, |p| p["tiers"][2]["threshold"] = json!(1_000)).await;
    let (st, v) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/tiers/preview",
        Some(&bad),
    )
    .await;
    assert_eq!(st, 422);
    assert!(v["error"]["fields"]["tiers.2.threshold"]
        .as_str()
        .unwrap()
        .contains("higher than Silver"));
    let (st, _) = call(&admin, &s, Method::PUT, "/api/v1/admin/tiers", Some(&bad)).await;
    assert_eq!(st, 422);

    let before: Vec<(i64, String)> = db::query_as(
        "SELECT m.id, t.name FROM members m JOIN tiers t ON t.id = m.tier_id ORDER BY m.id",
    )
    .fetch_all(&pool(&s).await)
    .await
    .unwrap();
    // Make Gold much easier: people move up, nobody down.
    let plan = plan_with(&admin, &s, |p| p["tiers"][2]["threshold"] = json!(3_000)).await;
    let (st, impact) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/tiers/preview",
        Some(&plan),
    )
    .await;
    assert_eq!(st, 200, "{impact}");
    let up = impact["up"].as_i64().unwrap();
    assert!(up > 0, "some members reach Gold: {impact}");
    assert_eq!(impact["down"], 0);
    assert_eq!(impact["members"].as_i64().unwrap(), before.len() as i64);
    assert!(impact["sample_up"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["to"] == "Gold"));
    // Nothing changed yet.
    let still: Vec<(i64, String)> = db::query_as(
        "SELECT m.id, t.name FROM members m JOIN tiers t ON t.id = m.tier_id ORDER BY m.id",
    )
    .fetch_all(&pool(&s).await)
    .await
    .unwrap();
    assert_eq!(still, before);
    let (st, setup) = call(&admin, &s, Method::PUT, "/api/v1/admin/tiers", Some(&plan)).await;
    assert_eq!(st, 200);
    assert_eq!(
        setup["last_run"]["up"], impact["up"],
        "the run moved who the preview said"
    );
    assert_eq!(setup["last_run"]["down"], 0);
    let gold_before = before.iter().filter(|(_, t)| t == "Gold").count() as i64;
    let gold_after = setup["plan"]["tiers"][2]["members"].as_i64().unwrap();
    let per_tier_gold = impact["per_tier"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tier"] == "Gold")
        .unwrap()
        .clone();
    assert_eq!(per_tier_gold["before"].as_i64().unwrap(), gold_before);
    assert_eq!(per_tier_gold["after"].as_i64().unwrap(), gold_after);
    // Recalculating again moves nobody (idempotent).
    let (_, run) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/tiers/recalculate",
        None,
    )
    .await;
    assert_eq!(
        (run["up"].as_i64(), run["down"].as_i64()),
        (Some(0), Some(0)),
        "{run}"
    );
}

#[tokio::test]
async fn recalculation_follows_the_policy_at_thresholds_window_edges_grace_and_locks() {
    let s = start(5, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    // Silver is 2,000 points in a rolling 12 months.
    let exactly = member_with_earnings(&s, "exact@patron.test", &[(10, 2_000)]).await;
    let edge_in = member_with_earnings(&s, "edge-in@patron.test", &[(362, 2_000)]).await;
    let edge_out = member_with_earnings(&s, "edge-out@patron.test", &[(367, 2_000)]).await;
    let fallen = member_with_earnings(&s, "fallen@patron.test", &[(30, 100)]).await;
    let locked = member_with_earnings(&s, "locked@patron.test", &[(30, 100)]).await;
    let p = pool(&s).await;
    for m in [fallen, locked] {
        db::query("UPDATE members SET tier_id = 4 WHERE id = ?")
            .bind(m)
            .execute(&p)
            .await
            .unwrap();
    }
    let (st, v) = call(
        &admin,
        &s,
        Method::PUT,
        &format!("/api/v1/admin/members/{locked}/tier-lock"),
        Some(&json!({"tier_id": 4, "reason": "Founding member", "until": null})),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["lock"]["tier"], "Platinum");
    assert_eq!(v["summary"]["tier"]["locked"], true);

    // Drop one tier per recalculation, with a 30-day grace period.
    let plan = plan_with(&admin, &s, |p| {
        p["policy"]["downgrade"] = json!("drop_one");
        p["policy"]["grace_days"] = json!(30);
    })
    .await;
    let (st, run) = call(&admin, &s, Method::PUT, "/api/v1/admin/tiers", Some(&plan)).await;
    assert_eq!(st, 200, "{run}");
    assert_eq!(
        tier_of(&s, exactly).await,
        "Silver",
        "exactly at the threshold reaches it"
    );
    assert_eq!(
        tier_of(&s, edge_in).await,
        "Silver",
        "inside the window counts"
    );
    assert_eq!(
        tier_of(&s, edge_out).await,
        "Jade",
        "outside the window does not"
    );
    assert_eq!(
        tier_of(&s, fallen).await,
        "Platinum",
        "grace period holds the tier"
    );
    assert_eq!(tier_of(&s, locked).await, "Platinum");
    assert!(run["last_run"]["in_grace"].as_i64().unwrap() >= 1);
    assert!(run["last_run"]["locked"].as_i64().unwrap() >= 1);
    // The grace period ends: one tier down per run, the lock holds.
    db::query("UPDATE members SET downgrade_due_at = ? WHERE id = ?")
        .bind(chrono::Utc::now().timestamp() - 1)
        .bind(fallen)
        .execute(&p)
        .await
        .unwrap();
    call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/tiers/recalculate",
        None,
    )
    .await;
    assert_eq!(tier_of(&s, fallen).await, "Gold");
    assert_eq!(tier_of(&s, locked).await, "Platinum");
    // Recalculate-to-standing without grace: straight down to where they stand.
    let plan = plan_with(&admin, &s, |p| {
        p["policy"]["downgrade"] = json!("recalculate");
        p["policy"]["grace_days"] = json!(0);
    })
    .await;
    call(&admin, &s, Method::PUT, "/api/v1/admin/tiers", Some(&plan)).await;
    assert_eq!(tier_of(&s, fallen).await, "Jade");
    let profile = get(&admin, &s, &format!("/api/v1/admin/members/{fallen}")).await;
    let history: Vec<String> = profile["tier_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            format!(
                "{}→{}",
                h["from"].as_str().unwrap_or("-"),
                h["to"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(history, vec!["Gold→Jade", "Platinum→Gold"]);
    // Unlocking lets recalculation place the member.
    call(
        &admin,
        &s,
        Method::PUT,
        &format!("/api/v1/admin/members/{locked}/tier-lock"),
        Some(&json!({"tier_id": null, "reason": "Review done", "until": null})),
    )
    .await;
    call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/tiers/recalculate",
        None,
    )
    .await;
    assert_eq!(tier_of(&s, locked).await, "Jade");
}

#[tokio::test]
async fn a_threshold_change_shows_on_the_members_dashboard() {
    let s = start(20, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let before = get(&member, &s, "/api/v1/me/summary").await;
    assert_eq!(before["tier"]["current"]["name"], "Gold");
    let to_next = before["tier"]["to_next"].as_i64().unwrap();
    // Platinum 1,000 points nearer.
    let plan = plan_with(&admin, &s, |p| {
        let t = p["tiers"][3]["threshold"].as_i64().unwrap();
        p["tiers"][3]["threshold"] = json!(t - 1_000);
    })
    .await;
    let (st, _) = call(&admin, &s, Method::PUT, "/api/v1/admin/tiers", Some(&plan)).await;
    assert_eq!(st, 200);
    let after = get(&member, &s, "/api/v1/me/summary").await;
    assert_eq!(after["tier"]["to_next"].as_i64().unwrap(), to_next - 1_000);
    assert_eq!(
        after["tier"]["next"]["threshold"],
        plan["tiers"][3]["threshold"]
    );
}

#[tokio::test]
async fn the_simulator_gives_what_a_posted_transaction_earns_and_returns_take_back_a_share() {
    let s = start(5, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let id = member_with_earnings(&s, "shopper@patron.test", &[]).await;
    let lines = json!([{"category": "beauty", "amount_minor": 10_050}, {"category": "home", "amount_minor": 5_000}]);
    let (st, sim) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/earning-rules/simulate",
        Some(&json!({"member_id": id, "lines": lines})),
    )
    .await;
    assert_eq!(st, 200, "{sim}");
    // 100 + 50 base, beauty ×2 adds 100, Jade ×1 adds nothing, welcome 100.
    let kinds: Vec<(&str, i64)> = sim["evaluation"]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["kind"].as_str().unwrap(), h["points"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        vec![("base", 150), ("category", 100), ("sign_up", 100)]
    );
    let (st, txn) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/transactions",
        Some(&json!({"member_id": id, "order_ref": "POS-1001", "lines": lines})),
    )
    .await;
    assert_eq!(st, 201, "{txn}");
    assert_eq!(txn["points"], sim["evaluation"]["member_points"]);
    assert_eq!(txn["points"], 350);
    // Pending for the programme's 14 days.
    let pending = get(&admin, &s, &format!("/api/v1/members/{id}/summary")).await;
    assert_eq!(pending["balance"]["pending"], 350);
    // Posting the same order again earns nothing more.
    let (st, again) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/transactions",
        Some(&json!({"member_id": id, "order_ref": "POS-1001", "lines": lines})),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(again["replayed"], true);
    let p = pool(&s).await;
    let earned: i64 = db::query_scalar(
        "SELECT CAST(SUM(points) AS BIGINT) FROM ledger_entries WHERE member_id = ?",
    )
    .bind(id)
    .fetch_one(&p)
    .await
    .unwrap();
    assert_eq!(earned, 350);
    // A second purchase gets no welcome bonus: the simulator knows too.
    let (_, sim2) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/earning-rules/simulate",
        Some(&json!({"member_id": id, "lines": [{"category": "home", "amount_minor": 999}]})),
    )
    .await;
    assert_eq!(sim2["evaluation"]["member_points"], 9);
    // Returning a third of the money takes back a third of the 250 basket points (not the bonus).
    let ret = |amount: i64, key: &'static str| {
        let admin = admin.clone();
        let url = s.url("/api/v1/transactions/POS-1001/returns");
        async move {
            let res = admin
                .post(url)
                .header("Idempotency-Key", key)
                .json(&json!({"amount_minor": amount}))
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap())
        }
    };
    let (st, r1) = ret(5_050, "ret-1").await;
    assert_eq!(st, 201, "{r1}");
    assert_eq!(r1["points_reversed"], 83);
    let (_, r1b) = ret(5_050, "ret-1").await;
    assert_eq!(
        r1b, r1,
        "a retried return answers the same and takes nothing more"
    );
    let (st, too_much) = ret(20_000, "ret-2").await;
    assert_eq!(st, 422);
    assert!(too_much["error"]["fields"]["amount_minor"]
        .as_str()
        .unwrap()
        .contains("10000"));
    let (_, r2) = ret(10_000, "ret-3").await;
    assert_eq!(
        r2["points_reversed"],
        250 - 83,
        "never more than the order earned"
    );
    assert_eq!(r2["points_left"], 0);
    let total: i64 = db::query_scalar(
        "SELECT CAST(SUM(points) AS BIGINT) FROM ledger_entries WHERE member_id = ?",
    )
    .bind(id)
    .fetch_one(&p)
    .await
    .unwrap();
    assert_eq!(total, 100, "only the welcome bonus remains");
    // Validation: an empty basket names the field.
    let (st, v) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/transactions",
        Some(&json!({"member_id": id, "order_ref": "POS-1002", "lines": []})),
    )
    .await;
    assert_eq!(st, 422);
    assert!(v["error"]["fields"]["lines"].is_string());
}

#[tokio::test]
async fn api_keys_record_transactions_until_revoked() {
    let s = start(5, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let (_, key) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/api-keys",
        Some(&json!({"name": "Till 7"})),
    )
    .await;
    let secret = key["key"].as_str().unwrap().to_string();
    let listed = get(&admin, &s, "/api/v1/admin/api-keys").await;
    assert!(listed[0]["key"].is_null(), "the key is shown only once");
    let till = reqwest::Client::new();
    let post = |order: &'static str| {
        till.post(s.url("/api/v1/transactions"))
            .bearer_auth(&secret)
            .json(&json!({"card_number": "999999999999", "order_ref": order, "lines": [{"category": "groceries", "amount_minor": 5_000}]}))
            .send()
    };
    let card: String = db::query_scalar("SELECT card_number FROM members WHERE id = 2")
        .fetch_one(&pool(&s).await)
        .await
        .unwrap();
    let res = till.post(s.url("/api/v1/transactions")).bearer_auth(&secret)
        .json(&json!({"card_number": card, "order_ref": "TILL-1", "lines": [{"category": "groceries", "amount_minor": 5_000}]}))
        .send().await.unwrap();
    assert_eq!(res.status(), 201);
    let res = post("TILL-2").await.unwrap();
    assert_eq!(res.status(), 404, "unknown card");
    call(
        &admin,
        &s,
        Method::DELETE,
        &format!("/api/v1/admin/api-keys/{}", key["id"]),
        None,
    )
    .await;
    let res = till.post(s.url("/api/v1/transactions")).bearer_auth(&secret)
        .json(&json!({"member_id": 2, "order_ref": "TILL-3", "lines": [{"category": "groceries", "amount_minor": 5_000}]}))
        .send().await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn adjustments_are_idempotent_named_and_audited_and_blocked_members_cannot_earn_or_spend() {
    let s = start(5, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let id = add_member_with_points(&s, "adjust@patron.test", "patron-member-pw", 300).await;
    let adjust = |points: i64, key: &'static str| {
        admin
            .post(s.url(&format!("/api/v1/admin/members/{id}/adjustments")))
            .header("Idempotency-Key", key)
            .json(&json!({"points": points, "reason": "Missing points for order 77"}))
            .send()
    };
    let r1: Value = adjust(120, "adj-1").await.unwrap().json().await.unwrap();
    let r1b: Value = adjust(120, "adj-1").await.unwrap().json().await.unwrap();
    assert_eq!(r1, r1b);
    assert_eq!(r1["balance"], 420);
    let res = adjust(-1_000, "adj-2").await.unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"]["fields"]["points"]
        .as_str()
        .unwrap()
        .contains("420"));
    let res = admin
        .post(s.url(&format!("/api/v1/admin/members/{id}/adjustments")))
        .json(&json!({"points": 5, "reason": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "a reason of three characters is needed");
    let profile = get(&admin, &s, &format!("/api/v1/admin/members/{id}")).await;
    let entry = &profile["ledger"][0];
    assert_eq!(entry["kind"], "adjust");
    assert_eq!(entry["points"], 120);
    assert_eq!(entry["actor"], "Ada Admin");
    assert!(entry["reason"].as_str().unwrap().contains("Missing points"));
    let audit = get(&admin, &s, "/api/v1/admin/audit?entity=member").await;
    let row = &audit["items"][0];
    assert_eq!(row["action"], "member.adjust");
    assert_eq!(row["actor"], "Ada Admin");
    let change = row["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "balance")
        .unwrap();
    assert_eq!(
        (change["before"].as_str(), change["after"].as_str()),
        (Some("300"), Some("420"))
    );

    // Block: no earning, no adjusting, no spending.
    let (st, v) = call(
        &admin,
        &s,
        Method::PUT,
        &format!("/api/v1/admin/members/{id}/block"),
        Some(&json!({"blocked": true, "reason": "Card reported stolen"})),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(v["blocked"], true);
    let (st, _) = call(&admin, &s, Method::POST, "/api/v1/transactions",
        Some(&json!({"member_id": id, "order_ref": "B-1", "lines": [{"category": "home", "amount_minor": 5_000}]}))).await;
    assert_eq!(st, 409);
    assert_eq!(adjust(10, "adj-3").await.unwrap().status(), 409);
    let m = s.signed_in("adjust@patron.test", "patron-member-pw").await;
    let res = m
        .post(s.url("/api/v1/redemptions"))
        .header("Idempotency-Key", "r-1")
        .json(&json!({"reward_id": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    // The audit log cannot be rewritten, even from SQL.
    let p = pool(&s).await;
    assert!(db::query("UPDATE audit_log SET actor_name = 'x'")
        .execute(&p)
        .await
        .is_err());
    assert!(db::query("DELETE FROM audit_log")
        .execute(&p)
        .await
        .is_err());
}

#[tokio::test]
async fn pool_codes_archiving_and_cancelled_redemptions_refund() {
    let s = start(5, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let id = add_member_with_points(&s, "redeemer@patron.test", "patron-member-pw", 2_000).await;
    let reward = json!({"name": "Cinema ticket", "description": "Any film", "reward_type": "custom", "value": null,
        "cost_points": 500, "stock": null, "per_member_limit": null, "visible_from": null, "visible_until": null,
        "valid_from": null, "valid_until": null, "min_tier_id": null, "segment_id": null,
        "code_source": "pool", "new_codes": ["CIN-AAA", "CIN-BBB"], "image_url": null});
    let (st, r) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/rewards",
        Some(&reward),
    )
    .await;
    assert_eq!(st, 201, "{r}");
    assert_eq!(r["codes_left"], 2);
    let rid = r["id"].as_i64().unwrap();
    let m = s
        .signed_in("redeemer@patron.test", "patron-member-pw")
        .await;
    let redeem = |k: &'static str| {
        m.post(s.url("/api/v1/redemptions"))
            .header("Idempotency-Key", k)
            .json(&json!({"reward_id": rid}))
            .send()
    };
    let a: Value = redeem("a").await.unwrap().json().await.unwrap();
    assert_eq!(a["redemption"]["code"], "CIN-AAA");
    let b: Value = redeem("b").await.unwrap().json().await.unwrap();
    assert_eq!(b["redemption"]["code"], "CIN-BBB");
    let res = redeem("c").await.unwrap();
    assert_eq!(res.status(), 409, "the pool is empty");
    // Cancel one: the points come back by a new entry.
    let red = b["redemption"]["id"].as_i64().unwrap();
    let (st, _) = call(
        &admin,
        &s,
        Method::PATCH,
        &format!("/api/v1/admin/redemptions/{red}"),
        Some(&json!({"status": "cancelled"})),
    )
    .await;
    assert_eq!(st, 204);
    let (st, _) = call(
        &admin,
        &s,
        Method::PATCH,
        &format!("/api/v1/admin/redemptions/{red}"),
        Some(&json!({"status": "used"})),
    )
    .await;
    assert_eq!(st, 409, "a cancelled voucher stays cancelled");
    let summary = get(&admin, &s, &format!("/api/v1/members/{id}/summary")).await;
    assert_eq!(summary["balance"]["available"], 1_500);
    let listed = get(
        &admin,
        &s,
        &format!("/api/v1/admin/redemptions?reward={rid}"),
    )
    .await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    // Archived rewards leave the members' catalogue.
    let mut archived = reward.clone();
    archived["archived"] = json!(true);
    archived["new_codes"] = json!([]);
    let (st, _) = call(
        &admin,
        &s,
        Method::PUT,
        &format!("/api/v1/admin/rewards/{rid}"),
        Some(&archived),
    )
    .await;
    assert_eq!(st, 200);
    let catalogue = get(&m, &s, "/api/v1/rewards").await;
    assert!(catalogue["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["id"] != rid));
    // Bad drafts name their fields.
    let mut bad = reward.clone();
    bad["reward_type"] = json!("discount_percent");
    bad["value"] = json!(150);
    bad["cost_points"] = json!(0);
    let (st, v) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/rewards",
        Some(&bad),
    )
    .await;
    assert_eq!(st, 422);
    assert!(
        v["error"]["fields"]["value"].is_string()
            && v["error"]["fields"]["cost_points"].is_string()
    );
}

#[tokio::test]
async fn staff_accounts_sign_in_and_deactivation_ends_their_sessions() {
    let s = start(5, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let (st, acct) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/staff",
        Some(&json!({"email": "lin@patron.test",
        "name": "Lin Agent", "role": "support", "password": "lin-password-1"})),
    )
    .await;
    assert_eq!(st, 201, "{acct}");
    let (st, _) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/staff",
        Some(&json!({"email": "LIN@patron.test",
        "name": "Lin Again", "role": "support", "password": "lin-password-1"})),
    )
    .await;
    assert_eq!(st, 409);
    let lin = s.signed_in("lin@patron.test", "lin-password-1").await;
    assert_eq!(
        lin.get(s.url("/api/v1/support/queue"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let (st, _) = call(
        &admin,
        &s,
        Method::PUT,
        &format!("/api/v1/admin/staff/{}/active", acct["id"]),
        Some(&json!({"active": false})),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(
        lin.get(s.url("/api/v1/support/queue"))
            .send()
            .await
            .unwrap()
            .status(),
        401,
        "session ended"
    );
    let res = s
        .client()
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"email": "lin@patron.test", "password": "lin-password-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // The last admin stays.
    let me = get(&admin, &s, "/api/v1/auth/me").await;
    let (st, v) = call(
        &admin,
        &s,
        Method::PUT,
        &format!("/api/v1/admin/staff/{}/active", me["user_id"]),
        Some(&json!({"active": false})),
    )
    .await;
    assert_eq!(st, 409, "{v}");
    let list = get(&admin, &s, "/api/v1/admin/staff").await;
    assert!(list["permissions"].as_array().unwrap().len() >= 5);
}

#[tokio::test]
async fn settings_validate_every_field_and_the_member_table_filters() {
    let s = start(400, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let mut bad = get(&admin, &s, "/api/v1/admin/programme").await;
    bad["currency"] = json!("yuan");
    bad["time_zone"] = json!("Mars/Olympus");
    bad["pending_days"] = json!(-3);
    let (st, v) = call(
        &admin,
        &s,
        Method::PUT,
        "/api/v1/admin/programme",
        Some(&bad),
    )
    .await;
    assert_eq!(st, 422);
    for f in ["currency", "time_zone", "pending_days"] {
        assert!(v["error"]["fields"][f].is_string(), "{f}: {v}");
    }
    let mut good = get(&admin, &s, "/api/v1/admin/programme").await;
    good["expiry"] = json!({"kind": "end_of_next_year"});
    good["pending_days"] = json!(7);
    let (st, saved) = call(
        &admin,
        &s,
        Method::PUT,
        "/api/v1/admin/programme",
        Some(&good),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(saved["expiry"]["kind"], "end_of_next_year");

    // The table's filters agree with SQL.
    let p = pool(&s).await;
    let gold: i64 = db::query_scalar("SELECT COUNT(*) FROM members WHERE tier_id = 3")
        .fetch_one(&p)
        .await
        .unwrap();
    let page = get(
        &admin,
        &s,
        "/api/v1/admin/members?tier=3&sort=joined_newest",
    )
    .await;
    assert_eq!(page["total"], gold);
    let joined: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["joined_at"].as_str().unwrap())
        .collect();
    assert!(joined.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let east: i64 = db::query_scalar("SELECT COUNT(*) FROM members WHERE region = 'East'")
        .fetch_one(&p)
        .await
        .unwrap();
    assert_eq!(
        get(&admin, &s, "/api/v1/admin/members?region=East").await["total"],
        east
    );
    let name: String = db::query_scalar("SELECT name FROM members WHERE id = 37")
        .fetch_one(&p)
        .await
        .unwrap();
    let found = get(
        &admin,
        &s,
        &format!(
            "/api/v1/admin/members?q={}",
            name.split(' ').next_back().unwrap()
        ),
    )
    .await;
    assert!(found["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == 37));
    let card: String = db::query_scalar("SELECT card_number FROM members WHERE id = 37")
        .fetch_one(&p)
        .await
        .unwrap();
    let by_card = get(&admin, &s, &format!("/api/v1/admin/members?q={card}")).await;
    assert_eq!(by_card["total"], 1);
    // Email prefixes as stored (most are lower case) and card prefixes use the index.
    let mixed = add_member_with_points(&s, "Mixed.Case@Patron.test", "patron-member-pw", 0).await;
    for q in ["Mixed.Case%40Pat", "member%40patron.test"] {
        let found = get(&admin, &s, &format!("/api/v1/admin/members?q={q}")).await;
        assert_eq!(found["total"], 1, "{q}: {found}");
    }
    let found = get(&admin, &s, "/api/v1/admin/members?q=Mixed.Case%40Pat").await;
    assert_eq!(found["items"][0]["id"], mixed);
    let (st, v) = call(
        &admin,
        &s,
        Method::GET,
        "/api/v1/admin/members?sort=age",
        None,
    )
    .await;
    assert_eq!(st, 422);
    assert!(v["error"]["fields"]["sort"].is_string());
    let second = get(&admin, &s, "/api/v1/admin/members?offset=100").await;
    assert_eq!(second["items"].as_array().unwrap().len(), 100);
    assert_ne!(
        second["items"][0]["id"],
        get(&admin, &s, "/api/v1/admin/members").await["items"][0]["id"]
    );
}

#[tokio::test]
async fn a_return_after_a_cancelled_voucher_still_takes_the_points_back_and_bonuses_are_paid_once()
{
    let s = start(5, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    // Points spendable at once, so the order's own lot can be spent.
    let mut settings = get(&admin, &s, "/api/v1/admin/programme").await;
    settings["pending_days"] = json!(0);
    call(
        &admin,
        &s,
        Method::PUT,
        "/api/v1/admin/programme",
        Some(&settings),
    )
    .await;
    let id = add_member_with_points(&s, "twice@patron.test", "patron-member-pw", 0).await;
    // Two orders at once: one welcome bonus between them.
    let post = |order: &'static str| {
        admin
            .post(s.url("/api/v1/transactions"))
            .json(&json!({"member_id": id, "order_ref": order, "lines": [{"category": "home", "amount_minor": 150_000}]}))
            .send()
    };
    let (a, b) = tokio::join!(post("TWIN-1"), post("TWIN-2"));
    let (a, b): (Value, Value) = (
        a.unwrap().json().await.unwrap(),
        b.unwrap().json().await.unwrap(),
    );
    assert_eq!(
        a["points"].as_i64().unwrap() + b["points"].as_i64().unwrap(),
        1_500 + 1_500 + 100,
        "{a} {b}"
    );
    let p = pool(&s).await;
    let welcome: i64 = db::query_scalar(
        "SELECT COUNT(*) FROM ledger_entries WHERE member_id = ? AND reason LIKE 'Welcome bonus%'",
    )
    .bind(id)
    .fetch_one(&p)
    .await
    .unwrap();
    assert_eq!(welcome, 1);
    // Spend 1,000 (from the soonest-expiring lots), cancel the voucher (refund), return all of TWIN-1.
    let reward = json!({"name": "Umbrella", "description": "", "reward_type": "gift", "value": null,
        "cost_points": 3_000, "stock": null, "per_member_limit": null, "visible_from": null, "visible_until": null,
        "valid_from": null, "valid_until": null, "min_tier_id": null, "segment_id": null,
        "code_source": "generated", "new_codes": [], "image_url": null});
    let (_, r) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/rewards",
        Some(&reward),
    )
    .await;
    let m = s.signed_in("twice@patron.test", "patron-member-pw").await;
    let red: Value = m
        .post(s.url("/api/v1/redemptions"))
        .header("Idempotency-Key", "u-1")
        .json(&json!({"reward_id": r["id"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (st, _) = call(
        &admin,
        &s,
        Method::PATCH,
        &format!("/api/v1/admin/redemptions/{}", red["redemption"]["id"]),
        Some(&json!({"status": "cancelled"})),
    )
    .await;
    assert_eq!(st, 204);
    let res = admin
        .post(s.url("/api/v1/transactions/TWIN-1/returns"))
        .header("Idempotency-Key", "ret")
        .json(&json!({"amount_minor": 150_000}))
        .send()
        .await
        .unwrap();
    let ret: Value = res.json().await.unwrap();
    assert_eq!(
        ret["points_reversed"], 1_500,
        "the returned order's points all come back: {ret}"
    );
    let balance: i64 = db::query_scalar(
        "SELECT CAST(SUM(points) AS BIGINT) FROM ledger_entries WHERE member_id = ?",
    )
    .bind(id)
    .fetch_one(&p)
    .await
    .unwrap();
    assert_eq!(balance, 1_500 + 100, "TWIN-2 and the welcome bonus remain");
    // Every negative entry is covered by lots, none overdrawn.
    let over: i64 = db::query_scalar(
        "SELECT COUNT(*) FROM ledger_entries l WHERE l.member_id = ? AND l.points > 0
           AND (SELECT COALESCE(CAST(SUM(a.points) AS BIGINT), 0) FROM lot_allocations a WHERE a.lot_id = l.id) > l.points",
    ).bind(id).fetch_one(&p).await.unwrap();
    assert_eq!(over, 0);
}

#[tokio::test]
async fn returns_count_against_the_purchase_date_and_keys_die_with_their_maker() {
    let s = start(5, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let id = member_with_earnings(&s, "old-order@patron.test", &[(30, 2_500)]).await;
    // An order from 14 months ago (outside the 12-month window) comes back today.
    let p = pool(&s).await;
    let at = chrono::Utc::now().timestamp() - 425 * DAY;
    let pid: i64 = db::query_scalar("INSERT INTO purchases (member_id, order_ref, amount_minor, category, purchased_at) VALUES (?, 'OLD-1', 100000, 'home', ?) RETURNING id")
        .bind(id).bind(at).fetch_one(&p).await.unwrap();
    db::query("INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, purchase_id, reason) VALUES (?, 'earn', 1000, ?, ?, NULL, ?, 'Order OLD-1')")
        .bind(id).bind(at).bind(at).bind(pid).execute(&p).await.unwrap();
    let res = admin
        .post(s.url("/api/v1/transactions/OLD-1/returns"))
        .header("Idempotency-Key", "old")
        .json(&json!({"amount_minor": 100_000}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let summary = get(&admin, &s, &format!("/api/v1/members/{id}/summary")).await;
    assert_eq!(
        summary["tier"]["qualifying"], 2_500,
        "the old order's return does not eat this year's credit"
    );

    // A second admin makes a key, then loses their account: the key stops working.
    call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/staff",
        Some(&json!({"email": "ops@patron.test", "name": "Ops Admin",
        "role": "admin", "password": "ops-password-1"})),
    )
    .await;
    let ops = s.signed_in("ops@patron.test", "ops-password-1").await;
    let (_, key) = call(
        &ops,
        &s,
        Method::POST,
        "/api/v1/admin/api-keys",
        Some(&json!({"name": "Pop-up shop"})),
    )
    .await;
    let secret = key["key"].as_str().unwrap().to_string();
    let till = reqwest::Client::new();
    let send = |order: &'static str| {
        till.post(s.url("/api/v1/transactions")).bearer_auth(&secret)
        .json(&json!({"member_id": id, "order_ref": order, "lines": [{"category": "home", "amount_minor": 1_000}]})).send()
    };
    assert_eq!(send("POP-1").await.unwrap().status(), 201);
    let me = get(&ops, &s, "/api/v1/auth/me").await;
    call(
        &admin,
        &s,
        Method::PUT,
        &format!("/api/v1/admin/staff/{}/active", me["user_id"]),
        Some(&json!({"active": false})),
    )
    .await;
    assert_eq!(send("POP-2").await.unwrap().status(), 401);
}

#[tokio::test]
async fn the_referral_rule_sets_what_friend_and_referrer_get_at_the_first_purchase() {
    let s = start(5, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let rules = get(&admin, &s, "/api/v1/admin/earning-rules").await;
    let id = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"]["kind"] == "referral")
        .unwrap()["id"]
        .clone();
    let (st, v) = call(
        &admin,
        &s,
        Method::PUT,
        &format!("/api/v1/admin/earning-rules/{id}"),
        Some(&json!({"name": "Referral bonus",
        "rule": {"kind": "referral", "friend_points": 200, "referrer_points": 800}, "priority": 32,
        "stop_further": false, "active": true, "starts_at": null, "ends_at": null})),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let overview = get(&member, &s, "/api/v1/me/referrals").await;
    assert_eq!(
        overview["bonus_points"], 800,
        "members are told what they get"
    );
    let friend = s.client();
    let res = friend
        .post(s.url("/api/v1/auth/register"))
        .json(&json!({"name": "Gao Lan", "email": "gao@patron.test",
        "password": "gao-password-1", "referral_code": overview["code"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let me: Value = res.json().await.unwrap();
    let mine = get(&friend, &s, "/api/v1/me/summary").await;
    assert_eq!(mine["balance"]["balance"], 0, "nothing before a purchase");
    let (st, v) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/transactions",
        Some(&json!({"member_id": me["member_id"], "order_ref": "GAO-1",
            "lines": [{"category": "home", "amount_minor": 2_000}]})),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    // The basket and sign-up points are pending for the return period; the
    // referral bonus is spendable at once.
    let mine = get(&friend, &s, "/api/v1/me/summary").await;
    assert_eq!(mine["balance"]["available"], 200);
    let after = get(&member, &s, "/api/v1/me/referrals").await;
    assert_eq!(after["points_earned"], 800);
}
