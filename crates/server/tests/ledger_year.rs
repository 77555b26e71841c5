//! A simulated year on a real server: the test moves the server's clock a
//! day at a time through purchases, returns, redemptions, adjustments and
//! the scheduler's checks (expiry, then tier recalculation, then scores),
//! and after every day checks what a member, an admin and an accountant
//! would: each member's ledger sums to the balance the API shows
//! (available + pending), the KPI dashboard's expired points equal the
//! `expire` entries of the period, and no lot is expired twice or overdrawn.

mod common;
use patron_server::store::db;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::{add_member_with_points, start_on, TestServer, ADMIN};
use patron_server::clock::Clock;
use reqwest::Client;
use serde_json::{json, Value};

/// A small deterministic generator (the year is the same on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

async fn pool(s: &TestServer) -> db::Pool {
    s.pool().clone()
}

async fn post(c: &Client, s: &TestServer, path: &str, key: &str, body: Value) -> (u16, Value) {
    let res = c
        .post(s.url(path))
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let st = res.status().as_u16();
    (st, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_year_of_days_keeps_every_ledger_equal_to_the_balance_shown() {
    let start = {
        let now = Utc::now().timestamp();
        Utc.timestamp_opt(now - now % 3_600, 0).unwrap()
    };
    let clock = Clock::fixed(start);
    let s = start_on(12, 0, None, clock.clone()).await;
    let mut admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let p = pool(&s).await;

    // Points live two months and are pending for three days; tiers are
    // recalculated nightly.
    let mut settings = s.get_json(&admin, "/api/v1/admin/programme").await;
    settings["expiry"] = json!({"kind": "months_after_earning", "months": 2});
    settings["pending_days"] = json!(3);
    let res = admin
        .put(s.url("/api/v1/admin/programme"))
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut tiers = s.get_json(&admin, "/api/v1/admin/tiers").await["plan"].clone();
    tiers["policy"]["recalculation"] = json!({"kind": "nightly"});
    let res = admin
        .put(s.url("/api/v1/admin/tiers"))
        .json(&tiers)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // Three members who redeem, besides the seeded ones.
    let mut spenders = Vec::new();
    for i in 0..3 {
        let email = format!("year{i}@patron.test");
        let id = add_member_with_points(&s, &email, "year-pw-123", 800).await;
        spenders.push((id, email));
    }
    let members: Vec<i64> = db::query_scalar("SELECT id FROM members ORDER BY id")
        .fetch_all(&p)
        .await
        .unwrap();
    let tz: chrono_tz::Tz = settings["time_zone"].as_str().unwrap().parse().unwrap();

    let mut rng = Lcg(20_261_204);
    let mut orders: Vec<String> = Vec::new();
    let mut signed_in_at = 0;
    let mut expired_total = 0i64;
    // The programme's local dates the scheduler checked on: two checks can
    // fall on one local date when the programme's midnight falls inside
    // the test's ten-hour window of the day (it depends on the hour the test
    // starts at).
    let mut ticked_days = std::collections::BTreeSet::new();
    for day in 1..=365i64 {
        // Not always at the same hour: lots lapse at every time of day.
        clock.set(start + Duration::days(day) + Duration::minutes(rng.below(600) as i64));
        if day - signed_in_at >= 10 {
            admin = s.signed_in(ADMIN.0, ADMIN.1).await;
            signed_in_at = day;
        }
        for &m in &members {
            if rng.chance(25) {
                let order = format!("Y-{day}-{m}");
                let amount = 1_000 + rng.below(40_000) as i64;
                let (st, body) = post(
                    &admin,
                    &s,
                    "/api/v1/transactions",
                    &order,
                    json!({"member_id": m, "order_ref": order,
                        "lines": [{"category": "grocery", "amount_minor": amount}]}),
                )
                .await;
                assert!(st == 201 || st == 409, "day {day}: {st} {body}");
                if st == 201 {
                    orders.push(order);
                }
            }
            if rng.chance(4) {
                let points = if rng.chance(50) { 40 } else { -25 };
                let (st, body) = post(
                    &admin,
                    &s,
                    &format!("/api/v1/admin/members/{m}/adjustments"),
                    &format!("adj-{day}-{m}"),
                    json!({"points": points, "reason": "Year test"}),
                )
                .await;
                assert!(st == 201 || st == 409, "day {day}: {st} {body}");
            }
        }
        if !orders.is_empty() && rng.chance(20) {
            let order = orders[rng.below(orders.len() as u64) as usize].clone();
            let (st, body) = post(
                &admin,
                &s,
                &format!("/api/v1/transactions/{order}/returns"),
                &format!("ret-{day}"),
                json!({"amount_minor": 500}),
            )
            .await;
            assert!(
                st == 201 || st == 409 || st == 422,
                "day {day}: {st} {body}"
            );
        }
        for (id, email) in &spenders {
            if rng.chance(8) {
                let c = s.signed_in(email, "year-pw-123").await;
                let reward = 1 + rng.below(3) as i64;
                let (st, body) = post(
                    &c,
                    &s,
                    "/api/v1/redemptions",
                    &format!("redeem-{day}-{id}"),
                    json!({"reward_id": reward}),
                )
                .await;
                assert!(
                    st == 201 || st == 409 || st == 422,
                    "day {day}: {st} {body}"
                );
            }
        }

        // The scheduler's check, as it runs every few minutes.
        patron_server::jobs::tick(&s.store).await;
        ticked_days.insert(clock.now().with_timezone(&tz).date_naive());

        for &m in &members {
            let sum: i64 = db::query_scalar(
                "SELECT COALESCE(CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries WHERE member_id = ?",
            )
            .bind(m)
            .fetch_one(&p)
            .await
            .unwrap();
            let shown = s
                .get_json(&admin, &format!("/api/v1/members/{m}/summary"))
                .await;
            let b = &shown["balance"];
            assert_eq!(b["balance"], sum, "day {day}, member {m}: {shown}");
            assert_eq!(
                b["available"].as_i64().unwrap() + b["pending"].as_i64().unwrap(),
                sum,
                "day {day}, member {m}: {shown}"
            );
        }
        let twice: i64 = db::query_scalar(
            "SELECT COUNT(*) FROM (SELECT ref_entry_id FROM ledger_entries WHERE kind = 'expire'
             GROUP BY ref_entry_id HAVING COUNT(*) > 1) x",
        )
        .fetch_one(&p)
        .await
        .unwrap();
        assert_eq!(twice, 0, "day {day}: a lot expired twice");
        let overdrawn: i64 = db::query_scalar(
            "SELECT COUNT(*) FROM ledger_entries e WHERE e.points > 0
               AND (SELECT COALESCE(CAST(SUM(a.points) AS BIGINT), 0) FROM lot_allocations a WHERE a.lot_id = e.id) > e.points",
        )
        .fetch_one(&p)
        .await
        .unwrap();
        assert_eq!(overdrawn, 0, "day {day}: a lot gave more than it held");
        // Everything past its date has gone.
        let lapsed_left: i64 = db::query_scalar(
            "SELECT COUNT(*) FROM ledger_entries e WHERE e.points > 0 AND e.expires_at <= ?
               AND e.points > (SELECT COALESCE(CAST(SUM(a.points) AS BIGINT), 0) FROM lot_allocations a WHERE a.lot_id = e.id)",
        )
        .bind(clock.now().timestamp())
        .fetch_one(&p)
        .await
        .unwrap();
        assert_eq!(
            lapsed_left, 0,
            "day {day}: lapsed points left after the check"
        );

        // Every 30 days, the month's expired points as the dashboard counts
        // them, against the ledger.
        if day % 30 == 0 {
            let today = clock.now().with_timezone(&tz).date_naive();
            let from = today - chrono::Days::new(29);
            let kpis = s
                .get_json(
                    &admin,
                    &format!("/api/v1/analytics/kpis?from={from}&to={today}"),
                )
                .await;
            let shown = kpis["kpis"]
                .as_array()
                .unwrap()
                .iter()
                .find(|k| k["key"] == "points_expired")
                .unwrap()["value"]
                .as_f64()
                .unwrap() as i64;
            let bound = |d: NaiveDate| {
                d.and_hms_opt(0, 0, 0)
                    .unwrap()
                    .and_local_timezone(tz)
                    .unwrap()
                    .timestamp()
            };
            let in_ledger: i64 = db::query_scalar(
                "SELECT COALESCE(-CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries
                 WHERE kind = 'expire' AND created_at >= ? AND created_at < ?",
            )
            .bind(bound(from))
            .bind(bound(today + chrono::Days::new(1)))
            .fetch_one(&p)
            .await
            .unwrap();
            assert_eq!(shown, in_ledger, "day {day}: {from}..{today}");
            expired_total += in_ledger;
        }
    }

    // The year did what it was meant to exercise.
    assert!(expired_total > 0, "points expired during the year");
    let runs: Vec<(String, i64)> = db::query_as("SELECT status, lots FROM expiry_runs ORDER BY id")
        .fetch_all(&p)
        .await
        .unwrap();
    assert!(runs.iter().all(|r| r.0 == "succeeded"), "{runs:?}");
    assert!(runs.iter().filter(|r| r.1 > 0).count() > 20, "{runs:?}");
    // Tier recalculation ran once on every local date the scheduler checked
    // on, after that night's expiry (the order of `jobs::tick`).
    let nightly: i64 = db::query_scalar("SELECT COUNT(*) FROM tier_runs WHERE trigger = 'nightly'")
        .fetch_one(&p)
        .await
        .unwrap();
    assert!(ticked_days.len() > 250, "{} local dates", ticked_days.len());
    assert_eq!(
        nightly,
        ticked_days.len() as i64,
        "one nightly tier run per local date"
    );
    let spent: i64 = db::query_scalar("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'spend'")
        .fetch_one(&p)
        .await
        .unwrap();
    assert!(spent > 0, "members redeemed during the year");
}
