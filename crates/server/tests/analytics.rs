//! KPI dashboard: known answers on a hand-built set, agreement with direct
//! SQL on the seeded data, and who may read it.

mod common;
use patron_server::store::db;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{start, start_with, ADMIN, MEMBER, SUPPORT};
use serde_json::Value;

fn at(y: i32, m: u32, d: u32) -> i64 {
    // Noon in Shanghai (the demo programme's zone).
    Utc.with_ymd_and_hms(y, m, d, 4, 0, 0).unwrap().timestamp()
}

fn kpi(d: &Value, key: &str) -> (Option<f64>, Option<f64>) {
    let k = d["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == key)
        .unwrap_or_else(|| panic!("{key}"));
    (k["value"].as_f64(), k["previous"].as_f64())
}

/// A KPI's weekly series (`None`: a week without a value).
fn weekly(d: &Value, key: &str) -> Vec<Option<f64>> {
    d["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == key)
        .unwrap_or_else(|| panic!("{key}"))["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(Value::as_f64)
        .collect()
}

fn close(a: Option<f64>, b: f64, what: &str) {
    let a = a.unwrap_or_else(|| panic!("{what} has a value"));
    assert!((a - b).abs() < 1e-9, "{what}: {a} vs {b}");
}

#[tokio::test]
async fn kpis_give_known_answers_on_a_hand_built_period() {
    let s = start(3, None).await;
    let pool = s.pool().clone();
    let exec = |sql: String| {
        let pool = pool.clone();
        async move {
            db::query(&sql).execute(&pool).await.unwrap();
        }
    };
    // Members: A joined before the previous period, B and C in this one, E long ago.
    for (id, joined) in [
        (1001, at(2030, 12, 5)),
        (1002, at(2031, 1, 5)),
        (1003, at(2031, 1, 6)),
        (1005, at(2030, 1, 1)),
    ] {
        exec(format!("INSERT INTO members (id, card_number, name, email, region, city, age_band, gender, occupation, education, joined_at, status, tier_id)
             VALUES ({id}, 'C{id}', 'M {id}', 'm{id}@x.test', 'East', 'Shanghai', '25-34', 'female', 'office', 'bachelor', {joined}, 'active', 1)")).await;
    }
    for (i, (m, t)) in [
        (1001, at(2030, 12, 10)),
        (1001, at(2031, 1, 10)),
        (1001, at(2031, 1, 12)),
        (1002, at(2031, 1, 15)),
        (1005, at(2030, 12, 20)),
    ]
    .iter()
    .enumerate()
    {
        exec(format!("INSERT INTO purchases (member_id, order_ref, amount_minor, category, purchased_at) VALUES ({m}, 'K-{i}', 1000, 'home', {t})")).await;
    }
    for (m, kind, p, t) in [
        (1001, "earn", 1000, at(2031, 1, 10)),
        (1002, "earn", 500, at(2031, 1, 15)),
        (1001, "spend", -300, at(2031, 1, 20)),
        (1001, "expire", -100, at(2031, 1, 25)),
    ] {
        // An expiry names the lot it ends (the schema insists).
        exec(format!("INSERT INTO ledger_entries (member_id, kind, points, created_at, reason, ref_entry_id) VALUES ({m}, '{kind}', {p}, {t}, 'k',
            CASE WHEN '{kind}' = 'expire' THEN (SELECT MIN(id) FROM ledger_entries WHERE member_id = {m} AND kind = 'earn') END)")).await;
    }
    for (i, (kind, score)) in [
        ("nps", 10),
        ("nps", 9),
        ("nps", 3),
        ("nps", 7),
        ("csat", 5),
        ("csat", 4),
        ("csat", 2),
    ]
    .iter()
    .enumerate()
    {
        exec(format!("INSERT INTO feedback (reference, member_id, kind, score, subject, status, created_at, updated_at)
             VALUES ('K-FB-{i}', 1001, '{kind}', {score}, 's', 'closed', {t}, {t})", t = at(2031, 1, 8))).await;
    }
    // A ticket rated 5 when resolved (9 Jan) is a CSAT answer too.
    exec(format!("INSERT INTO feedback (reference, member_id, kind, subject, status, csat_score, created_at, updated_at, resolved_at)
         VALUES ('K-FB-T', 1002, 'complaint', 's', 'resolved', 5, {c}, {r}, {r})", c = at(2031, 1, 2), r = at(2031, 1, 9))).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let d = s
        .get_json(
            &admin,
            "/api/v1/analytics/kpis?from=2031-01-01&to=2031-01-30",
        )
        .await;
    assert_eq!(d["previous_from"], "2030-12-02");
    assert_eq!(d["previous_to"], "2030-12-31");
    close(kpi(&d, "active_members").0, 2.0, "active (A, B)");
    close(kpi(&d, "active_members").1, 2.0, "active before (A, E)");
    close(kpi(&d, "new_members").0, 2.0, "new (B, C)");
    close(kpi(&d, "retention_rate").0, 0.5, "retention (A of A, E)");
    close(kpi(&d, "churn_rate").0, 0.5, "churn");
    close(kpi(&d, "repeat_purchase_rate").0, 0.5, "repeat (A of A, B)");
    close(kpi(&d, "points_issued").0, 1500.0, "issued");
    close(kpi(&d, "points_redeemed").0, 300.0, "redeemed");
    close(kpi(&d, "points_expired").0, 100.0, "expired");
    close(kpi(&d, "redemption_rate").0, 0.2, "redemption rate");
    close(kpi(&d, "breakage").0, 100.0 / 1500.0, "breakage");
    close(kpi(&d, "nps").0, 25.0, "NPS: 2 promoters, 1 detractor of 4");
    close(
        kpi(&d, "csat").0,
        75.0,
        "CSAT: 2 of 3 answers and the ticket's 5",
    );
    let total: i64 = db::query_scalar("SELECT COUNT(*) FROM members WHERE joined_at < ?")
        .bind(at(2031, 1, 31) - 4 * 3600)
        .fetch_one(&pool)
        .await
        .unwrap();
    close(kpi(&d, "members").0, total as f64, "members");
    let outstanding: i64 =
        db::query_scalar("SELECT CAST(SUM(points) AS BIGINT) FROM ledger_entries")
            .fetch_one(&pool)
            .await
            .unwrap();
    close(
        kpi(&d, "outstanding_points").0,
        outstanding as f64,
        "outstanding",
    );
    close(
        kpi(&d, "liability").0,
        (outstanding * 100 / 100) as f64,
        "liability at 1 fen a point",
    );
    // Weekly series: 5 buckets for 30 days; the earn of 10 Jan falls in week 2.
    assert_eq!(
        weekly(&d, "points_issued"),
        [0.0, 1000.0, 500.0, 0.0, 0.0].map(Some).to_vec()
    );

    // Every KPI has a weekly line: rates of each week (retention against
    // the week before), stocks at each week's end.
    let weekly = |key: &str| weekly(&d, key);
    for k in d["kpis"].as_array().unwrap() {
        assert_eq!(k["series"].as_array().unwrap().len(), 5, "{}", k["key"]);
    }
    // A buys twice in week 2, B once in week 3.
    assert_eq!(
        weekly("repeat_purchase_rate"),
        vec![None, Some(1.0), Some(0.0), None, None]
    );
    // Week 3: A (week 2) did not come back; week 4: nor did B.
    assert_eq!(
        weekly("retention_rate"),
        vec![None, None, Some(0.0), Some(0.0), None]
    );
    assert_eq!(
        weekly("churn_rate"),
        vec![None, None, Some(1.0), Some(1.0), None]
    );
    assert_eq!(weekly("members"), vec![Some(total as f64); 5]);
    // +1000 in week 2, +500 - 300 in week 3, -100 in week 4.
    let o = outstanding as f64;
    assert_eq!(
        weekly("outstanding_points"),
        [o - 1100.0, o - 100.0, o + 100.0, o, o].map(Some).to_vec()
    );
    assert_eq!(weekly("liability"), weekly("outstanding_points"));
    // The ticket's rating falls in week 2, the answers in week 2 as well.
    assert_eq!(weekly("csat")[1], Some(75.0));
}

#[tokio::test]
async fn kpis_agree_with_direct_sql_on_the_seeded_data_and_who_may_read_them() {
    // With generated feedback: survey answers and rated tickets.
    let s = start_with(400, 400, None).await;
    let pool = s.pool().clone();
    let support = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let d = s.get_json(&support, "/api/v1/analytics/kpis?days=90").await;
    let tz = chrono_tz::Asia::Shanghai;
    let day = |v: &Value| NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap();
    let start_of = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap())
            .unwrap()
            .timestamp()
    };
    let (f, t) = (
        start_of(day(&d["from"])),
        start_of(day(&d["to"]).succ_opt().unwrap()),
    );
    let pf = start_of(day(&d["previous_from"]));
    assert_eq!((t - f) / 86_400, 90);
    let q = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            db::query_scalar::<i64>(sql)
                .bind(pf)
                .bind(f)
                .bind(t)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let active = q("SELECT COUNT(DISTINCT member_id) FROM purchases WHERE purchased_at >= ?2 AND purchased_at < ?3").await;
    let prev = q("SELECT COUNT(DISTINCT member_id) FROM purchases WHERE purchased_at >= ?1 AND purchased_at < ?2").await;
    let both = q("SELECT COUNT(*) FROM (SELECT member_id FROM purchases WHERE purchased_at >= ?1 AND purchased_at < ?2
                  INTERSECT SELECT member_id FROM purchases WHERE purchased_at >= ?2 AND purchased_at < ?3) x").await;
    let repeat = q("SELECT COUNT(*) FROM (SELECT member_id FROM purchases WHERE purchased_at >= ?2 AND purchased_at < ?3
                    GROUP BY member_id HAVING COUNT(*) >= 2) x").await;
    let new = q("SELECT COUNT(*) FROM members WHERE joined_at >= ?2 AND joined_at < ?3").await;
    let issued = q("SELECT COALESCE(CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries WHERE kind = 'earn' AND created_at >= ?2 AND created_at < ?3").await;
    let spent = q("SELECT COALESCE(-CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries WHERE kind = 'spend' AND created_at >= ?2 AND created_at < ?3").await;
    let expired = q("SELECT COALESCE(-CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries WHERE kind = 'expire' AND created_at >= ?2 AND created_at < ?3").await;
    assert!(
        active > 0 && prev > 0 && issued > 0,
        "the seed has activity in the period"
    );
    close(kpi(&d, "active_members").0, active as f64, "active");
    close(kpi(&d, "active_members").1, prev as f64, "active before");
    close(kpi(&d, "new_members").0, new as f64, "new");
    close(
        kpi(&d, "retention_rate").0,
        both as f64 / prev as f64,
        "retention",
    );
    close(
        kpi(&d, "churn_rate").0,
        1.0 - both as f64 / prev as f64,
        "churn",
    );
    close(
        kpi(&d, "repeat_purchase_rate").0,
        repeat as f64 / active as f64,
        "repeat",
    );
    close(kpi(&d, "points_issued").0, issued as f64, "issued");
    close(kpi(&d, "points_redeemed").0, spent as f64, "redeemed");
    close(kpi(&d, "points_expired").0, expired as f64, "expired");
    close(
        kpi(&d, "redemption_rate").0,
        spent as f64 / issued as f64,
        "redemption rate",
    );
    close(
        kpi(&d, "breakage").0,
        expired as f64 / issued as f64,
        "breakage",
    );
    let members = q("SELECT COUNT(*) FROM members WHERE joined_at < ?3").await;
    let members_before = q("SELECT COUNT(*) FROM members WHERE joined_at < ?2").await;
    close(kpi(&d, "members").0, members as f64, "members");
    close(
        kpi(&d, "members").1,
        members_before as f64,
        "members before",
    );
    let outstanding = q(
        "SELECT COALESCE(CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries WHERE created_at < ?3",
    )
    .await;
    let outstanding_before = q(
        "SELECT COALESCE(CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries WHERE created_at < ?2",
    )
    .await;
    close(
        kpi(&d, "outstanding_points").0,
        outstanding as f64,
        "outstanding",
    );
    close(
        kpi(&d, "outstanding_points").1,
        outstanding_before as f64,
        "outstanding before",
    );
    let value = q("SELECT point_value_centi_minor FROM programme").await;
    close(
        kpi(&d, "liability").0,
        (outstanding * value / 100) as f64,
        "liability",
    );
    // NPS and CSAT (answers, and resolved tickets' ratings) over the period.
    let answers = |kind: &'static str, score: &'static str| {
        let pool = pool.clone();
        async move {
            let sql = format!(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN {score} THEN 1 ELSE 0 END), 0) FROM (
                   SELECT score FROM feedback WHERE kind = '{kind}' AND score IS NOT NULL AND created_at >= ?1 AND created_at < ?2
                   UNION ALL
                   SELECT csat_score FROM feedback WHERE '{kind}' = 'csat' AND csat_score IS NOT NULL
                     AND COALESCE(resolved_at, updated_at) >= ?1 AND COALESCE(resolved_at, updated_at) < ?2) answers"
            );
            db::query_as::<(i64, i64)>(&sql)
                .bind(f)
                .bind(t)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let (n, promoters) = answers("nps", "score >= 9").await;
    let (_, detractors) = answers("nps", "score <= 6").await;
    let (rated, happy) = answers("csat", "score >= 4").await;
    let tickets_rated = q("SELECT COUNT(*) FROM feedback WHERE csat_score IS NOT NULL
                           AND COALESCE(resolved_at, updated_at) >= ?2 AND COALESCE(resolved_at, updated_at) < ?3").await;
    assert!(
        n > 0 && rated > 0 && tickets_rated > 0,
        "the seed has NPS answers and rated tickets in the period"
    );
    close(
        kpi(&d, "nps").0,
        (promoters - detractors) as f64 * 100.0 / n as f64,
        "NPS",
    );
    close(
        kpi(&d, "csat").0,
        happy as f64 * 100.0 / rated as f64,
        "CSAT",
    );
    // The weekly lines end where the period does.
    let last = |key: &str| weekly(&d, key).last().copied().flatten();
    close(
        last("members"),
        members as f64,
        "members at the last week's end",
    );
    close(
        last("outstanding_points"),
        outstanding as f64,
        "outstanding at the last week's end",
    );

    // Who may read: staff yes, members and strangers no; bad periods named.
    assert_eq!(
        s.client()
            .get(s.url("/api/v1/analytics/kpis"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    assert_eq!(
        member
            .get(s.url("/api/v1/analytics/kpis"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    assert_eq!(
        admin
            .get(s.url("/api/v1/analytics/kpis?days=365"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    for (q, field) in [
        ("days=7", "days"),
        ("from=2026-02-01&to=2026-01-01", "to"),
        ("from=2026-02-01", "from"),
        ("from=1.1.2026&to=2026-02-01", "from"),
    ] {
        let res = admin
            .get(s.url(&format!("/api/v1/analytics/kpis?{q}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{q}");
        let body: Value = res.json().await.unwrap();
        assert!(body["error"]["fields"][field].is_string(), "{q}: {body}");
    }
}

/// The roll-ups behind the dashboard (activity index, hourly ledger sums)
/// agree with direct SQL at bounds that cut hours (a +5:45 zone), see a
/// purchase made after they were first read, and purchases cannot be
/// deleted or moved from under them.
#[tokio::test]
async fn rollups_agree_with_sql_at_any_bounds_and_follow_new_purchases() {
    let s = start(400, None).await;
    let pool = s.pool().clone();
    let store = &s.store;
    let (lo, hi): (i64, i64) =
        db::query_as("SELECT MIN(created_at), MAX(created_at) + 1 FROM ledger_entries")
            .fetch_one(&pool)
            .await
            .unwrap();
    // Kathmandu midnights: 18:15 UTC, so every bound cuts an hour; weekly
    // buckets over the whole ledger plus a bucket shorter than an hour.
    let first = (lo / 86_400) * 86_400 - 5 * 3600 - 45 * 60;
    let mut bounds: Vec<i64> = (0..)
        .map(|k| first + k * 7 * 86_400)
        .take_while(|b| *b < hi)
        .collect();
    let last = *bounds.last().unwrap();
    bounds.extend([last + 600, last + 1800, hi + 7 * 86_400]);
    let moved = store.ledger_moves(&bounds).await.unwrap();
    let active = store.activity().await.unwrap().distinct_per_bucket(&bounds);
    let mut checked = 0;
    for (i, w) in bounds.windows(2).enumerate() {
        let sums: (i64, i64, i64, i64) = db::query_as(
            "SELECT COALESCE(CAST(SUM(CASE WHEN kind = 'earn' THEN points END) AS BIGINT), 0),
                    COALESCE(CAST(SUM(CASE WHEN kind = 'spend' THEN points END) AS BIGINT), 0),
                    COALESCE(CAST(SUM(CASE WHEN kind = 'expire' THEN points END) AS BIGINT), 0),
                    COALESCE(CAST(SUM(points) AS BIGINT), 0)
             FROM ledger_entries WHERE created_at >= ? AND created_at < ?",
        )
        .bind(w[0])
        .bind(w[1])
        .fetch_one(&pool)
        .await
        .unwrap();
        let m = moved[i];
        assert_eq!((m.earn, m.spend, m.expire, m.all), sums, "bucket {i}");
        let distinct: i64 = db::query_scalar(
            "SELECT COUNT(DISTINCT member_id) FROM purchases WHERE purchased_at >= ? AND purchased_at < ?",
        )
        .bind(w[0])
        .bind(w[1])
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(active[i], distinct, "bucket {i}");
        checked += (sums.0 != 0 && distinct != 0) as i32;
    }
    assert!(
        checked > 20,
        "the seed moves points in most weeks: {checked}"
    );

    // A purchase after the first read: a member with none in the last
    // 30 days buys now, and the dashboard counts them at once.
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let kpis = || async {
        let d = s.get_json(&admin, "/api/v1/analytics/kpis?days=30").await;
        kpi(&d, "active_members").0.unwrap()
    };
    let before = kpis().await;
    let now = Utc::now().timestamp();
    let quiet: i64 = db::query_scalar(
        "SELECT id FROM members WHERE id NOT IN
         (SELECT member_id FROM purchases WHERE purchased_at >= ?) ORDER BY id LIMIT 1",
    )
    .bind(now - 40 * 86_400)
    .fetch_one(&pool)
    .await
    .unwrap();
    db::query("INSERT INTO purchases (member_id, order_ref, amount_minor, category, purchased_at) VALUES (?, 'LATE-1', 1000, 'home', ?)")
        .bind(quiet)
        .bind(now - 60)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(kpis().await, before + 1.0);

    for sql in [
        "DELETE FROM purchases WHERE order_ref = 'LATE-1'",
        "UPDATE purchases SET purchased_at = purchased_at - 1 WHERE order_ref = 'LATE-1'",
        "UPDATE purchases SET member_id = member_id + 1 WHERE order_ref = 'LATE-1'",
    ] {
        assert!(db::query(sql).execute(&pool).await.is_err(), "{sql}");
    }
    db::query("UPDATE purchases SET returned_minor = 500 WHERE order_ref = 'LATE-1'")
        .execute(&pool)
        .await
        .expect("returns are still recorded");
}
