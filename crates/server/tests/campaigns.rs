//! Campaigns over HTTP on a real server whose clock the test sets (issue
//! 19): a campaign to a segment holds out a stable tenth that gets
//! nothing, reaches no member who said no or whose address is suppressed,
//! and its preview counted exactly that beforehand; purchases after clicks
//! and opens are attributed last-touch as the domain rule says and the
//! lift over the holdout equals a hand computation; an A/B test's winner
//! is picked by its metric and sent to the members who waited; drafts are
//! checked, states move only forward, a local schedule reaches each
//! member at their own hour, and only admins reach any of it.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, TimeZone, Utc};
use common::{TestServer, ADMIN, MEMBER, SUPPORT};
use patron_server::clock::Clock;
use patron_server::messaging::deliver::deliver_due;
use patron_server::store::db;
use serde_json::{json, Value};

const DAY: i64 = 86_400;

fn noon() -> chrono::DateTime<Utc> {
    let today = Utc::now().date_naive();
    Utc.from_utc_datetime(&today.and_hms_opt(12, 0, 0).unwrap())
}

/// A server at noon UTC with quiet hours off and a generous cap, and an
/// admin signed in.
async fn server(members: i64) -> (TestServer, reqwest::Client, Clock) {
    let clock = Clock::fixed(noon());
    let s = common::start_on(members, 0, None, clock.clone()).await;
    db::query("UPDATE messaging_settings SET quiet_start = 0, quiet_end = 0, frequency_cap = 50")
        .execute(s.pool())
        .await
        .unwrap();
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    (s, admin, clock)
}

fn part(s: &str) -> Value {
    json!({"subject": s, "text": format!("{s} {{{{ first_name }}}}"), "html": format!("<p>{s}</p>")})
}

fn draft(name: &str, segment: Option<i64>, variants: &[&str], holdout: u32) -> Value {
    json!({
        "name": name,
        "goal": "repeat_purchase_rate",
        "segment_id": segment,
        "topic": "email_offers",
        "variants": variants.iter().map(|v| json!({"en": part(v), "zh": part(&format!("{v}（中文）"))})).collect::<Vec<_>>(),
        "holdout_percent": holdout,
        "test_percent": 40,
        "winner_metric": "click_rate",
        "winner_after_hours": 4,
        "schedule": {"kind": "now"},
    })
}

async fn send(
    c: &reqwest::Client,
    s: &TestServer,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = s.url(path);
    let req = match method {
        "GET" => c.get(url),
        "PUT" => c.put(url),
        _ => c.post(url),
    };
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Every member agrees to offers.
async fn everyone_consents(s: &TestServer) {
    db::query("INSERT INTO consents (member_id, channel, granted, at, source) SELECT id, 'email_offers', ?, ?, 'test' FROM members")
        .bind(true)
        .bind(s.store.now().timestamp() - DAY)
        .execute(s.pool())
        .await
        .unwrap();
}

/// Delivers until nothing is due.
async fn deliver_all(s: &TestServer) {
    while deliver_due(&s.store, &s.mailer).await.unwrap().handled() > 0 {}
}

/// member → arm of campaign `id`.
async fn arms(s: &TestServer, id: i64) -> BTreeMap<i64, i64> {
    db::query_as::<(i64, i64)>("SELECT member_id, arm FROM campaign_members WHERE campaign_id = ?")
        .bind(id)
        .fetch_all(s.pool())
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// (member, status, subject) of campaign `id`'s messages.
async fn messages(s: &TestServer, id: i64) -> Vec<(i64, String, Option<String>)> {
    db::query_as(
        "SELECT member_id, status, subject FROM messages WHERE campaign_id = ? ORDER BY member_id",
    )
    .bind(id)
    .fetch_all(s.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_campaign_to_a_segment_holds_out_a_tenth_and_reaches_no_member_who_said_no() {
    let (s, admin, _) = server(400).await;
    db::query("UPDATE members SET region = 'North' WHERE id % 2 = 0")
        .execute(s.pool())
        .await
        .unwrap();
    db::query("UPDATE members SET language = 'zh' WHERE id % 6 = 0")
        .execute(s.pool())
        .await
        .unwrap();
    everyone_consents(&s).await;
    let north: Vec<(i64, String)> = db::query_as(
        "SELECT id, email FROM members WHERE region = 'North' AND status = 'active' ORDER BY id",
    )
    .fetch_all(s.pool())
    .await
    .unwrap();
    // Five said no since; one address bounced.
    let said_no: BTreeSet<i64> = north.iter().step_by(17).take(5).map(|m| m.0).collect();
    for m in &said_no {
        common::consent(&s, *m, "email_offers", false).await;
    }
    let bounced = north[3].clone();
    db::query("INSERT INTO suppressions (email, reason, detail, created_at) VALUES (lower(?), 'bounce', '550', 0)")
        .bind(&bounced.1)
        .execute(s.pool())
        .await
        .unwrap();
    let def = json!({"join": "all", "groups": [{"join": "all", "conditions": [
        {"field": "attribute", "attribute": "region", "any_of": ["North"]}]}]});
    let (st, seg) = send(
        &admin,
        &s,
        "POST",
        "/api/v1/analytics/segments",
        Some(json!({"name": "North", "description": "", "definition": def})),
    )
    .await;
    assert_eq!(st, 201, "{seg}");

    let (st, c) = send(
        &admin,
        &s,
        "POST",
        "/api/v1/admin/campaigns",
        Some(draft(
            "Spring offer",
            seg["id"].as_i64(),
            &["Spring is here"],
            10,
        )),
    )
    .await;
    assert_eq!(st, 201, "{c}");
    assert_eq!(c["status"], "draft");
    assert_eq!(c["segment_name"], "North");
    let id = c["id"].as_i64().unwrap();
    let (_, p) = send(
        &admin,
        &s,
        "GET",
        &format!("/api/v1/admin/campaigns/{id}/preview"),
        None,
    )
    .await;
    assert_eq!(p["audience"].as_i64().unwrap(), north.len() as i64, "{p}");

    let (st, c) = send(
        &admin,
        &s,
        "POST",
        &format!("/api/v1/admin/campaigns/{id}/schedule"),
        None,
    )
    .await;
    assert_eq!(st, 200, "{c}");
    assert_eq!(
        c["status"], "sent",
        "one variant: everything queued at once"
    );
    assert_eq!(c["audience"].as_i64().unwrap(), north.len() as i64);
    let arms = arms(&s, id).await;
    let held: BTreeSet<i64> = arms.iter().filter(|a| *a.1 == -1).map(|a| *a.0).collect();
    assert_eq!(c["held_out"].as_i64().unwrap(), held.len() as i64);
    assert!(
        (8..=32).contains(&held.len()),
        "about a tenth of {}: {}",
        north.len(),
        held.len()
    );
    // The holdout is stable: the preview drew the same members.
    assert_eq!(p["held_out"].as_i64().unwrap(), held.len() as i64);

    deliver_all(&s).await;
    let msgs = messages(&s, id).await;
    let sent: BTreeSet<i64> = msgs
        .iter()
        .filter(|m| m.1 == "captured")
        .map(|m| m.0)
        .collect();
    let expected: BTreeSet<i64> = north
        .iter()
        .map(|m| m.0)
        .filter(|m| !held.contains(m) && !said_no.contains(m) && *m != bounced.0)
        .collect();
    assert_eq!(
        sent, expected,
        "everyone else in the segment, no one held out or unwilling"
    );
    assert!(
        msgs.iter().all(|m| !held.contains(&m.0)),
        "held-out members get no message at all"
    );
    assert_eq!(p["will_send"].as_i64().unwrap(), sent.len() as i64, "{p}");
    let removed = |set: &BTreeSet<i64>| set.iter().filter(|m| !held.contains(m)).count() as i64;
    assert_eq!(p["no_consent"].as_i64().unwrap(), removed(&said_no));
    assert_eq!(
        p["suppressed"].as_i64().unwrap(),
        i64::from(!held.contains(&bounced.0))
    );
    // Each in their language.
    for (member, status, subject) in &msgs {
        if status == "captured" {
            let zh = member % 6 == 0;
            let want = if zh {
                "Spring is here（中文）"
            } else {
                "Spring is here"
            };
            assert_eq!(subject.as_deref(), Some(want), "member {member}");
        }
    }
    // The report counts what happened.
    let (_, r) = send(
        &admin,
        &s,
        "GET",
        &format!("/api/v1/admin/campaigns/{id}/report"),
        None,
    )
    .await;
    let arm = |name: &str| {
        r["arms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["arm"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(arm("A")["sent"].as_i64().unwrap(), sent.len() as i64);
    assert_eq!(
        arm("holdout")["members"].as_i64().unwrap(),
        held.len() as i64
    );
    assert_eq!(arm("holdout")["sent"], 0);
}

#[tokio::test]
async fn purchases_are_attributed_last_touch_and_the_lift_equals_a_hand_computation() {
    let (s, admin, clock) = server(300).await;
    everyone_consents(&s).await;
    let t0 = s.store.now().timestamp();
    let later: i64 = db::query_scalar("SELECT COUNT(*) FROM purchases WHERE purchased_at >= ?")
        .bind(t0)
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(later, 0, "the seed buys nothing after now");
    let mut ids = Vec::new();
    for (name, holdout) in [("First", 20), ("Second", 0)] {
        let (_, c) = send(
            &admin,
            &s,
            "POST",
            "/api/v1/admin/campaigns",
            Some(draft(name, None, &[name], holdout)),
        )
        .await;
        let id = c["id"].as_i64().unwrap();
        let (st, _) = send(
            &admin,
            &s,
            "POST",
            &format!("/api/v1/admin/campaigns/{id}/schedule"),
            None,
        )
        .await;
        assert_eq!(st, 200);
        ids.push(id);
    }
    deliver_all(&s).await;
    let first = arms(&s, ids[0]).await;
    let treated: Vec<i64> = first.iter().filter(|a| *a.1 == 0).map(|a| *a.0).collect();
    let holdout: Vec<i64> = first.iter().filter(|a| *a.1 == -1).map(|a| *a.0).collect();
    let message = |campaign: i64, member: i64| {
        let pool = s.pool().clone();
        async move {
            db::query_scalar::<i64>(
                "SELECT id FROM messages WHERE campaign_id = ? AND member_id = ?",
            )
            .bind(campaign)
            .bind(member)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let event = |message: i64, kind: &'static str, at: i64| {
        let pool = s.pool().clone();
        async move {
            db::query("INSERT INTO message_events (message_id, kind, at) VALUES (?, ?, ?)")
                .bind(message)
                .bind(kind)
                .bind(at)
                .execute(&pool)
                .await
                .unwrap();
        }
    };
    let buy = |member: i64, at: i64, amount: i64| {
        let pool = s.pool().clone();
        async move {
            db::query("INSERT INTO purchases (member_id, order_ref, amount_minor, category, purchased_at) VALUES (?, ?, ?, 'grocery', ?)")
                .bind(member)
                .bind(format!("C-{member}-{at}"))
                .bind(amount)
                .bind(at)
                .execute(&pool)
                .await
                .unwrap();
        }
    };
    let h = 3_600;
    // 30 clicked and bought 2 days later: theirs.
    for &m in &treated[0..30] {
        event(message(ids[0], m).await, "click", t0 + h).await;
        buy(m, t0 + 2 * DAY, 5_000).await;
    }
    // …but one of them clicked the second campaign after: last touch wins.
    let stolen = treated[0];
    event(message(ids[1], stolen).await, "click", t0 + DAY).await;
    // 10 opened and bought a day later: theirs.
    for &m in &treated[30..40] {
        event(message(ids[0], m).await, "open", t0 + h).await;
        buy(m, t0 + DAY, 3_000).await;
    }
    // A machine open attributes nothing; 10 bought 3 days after opening:
    // past the 2-day open window, but within the 7-day window.
    for &m in &treated[40..50] {
        event(message(ids[0], m).await, "machine_open", t0 + 60).await;
        event(message(ids[0], m).await, "open", t0 + h).await;
        buy(m, t0 + 3 * DAY, 2_000).await;
    }
    // 5 clicked and bought 9 days later: outside every window.
    for &m in &treated[50..55] {
        event(message(ids[0], m).await, "click", t0 + h).await;
        buy(m, t0 + 9 * DAY, 9_000).await;
    }
    // 6 held out bought anyway, a day after theirs would have gone.
    for &m in &holdout[0..6] {
        buy(m, t0 + DAY, 4_000).await;
    }
    clock.set(noon() + Duration::days(10));

    let (_, r) = send(
        &admin,
        &s,
        "GET",
        &format!("/api/v1/admin/campaigns/{}/report", ids[0]),
        None,
    )
    .await;
    let arm = |name: &str| {
        r["arms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["arm"] == name)
            .cloned()
            .unwrap()
    };
    let a = arm("A");
    assert_eq!(
        a["converted"], 39,
        "30 clicks − 1 taken by the later campaign + 10 opens: {r}"
    );
    assert_eq!(a["revenue_minor"], 29 * 5_000 + 10 * 3_000);
    assert_eq!(a["clicked"], 35);
    assert_eq!(a["opened"], 20, "machine opens are not people");
    assert_eq!(a["purchasers"], 50);
    assert_eq!(
        a["purchase_revenue_minor"],
        30 * 5_000 + 10 * 3_000 + 10 * 2_000
    );
    let hr = arm("holdout");
    assert_eq!(
        (hr["purchasers"].as_i64(), hr["converted"].as_i64()),
        (Some(6), Some(0))
    );
    // The second campaign got the purchase its click preceded.
    let (_, r2) = send(
        &admin,
        &s,
        "GET",
        &format!("/api/v1/admin/campaigns/{}/report", ids[1]),
        None,
    )
    .await;
    assert_eq!(r2["arms"][0]["converted"], 1, "{r2}");

    // By hand: 50 of the treated bought within 7 days, 6 of the holdout.
    let (nt, nh) = (treated.len() as f64, holdout.len() as f64);
    let (p1, p2) = (50.0 / nt, 6.0 / nh);
    let se = (p1 * (1.0 - p1) / nt + p2 * (1.0 - p2) / nh).sqrt();
    let lift = &r["conversion_lift"];
    assert!(
        (lift["estimate"].as_f64().unwrap() - (p1 - p2)).abs() < 1e-9,
        "{lift}"
    );
    assert!((lift["low"].as_f64().unwrap() - (p1 - p2 - 1.959_964 * se)).abs() < 1e-6);
    assert!((lift["high"].as_f64().unwrap() - (p1 - p2 + 1.959_964 * se)).abs() < 1e-6);
    let revenue = 30.0 * 5_000.0 + 10.0 * 3_000.0 + 10.0 * 2_000.0;
    let incremental = ((revenue / nt - 24_000.0 / nh) * nt).round() as i64;
    assert_eq!(r["incremental_revenue_minor"].as_i64(), Some(incremental));
}

#[tokio::test]
async fn the_ab_winner_is_picked_by_clicks_after_its_wait_and_goes_to_the_members_who_waited() {
    let (s, admin, clock) = server(300).await;
    everyone_consents(&s).await;
    let (_, c) = send(
        &admin,
        &s,
        "POST",
        "/api/v1/admin/campaigns",
        Some(draft(
            "Subject test",
            None,
            &["Plain subject", "Bold subject"],
            0,
        )),
    )
    .await;
    let id = c["id"].as_i64().unwrap();
    let (_, c) = send(
        &admin,
        &s,
        "POST",
        &format!("/api/v1/admin/campaigns/{id}/schedule"),
        None,
    )
    .await;
    assert_eq!(
        c["status"], "sending",
        "the test share went; the rest waits"
    );
    deliver_all(&s).await;
    let a = arms(&s, id).await;
    let of = |arm: i64| {
        a.iter()
            .filter(|x| *x.1 == arm)
            .map(|x| *x.0)
            .collect::<Vec<_>>()
    };
    let (va, vb, waiting) = (of(0), of(1), of(-2));
    assert!(
        va.len() > 20 && vb.len() > 20 && waiting.len() > 120,
        "{} {} {}",
        va.len(),
        vb.len(),
        waiting.len()
    );
    assert_eq!(
        messages(&s, id).await.len(),
        va.len() + vb.len(),
        "nothing for the waiting yet"
    );
    for (members, clicks) in [(&va, 3), (&vb, 20)] {
        for &m in &members[0..clicks] {
            db::query("INSERT INTO message_events (message_id, kind, at) SELECT id, 'click', ? FROM messages WHERE campaign_id = ? AND member_id = ?")
                .bind(s.store.now().timestamp() + 600)
                .bind(id)
                .bind(m)
                .execute(s.pool())
                .await
                .unwrap();
        }
    }
    clock.set(noon() + Duration::hours(3));
    let run = patron_server::campaigns::run_due(&s.store, s.store.now())
        .await
        .unwrap();
    assert_eq!(run.decided, 0, "the test runs 4 hours");
    clock.set(noon() + Duration::hours(5));
    let (_, r) = send(
        &admin,
        &s,
        "GET",
        &format!("/api/v1/admin/campaigns/{id}/report"),
        None,
    )
    .await;
    assert_eq!(r["leader"], 1, "{r}");
    assert!(r["leader_confidence"].as_f64().unwrap() > 0.99);
    let run = patron_server::campaigns::run_due(&s.store, s.store.now())
        .await
        .unwrap();
    assert_eq!((run.decided, run.queued), (1, waiting.len() as i64));
    let again = patron_server::campaigns::run_due(&s.store, s.store.now())
        .await
        .unwrap();
    assert_eq!(again, Default::default(), "decided once");
    let (_, c) = send(
        &admin,
        &s,
        "GET",
        &format!("/api/v1/admin/campaigns/{id}"),
        None,
    )
    .await;
    assert_eq!(
        (c["status"].as_str(), c["winner"].as_i64()),
        (Some("sent"), Some(1))
    );
    deliver_all(&s).await;
    let got: BTreeMap<i64, Option<String>> = messages(&s, id)
        .await
        .into_iter()
        .map(|m| (m.0, m.2))
        .collect();
    for m in &waiting {
        let subject = got[m].as_deref().unwrap();
        assert!(
            subject.starts_with("Bold subject"),
            "member {m} got {subject}"
        );
    }
}

#[tokio::test]
async fn drafts_are_checked_states_move_forward_and_a_local_schedule_keeps_each_members_hour() {
    let (s, admin, clock) = server(20).await;
    let mut bad = draft(" ", None, &["Hi"], 10);
    bad["variants"][0]["zh"]["text"] = json!("{{ favourite_colour }}");
    let (st, e) = send(&admin, &s, "POST", "/api/v1/admin/campaigns", Some(bad)).await;
    assert_eq!(st, 422);
    let fields = &e["error"]["fields"];
    assert!(fields["name"].is_string(), "{e}");
    assert_eq!(
        fields["variants.0.zh.text"],
        "Unknown merge field: favourite_colour"
    );

    let mut timed = draft("Timed", None, &["Hi"], 10);
    timed["schedule"] = json!({"kind": "at", "at": (noon() - Duration::hours(1)).to_rfc3339()});
    let (_, c) = send(
        &admin,
        &s,
        "POST",
        "/api/v1/admin/campaigns",
        Some(timed.clone()),
    )
    .await;
    let id = c["id"].as_i64().unwrap();
    let path = |tail: &str| format!("/api/v1/admin/campaigns/{id}{tail}");
    let (st, e) = send(&admin, &s, "POST", &path("/schedule"), None).await;
    assert_eq!(
        (st, e["error"]["fields"]["schedule"].is_string()),
        (422, true),
        "{e}"
    );
    timed["schedule"] = json!({"kind": "at", "at": (noon() + Duration::days(1)).to_rfc3339()});
    let (st, _) = send(&admin, &s, "PUT", &path(""), Some(timed.clone())).await;
    assert_eq!(st, 200);
    let (st, c) = send(&admin, &s, "POST", &path("/schedule"), None).await;
    assert_eq!((st, c["status"].as_str()), (200, Some("scheduled")));
    let (st, _) = send(&admin, &s, "PUT", &path(""), Some(timed)).await;
    assert_eq!(st, 409, "a scheduled campaign is not edited");
    let (st, c) = send(&admin, &s, "POST", &path("/cancel"), None).await;
    assert_eq!((st, c["status"].as_str()), (200, Some("cancelled")));
    for tail in ["/cancel", "/schedule"] {
        let (st, _) = send(&admin, &s, "POST", &path(tail), None).await;
        assert_eq!(st, 409, "{tail} after cancel");
    }
    clock.set(noon() + Duration::days(2));
    patron_server::campaigns::run_due(&s.store, s.store.now())
        .await
        .unwrap();
    assert!(
        messages(&s, id).await.is_empty(),
        "a cancelled campaign never sends"
    );
    clock.set(noon());

    // Tomorrow 10:00 where each member is.
    let members: Vec<i64> = db::query_scalar("SELECT id FROM members ORDER BY id LIMIT 2")
        .fetch_all(s.pool())
        .await
        .unwrap();
    for (m, tz) in members.iter().zip(["Asia/Shanghai", "America/New_York"]) {
        db::query("UPDATE members SET time_zone = ? WHERE id = ?")
            .bind(tz)
            .bind(*m)
            .execute(s.pool())
            .await
            .unwrap();
    }
    let local = (noon() + Duration::days(1))
        .date_naive()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    let mut d = draft("Local", None, &["Morning"], 0);
    d["schedule"] = json!({"kind": "local", "at": local});
    let (_, c) = send(&admin, &s, "POST", "/api/v1/admin/campaigns", Some(d)).await;
    let lid = c["id"].as_i64().unwrap();
    let (_, c) = send(
        &admin,
        &s,
        "POST",
        &format!("/api/v1/admin/campaigns/{lid}/schedule"),
        None,
    )
    .await;
    assert_eq!(c["status"], "scheduled");
    clock.set(Utc.from_utc_datetime(&local) - Duration::hours(14));
    let run = patron_server::campaigns::run_due(&s.store, s.store.now())
        .await
        .unwrap();
    assert_eq!(run.started, 1);
    for (m, tz) in members
        .iter()
        .zip([chrono_tz::Asia::Shanghai, chrono_tz::America::New_York])
    {
        let at: i64 = db::query_scalar(
            "SELECT next_attempt_at FROM messages WHERE campaign_id = ? AND member_id = ?",
        )
        .bind(lid)
        .bind(*m)
        .fetch_one(s.pool())
        .await
        .unwrap();
        let want = tz.from_local_datetime(&local).unwrap().timestamp();
        assert_eq!(at, want, "member {m} in {tz}");
    }

    // Only admins.
    let anon = s.client();
    for (who, want) in [(Some(MEMBER), 403), (Some(SUPPORT), 403), (None, 401)] {
        let c = match who {
            Some((e, p)) => s.signed_in(e, p).await,
            None => anon.clone(),
        };
        for (method, p) in [
            ("GET", "/api/v1/admin/campaigns".to_string()),
            ("POST", "/api/v1/admin/campaigns".into()),
            ("GET", format!("/api/v1/admin/campaigns/{lid}/report")),
            ("GET", format!("/api/v1/admin/campaigns/{lid}/preview")),
            ("POST", format!("/api/v1/admin/campaigns/{lid}/cancel")),
        ] {
            let body = (method == "POST").then(|| draft("X", None, &["X"], 0));
            let (st, _) = send(&c, &s, method, &p, body).await;
            assert_eq!(st, want, "{method} {p} as {who:?}");
        }
    }
}
