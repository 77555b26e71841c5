//! The support desk API: who may call it, the queue against direct SQL,
//! triage with version checks, replies and notes, SLA and survey figures.

mod common;
use patron_server::store::db;

use common::{start_with, TestServer, ADMIN, MEMBER, SUPPORT};
use reqwest::{Client, Method};
use serde_json::{json, Value};

const KAI: (&str, &str) = ("kai@patron.test", "patron-support");

async fn pool(s: &TestServer) -> db::Pool {
    s.pool().clone()
}

async fn call(
    c: &Client,
    s: &TestServer,
    m: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = c.request(m, s.url(path));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn get(c: &Client, s: &TestServer, path: &str) -> Value {
    let (st, v) = call(c, s, Method::GET, path, None).await;
    assert_eq!(st, 200, "GET {path}: {v}");
    v
}

/// A complaint from the demo member; returns its id.
async fn complain(s: &TestServer, member: &Client, text: &str) -> i64 {
    let (st, v) = call(
        member,
        s,
        Method::POST,
        "/api/v1/feedback",
        Some(json!({"kind": "complaint", "category": "points", "message": text, "desired_resolution": "Fix it"})),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    v["id"].as_i64().unwrap()
}

#[tokio::test]
async fn every_support_endpoint_checks_the_role() {
    let s = start_with(30, 40, None).await;
    let anon = s.client();
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let support = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let v = get(&support, &s, "/api/v1/support/tickets/1").await["version"]
        .as_i64()
        .unwrap();
    let canned = json!({"shortcut": "x1", "title": "T", "body": "Body"});
    let policy = get(&support, &s, "/api/v1/support/sla-policy").await;
    // (method, path, body, may support call it)
    let cases: Vec<(Method, &str, Option<Value>, bool)> = vec![
        (Method::GET, "/api/v1/support/queue", None, true),
        (Method::GET, "/api/v1/support/agents", None, true),
        (Method::GET, "/api/v1/support/tickets/1", None, true),
        (
            Method::PATCH,
            "/api/v1/support/tickets/1",
            Some(json!({"version": v, "priority": "high"})),
            true,
        ),
        (
            Method::POST,
            "/api/v1/support/tickets/bulk",
            Some(json!({"tickets": [{"id": 2, "version": 0}], "priority": "low"})),
            true,
        ),
        (
            Method::POST,
            "/api/v1/support/tickets/1/messages",
            Some(json!({"body": "note", "internal": true})),
            true,
        ),
        (Method::GET, "/api/v1/support/canned-replies", None, true),
        (Method::GET, "/api/v1/support/sla-policy", None, true),
        (Method::GET, "/api/v1/support/views", None, true),
        (
            Method::POST,
            "/api/v1/support/views",
            Some(json!({"name": "Mine", "query": "assignee=me"})),
            true,
        ),
        (Method::GET, "/api/v1/support/reports/sla", None, true),
        (Method::GET, "/api/v1/support/reports/sla.csv", None, true),
        (Method::GET, "/api/v1/support/reports/surveys", None, true),
        (
            Method::POST,
            "/api/v1/admin/canned-replies",
            Some(canned.clone()),
            false,
        ),
        (
            Method::PUT,
            "/api/v1/admin/canned-replies/1",
            Some(canned.clone()),
            false,
        ),
        (
            Method::DELETE,
            "/api/v1/admin/canned-replies/2",
            None,
            false,
        ),
        (
            Method::PUT,
            "/api/v1/admin/sla-policy",
            Some(policy.clone()),
            false,
        ),
    ];
    for (m, path, body, support_ok) in &cases {
        let (st, _) = call(&anon, &s, m.clone(), path, body.clone()).await;
        assert_eq!(st, 401, "anonymous {m} {path}");
        let (st, v) = call(&member, &s, m.clone(), path, body.clone()).await;
        assert_eq!(st, 403, "member {m} {path}");
        assert_eq!(v["error"]["code"], "forbidden");
        let (st, _) = call(&support, &s, m.clone(), path, body.clone()).await;
        if *support_ok {
            assert!((200..300).contains(&st), "support {m} {path}: {st}");
        } else {
            assert_eq!(st, 403, "support {m} {path}");
        }
    }
    // Admins may do everything (fresh bodies where the support call changed state).
    let v = get(&admin, &s, "/api/v1/support/tickets/1").await["version"]
        .as_i64()
        .unwrap();
    for (m, path, body, _) in cases {
        let body = match path {
            "/api/v1/support/tickets/1" if m == Method::PATCH => {
                Some(json!({"version": v, "priority": "low"}))
            }
            "/api/v1/admin/canned-replies" => {
                Some(json!({"shortcut": "x2", "title": "T", "body": "B"}))
            }
            "/api/v1/admin/canned-replies/2" => {
                let (st, _) = call(
                    &admin,
                    &s,
                    Method::DELETE,
                    "/api/v1/admin/canned-replies/3",
                    None,
                )
                .await;
                assert_eq!(st, 204, "admin DELETE canned reply");
                continue;
            }
            _ => body,
        };
        let (st, out) = call(&admin, &s, m.clone(), path, body).await;
        assert!((200..300).contains(&st), "admin {m} {path}: {st} {out}");
    }
}

#[tokio::test]
async fn the_queue_matches_the_database() {
    let s = start_with(200, 1_500, None).await;
    let support = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let db = pool(&s).await;

    // Default: open work, oldest first; counts per status over everything.
    let page = get(&support, &s, "/api/v1/support/queue").await;
    let open: i64 =
        db::query_scalar("SELECT COUNT(*) FROM feedback WHERE status IN ('new','open','waiting')")
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(open > 100, "the seed has a real queue ({open})");
    assert_eq!(page["total"], open);
    for c in page["counts"].as_array().unwrap() {
        let n: i64 = db::query_scalar("SELECT COUNT(*) FROM feedback WHERE status = ?")
            .bind(c["status"].as_str().unwrap())
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(c["count"], n, "{c}");
    }
    let first_ids: Vec<i64> = db::query_scalar(
        "SELECT id FROM feedback WHERE status IN ('new','open','waiting') ORDER BY created_at, id LIMIT 100",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let got: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, first_ids);

    // Paging by next_offset visits every row once.
    let mut seen = std::collections::HashSet::new();
    let mut offset = Some(0);
    while let Some(o) = offset {
        let p = get(
            &support,
            &s,
            &format!("/api/v1/support/queue?sort=newest&offset={o}"),
        )
        .await;
        for i in p["items"].as_array().unwrap() {
            assert!(
                seen.insert(i["id"].as_i64().unwrap()),
                "no duplicates across pages"
            );
        }
        offset = p["next_offset"].as_i64();
    }
    assert_eq!(seen.len() as i64, open);

    // Unassigned complaints, most urgent first.
    let p = get(
        &support,
        &s,
        "/api/v1/support/queue?assignee=none&type=complaint&sort=priority",
    )
    .await;
    let n: i64 = db::query_scalar(
        "SELECT COUNT(*) FROM feedback WHERE status IN ('new','open','waiting') AND assignee_id IS NULL AND kind = 'complaint'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(p["total"], n);
    let ranks: Vec<i64> = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            ["low", "normal", "high", "urgent"]
                .iter()
                .position(|x| *x == i["priority"])
                .unwrap() as i64
        })
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "priority order");
    assert!(p["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["assignee"].is_null()));

    // Breached: the same rows SQL finds with the clock running past due.
    let now = chrono::Utc::now().timestamp();
    let p = get(
        &support,
        &s,
        "/api/v1/support/queue?sla=breached&status=new,open,waiting,resolved,closed",
    )
    .await;
    let n: i64 = db::query_scalar("SELECT COUNT(*) FROM feedback WHERE sla_due < ?")
        .bind(now + 5)
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(n > 0);
    assert_eq!(p["total"], n);
    assert!(p["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["sla_state"] == "breached"));

    // Free text over messages: a reply text only staff wrote.
    let p = get(
        &support,
        &s,
        "/api/v1/support/queue?q=goodwill%20bonus&status=resolved,closed,new,open,waiting",
    )
    .await;
    let n: i64 = db::query_scalar(
        "SELECT COUNT(DISTINCT feedback_id) FROM feedback_messages WHERE lower(body) LIKE '%goodwill bonus%'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(n > 0);
    assert_eq!(p["total"], n);

    // Bad filters are named.
    let (st, v) = call(
        &support,
        &s,
        Method::GET,
        "/api/v1/support/queue?status=lost",
        None,
    )
    .await;
    assert_eq!(st, 422);
    assert!(v["error"]["fields"]["status"].is_string());
    let (st, _) = call(
        &support,
        &s,
        Method::GET,
        "/api/v1/support/queue?from=2026-02-01&to=2026-01-01",
        None,
    )
    .await;
    assert_eq!(st, 422);
}

#[tokio::test]
async fn two_agents_on_one_ticket_never_lose_a_change() {
    let s = start_with(30, 0, None).await;
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let sam = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let kai = s.signed_in(KAI.0, KAI.1).await;
    let id = complain(&s, &member, "My points for the March order never arrived").await;
    let seen = get(&sam, &s, &format!("/api/v1/support/tickets/{id}")).await;
    let v = seen["version"].as_i64().unwrap();
    let sam_id = get(&sam, &s, "/api/v1/auth/me").await["user_id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/support/tickets/{id}");
    let (st, after) = call(
        &sam,
        &s,
        Method::PATCH,
        &path,
        Some(json!({"version": v, "assignee_id": sam_id})),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(after["assignee"]["id"], sam_id);
    // Kai saw the same version: refused, with a clear message; Sam's change stays.
    let (st, err) = call(
        &kai,
        &s,
        Method::PATCH,
        &path,
        Some(json!({"version": v, "priority": "low"})),
    )
    .await;
    assert_eq!(st, 409);
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Someone else changed"));
    let now = get(&kai, &s, &path).await;
    assert_eq!(now["assignee"]["id"], sam_id);
    assert_ne!(now["priority"], "low");
    // A status change riding on a reply is checked too; nothing is written.
    let (st, _) = call(
        &kai,
        &s,
        Method::POST,
        &format!("{path}/messages"),
        Some(json!({"body": "Resolving", "status": "resolved", "version": v})),
    )
    .await;
    assert_eq!(st, 409);
    let again = get(&kai, &s, &path).await;
    assert_eq!(again["ticket"]["messages"].as_array().unwrap().len(), 1);
    // Bulk with a stale version skips that ticket and says so.
    let other = complain(&s, &member, "The voucher code from my reward fails").await;
    let ov = get(&kai, &s, &format!("/api/v1/support/tickets/{other}")).await["version"]
        .as_i64()
        .unwrap();
    let (st, r) = call(&kai, &s, Method::POST, "/api/v1/support/tickets/bulk",
        Some(json!({"tickets": [{"id": id, "version": v}, {"id": other, "version": ov}, {"id": 999999, "version": 1}],
                    "status": "waiting", "add_label": "Refund"}))).await;
    assert_eq!(st, 200, "{r}");
    assert_eq!(r["updated"], json!([other]));
    assert_eq!(r["conflicts"], json!([id]));
    assert_eq!(r["missing"], json!([999999]));
    let o = get(&kai, &s, &format!("/api/v1/support/tickets/{other}")).await;
    assert_eq!(o["ticket"]["summary"]["status"], "waiting");
    assert_eq!(o["labels"], json!(["refund"]));
    // History names who did what.
    let h = get(&sam, &s, &path).await["history"].clone();
    assert!(h
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "assigned" && e["actor"] == "Sam Support"));
    // Assigning to a member is refused.
    let v = get(&sam, &s, &path).await["version"].as_i64().unwrap();
    let (st, _) = call(
        &sam,
        &s,
        Method::PATCH,
        &path,
        Some(json!({"version": v, "assignee_id": 1})),
    )
    .await;
    assert_eq!(st, 422);
}

#[tokio::test]
async fn replies_notes_sla_and_the_member_view() {
    let s = start_with(30, 0, None).await;
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let sam = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let id = complain(&s, &member, "Points expired earlier than the date shown").await;
    let path = format!("/api/v1/support/tickets/{id}");
    let t = get(&sam, &s, &path).await;
    // The demo member is Gold: a VIP tier under the default policy.
    assert_eq!(t["priority"], "high");
    assert!(t["member"]["vip"].as_bool().unwrap());
    assert_eq!(t["sla"]["state"], "ok");
    let created = chrono::DateTime::parse_from_rfc3339(
        t["ticket"]["summary"]["created_at"].as_str().unwrap(),
    )
    .unwrap();
    let due =
        chrono::DateTime::parse_from_rfc3339(t["sla"]["first_response_due"].as_str().unwrap())
            .unwrap();
    assert_eq!(
        (due - created).num_minutes(),
        240,
        "high: first response within 4 hours"
    );
    assert!(t["sla"]["first_response_at"].is_null());
    assert!(t["member"]["balance"].as_i64().unwrap() > 0);
    assert!(!t["member"]["recent_orders"].as_array().unwrap().is_empty());

    let (st, _) = call(
        &sam,
        &s,
        Method::POST,
        &format!("{path}/messages"),
        Some(json!({"body": "Checked the lots: expiry bug", "internal": true})),
    )
    .await;
    assert_eq!(st, 200);
    let after_note = get(&sam, &s, &path).await;
    assert!(
        after_note["sla"]["first_response_at"].is_null(),
        "a note is not a response"
    );
    // A note is quiet: no new version for other agents, no activity the member sees.
    assert_eq!(after_note["version"], t["version"]);
    assert_eq!(
        after_note["ticket"]["summary"]["updated_at"],
        t["ticket"]["summary"]["updated_at"]
    );
    let (st, t) = call(
        &sam,
        &s,
        Method::POST,
        &format!("{path}/messages"),
        Some(json!({"body": "Fixed, sorry!", "status": "resolved"})),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(t["ticket"]["summary"]["status"], "resolved");
    assert!(t["sla"]["first_response_at"].is_string());
    assert!(t["sla"]["resolved_at"].is_string());
    assert!(t["sla"]["due_at"].is_null());

    let mine = get(&member, &s, &format!("/api/v1/me/tickets/{id}")).await;
    let bodies: Vec<&str> = mine["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert!(bodies.contains(&"Fixed, sorry!"));
    assert!(
        !bodies.iter().any(|b| b.contains("expiry bug")),
        "notes never reach the member"
    );
    assert_eq!(mine["summary"]["awaiting_csat"], true);

    // SLA report: met in time for this ticket's agent and priority.
    let r = get(&sam, &s, "/api/v1/support/reports/sla").await;
    let row = r["by_agent"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "")
        .unwrap()
        .clone();
    assert_eq!(row["first_response_met"], 1);
    assert_eq!(row["resolution_met"], 1);
    let (st, csv) = call(
        &sam,
        &s,
        Method::GET,
        "/api/v1/support/reports/sla.csv",
        None,
    )
    .await;
    assert_eq!(st, 200);
    assert!(
        csv.as_str()
            .unwrap()
            .lines()
            .any(|l| l.starts_with("priority,\"high\",1,1,1,100.0")),
        "{csv}"
    );
}

#[tokio::test]
async fn survey_figures_equal_a_direct_sql_computation() {
    let s = start_with(300, 3_000, None).await;
    let sam = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let db = pool(&s).await;
    let r = get(&sam, &s, "/api/v1/support/reports/surveys?from=2025-06-01").await;
    let (promoters, detractors, n): (i64, i64, i64) = db::query_as(
        "SELECT SUM(CASE WHEN score >= 9 THEN 1 ELSE 0 END), SUM(CASE WHEN score <= 6 THEN 1 ELSE 0 END), COUNT(*) FROM feedback WHERE kind = 'nps'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let want_nps = (promoters - detractors) as f64 * 100.0 / n as f64;
    assert_eq!(r["overall"]["nps_responses"], n);
    assert!((r["overall"]["nps"].as_f64().unwrap() - want_nps).abs() < 1e-9);
    let (happy, total): (i64, i64) = db::query_as(
        "SELECT SUM(CASE WHEN s >= 4 THEN 1 ELSE 0 END), COUNT(*) FROM (SELECT score AS s FROM feedback WHERE kind = 'csat'
         UNION ALL SELECT csat_score FROM feedback WHERE csat_score IS NOT NULL) x",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(r["overall"]["csat_responses"], total);
    assert!(
        (r["overall"]["csat"].as_f64().unwrap() - happy as f64 * 100.0 / total as f64).abs() < 1e-9
    );
    // Weeks and tiers partition the same answers.
    let weekly: i64 = r["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["nps_responses"].as_i64().unwrap())
        .sum();
    assert_eq!(weekly, n);
    let by_tier: i64 = r["by_tier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["csat_responses"].as_i64().unwrap())
        .sum();
    assert_eq!(by_tier, total);
    // Per agent: ticket ratings of the tickets assigned to them.
    let (ah, an): (i64, i64) = db::query_as(
        "SELECT SUM(CASE WHEN f.csat_score >= 4 THEN 1 ELSE 0 END), COUNT(*) FROM feedback f JOIN users u ON u.id = f.assignee_id
         WHERE u.name = 'Kai Lin' AND f.csat_score IS NOT NULL",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let kai = r["by_agent"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "Kai Lin")
        .unwrap()
        .clone();
    assert_eq!(kai["csat_responses"], an);
    assert!((kai["csat"].as_f64().unwrap() - ah as f64 * 100.0 / an as f64).abs() < 1e-9);
}

#[tokio::test]
async fn canned_replies_views_and_policy_validate_input() {
    let s = start_with(10, 0, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let sam = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let kai = s.signed_in(KAI.0, KAI.1).await;
    let (st, v) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/canned-replies",
        Some(json!({"shortcut": "thanks", "title": "Dup", "body": "x"})),
    )
    .await;
    assert_eq!(st, 422);
    assert!(v["error"]["fields"]["shortcut"].is_string());
    let (st, v) = call(
        &admin,
        &s,
        Method::POST,
        "/api/v1/admin/canned-replies",
        Some(json!({"shortcut": "two words", "title": "", "body": ""})),
    )
    .await;
    assert_eq!(st, 422);
    assert_eq!(v["error"]["fields"].as_object().unwrap().len(), 3);

    let (st, view) = call(
        &sam,
        &s,
        Method::POST,
        "/api/v1/support/views",
        Some(json!({"name": "Urgent unassigned", "query": "priority=urgent&assignee=none"})),
    )
    .await;
    assert_eq!(st, 201);
    assert_eq!(
        get(&kai, &s, "/api/v1/support/views").await,
        json!([]),
        "views are per agent"
    );
    let (st, _) = call(
        &kai,
        &s,
        Method::DELETE,
        &format!("/api/v1/support/views/{}", view["id"]),
        None,
    )
    .await;
    assert_eq!(st, 404, "nobody deletes another agent's view");
    let (st, _) = call(
        &sam,
        &s,
        Method::POST,
        "/api/v1/support/views",
        Some(json!({"name": "Bad", "query": "sort=sideways"})),
    )
    .await;
    assert_eq!(st, 422);

    let mut p = get(&admin, &s, "/api/v1/support/sla-policy").await;
    p["targets"][3]["first_response_minutes"] = json!(600);
    let (st, v) = call(
        &admin,
        &s,
        Method::PUT,
        "/api/v1/admin/sla-policy",
        Some(p.clone()),
    )
    .await;
    assert_eq!(st, 422);
    assert!(v["error"]["fields"]["targets.urgent"].is_string());
    p["targets"][3]["first_response_minutes"] = json!(30);
    let (st, v) = call(&admin, &s, Method::PUT, "/api/v1/admin/sla-policy", Some(p)).await;
    assert_eq!(st, 200);
    assert_eq!(v["targets"][3]["first_response_minutes"], 30);
}

#[tokio::test]
async fn business_hours_move_deadlines_and_bad_hours_are_refused() {
    let s = start_with(10, 0, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let mut p = get(&admin, &s, "/api/v1/support/sla-policy").await;
    assert!(p["business_hours"].is_null(), "around the clock by default");
    p["business_hours"] = json!({"start_minute": 600, "end_minute": 540, "days": [1, 2, 3, 4, 5]});
    let (st, v) = call(
        &admin,
        &s,
        Method::PUT,
        "/api/v1/admin/sla-policy",
        Some(p.clone()),
    )
    .await;
    assert_eq!(st, 422);
    assert!(v["error"]["fields"]["business_hours"].is_string());
    // Open only on Sundays 10:00–11:00 (Asia/Shanghai): deadlines land there.
    p["business_hours"] = json!({"start_minute": 600, "end_minute": 660, "days": [7]});
    let (st, _) = call(&admin, &s, Method::PUT, "/api/v1/admin/sla-policy", Some(p)).await;
    assert_eq!(st, 200);
    let id = complain(&s, &member, "Deadline check for business hours").await;
    let t = get(&admin, &s, &format!("/api/v1/support/tickets/{id}")).await;
    let due =
        chrono::DateTime::parse_from_rfc3339(t["sla"]["first_response_due"].as_str().unwrap())
            .unwrap();
    let created = chrono::DateTime::parse_from_rfc3339(
        t["ticket"]["summary"]["created_at"].as_str().unwrap(),
    )
    .unwrap();
    let local = due.with_timezone(&chrono_tz::Asia::Shanghai);
    use chrono::{Datelike, Timelike};
    assert_eq!(local.weekday(), chrono::Weekday::Sun);
    assert!((10..=11).contains(&local.hour()), "{local}");
    let expected = patron_core::support::add_business_minutes(
        created.timestamp(),
        240,
        &patron_core::support::BusinessHours {
            start_minute: 600,
            end_minute: 660,
            days: vec![7],
        },
        chrono_tz::Asia::Shanghai,
    );
    assert_eq!(due.timestamp(), expected);
    // Four working hours at one hour a week: four Sundays later at most.
    assert!((due - created).num_days() >= 21);
}
