//! Rewards catalogue, redemption with idempotency keys, concurrency, wallet.

mod common;
use patron_server::store::db;

use common::{add_member_with_points, start, MEMBER, SUPPORT};
use serde_json::{json, Value};

const VOUCHER: i64 = 1; // "¥10 voucher": 1,000 points, unlimited stock, no limit

async fn redeem(c: &reqwest::Client, url: &str, key: Option<&str>, reward: i64) -> (u16, Value) {
    let mut req = c.post(url).json(&json!({ "reward_id": reward }));
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn spend_entries(pool: &db::Pool, member: i64) -> i64 {
    db::query_scalar("SELECT COUNT(*) FROM ledger_entries WHERE member_id = ? AND kind = 'spend'")
        .bind(member)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn catalogue_says_what_is_locked_and_how_many_points_are_missing() {
    let s = start(10, None).await;
    add_member_with_points(&s, "poor@patron.test", "pw-poor-1", 700).await;
    let c = s.signed_in("poor@patron.test", "pw-poor-1").await;
    let list: Value = c
        .get(s.url("/api/v1/rewards"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["available_points"], 700);
    let items = list["items"].as_array().unwrap();
    let by_name = |n: &str| items.iter().find(|r| r["name"] == n).unwrap().clone();
    let delivery = by_name("Free delivery");
    assert_eq!(delivery["availability"], "available");
    let voucher = by_name("¥10 voucher");
    assert_eq!(voucher["availability"], "unaffordable");
    assert_eq!(voucher["missing_points"], 300);
    let cinema = by_name("Cinema tickets");
    assert_eq!(cinema["availability"], "tier_locked");
    assert_eq!(cinema["min_tier"]["name"], "Silver");
    // Sorted by cost; filters and sort work on the server.
    let costs: Vec<i64> = items
        .iter()
        .map(|r| r["cost_points"].as_i64().unwrap())
        .collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]));
    let affordable: Value = c
        .get(s.url("/api/v1/rewards?affordable=true"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(affordable["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["availability"] == "available"));
    let gifts: Value = c
        .get(s.url("/api/v1/rewards?category=gift&sort=cost_desc"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let g = gifts["items"].as_array().unwrap();
    assert!(!g.is_empty() && g.iter().all(|r| r["category"] == "gift"));
    assert!(g
        .windows(2)
        .all(|w| w[0]["cost_points"].as_i64() >= w[1]["cost_points"].as_i64()));
    let bad = c
        .get(s.url("/api/v1/rewards?sort=sideways"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    // Staff have no points to spend.
    let sup = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    assert_eq!(
        sup.get(s.url("/api/v1/rewards"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

#[tokio::test]
async fn redeeming_needs_a_key_and_a_retry_with_it_changes_nothing() {
    let s = start(5, None).await;
    let m = add_member_with_points(&s, "r1@patron.test", "pw-r1-123", 2_500).await;
    let c = s.signed_in("r1@patron.test", "pw-r1-123").await;
    let url = s.url("/api/v1/redemptions");

    let (status, body) = redeem(&c, &url, None, VOUCHER).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "bad_request");
    assert_eq!(spend_entries(s.pool(), m).await, 0);

    let (status, first) = redeem(&c, &url, Some("intent-1"), VOUCHER).await;
    assert_eq!(status, 201);
    assert_eq!(first["available_after"], 1_500);
    assert!(first["redemption"]["code"]
        .as_str()
        .unwrap()
        .starts_with("LR-"));
    let (status, again) = redeem(&c, &url, Some("intent-1"), VOUCHER).await;
    assert_eq!(status, 201);
    assert_eq!(again, first, "the same key answers the original result");
    assert_eq!(spend_entries(s.pool(), m).await, 1);

    let (status, body) = redeem(&c, &url, Some("intent-1"), 3).await;
    assert_eq!(status, 422, "same key, different body");
    assert_eq!(body["error"]["code"], "validation");

    // A second intent spends again; a third is refused (500 left) and the
    // refusal is what that key answers from then on.
    assert_eq!(redeem(&c, &url, Some("intent-2"), VOUCHER).await.0, 201);
    let (status, body) = redeem(&c, &url, Some("intent-3"), VOUCHER).await;
    assert_eq!(status, 409);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("500 points"));
    assert_eq!(redeem(&c, &url, Some("intent-3"), VOUCHER).await.0, 409);
    assert_eq!(spend_entries(s.pool(), m).await, 2);

    // The wallet shows both vouchers; the summary the balance after.
    let wallet: Value = c
        .get(s.url("/api/v1/me/redemptions"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = wallet["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items
        .iter()
        .all(|r| r["status"] == "issued" && r["points"] == 1_000));
    let sum: Value = c
        .get(s.url("/api/v1/me/summary"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sum["balance"]["available"], 500);
    assert_eq!(sum["balance"]["spent"], 2_000);
}

#[tokio::test]
async fn limits_stock_and_tiers_are_enforced_on_the_server() {
    let s = start(5, None).await;
    add_member_with_points(&s, "r2@patron.test", "pw-r2-123", 50_000).await;
    let c = s.signed_in("r2@patron.test", "pw-r2-123").await;
    let url = s.url("/api/v1/redemptions");
    // Tea gift set: one per member.
    assert_eq!(redeem(&c, &url, Some("tea-1"), 4).await.0, 201);
    let (status, body) = redeem(&c, &url, Some("tea-2"), 4).await;
    assert_eq!(status, 409);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("as often as allowed"));
    // Cinema tickets need Silver; a test member with a fresh lot is Jade.
    assert_eq!(redeem(&c, &url, Some("cinema"), 5).await.0, 403);
    // Unknown reward.
    assert_eq!(redeem(&c, &url, Some("ghost"), 999).await.0, 404);
    // Out of stock.
    let pool = s.pool().clone();
    db::query("UPDATE rewards SET stock = 0 WHERE id = 6")
        .execute(&pool)
        .await
        .unwrap();
    let (status, body) = redeem(&c, &url, Some("cake"), 6).await;
    assert_eq!(status, 409);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("out of stock"));
    // Blocked members cannot spend.
    db::query("UPDATE members SET status = 'blocked' WHERE email = 'r2@patron.test'")
        .execute(&pool)
        .await
        .unwrap();
    let (status, body) = redeem(&c, &url, Some("blocked"), VOUCHER).await;
    assert_eq!(status, 409);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("on hold"));
}

#[tokio::test]
async fn thirty_two_concurrent_redemptions_never_overdraw() {
    let s = start(5, None).await;
    const K: i64 = 5;
    let m = add_member_with_points(&s, "race@patron.test", "pw-race-1", K * 1_000).await;
    let c = s.signed_in("race@patron.test", "pw-race-1").await;
    let url = s.url("/api/v1/redemptions");
    let mut tasks = Vec::new();
    for i in 0..32 {
        let c = c.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            redeem(&c, &url, Some(&format!("race-{i}")), VOUCHER)
                .await
                .0
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let ok = statuses.iter().filter(|s| **s == 201).count() as i64;
    let conflict = statuses.iter().filter(|s| **s == 409).count() as i64;
    assert_eq!(ok, K, "{statuses:?}");
    assert_eq!(conflict, 32 - K, "{statuses:?}");
    assert_eq!(spend_entries(s.pool(), m).await, K);
    let sum: Value = c
        .get(s.url("/api/v1/me/summary"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sum["balance"]["available"], 0);
    assert_eq!(sum["balance"]["balance"], 0);
}

#[tokio::test]
async fn the_same_key_fired_concurrently_spends_once() {
    let s = start(5, None).await;
    let m = add_member_with_points(&s, "dup@patron.test", "pw-dup-12", 10_000).await;
    let c = s.signed_in("dup@patron.test", "pw-dup-12").await;
    let url = s.url("/api/v1/redemptions");
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let c = c.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            redeem(&c, &url, Some("same-intent"), VOUCHER).await
        }));
    }
    let mut codes = std::collections::BTreeSet::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert!(status == 201 || status == 409, "status {status}");
        if status == 201 {
            codes.insert(body["redemption"]["code"].as_str().unwrap().to_string());
        } else {
            assert!(body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("still being processed"));
        }
    }
    assert_eq!(codes.len(), 1, "every success is the same redemption");
    assert_eq!(spend_entries(s.pool(), m).await, 1);
}

#[tokio::test]
async fn the_demo_member_sees_tiers_side_by_side() {
    let s = start(5, None).await;
    let c = s.signed_in(MEMBER.0, MEMBER.1).await;
    let t: Value = c
        .get(s.url("/api/v1/tiers"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tiers = t["tiers"].as_array().unwrap();
    assert_eq!(tiers.len(), 4);
    let thresholds: Vec<i64> = tiers
        .iter()
        .map(|x| x["tier"]["threshold"].as_i64().unwrap())
        .collect();
    assert!(thresholds.windows(2).all(|w| w[0] < w[1]));
    assert!(tiers
        .iter()
        .all(|x| !x["perks"].as_array().unwrap().is_empty()));
    assert_eq!(t["window"]["kind"], "rolling_months");
}
