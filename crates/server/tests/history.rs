//! The points history: pages, filters, CSV.

mod common;
use patron_server::store::db;

use common::{add_member_with_points, start, MEMBER, SUPPORT};
use serde_json::Value;

async fn get(c: &reqwest::Client, url: String) -> (u16, Value) {
    let res = c.get(url).send().await.unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn pages_follow_cursors_without_gaps_or_repeats() {
    let s = start(20, None).await;
    let c = s.signed_in(MEMBER.0, MEMBER.1).await;
    let mut seen: Vec<(String, i64)> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut total = None;
    loop {
        let mut url = s.url("/api/v1/me/ledger?limit=7");
        if let Some(cur) = &cursor {
            url.push_str(&format!("&cursor={cur}"));
        }
        let (status, page) = get(&c, url).await;
        assert_eq!(status, 200);
        total.get_or_insert(page["total"].as_i64().unwrap());
        for e in page["items"].as_array().unwrap() {
            seen.push((
                e["created_at"].as_str().unwrap().to_string(),
                e["id"].as_i64().unwrap(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(cur) => cursor = Some(cur.to_string()),
            None => break,
        }
    }
    let total = total.unwrap();
    assert_eq!(seen.len() as i64, total);
    let ids: std::collections::BTreeSet<i64> = seen.iter().map(|x| x.1).collect();
    assert_eq!(ids.len(), seen.len(), "no entry twice");
    assert!(seen.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let pool = s.pool().clone();
    let n: i64 = db::query_scalar("SELECT COUNT(*) FROM ledger_entries WHERE member_id = 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(total, n);
}

#[tokio::test]
async fn filters_by_kind_state_and_dates() {
    let s = start(20, None).await;
    let c = s.signed_in(MEMBER.0, MEMBER.1).await;
    let (_, earn) = get(&c, s.url("/api/v1/me/ledger?kind=earn&limit=200")).await;
    assert!(earn["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["kind"] == "earn"));
    assert!(earn["total"].as_i64().unwrap() > 0);

    let (_, pending) = get(&c, s.url("/api/v1/me/ledger?state=pending&limit=200")).await;
    let (_, sum) = get(&c, s.url("/api/v1/me/summary")).await;
    let pending_points: i64 = pending["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["state"], "pending");
            e["points"].as_i64().unwrap()
        })
        .sum();
    assert_eq!(pending_points, sum["balance"]["pending"].as_i64().unwrap());

    let (_, expired) = get(&c, s.url("/api/v1/me/ledger?state=expired&limit=200")).await;
    assert!(expired["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["state"] == "expired"));

    let today = chrono::Utc::now().date_naive();
    let from = today - chrono::Duration::days(30);
    let (_, recent) = get(
        &c,
        s.url(&format!(
            "/api/v1/me/ledger?from={from}&to={today}&limit=200"
        )),
    )
    .await;
    let cutoff = (chrono::Utc::now() - chrono::Duration::days(32)).to_rfc3339();
    assert!(recent["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["created_at"].as_str().unwrap() > cutoff.as_str()));

    // Bad input is refused clearly.
    assert_eq!(get(&c, s.url("/api/v1/me/ledger?cursor=zzz")).await.0, 400);
    assert_eq!(get(&c, s.url("/api/v1/me/ledger?limit=0")).await.0, 422);
    assert_eq!(get(&c, s.url("/api/v1/me/ledger?kind=gift")).await.0, 400);
    let (status, body) = get(&c, s.url("/api/v1/me/ledger?from=2026-05-01&to=2026-04-01")).await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["to"].is_string());
    // Staff have no history of their own.
    let sup = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    assert_eq!(get(&sup, s.url("/api/v1/me/ledger")).await.0, 403);
}

#[tokio::test]
async fn csv_streams_every_row_even_for_fifty_thousand_entries() {
    let s = start(3, None).await;
    let m = add_member_with_points(&s, "long@patron.test", "pw-long-1", 0).await;
    let pool = s.pool().clone();
    let now = chrono::Utc::now().timestamp();
    let mut tx = pool.begin().await.unwrap();
    for chunk in (0..50_000i64).collect::<Vec<_>>().chunks(2_000) {
        let mut qb = db::Builder::new(
            "INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, reason) ",
        );
        qb.push_values(chunk, |mut b, i| {
            b.push_bind(m)
                .push_bind("earn")
                .push_bind(1 + i % 7)
                .push_bind(now - 400 * 86_400 + i * 600)
                .push_bind(now - 400 * 86_400 + i * 600)
                .push_bind(now + 86_400)
                .push_bind(format!("Order \"{i}\", shop A"));
        });
        qb.build().execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();

    let c = s.signed_in("long@patron.test", "pw-long-1").await;
    let res = c.get(s.url("/api/v1/me/ledger.csv")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "id,created_at,kind,points,state,reason,available_at,expires_at"
    );
    assert_eq!(lines.len(), 50_001);
    // Quotes and commas in reasons are escaped.
    assert!(
        lines[1].contains("\"Order \"\"49999\"\", shop A\""),
        "{}",
        lines[1]
    );
    let ids: std::collections::BTreeSet<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 50_000);

    let filtered = c
        .get(s.url("/api/v1/me/ledger.csv?kind=spend"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        filtered.split("\r\n").filter(|l| !l.is_empty()).count(),
        1,
        "header only"
    );
}

#[tokio::test]
async fn csv_neutralises_a_reason_a_spreadsheet_would_run_as_a_formula() {
    let s = start(3, None).await;
    let m = add_member_with_points(&s, "formula@patron.test", "pw-formula-1", 0).await;
    let pool = s.pool().clone();
    let now = chrono::Utc::now().timestamp();
    db::query(
        "INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, reason)
         VALUES (?, 'earn', 5, ?, ?, ?, ?)",
    )
    .bind(m)
    .bind(now - 60)
    .bind(now - 60)
    .bind(now + 86_400)
    .bind("=HYPERLINK(\"http://evil.example\",\"x\")")
    .execute(&pool)
    .await
    .unwrap();
    let c = s.signed_in("formula@patron.test", "pw-formula-1").await;
    let text = c
        .get(s.url("/api/v1/me/ledger.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let row = text.lines().nth(1).expect("one row");
    assert!(
        row.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\","),
        "{row}"
    );
}
