//! Messages to members through a real SMTP server (aiosmtpd on a free port,
//! tests/smtp_sink.py): a member who opted in gets the points-expiry
//! reminder in their language with their figures; its one-click link
//! unsubscribes them without signing in and the next reminder is not sent;
//! a member without consent never gets one; a permanent refusal fails the
//! message and suppresses the address, a temporary one is retried, a mail
//! server that is down leaves the backlog queued with its error shown.
//! Without a mail server messages are captured in the outbox; the admin's
//! templates are checked (422 naming an unknown field), previewed and used.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{
    add_member_with_points, consent, member_id, register, SmtpSink, TestServer, ADMIN, MEMBER,
};
use patron_server::clock::Clock;
use patron_server::messaging::deliver::deliver_due;
use patron_server::messaging::MessagingConfig;
use patron_server::store::db;
use serde_json::{json, Value};

const DAY: i64 = 86_400;

/// Noon UTC today: outside every member's quiet hours in UTC.
fn noon() -> chrono::DateTime<Utc> {
    let today = Utc::now().date_naive();
    Utc.from_utc_datetime(&today.and_hms_opt(12, 0, 0).unwrap())
}

fn mailing(sink: &SmtpSink) -> MessagingConfig {
    MessagingConfig {
        smtp_url: Some(sink.url()),
        rate_per_minute: 60_000,
        ..Default::default()
    }
}

/// A lot of `points` for `member`, earned now, expiring in `days`.
async fn lot(s: &TestServer, member: i64, points: i64, days: i64) {
    let now = s.store.now().timestamp();
    db::query(
        "INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, reason)
         VALUES (?, 'earn', ?, ?, ?, ?, 'Test order')",
    )
    .bind(member)
    .bind(points)
    .bind(now - 60)
    .bind(now - 60)
    .bind(now + days * DAY)
    .execute(s.pool())
    .await
    .unwrap();
}

async fn set_member(s: &TestServer, member: i64, language: &str, zone: &str) {
    db::query("UPDATE members SET language = ?, time_zone = ? WHERE id = ?")
        .bind(language)
        .bind(zone)
        .bind(member)
        .execute(s.pool())
        .await
        .unwrap();
}

/// The member's newest choice for `channel` and where it came from.
async fn latest_consent(s: &TestServer, member: i64, channel: &str) -> (bool, String) {
    let r: (i64, String) = db::query_as(
        "SELECT CASE WHEN granted THEN 1 ELSE 0 END, source FROM consents
         WHERE member_id = ? AND channel = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(member)
    .bind(channel)
    .fetch_one(s.pool())
    .await
    .unwrap();
    (r.0 == 1, r.1)
}

async fn messages_of(s: &TestServer, member: i64) -> Vec<(String, String, Option<String>)> {
    db::query_as(
        "SELECT template, status, last_error FROM messages WHERE member_id = ? ORDER BY id",
    )
    .bind(member)
    .fetch_all(s.pool())
    .await
    .unwrap()
}

/// The token of a message's `List-Unsubscribe: <…/unsubscribe/TOKEN>`.
fn unsubscribe_token(m: &Value) -> String {
    let h = m["headers"]["List-Unsubscribe"]
        .as_str()
        .expect("List-Unsubscribe");
    let url = h.trim_start_matches('<').trim_end_matches('>');
    url.rsplit_once("/unsubscribe/")
        .expect("an unsubscribe URL")
        .1
        .to_string()
}

#[tokio::test]
async fn an_opted_in_member_gets_the_expiry_reminder_in_their_language_and_one_click_unsubscribes()
{
    let sink = SmtpSink::start();
    let clock = Clock::fixed(noon());
    let s = common::start_mailing(20, clock.clone(), mailing(&sink)).await;
    let (a_email, b_email) = ("ann.reminded@example.test", "bo.silent@example.test");
    let a = add_member_with_points(&s, a_email, "secret-password-1", 0).await;
    let b = add_member_with_points(&s, b_email, "secret-password-2", 0).await;
    set_member(&s, a, "zh", "UTC").await;
    set_member(&s, b, "en", "UTC").await;
    consent(&s, a, "points_reminders", true).await;
    consent(&s, b, "points_reminders", false).await;
    lot(&s, a, 500, 20).await;
    lot(&s, b, 400, 20).await;
    let expiry_date = (s.store.now() + Duration::days(20))
        .date_naive()
        .to_string();

    patron_server::jobs::tick(&s.store).await;
    let report = deliver_due(&s.store, &s.mailer).await.unwrap();
    assert!(report.sent >= 1, "{report:?}");

    let got = sink.to(a_email);
    assert_eq!(got.len(), 1, "one reminder: {got:?}");
    let m = &got[0];
    let subject = m["subject"].as_str().unwrap();
    assert!(
        subject.contains("500") && subject.contains("积分"),
        "Chinese subject with the figure: {subject}"
    );
    assert!(
        subject.contains(&expiry_date),
        "{subject} names {expiry_date}"
    );
    let text = m["text"].as_str().unwrap();
    assert!(
        text.contains("还剩 20 天") && text.contains("退订"),
        "{text}"
    );
    assert!(m["html"].as_str().unwrap().contains("<strong>500</strong>"));
    assert_eq!(
        m["headers"]["List-Unsubscribe-Post"],
        "List-Unsubscribe=One-Click"
    );
    assert!(sink.to(b_email).is_empty(), "no consent, no reminder");
    assert!(
        messages_of(&s, b).await.is_empty(),
        "nothing is even queued for B"
    );

    // The mail client's one-click POST, no session.
    let token = unsubscribe_token(m);
    let res = reqwest::Client::new()
        .post(s.url(&format!("/unsubscribe/{token}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.text().await.unwrap().contains("积分提醒"),
        "the page speaks the member's language"
    );
    assert_eq!(
        latest_consent(&s, a, "points_reminders").await,
        (false, "unsubscribe".into())
    );

    // A week later the 7-day reminder would be due: not for A any more.
    clock.advance(Duration::days(15));
    patron_server::jobs::tick(&s.store).await;
    deliver_due(&s.store, &s.mailer).await.unwrap();
    assert_eq!(sink.to(a_email).len(), 1, "no reminder after unsubscribing");
    assert!(sink.to(b_email).is_empty());

    // A reminder queued before the unsubscribe is checked again at sending.
    db::query(
        "INSERT INTO messages (member_id, template, topic, fields, status, created_at, next_attempt_at)
         VALUES (?, 'points_expiring', 'points_reminders', '{}', 'queued', ?, ?)",
    )
    .bind(a)
    .bind(s.store.now().timestamp())
    .bind(s.store.now().timestamp())
    .execute(s.pool())
    .await
    .unwrap();
    let report = deliver_due(&s.store, &s.mailer).await.unwrap();
    assert_eq!(report.skipped, 1, "{report:?}");
    assert_eq!(sink.to(a_email).len(), 1);
    let last = messages_of(&s, a).await.pop().unwrap();
    assert_eq!(last.1, "skipped");
    assert!(last.2.unwrap().contains("No consent"));
}

#[tokio::test]
async fn a_permanent_refusal_suppresses_the_address_and_a_temporary_one_is_retried() {
    let sink = SmtpSink::start();
    let s = common::start_mailing(10, Clock::fixed(noon()), mailing(&sink)).await;
    register(&s, "Bounce Ann", "bounce-ann@example.test").await;
    register(&s, "Later Bo", "later-bo@example.test").await;
    register(&s, "Cy Fine", "cy@example.test").await;

    let r = deliver_due(&s.store, &s.mailer).await.unwrap();
    assert_eq!((r.sent, r.failed, r.retried), (1, 1, 1), "{r:?}");
    let got = sink.to("cy@example.test");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["subject"], "Welcome to the programme, Cy");
    assert!(
        got[0]["headers"].get("List-Unsubscribe").is_none(),
        "a service message has no unsubscribe"
    );

    let bounced = member_id(&s, "bounce-ann@example.test").await;
    let (_, status, error) = messages_of(&s, bounced).await.pop().unwrap();
    assert_eq!(status, "failed");
    assert!(
        error.unwrap().contains("550"),
        "the server's reason is kept"
    );
    // The admin sees the address on the suppression list, as a bounce.
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let list = s
        .get_json(&admin, "/api/v1/admin/messaging/suppressions")
        .await;
    let entry = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["email"] == "bounce-ann@example.test")
        .expect("the bounced address is listed");
    assert_eq!(entry["reason"], "bounce");

    let later = member_id(&s, "later-bo@example.test").await;
    let (attempts, next, error): (i64, i64, Option<String>) = db::query_as(
        "SELECT attempts, next_attempt_at, last_error FROM messages WHERE member_id = ? AND status = 'queued'",
    )
    .bind(later)
    .fetch_one(s.pool())
    .await
    .unwrap();
    assert_eq!(attempts, 1);
    assert_eq!(
        next,
        s.store.now().timestamp() + 60,
        "first retry a minute later"
    );
    assert!(error.unwrap().contains("451"));

    // A suppressed address gets nothing more but account mail.
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let page = s.get_json(&admin, "/api/v1/admin/messaging/outbox").await;
    assert_eq!(page["delivery"], "smtp");
    assert_eq!(page["counts"]["failed"], 1);
    assert_eq!(page["counts"]["queued"], 1);
    assert_eq!(page["counts"]["sent"], 1);
}

#[tokio::test]
async fn a_mail_server_that_is_down_leaves_the_backlog_queued_with_its_error_shown() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let config = MessagingConfig {
        smtp_url: Some(format!("smtp://127.0.0.1:{closed}")),
        ..Default::default()
    };
    let s = common::start_mailing(10, Clock::fixed(noon()), config).await;
    register(&s, "Dee One", "dee1@example.test").await;
    register(&s, "Dee Two", "dee2@example.test").await;
    let r = deliver_due(&s.store, &s.mailer).await.unwrap();
    assert!(
        r.stopped.is_some(),
        "the batch stops at an unreachable server: {r:?}"
    );
    assert_eq!(r.sent + r.failed, 0);

    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let page = s
        .get_json(&admin, "/api/v1/admin/messaging/outbox?status=queued")
        .await;
    assert_eq!(page["counts"]["queued"], 2, "nothing is lost: {page}");
    assert_eq!(page["total"], 2);
    assert!(page["oldest_queued_at"].is_string());
    assert!(
        !page["last_error"].as_str().unwrap_or_default().is_empty(),
        "{page}"
    );
    assert!(page["last_error_at"].is_string());
}

#[tokio::test]
async fn without_a_mail_server_messages_are_captured_and_templates_are_checked_previewed_and_used()
{
    let s = common::start_on(10, 0, None, Clock::fixed(noon())).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let put = |body: Value| {
        admin
            .put(s.url("/api/v1/admin/messaging/templates/welcome/en"))
            .json(&body)
            .send()
    };
    let res = put(
        json!({"subject": "Hi", "text": "Your colour: {{ favourite_colour }}", "html": "<p>x</p>"}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    let e: Value = res.json().await.unwrap();
    assert_eq!(
        e["error"]["fields"]["text"],
        "Unknown merge field: favourite_colour"
    );
    let res = put(json!({"subject": "Hi {{ first_name", "text": "x", "html": "y"}))
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "a syntax error");

    let custom = json!({
        "subject": "Hi {{ first_name }}, card {{ card_number }}",
        "text": "Balance {{ balance }}",
        "html": "<p>{{ name }}</p>"
    });
    // Preview for the demo member, as they would get it.
    let demo = member_id(&s, MEMBER.0).await;
    let p: Value = admin
        .post(s.url("/api/v1/admin/messaging/templates/welcome/en/preview"))
        .json(&json!({"member_id": demo, "template": custom}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        p["subject"].as_str().unwrap().starts_with("Hi Li, card "),
        "{p}"
    );
    let res = put(custom.clone()).await.unwrap();
    assert_eq!(res.status(), 200);
    let saved: Value = res.json().await.unwrap();
    assert_eq!(saved["customised"], true);

    register(&s, "Dee Example", "dee@example.test").await;
    let r = deliver_due(&s.store, &s.mailer).await.unwrap();
    assert_eq!(r.captured, 1, "{r:?}");
    let page = s.get_json(&admin, "/api/v1/admin/messaging/outbox").await;
    assert_eq!(page["delivery"], "captured");
    let item = &page["items"][0];
    assert_eq!(item["status"], "captured");
    assert!(
        item["subject"]
            .as_str()
            .unwrap()
            .starts_with("Hi Dee, card 8800"),
        "{item}"
    );
    let detail = s
        .get_json(
            &admin,
            &format!("/api/v1/admin/messaging/outbox/{}", item["id"]),
        )
        .await;
    assert!(
        detail["text"].as_str().unwrap().starts_with("Balance 0"),
        "{detail}"
    );
    assert!(detail["html"]
        .as_str()
        .unwrap()
        .contains("<p>Dee Example</p>"));

    let audit = s
        .get_json(&admin, "/api/v1/admin/audit?entity=message_template")
        .await;
    assert_eq!(
        audit["items"][0]["action"], "message_template.update",
        "{audit}"
    );

    // Members and support staff see none of it.
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    for path in [
        "/api/v1/admin/messaging/outbox",
        "/api/v1/admin/messaging/templates",
    ] {
        let st = member.get(s.url(path)).send().await.unwrap().status();
        assert_eq!(st, 403, "{path}");
    }
}

#[tokio::test]
async fn a_tampered_or_expired_unsubscribe_token_is_refused_and_changes_nothing() {
    let s = common::start_on(10, 0, None, Clock::fixed(noon())).await;
    let demo = member_id(&s, MEMBER.0).await;
    consent(&s, demo, "news", true).await;
    let key = s.mailer.key(&s.store).await.unwrap().to_vec();
    let sign = |expires_at: i64| {
        patron_server::messaging::tokens::sign(
            &key,
            &patron_server::messaging::tokens::Unsubscribe {
                message_id: 1,
                member_id: demo,
                topic: patron_core::messaging::Topic::News,
                expires_at,
            },
        )
    };
    let now = s.store.now().timestamp();
    let good = sign(now + DAY);
    let expired = sign(now - 1);
    let tampered = format!("{}x", &good[..good.len() - 1]);
    let c = reqwest::Client::new();
    for (token, says) in [
        (&tampered, "not valid"),
        (&expired, "expired"),
        (&"garbage".to_string(), "not valid"),
    ] {
        let res = c
            .post(s.url(&format!("/api/v1/unsubscribe/{token}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        let e: Value = res.json().await.unwrap();
        assert_eq!(e["error"]["code"], "bad_request");
        assert!(
            e["error"]["message"].as_str().unwrap().contains(says),
            "{e}"
        );
        let page = c
            .get(s.url(&format!("/unsubscribe/{token}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 400);
        let res = c
            .post(s.url(&format!("/unsubscribe/{token}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
    }
    assert_eq!(
        latest_consent(&s, demo, "news").await,
        (true, "seed".into())
    );

    // The real one: GET only asks, POST unsubscribes, again changes nothing.
    let page = c
        .get(s.url(&format!("/unsubscribe/{good}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("<form method=\"post\""));
    assert!(
        latest_consent(&s, demo, "news").await.0,
        "a GET changes nothing"
    );
    let r: Value = c
        .post(s.url(&format!("/api/v1/unsubscribe/{good}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r, json!({"topic": "news", "changed": true}));
    let again: Value = c
        .post(s.url(&format!("/api/v1/unsubscribe/{good}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["changed"], false);
    assert_eq!(
        latest_consent(&s, demo, "news").await,
        (false, "unsubscribe".into())
    );
}

#[tokio::test]
async fn a_support_reply_reaches_the_member_by_email_and_quiet_hours_hold_marketing() {
    let sink = SmtpSink::start();
    // 23:00 UTC: night for a member in UTC.
    let night = noon() + Duration::hours(11);
    let s = common::start_mailing(10, Clock::fixed(night), mailing(&sink)).await;
    let m = add_member_with_points(&s, "eve@example.test", "secret-password-3", 0).await;
    set_member(&s, m, "en", "UTC").await;
    consent(&s, m, "news", true).await;
    // A news message and a service message queued at night.
    for (template, topic) in [("welcome", "news"), ("welcome", "service")] {
        db::query(
            "INSERT INTO messages (member_id, template, topic, fields, status, created_at, next_attempt_at)
             VALUES (?, ?, ?, '{}', 'queued', ?, ?)",
        )
        .bind(m)
        .bind(template)
        .bind(topic)
        .bind(s.store.now().timestamp())
        .bind(s.store.now().timestamp())
        .execute(s.pool())
        .await
        .unwrap();
    }
    // One message per member per batch: two batches.
    let a = deliver_due(&s.store, &s.mailer).await.unwrap();
    let b = deliver_due(&s.store, &s.mailer).await.unwrap();
    assert_eq!(
        (a.sent + b.sent, a.deferred + b.deferred),
        (1, 1),
        "service goes, marketing waits: {a:?} {b:?}"
    );
    let next: i64 = db::query_scalar("SELECT next_attempt_at FROM messages WHERE topic = 'news'")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(
        next,
        (noon() + Duration::hours(20)).timestamp(),
        "held until 08:00 in their zone"
    );

    // A support reply is emailed to the member who wrote in.
    let member = s.signed_in("eve@example.test", "secret-password-3").await;
    let t: Value = member
        .post(s.url("/api/v1/feedback"))
        .json(&json!({"kind": "complaint", "category": "order", "message": "Late parcel: where is my order SO-9?", "desired_resolution": "Send it"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(t["id"].is_i64(), "{t}");
    let support = s.signed_in(common::SUPPORT.0, common::SUPPORT.1).await;
    let res = support
        .post(s.url(&format!("/api/v1/support/tickets/{}/messages", t["id"])))
        .json(&json!({"body": "It left our warehouse today.", "internal": false}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    deliver_due(&s.store, &s.mailer).await.unwrap();
    let got = sink.to("eve@example.test");
    let reply = got
        .iter()
        .find(|g| g["subject"].as_str().unwrap().starts_with("Re: "));
    let reply = reply.unwrap_or_else(|| panic!("the reply by email: {got:?}"));
    assert!(reply["text"]
        .as_str()
        .unwrap()
        .contains("It left our warehouse today."));
}

#[tokio::test]
async fn an_invalid_address_fails_its_message_with_the_reason_and_the_rest_go_on() {
    let sink = SmtpSink::start();
    let s = common::start_mailing(10, Clock::fixed(noon()), mailing(&sink)).await;
    let broken =
        add_member_with_points(&s, "fine-for-now@example.test", "secret-password-9", 0).await;
    db::query("UPDATE members SET email = 'not an address' WHERE id = ?")
        .bind(broken)
        .execute(s.pool())
        .await
        .unwrap();
    let fine = add_member_with_points(&s, "fine@example.test", "secret-password-8", 0).await;
    for m in [broken, fine] {
        db::query(
            "INSERT INTO messages (member_id, template, topic, fields, status, created_at, next_attempt_at)
             VALUES (?, 'welcome', 'service', '{}', 'queued', ?, ?)",
        )
        .bind(m)
        .bind(s.store.now().timestamp())
        .bind(s.store.now().timestamp())
        .execute(s.pool())
        .await
        .unwrap();
    }
    let r = deliver_due(&s.store, &s.mailer).await.unwrap();
    assert_eq!((r.sent, r.failed), (1, 1), "{r:?}");
    let (_, status, error) = messages_of(&s, broken).await.pop().unwrap();
    assert_eq!(status, "failed");
    assert!(error
        .unwrap()
        .starts_with("Invalid address \"not an address\""));
    assert_eq!(sink.to("fine@example.test").len(), 1);
}
