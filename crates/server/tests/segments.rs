//! Segments, stored RFM / churn scores, the at-risk list, trends and KPI
//! targets: known answers on hand-built members, agreement with direct SQL
//! on seeded data, CSV exports, validation and who may do what.

mod common;
use patron_server::store::db;

use common::{start, TestServer, ADMIN, MEMBER, SUPPORT};
use reqwest::StatusCode;
use serde_json::{json, Value};

const DAY: i64 = 86_400;

async fn post(c: &reqwest::Client, s: &TestServer, path: &str, body: Value) -> (StatusCode, Value) {
    let r = c.post(s.url(path)).json(&body).send().await.unwrap();
    let st = r.status();
    (st, r.json().await.unwrap_or(Value::Null))
}

async fn get(c: &reqwest::Client, s: &TestServer, path: &str) -> (StatusCode, Value) {
    let r = c.get(s.url(path)).send().await.unwrap();
    let st = r.status();
    (st, r.json().await.unwrap_or(Value::Null))
}

async fn count(c: &reqwest::Client, s: &TestServer, def: Value) -> i64 {
    let (st, v) = post(
        c,
        s,
        "/api/v1/analytics/segments/count",
        json!({ "definition": def }),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    v["count"].as_i64().unwrap()
}

fn one(c: Value) -> Value {
    json!({ "join": "all", "groups": [{ "join": "all", "conditions": [c] }] })
}

async fn scalar(pool: &db::Pool, sql: &str) -> i64 {
    db::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn scores_give_known_answers_and_explain_the_risk() {
    let s = start(3, None).await;
    let pool = s.pool().clone();
    let now = chrono::Utc::now().timestamp();
    // 9001 bought every 21 days, the last 94 days ago, and has an open
    // complaint; 9002 buys every 10 days and bought 2 days ago.
    for id in [9001, 9002] {
        db::query(&format!("INSERT INTO members (id, card_number, name, email, region, city, age_band, gender, occupation, education, joined_at, status, tier_id)
             VALUES ({id}, 'S{id}', 'Scored {id}', 's{id}@x.test', 'East', 'Shanghai', '25-34', 'female', 'office', 'bachelor', {}, 'active', 1)", now - 900 * DAY))
            .execute(&pool).await.unwrap();
    }
    let mut n = 0;
    for k in 0..8 {
        n += 1;
        let t = now - (94 + 21 * k) * DAY;
        db::query(&format!("INSERT INTO purchases (member_id, order_ref, amount_minor, category, purchased_at) VALUES (9001, 'SC-{n}', 5000, 'home', {t})"))
            .execute(&pool).await.unwrap();
    }
    for k in 0..10 {
        n += 1;
        let t = now - (2 + 10 * k) * DAY;
        db::query(&format!("INSERT INTO purchases (member_id, order_ref, amount_minor, category, purchased_at) VALUES (9002, 'SC-{n}', 20000, 'beauty', {t})"))
            .execute(&pool).await.unwrap();
    }
    db::query(&format!(
        "INSERT INTO feedback (reference, member_id, kind, subject, status, created_at, updated_at)
         VALUES ('SC-FB-1', 9001, 'complaint', 'late', 'open', {now}, {now})"
    ))
    .execute(&pool)
    .await
    .unwrap();

    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let (st, run) = post(&admin, &s, "/api/v1/analytics/scores/refresh", json!({})).await;
    assert_eq!(st, StatusCode::OK, "{run}");
    assert_eq!(
        run["members"].as_i64().unwrap(),
        scalar(&pool, "SELECT COUNT(*) FROM members").await
    );

    let (_, m1) = get(&admin, &s, "/api/v1/admin/members/9001").await;
    let sc = &m1["scores"];
    // Overdue: (94 − 21) × 30 / 21 = 104 → 60; one open complaint: 10;
    // the last 90 days had no order against 5 in the 90 before: 15 + 10.
    assert_eq!(sc["churn_score"], 95, "{sc}");
    assert_eq!(sc["at_risk"], true);
    assert_eq!(sc["reasons"][0][0], 60);
    assert_eq!(
        sc["reasons"][0][1],
        json!({ "kind": "overdue", "days": 94, "usual_days": 21 })
    );
    let (_, m2) = get(&admin, &s, "/api/v1/admin/members/9002").await;
    assert_eq!(m2["scores"]["churn_score"], 0);
    assert_eq!(m2["scores"]["at_risk"], false);
    assert_eq!(m2["scores"]["frequency"], 10);
    assert_eq!(m2["scores"]["monetary_minor"], 200_000);
    // More recent, more frequent and bigger spender than 9001: never scored
    // lower, and the named segment is the grid's cell for its scores.
    let (a, b) = (&m1["scores"], &m2["scores"]);
    for part in ["r", "f", "m"] {
        assert!(b[part].as_i64() >= a[part].as_i64(), "{part}: {a} vs {b}");
    }
    assert!(b["r"].as_i64() > a["r"].as_i64());
    for sc in [a, b] {
        let (r, f, m) = (
            sc["r"].as_u64().unwrap() as u8,
            sc["f"].as_u64().unwrap() as u8,
            sc["m"].as_u64().unwrap() as u8,
        );
        let fm = ((f as f64 + m as f64) / 2.0).round() as u8;
        let seg = patron_core::analytics::RfmSegment::of(r, fm);
        assert_eq!(sc["segment"], serde_json::to_value(seg).unwrap());
    }
    // The at-risk list holds 9001 with its reasons in words in the CSV.
    let (_, page) = get(&admin, &s, "/api/v1/analytics/at-risk?limit=200").await;
    let ids: Vec<i64> = page["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&9001) && !ids.contains(&9002));
    assert_eq!(
        page["total"].as_i64().unwrap(),
        scalar(&pool, "SELECT COUNT(*) FROM member_scores WHERE at_risk").await
    );
    let scores: Vec<i64> = page["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["churn_score"].as_i64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "sorted by score, highest first"
    );
    let csv = admin
        .get(s.url("/api/v1/analytics/at-risk.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    let line = csv.lines().find(|l| l.starts_with("9001,")).unwrap();
    assert!(
        line.contains("no purchase for 94 days; usually every 21"),
        "{line}"
    );
    assert_eq!(
        csv.lines().count() as i64,
        page["total"].as_i64().unwrap() + 1
    );
    let (st, _) = get(&admin, &s, "/api/v1/analytics/at-risk?sort=shoe").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);

    // The RFM window is 30 to 1,095 days; the run records the one it used.
    for bad in [29, 1096] {
        let (st, e) = post(
            &admin,
            &s,
            "/api/v1/analytics/scores/refresh",
            json!({ "window_days": bad }),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            e["error"]["fields"]["window_days"],
            "The RFM window is 30 to 1,095 days."
        );
    }
    let (st, run) = post(
        &admin,
        &s,
        "/api/v1/analytics/scores/refresh",
        json!({ "window_days": 180 }),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(run["window_days"], 180);
    let (_, last) = get(&admin, &s, "/api/v1/analytics/scores").await;
    assert_eq!(last["window_days"], 180);
    let (_, run) = post(&admin, &s, "/api/v1/analytics/scores/refresh", json!({})).await;
    assert_eq!(run["window_days"], 180, "left out: the stored window");
}

#[tokio::test]
async fn segment_counts_agree_with_direct_sql_on_seeded_data() {
    let s = start(400, None).await;
    let pool = s.pool().clone();
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let (st, _) = post(
        &admin,
        &s,
        "/api/v1/analytics/scores/refresh",
        json!({ "window_days": 365 }),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let now = chrono::Utc::now().timestamp();
    let gold: i64 = scalar(&pool, "SELECT id FROM tiers ORDER BY rank DESC LIMIT 1").await;

    // at risk AND top tier
    let def = json!({ "join": "all", "groups": [{ "join": "all", "conditions": [
        { "field": "at_risk", "value": true }, { "field": "tier", "any_of": [gold] } ] }] });
    let sql = scalar(&pool, &format!("SELECT COUNT(*) FROM members m JOIN member_scores s ON s.member_id = m.id WHERE s.at_risk AND m.tier_id = {gold}")).await;
    assert_eq!(count(&admin, &s, def).await, sql);

    // At most 1 purchase in 180 days (members with none count too).
    let since = now - 180 * DAY;
    let sql = scalar(&pool, &format!("SELECT COUNT(*) FROM members m WHERE (SELECT COUNT(*) FROM purchases p WHERE p.member_id = m.id AND p.purchased_at >= {since}) <= 1")).await;
    let got = count(
        &admin,
        &s,
        one(json!({ "field": "frequency", "window_days": 180, "count": { "max": 1 } })),
    )
    .await;
    assert!((got - sql).abs() <= 1, "{got} vs {sql} (a second may pass)");

    // Spend of at least 500.00 in a year, OR region East, as two groups.
    let y = now - 365 * DAY;
    let def = json!({ "join": "any", "groups": [
        { "join": "all", "conditions": [{ "field": "spend", "window_days": 365, "minor": { "min": 50000 } }] },
        { "join": "all", "conditions": [{ "field": "attribute", "attribute": "region", "any_of": ["East"] }] } ] });
    let sql = scalar(&pool, &format!("SELECT COUNT(*) FROM members m WHERE m.region = 'East' OR (SELECT COALESCE(CAST(SUM(amount_minor - returned_minor) AS BIGINT), 0) FROM purchases p WHERE p.member_id = m.id AND p.purchased_at >= {y}) >= 50000")).await;
    assert_eq!(count(&admin, &s, def).await, sql);

    // Named RFM segments and scores read the stored scores.
    let sql = scalar(
        &pool,
        "SELECT COUNT(*) FROM member_scores WHERE segment IN ('champion', 'loyal') AND r >= 4",
    )
    .await;
    let def = json!({ "join": "all", "groups": [{ "join": "all", "conditions": [
        { "field": "rfm_segment", "any_of": ["champion", "loyal"] },
        { "field": "rfm_score", "part": "r", "score": { "min": 4 } } ] }] });
    assert_eq!(count(&admin, &s, def).await, sql);

    // Recency 30–90 days.
    let sql = scalar(
        &pool,
        &format!(
            "SELECT COUNT(*) FROM members WHERE last_purchase_at <= {} AND last_purchase_at > {}",
            now - 30 * DAY,
            now - 91 * DAY
        ),
    )
    .await;
    let got = count(
        &admin,
        &s,
        one(json!({ "field": "recency", "days": { "min": 30, "max": 90 } })),
    )
    .await;
    assert!((got - sql).abs() <= 1, "{got} vs {sql}");

    // Available balance of at least 1,000 points (pending points excluded),
    // and bought beauty in 90 days.
    // What is left of every lot already available (as the member sees it).
    let sql = scalar(&pool, &format!("SELECT COUNT(*) FROM members m WHERE COALESCE((SELECT CAST(SUM(e.points - COALESCE((SELECT SUM(a.points) FROM lot_allocations a WHERE a.lot_id = e.id), 0)) AS BIGINT) FROM ledger_entries e WHERE e.member_id = m.id AND e.points > 0 AND COALESCE(e.available_at, e.created_at) <= {now}), 0) >= 1000")).await;
    let got = count(
        &admin,
        &s,
        one(json!({ "field": "balance", "points": { "min": 1000 } })),
    )
    .await;
    assert_eq!(got, sql);
    assert!(
        scalar(
            &pool,
            &format!("SELECT COUNT(*) FROM ledger_entries WHERE available_at > {now}")
        )
        .await
            > 0,
        "the seed has pending points"
    );
    let q = now - 90 * DAY;
    let sql = scalar(&pool, &format!("SELECT COUNT(DISTINCT member_id) FROM purchases WHERE category = 'beauty' AND purchased_at >= {q}")).await;
    let got = count(
        &admin,
        &s,
        one(json!({ "field": "category", "window_days": 90, "any_of": ["beauty"] })),
    )
    .await;
    assert!((got - sql).abs() <= 1, "{got} vs {sql}");

    // An empty definition is everyone.
    let all = scalar(&pool, "SELECT COUNT(*) FROM members").await;
    assert_eq!(count(&admin, &s, json!({ "groups": [] })).await, all);

    // Average order of at least 200.00 in a year (members who bought only).
    let sql = scalar(&pool, &format!("SELECT COUNT(*) FROM (SELECT member_id FROM purchases WHERE purchased_at >= {y}
                                      GROUP BY member_id HAVING AVG(amount_minor - returned_minor) >= 20000) x")).await;
    let got = count(
        &admin,
        &s,
        one(json!({ "field": "average_order", "window_days": 365, "minor": { "min": 20000 } })),
    )
    .await;
    assert!(got > 0 && (got - sql).abs() <= 1, "{got} vs {sql}");

    // Churn risk 50–100, and not at risk (members never scored included).
    let sql = scalar(
        &pool,
        "SELECT COUNT(*) FROM member_scores WHERE churn_score BETWEEN 50 AND 100",
    )
    .await;
    let got = count(
        &admin,
        &s,
        one(json!({ "field": "churn_risk", "score": { "min": 50, "max": 100 } })),
    )
    .await;
    assert_eq!(got, sql);
    let at_risk = scalar(&pool, "SELECT COUNT(*) FROM member_scores WHERE at_risk").await;
    let got = count(
        &admin,
        &s,
        one(json!({ "field": "at_risk", "value": false })),
    )
    .await;
    assert!(
        at_risk > 0 && got == all - at_risk,
        "{got} vs {all} - {at_risk}"
    );

    // Each sort orders the list by its column, either way (no last purchase
    // sorts first going up; names ignore case).
    for sort in ["spend", "last_purchase", "name"] {
        for desc in [false, true] {
            let path = format!("/api/v1/analytics/at-risk?sort={sort}&desc={desc}&limit=200");
            let (st, p) = get(&admin, &s, &path).await;
            assert_eq!(st, StatusCode::OK, "{path}");
            let rows = p["members"].as_array().unwrap();
            assert!(rows.len() >= 2, "{path}: {} rows", rows.len());
            let key = |m: &Value| -> (i64, String) {
                match sort {
                    "spend" => (m["monetary_minor"].as_i64().unwrap(), String::new()),
                    "last_purchase" => (
                        m["last_purchase_at"].as_i64().unwrap_or(i64::MIN),
                        String::new(),
                    ),
                    _ => (0, m["name"].as_str().unwrap().to_lowercase()),
                }
            };
            assert!(
                rows.windows(2).all(|w| if desc {
                    key(&w[0]) >= key(&w[1])
                } else {
                    key(&w[0]) <= key(&w[1])
                }),
                "{path}"
            );
        }
    }

    // City AND gender, OR age band AND occupation (the commonest values).
    let common = |col: &'static str| {
        let pool = pool.clone();
        async move {
            db::query_scalar::<String>(&format!(
                "SELECT {col} FROM members GROUP BY {col} ORDER BY COUNT(*) DESC, {col} LIMIT 1"
            ))
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let (city, gender) = (common("city").await, common("gender").await);
    let (band, job) = (common("age_band").await, common("occupation").await);
    let def = json!({ "join": "any", "groups": [
        { "join": "all", "conditions": [
            { "field": "attribute", "attribute": "city", "any_of": [city] },
            { "field": "attribute", "attribute": "gender", "any_of": [gender] } ] },
        { "join": "all", "conditions": [
            { "field": "attribute", "attribute": "age_band", "any_of": [band] },
            { "field": "attribute", "attribute": "occupation", "any_of": [job] } ] } ] });
    let sql = scalar(
        &pool,
        &format!(
            "SELECT COUNT(*) FROM members WHERE (city = '{city}' AND gender = '{gender}')
                                      OR (age_band = '{band}' AND occupation = '{job}')"
        ),
    )
    .await;
    let got = count(&admin, &s, def).await;
    assert!(got > 0 && got < all && got == sql, "{got} vs {sql}");

    // Joined between two dates, inclusive, in the programme's time zone.
    let tz = chrono_tz::Asia::Shanghai;
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let (from, to) = (
        today - chrono::Days::new(400),
        today - chrono::Days::new(100),
    );
    let start_of = |d: chrono::NaiveDate| {
        use chrono::TimeZone;
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap())
            .unwrap()
            .timestamp()
    };
    let sql = scalar(
        &pool,
        &format!(
            "SELECT COUNT(*) FROM members WHERE joined_at >= {} AND joined_at < {}",
            start_of(from),
            start_of(to + chrono::Days::new(1))
        ),
    )
    .await;
    let got = count(
        &admin,
        &s,
        one(json!({ "field": "joined", "from": from, "to": to })),
    )
    .await;
    assert!(got > 0 && got < all && got == sql, "{got} vs {sql}");

    // Birthday months and current consent, on a few members given them.
    let ids: Vec<i64> = db::query_scalar("SELECT id FROM members ORDER BY id LIMIT 8")
        .fetch_all(&pool)
        .await
        .unwrap();
    for (i, id) in ids.iter().enumerate() {
        let birthday = ["1990-07-15", "1985-01-02", "1979-12-31"][i % 3];
        db::query("UPDATE members SET birthday = ? WHERE id = ?")
            .bind(birthday)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
    }
    let sql = scalar(
        &pool,
        "SELECT COUNT(*) FROM members WHERE birthday LIKE '%-07-%' OR birthday LIKE '%-01-%'",
    )
    .await;
    let got = count(
        &admin,
        &s,
        one(json!({ "field": "birthday_month", "any_of": [1, 7] })),
    )
    .await;
    assert!(got >= 6 && got == sql, "{got} vs {sql}");
    // A: yes; B: yes, then no; C: no; D: no, then yes. The newest choice counts.
    for (id, granted, at) in [
        (ids[0], true, 10),
        (ids[1], true, 10),
        (ids[1], false, 20),
        (ids[2], false, 10),
        (ids[3], false, 10),
        (ids[3], true, 20),
    ] {
        db::query("INSERT INTO consents (member_id, channel, granted, at) VALUES (?, 'email_offers', ?, ?)")
            .bind(id)
            .bind(granted)
            .bind(now - 100 + at)
            .execute(&pool)
            .await
            .unwrap();
    }
    let sql = scalar(&pool, "SELECT COUNT(*) FROM members m WHERE (SELECT granted FROM consents c
        WHERE c.member_id = m.id AND c.channel = 'email_offers' ORDER BY c.at DESC, c.id DESC LIMIT 1)").await;
    let got = count(
        &admin,
        &s,
        one(json!({ "field": "opt_in", "channel": "email_offers", "value": true })),
    )
    .await;
    assert!(got >= 2 && got == sql, "{got} vs {sql}");
    let got_no = count(
        &admin,
        &s,
        one(json!({ "field": "opt_in", "channel": "email_offers", "value": false })),
    )
    .await;
    assert_eq!(got + got_no, all, "every member is in one or the other");

    // Bad input names the condition.
    let (st, e) = post(&admin, &s, "/api/v1/analytics/segments/count", json!({ "definition": one(json!({ "field": "rfm_score", "part": "r", "score": { "min": 5, "max": 2 } })) })).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["error"]["fields"]
            .to_string()
            .contains("definition.groups[0].conditions[0]"),
        "{e}"
    );
    let (st, _) = post(
        &admin,
        &s,
        "/api/v1/analytics/segments/count",
        json!({ "definition": one(json!({ "field": "shoe_size", "value": 9 })) }),
    )
    .await;
    assert!(st.is_client_error());

    // Charts: the segment's distribution rows add up to its count, the
    // overall ones to all members, the heat map to members with scores.
    let def = one(json!({ "field": "tier", "any_of": [gold] }));
    let (st, ch) = post(
        &admin,
        &s,
        "/api/v1/analytics/segments/charts",
        json!({ "definition": def }),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{ch}");
    let n = ch["count"].as_i64().unwrap();
    for k in ["by_tier", "by_region", "by_age_band", "by_gender"] {
        let rows = ch[k]["rows"].as_array().unwrap();
        assert_eq!(
            rows.iter().map(|r| r[1].as_i64().unwrap()).sum::<i64>(),
            n,
            "{k}"
        );
        assert_eq!(
            rows.iter().map(|r| r[2].as_i64().unwrap()).sum::<i64>(),
            all,
            "{k}"
        );
    }
    assert_eq!(ch["rfm"].as_array().unwrap().len(), 25);
    let rfm_sum: i64 = ch["rfm"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["members"].as_i64().unwrap())
        .sum();
    let buyers = scalar(&pool, &format!("SELECT COUNT(*) FROM member_scores s JOIN members m ON m.id = s.member_id WHERE m.tier_id = {gold} AND s.frequency > 0")).await;
    assert_eq!(
        ch["spend"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["members"].as_i64().unwrap())
            .sum::<i64>(),
        buyers
    );
    assert_eq!(rfm_sum, buyers, "the heat map counts buyers in the window");
    // Below 10,000 buyers the scatter holds every one of them.
    assert_eq!(ch["scatter"].as_array().unwrap().len() as i64, buyers);
}

#[tokio::test]
async fn saved_segments_list_page_and_export_their_members() {
    let s = start(300, None).await;
    let pool = s.pool().clone();
    // A name that must be quoted and must not run as a formula.
    db::query("UPDATE members SET name = '=Hyde, Jekyll \"Doc\"', region = 'North' WHERE id = (SELECT MIN(id) FROM members)")
        .execute(&pool).await.unwrap();
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let def = one(json!({ "field": "attribute", "attribute": "region", "any_of": ["North"] }));
    let (st, e) = post(
        &admin,
        &s,
        "/api/v1/analytics/segments",
        json!({ "name": " ", "definition": def }),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"].to_string().contains("name"));
    let (st, seg) = post(
        &admin,
        &s,
        "/api/v1/analytics/segments",
        json!({ "name": "North", "description": "Win-back", "definition": def }),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{seg}");
    let n = scalar(&pool, "SELECT COUNT(*) FROM members WHERE region = 'North'").await;
    assert_eq!(seg["member_count"].as_i64().unwrap(), n);
    assert!(seg["computed_at"].as_i64().unwrap() > 0);
    assert_eq!(seg["definition"], def);
    let id = seg["id"].as_i64().unwrap();
    let (_, list) = get(&admin, &s, "/api/v1/analytics/segments").await;
    assert!(list.as_array().unwrap().iter().any(|x| x["id"] == id));

    let (_, p1) = get(
        &admin,
        &s,
        &format!("/api/v1/analytics/segments/{id}/members?limit=20"),
    )
    .await;
    assert_eq!(p1["total"].as_i64().unwrap(), n);
    assert_eq!(p1["members"].as_array().unwrap().len() as i64, n.min(20));
    let (_, p2) = get(
        &admin,
        &s,
        &format!("/api/v1/analytics/segments/{id}/members?limit=20&offset=20"),
    )
    .await;
    if n > 20 {
        assert_ne!(p1["members"][0]["id"], p2["members"][0]["id"]);
    }
    let (st, _) = get(
        &admin,
        &s,
        &format!("/api/v1/analytics/segments/{id}/members?limit=0"),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);

    let r = admin
        .get(s.url(&format!("/api/v1/analytics/segments/{id}/members.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("id,name,email"));
    assert_eq!(lines.len() as i64, n + 1);
    assert!(
        csv.contains("\"'=Hyde, Jekyll \"\"Doc\"\"\""),
        "quoted, formula neutralised"
    );

    // Edit, refresh, delete; each write is audited.
    let def2 =
        one(json!({ "field": "attribute", "attribute": "region", "any_of": ["North", "South"] }));
    let r = admin
        .put(s.url(&format!("/api/v1/analytics/segments/{id}")))
        .json(&json!({ "name": "North+South", "definition": def2 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["member_count"].as_i64().unwrap(),
        scalar(
            &pool,
            "SELECT COUNT(*) FROM members WHERE region IN ('North', 'South')"
        )
        .await
    );
    let (st, _) = post(
        &admin,
        &s,
        &format!("/api/v1/analytics/segments/{id}/refresh"),
        json!({}),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let r = admin
        .delete(s.url(&format!("/api/v1/analytics/segments/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (st, _) = get(&admin, &s, &format!("/api/v1/analytics/segments/{id}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let audited = scalar(
        &pool,
        &format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'segment' AND entity_id = '{id}'"),
    )
    .await;
    assert_eq!(audited, 3);
}

#[tokio::test]
async fn targets_show_actual_against_a_straight_path_and_trends_add_up() {
    let s = start(200, None).await;
    let pool = s.pool().clone();
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let admin_id = scalar(&pool, "SELECT id FROM users WHERE role = 'admin' LIMIT 1").await;
    let deadline = (chrono::Utc::now() + chrono::Duration::days(90))
        .date_naive()
        .to_string();
    let (st, e) = post(&admin, &s, "/api/v1/analytics/targets", json!({
        "kpi": "retention_rate", "comparison": "at_least", "target": 5.0, "deadline": "2020-01-01", "owner_id": admin_id })).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let f = e["error"]["fields"].to_string();
    assert!(f.contains("target") && f.contains("deadline"), "{e}");
    let (_, dash) = get(&admin, &s, "/api/v1/analytics/kpis?days=30").await;
    let retention = dash["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == "retention_rate")
        .unwrap()["value"]
        .as_f64();
    let (st, t) = post(&admin, &s, "/api/v1/analytics/targets", json!({
        "kpi": "retention_rate", "comparison": "at_least", "target": 0.99, "deadline": deadline, "owner_id": admin_id, "note": "+5 %" })).await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    assert_eq!(t["baseline"].as_f64(), retention);
    assert_eq!(t["actual"].as_f64(), retention);
    // Set today, the path is still at the baseline: on track unless no data.
    let want = if retention.is_some() {
        "on_track"
    } else {
        "no_data"
    };
    assert_eq!(t["status"], want);
    // "+5 points" from the baseline: the server adds the change to the
    // baseline it records; the target sent alongside is ignored.
    {
        let r = retention.expect("the seed has retention in the last 30 days");
        assert!(r <= 0.9, "room for +5 points: {r}");
        let (st, by) = post(
            &admin,
            &s,
            "/api/v1/analytics/targets",
            json!({
            "kpi": "retention_rate", "comparison": "at_least", "target": 0.0, "change": 0.05,
            "deadline": deadline, "owner_id": admin_id }),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{by}");
        assert!(
            (by["target"].as_f64().unwrap() - (r + 0.05)).abs() < 1e-12,
            "{by}"
        );
        assert_eq!(by["baseline"].as_f64(), Some(r));
        // A change past 100 % is refused like such a target.
        let (st, e) = post(&admin, &s, "/api/v1/analytics/targets", json!({
            "kpi": "retention_rate", "comparison": "at_least", "target": 0.5, "change": 0.5 + (1.0 - r),
            "deadline": deadline, "owner_id": admin_id })).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(e["error"]["fields"]["target"].is_string(), "{e}");
        // An unknown KPI with a change is named as such, with the rest.
        let (st, e) = post(
            &admin,
            &s,
            "/api/v1/analytics/targets",
            json!({
            "kpi": "bogus", "comparison": "at_least", "target": 0.5, "change": 0.1,
            "deadline": "2020-01-01", "owner_id": admin_id }),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(e["error"]["fields"]["kpi"].is_string(), "{e}");
        assert!(e["error"]["fields"]["deadline"].is_string(), "{e}");
        let id = by["id"].as_i64().unwrap();
        let del = admin
            .delete(s.url(&format!("/api/v1/analytics/targets/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(del.status(), StatusCode::NO_CONTENT);
    }
    assert_eq!(
        t["checks"].as_array().unwrap().len(),
        usize::from(retention.is_some())
    );
    let support = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let (st, list) = get(&support, &s, "/api/v1/analytics/targets").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list[0]["kpi"], "retention_rate");
    assert_eq!(list[0]["owner"], "Ada Admin");

    let (st, tr) = get(&support, &s, "/api/v1/analytics/trends").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(tr["months"].as_array().unwrap().len(), 12);
    // At the end of the current month every member is counted once.
    let last: i64 = tr["tier_counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t[11].as_i64().unwrap())
        .sum();
    assert_eq!(last, scalar(&pool, "SELECT COUNT(*) FROM members").await);
    // Active members per month, and each join-month cohort's size and the
    // share of it buying k months later, against direct SQL (calendar
    // months in the programme's zone).
    let month_start = |ym: &str, add: u32| {
        use chrono::TimeZone;
        let d = chrono::NaiveDate::parse_from_str(&format!("{ym}-01"), "%Y-%m-%d").unwrap()
            + chrono::Months::new(add);
        chrono_tz::Asia::Shanghai
            .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap())
            .unwrap()
            .timestamp()
    };
    let months: Vec<String> = tr["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    for (i, m) in months.iter().enumerate() {
        let sql = scalar(&pool, &format!("SELECT COUNT(DISTINCT member_id) FROM purchases WHERE purchased_at >= {} AND purchased_at < {}",
            month_start(m, 0), month_start(m, 1))).await;
        assert_eq!(tr["active"][i], sql, "active in {m}");
    }
    let mut checked = 0;
    for c in tr["cohorts"].as_array().unwrap() {
        let m = c["month"].as_str().unwrap();
        let (a, b) = (month_start(m, 0), month_start(m, 1));
        let size = scalar(
            &pool,
            &format!("SELECT COUNT(*) FROM members WHERE joined_at >= {a} AND joined_at < {b}"),
        )
        .await;
        assert_eq!(c["size"], size, "cohort {m}");
        for (k, r) in c["retained"].as_array().unwrap().iter().enumerate() {
            let bought = scalar(
                &pool,
                &format!(
                "SELECT COUNT(DISTINCT m.id) FROM members m JOIN purchases p ON p.member_id = m.id
                 WHERE m.joined_at >= {a} AND m.joined_at < {b} AND p.purchased_at >= m.joined_at
                   AND p.purchased_at >= {} AND p.purchased_at < {}",
                month_start(m, k as u32), month_start(m, k as u32 + 1)),
            )
            .await;
            match r.as_f64() {
                Some(x) => {
                    assert!(
                        (x - bought as f64 / size as f64).abs() < 1e-9,
                        "cohort {m} +{k}: {x}"
                    );
                    checked += 1;
                }
                None => assert_eq!(size, 0, "cohort {m} +{k}"),
            }
        }
    }
    assert!(checked > 12, "cohort cells checked: {checked}");
    // A target past its deadline is judged on its value at the deadline, and
    // nothing more is recorded for it.
    let day = |d: i64| {
        (chrono::Utc::now() + chrono::Duration::days(d))
            .date_naive()
            .to_string()
    };
    db::query("INSERT INTO kpi_targets (id, kpi, comparison, target, baseline, start_date, deadline, owner_id, created_by, created_at)
         VALUES (900, 'repeat_purchase_rate', 'at_least', 0.5, 0.4, ?, ?, ?, ?, 0)")
        .bind(day(-100)).bind(day(-10)).bind(admin_id).bind(admin_id)
        .execute(&pool).await.unwrap();
    for (d, v) in [(-100, 0.4), (-10, 0.55), (-5, 0.3)] {
        db::query("INSERT INTO kpi_target_checks (target_id, day, value) VALUES (900, ?, ?)")
            .bind(day(d))
            .bind(v)
            .execute(&pool)
            .await
            .unwrap();
    }
    let (_, list) = get(&admin, &s, "/api/v1/analytics/targets").await;
    let past = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == 900)
        .unwrap();
    assert_eq!(past["status"], "met", "{past}");
    assert_eq!(past["actual"].as_f64(), Some(0.55));
    let n = scalar(
        &pool,
        "SELECT COUNT(*) FROM kpi_target_checks WHERE target_id = 900",
    )
    .await;
    assert_eq!(n, 3);
    let r = admin
        .delete(s.url(&format!("/api/v1/analytics/targets/{}", t["id"])))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn only_admins_reach_segments_and_staff_read_trends_and_targets() {
    let s = start(3, None).await;
    let anon = s.client();
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let support = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let def = json!({ "definition": { "groups": [] } });
    let cases: Vec<(&str, &str, Option<Value>)> = vec![
        (
            "POST",
            "/api/v1/analytics/segments/count",
            Some(def.clone()),
        ),
        (
            "POST",
            "/api/v1/analytics/segments/charts",
            Some(def.clone()),
        ),
        ("GET", "/api/v1/analytics/segments/options", None),
        ("GET", "/api/v1/analytics/segments", None),
        ("GET", "/api/v1/analytics/at-risk", None),
        ("GET", "/api/v1/analytics/at-risk.csv", None),
        ("GET", "/api/v1/analytics/scores", None),
        ("POST", "/api/v1/analytics/scores/refresh", Some(json!({}))),
    ];
    for (m, path, body) in &cases {
        for (who, c, want) in [
            ("anonymous", &anon, StatusCode::UNAUTHORIZED),
            ("member", &member, StatusCode::FORBIDDEN),
            ("support", &support, StatusCode::FORBIDDEN),
            ("admin", &admin, StatusCode::OK),
        ] {
            let mut rq = if *m == "GET" {
                c.get(s.url(path))
            } else {
                c.post(s.url(path))
            };
            if let Some(b) = body {
                rq = rq.json(b);
            }
            let st = rq.send().await.unwrap().status();
            assert_eq!(st, want, "{who} {m} {path}");
        }
    }
    // A saved segment: only admins create, read, change, refresh, list its
    // members, export or delete it.
    let draft = json!({ "name": "Everyone", "definition": { "groups": [] } });
    let (st, seg) = post(&admin, &s, "/api/v1/analytics/segments", draft.clone()).await;
    assert_eq!(st, StatusCode::CREATED);
    let one = format!("/api/v1/analytics/segments/{}", seg["id"]);
    let saved: Vec<(reqwest::Method, String, Option<Value>)> = vec![
        (
            reqwest::Method::POST,
            "/api/v1/analytics/segments".into(),
            Some(draft.clone()),
        ),
        (reqwest::Method::GET, one.clone(), None),
        (reqwest::Method::PUT, one.clone(), Some(draft.clone())),
        (
            reqwest::Method::POST,
            format!("{one}/refresh"),
            Some(json!({})),
        ),
        (reqwest::Method::GET, format!("{one}/members"), None),
        (reqwest::Method::GET, format!("{one}/members.csv"), None),
        (reqwest::Method::DELETE, one.clone(), None),
    ];
    for (m, path, body) in &saved {
        for (who, c, want) in [
            ("anonymous", &anon, StatusCode::UNAUTHORIZED),
            ("member", &member, StatusCode::FORBIDDEN),
            ("support", &support, StatusCode::FORBIDDEN),
        ] {
            let mut rq = c.request(m.clone(), s.url(path));
            if let Some(b) = body {
                rq = rq.json(b);
            }
            assert_eq!(rq.send().await.unwrap().status(), want, "{who} {m} {path}");
        }
    }
    let (st, _) = get(&admin, &s, &one).await;
    assert_eq!(
        st,
        StatusCode::OK,
        "the segment is untouched by the refusals"
    );
    for path in ["/api/v1/analytics/trends", "/api/v1/analytics/targets"] {
        assert_eq!(
            anon.get(s.url(path)).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            member.get(s.url(path)).send().await.unwrap().status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            support.get(s.url(path)).send().await.unwrap().status(),
            StatusCode::OK
        );
    }
    let (st, _) = post(&support, &s, "/api/v1/analytics/targets", json!({})).await;
    assert!(
        st == StatusCode::FORBIDDEN,
        "support cannot set targets: {st}"
    );
    let st = support
        .delete(s.url("/api/v1/analytics/targets/1"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(st, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_large_export_pages_through_every_member_once_in_order() {
    let s = start(5_100, None).await;
    let pool = s.pool().clone();
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let (st, seg) = post(
        &admin,
        &s,
        "/api/v1/analytics/segments",
        json!({ "name": "Everyone", "definition": { "groups": [] } }),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED);
    let csv = admin
        .get(s.url(&format!(
            "/api/v1/analytics/segments/{}/members.csv",
            seg["id"]
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let ids: Vec<i64> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    let all = scalar(&pool, "SELECT COUNT(*) FROM members").await;
    assert!(all > 5_000, "more than one page");
    assert_eq!(ids.len() as i64, all);
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "each member once, in id order"
    );
}

/// A reward offered to a saved segment: its members see it marked as
/// personal and redeem it; anyone else neither sees nor redeems it (404);
/// the segment cannot be deleted while the reward is offered; only saved
/// segments can be chosen.
#[tokio::test]
async fn a_reward_offered_to_a_segment_is_only_for_its_members() {
    let s = start(5, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    common::add_member_with_points(&s, "rich@patron.test", "patron-member-pw", 2_000).await;
    common::add_member_with_points(&s, "poor@patron.test", "patron-member-pw", 600).await;
    let def = one(json!({ "field": "balance", "points": { "min": 1000 } }));
    let (st, seg) = post(
        &admin,
        &s,
        "/api/v1/analytics/segments",
        json!({ "name": "Big balances", "definition": def }),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{seg}");
    let seg_id = seg["id"].as_i64().unwrap();
    let reward = |segment: Value| {
        json!({"name": "Thank-you voucher", "description": "For our best members", "reward_type": "custom",
            "value": null, "cost_points": 500, "stock": null, "per_member_limit": null, "visible_from": null,
            "visible_until": null, "valid_from": null, "valid_until": null, "min_tier_id": null,
            "segment_id": segment, "code_source": "generated", "new_codes": [], "image_url": null})
    };
    let (st, bad) = post(&admin, &s, "/api/v1/admin/rewards", reward(json!(99_999))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad["error"]["fields"]["segment_id"].is_string(), "{bad}");
    let (st, r) = post(&admin, &s, "/api/v1/admin/rewards", reward(json!(seg_id))).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!(r["segment_name"], "Big balances");
    let rid = r["id"].as_i64().unwrap();

    let redeem = |c: reqwest::Client, key: &'static str| {
        let url = s.url("/api/v1/redemptions");
        async move {
            c.post(url)
                .header("Idempotency-Key", key)
                .json(&json!({ "reward_id": rid }))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let offered = |c: reqwest::Client| {
        let s = &s;
        async move {
            let (_, v) = get(&c, s, "/api/v1/rewards").await;
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["id"] == rid)
                .cloned()
        }
    };
    let rich = s.signed_in("rich@patron.test", "patron-member-pw").await;
    let poor = s.signed_in("poor@patron.test", "patron-member-pw").await;
    let mine = offered(rich.clone())
        .await
        .expect("the member of the segment sees it");
    assert_eq!(mine["personal"], true);
    assert_eq!(mine["availability"], "available");
    assert!(
        offered(poor.clone()).await.is_none(),
        "others do not see it"
    );
    assert_eq!(redeem(poor.clone(), "poor-1").await, StatusCode::NOT_FOUND);
    assert_eq!(redeem(rich.clone(), "rich-1").await, StatusCode::CREATED);
    // Everyone's ordinary rewards are not personal.
    let (_, v) = get(&poor, &s, "/api/v1/rewards").await;
    assert!(v["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["personal"] == false));

    let del = admin
        .delete(s.url(&format!("/api/v1/analytics/segments/{seg_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), StatusCode::CONFLICT);
    let body: Value = del.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Thank-you voucher"),
        "{body}"
    );
    // Archived, the reward no longer holds the segment.
    let mut archived = reward(json!(seg_id));
    archived["archived"] = json!(true);
    let st = admin
        .put(s.url(&format!("/api/v1/admin/rewards/{rid}")))
        .json(&archived)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(st, StatusCode::OK);
    let del = admin
        .delete(s.url(&format!("/api/v1/analytics/segments/{seg_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), StatusCode::NO_CONTENT);
}
