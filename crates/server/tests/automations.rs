//! Automations over HTTP on a real server whose clock the test sets: an
//! automation switched off queues nothing and a delay holds its messages;
//! birthdays (29 February kept on the 28th; a birthday set in the 30 days
//! before is not honoured), holidays on their lunar dates, win-back and
//! tier changes queue their messages once, only for members who agreed;
//! suppressions are listed, added and lifted, and a mail provider's signed
//! report suppresses an address; opens by machines are told from a
//! person's, clicks redirect only where the token says; members read what
//! they were sent.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{add_member_with_points, consent, register, TestServer, ADMIN, MEMBER, SUPPORT};
use hmac::Mac;
use patron_server::clock::Clock;
use patron_server::messaging::automations::queue_dated;
use patron_server::messaging::deliver::deliver_due;
use patron_server::store::db;
use serde_json::{json, Value};

const DAY: i64 = 86_400;

fn at(s: &str) -> chrono::DateTime<Utc> {
    s.parse().unwrap()
}

/// (template, fields) of every message queued for `member`.
async fn queued(s: &TestServer, member: i64) -> Vec<(String, Value)> {
    let rows: Vec<(String, String)> =
        db::query_as("SELECT template, fields FROM messages WHERE member_id = ? ORDER BY id")
            .bind(member)
            .fetch_all(s.pool())
            .await
            .unwrap();
    rows.into_iter()
        .map(|(t, f)| (t, serde_json::from_str(&f).unwrap()))
        .collect()
}

#[tokio::test]
async fn an_automation_switched_off_queues_nothing_and_a_delay_holds_its_messages() {
    let clock = Clock::fixed(at("2026-06-10T04:00:00Z"));
    let s = common::start_on(10, 0, None, clock.clone()).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let o = s
        .get_json(&admin, "/api/v1/admin/messaging/automations")
        .await;
    assert_eq!(o["automations"].as_array().unwrap().len(), 8);
    assert!(o["automations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["enabled"] == true));
    assert_eq!(o["settings"]["reminder_days"], json!([30, 7]));
    let spring = o["holidays"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "spring_festival")
        .unwrap();
    assert_eq!(spring["next"], "2027-02-06", "lunar new year computed");

    let put = |key: &str, body: Value| {
        admin
            .put(s.url(&format!("/api/v1/admin/messaging/automations/{key}")))
            .json(&body)
            .send()
    };
    assert_eq!(
        put("welcome", json!({"enabled": false, "delay_hours": 0}))
            .await
            .unwrap()
            .status(),
        200
    );
    let off = register(&s, "Off Member", "off@example.test").await;
    assert!(
        queued(&s, off).await.is_empty(),
        "a switched-off automation queues nothing"
    );

    assert_eq!(
        put("welcome", json!({"enabled": true, "delay_hours": 2}))
            .await
            .unwrap()
            .status(),
        200
    );
    let later = register(&s, "Later Member", "later@example.test").await;
    let due: i64 = db::query_scalar("SELECT next_attempt_at FROM messages WHERE member_id = ?")
        .bind(later)
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(due, s.store.now().timestamp() + 2 * 3_600);
    assert_eq!(deliver_due(&s.store, &s.mailer).await.unwrap().captured, 0);
    clock.advance(Duration::hours(2));
    assert_eq!(deliver_due(&s.store, &s.mailer).await.unwrap().captured, 1);

    let res = put("welcome", json!({"enabled": true, "delay_hours": 721}))
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["fields"]["delay_hours"],
        "Wait 0 to 720 hours."
    );
    let res = put("no_such", json!({"enabled": true, "delay_hours": 0}))
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    let o = s
        .get_json(&admin, "/api/v1/admin/messaging/automations")
        .await;
    let welcome = o["automations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "welcome")
        .unwrap()
        .clone();
    assert_eq!(
        (
            welcome["delay_hours"].as_i64(),
            welcome["figures"]["sent"].as_i64()
        ),
        (Some(2), Some(1)),
        "{welcome}"
    );

    // Sending rules are checked field by field and audited.
    let res = admin
        .put(s.url("/api/v1/admin/messaging/settings"))
        .json(&json!({"frequency_cap": 0, "quiet_start": 22, "quiet_end": 7, "reminder_days": [14, 3], "win_back_factor": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = admin
        .put(s.url("/api/v1/admin/messaging/settings"))
        .json(&json!({"frequency_cap": 2, "quiet_start": 22, "quiet_end": 7, "reminder_days": [14, 3], "win_back_factor": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<Value>().await.unwrap()["settings"]["reminder_days"],
        json!([14, 3])
    );
    let audit = s
        .get_json(&admin, "/api/v1/admin/audit?entity=messaging_settings")
        .await;
    assert_eq!(audit["items"][0]["action"], "messaging_settings.update");
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let st = member
        .get(s.url("/api/v1/admin/messaging/automations"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(st, 403);
}

#[tokio::test]
async fn dated_automations_greet_birthdays_holidays_and_lapsed_members_once_and_only_with_consent()
{
    // Noon in Shanghai on the 2027 Spring Festival.
    let clock = Clock::fixed(Utc.with_ymd_and_hms(2027, 2, 6, 4, 0, 0).unwrap());
    let s = common::start_on(10, 0, None, clock.clone()).await;
    db::query("UPDATE programme SET time_zone = 'Asia/Shanghai'")
        .execute(s.pool())
        .await
        .unwrap();
    let now = s.store.now().timestamp();
    let zh = add_member_with_points(&s, "mei@example.test", "pw-long-enough-1", 0).await;
    let en = add_member_with_points(&s, "ed@example.test", "pw-long-enough-2", 0).await;
    let none = add_member_with_points(&s, "nobody@example.test", "pw-long-enough-3", 0).await;
    db::query("UPDATE members SET language = 'zh' WHERE id = ?")
        .bind(zh)
        .execute(s.pool())
        .await
        .unwrap();
    consent(&s, zh, "news", true).await;
    consent(&s, en, "news", true).await;
    // A lapsed regular: every 10 days, then nothing for 80.
    for (i, days_ago) in [100, 90, 80].iter().enumerate() {
        for m in [en, none] {
            db::query("INSERT INTO purchases (member_id, order_ref, amount_minor, category, purchased_at) VALUES (?, ?, 1000, 'grocery', ?)")
                .bind(m)
                .bind(format!("WB-{m}-{i}"))
                .bind(now - days_ago * DAY)
                .execute(s.pool())
                .await
                .unwrap();
        }
    }
    consent(&s, en, "win_back", true).await;

    let r = queue_dated(&s.store, s.store.now()).await.unwrap();
    assert_eq!((r.holidays, r.win_back), (2, 1), "{r:?}");
    let zh_msgs = queued(&s, zh).await;
    assert_eq!(
        zh_msgs,
        [("holiday".to_string(), json!({"holiday_name": "春节"}))]
    );
    let en_msgs = queued(&s, en).await;
    assert!(en_msgs.contains(&(
        "holiday".to_string(),
        json!({"holiday_name": "Spring Festival"})
    )));
    assert!(en_msgs.contains(&("win_back".to_string(), json!({"days_since_purchase": 80}))));
    assert!(
        queued(&s, none).await.is_empty(),
        "no consent, nothing queued"
    );
    // The scheduler checks again and again: nothing twice.
    assert_eq!(
        queue_dated(&s.store, s.store.now()).await.unwrap(),
        Default::default()
    );

    // 28 February 2027 (not a leap year): birthdays of the 28th and 29th.
    clock.set(Utc.with_ymd_and_hms(2027, 2, 28, 4, 0, 0).unwrap());
    let now = s.store.now().timestamp();
    let mut born = Vec::new();
    for (email, birthday, set_days_ago) in [
        ("feb28@example.test", "1990-02-28", 400),
        ("leap@example.test", "2000-02-29", 400),
        ("recent@example.test", "1985-02-28", 10),
        ("other@example.test", "1985-03-01", 400),
    ] {
        let m = add_member_with_points(&s, email, "pw-long-enough-4", 0).await;
        db::query("UPDATE members SET birthday = ?, birthday_set_at = ? WHERE id = ?")
            .bind(birthday)
            .bind(now - set_days_ago * DAY)
            .bind(m)
            .execute(s.pool())
            .await
            .unwrap();
        consent(&s, m, "birthday_greetings", true).await;
        born.push(m);
    }
    let r = queue_dated(&s.store, s.store.now()).await.unwrap();
    assert_eq!(r.birthdays, 2, "{r:?}");
    assert_eq!(
        queued(&s, born[0]).await,
        [("birthday".to_string(), json!({"birthday_bonus": 200}))]
    );
    assert_eq!(
        queued(&s, born[1]).await.len(),
        1,
        "29 February kept on the 28th"
    );
    assert!(
        queued(&s, born[2]).await.is_empty(),
        "set 10 days before: not honoured this year"
    );
    assert!(queued(&s, born[3]).await.is_empty());
}

#[tokio::test]
async fn a_tier_change_tells_the_member_what_changed() {
    let s = common::start_on(5, 0, None, Clock::fixed(at("2026-06-10T04:00:00Z"))).await;
    let m = add_member_with_points(&s, "riser@example.test", "pw-long-enough-5", 0).await;
    let now = s.store.now().timestamp();
    db::query(
        "INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, reason)
         VALUES (?, 'earn', 2000, ?, ?, ?, 'Test order')",
    )
    .bind(m)
    .bind(now - 10 * DAY)
    .bind(now - 10 * DAY)
    .bind(now + 300 * DAY)
    .execute(s.pool())
    .await
    .unwrap();
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let res = admin
        .post(s.url("/api/v1/admin/tiers/recalculate"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        queued(&s, m).await,
        [("tier_up".to_string(), json!({"previous_tier": "Jade"}))]
    );
    deliver_due(&s.store, &s.mailer).await.unwrap();
    let (subject, text): (String, String) = db::query_as(
        "SELECT subject, text_body FROM messages WHERE member_id = ? AND status = 'captured'",
    )
    .bind(m)
    .fetch_one(s.pool())
    .await
    .unwrap();
    assert_eq!(subject, "You are now Silver");
    assert!(text.contains("from Jade to Silver"), "{text}");
}

fn signed(secret: &str, body: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

#[tokio::test]
async fn suppressions_are_listed_added_lifted_and_fed_by_signed_reports() {
    let config = patron_server::messaging::MessagingConfig {
        report_secret: Some("provider-secret".into()),
        ..Default::default()
    };
    let s = common::start_mailing(5, Clock::fixed(at("2026-06-10T04:00:00Z")), config).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let c = reqwest::Client::new();
    let body = json!({"kind": "complaint", "email": "Spam.Reporter@Example.test", "detail": "abuse report"}).to_string();
    let post = |sig: Option<String>| {
        let mut r = c
            .post(s.url("/api/v1/messaging/reports"))
            .header("content-type", "application/json")
            .body(body.clone());
        if let Some(sig) = sig {
            r = r.header("X-Patron-Signature", sig);
        }
        r.send()
    };
    assert_eq!(post(None).await.unwrap().status(), 403);
    assert_eq!(
        post(Some(signed("wrong", &body))).await.unwrap().status(),
        403
    );
    assert!(s
        .get_json(&admin, "/api/v1/admin/messaging/suppressions")
        .await["items"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        post(Some(signed("provider-secret", &body)))
            .await
            .unwrap()
            .status(),
        204
    );
    let list = s
        .get_json(&admin, "/api/v1/admin/messaging/suppressions")
        .await;
    assert_eq!(list["items"][0]["email"], "spam.reporter@example.test");
    assert_eq!(list["items"][0]["reason"], "complaint");

    let res = admin
        .post(s.url("/api/v1/admin/messaging/suppressions"))
        .json(&json!({"email": "typo@example.test", "detail": "asked by phone"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let again = admin
        .post(s.url("/api/v1/admin/messaging/suppressions"))
        .json(&json!({"email": "TYPO@example.test"}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
    let lift = admin
        .delete(s.url("/api/v1/admin/messaging/suppressions/spam.reporter@example.test"))
        .send()
        .await
        .unwrap();
    assert_eq!(lift.status(), 204);
    let list = s
        .get_json(&admin, "/api/v1/admin/messaging/suppressions")
        .await;
    assert_eq!(list["total"], 1);
    let audit = s
        .get_json(&admin, "/api/v1/admin/audit?entity=suppression")
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["suppression.lift", "suppression.add"]);

    // Without a secret the endpoint is not there.
    let plain = common::start_on(5, 0, None, Clock::system()).await;
    let res = c
        .post(plain.url("/api/v1/messaging/reports"))
        .header("X-Patron-Signature", signed("x", &body))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn opens_clicks_and_the_members_message_centre() {
    let clock = Clock::fixed(at("2026-06-10T04:00:00Z"));
    let s = common::start_on(5, 0, None, clock.clone()).await;
    let m = register(&s, "Tia Reader", "tia@example.test").await;
    deliver_due(&s.store, &s.mailer).await.unwrap();
    let html: String = db::query_scalar("SELECT html_body FROM messages WHERE member_id = ?")
        .bind(m)
        .fetch_one(s.pool())
        .await
        .unwrap();
    let html = html.replace("&#x2f;", "/");
    let tracked: Vec<&str> = html
        .split("/t/")
        .skip(1)
        .map(|t| t.split('"').next().unwrap())
        .collect();
    assert_eq!(
        tracked.len(),
        2,
        "the portal link and the open pixel: {html}"
    );
    let (click, pixel) = (tracked[0], tracked[1]);
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // Loaded a second after delivery: a prefetch.
    clock.advance(Duration::seconds(1));
    let res = c.get(s.url(&format!("/t/{pixel}"))).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "image/gif");
    // An hour later, a person.
    clock.advance(Duration::hours(1));
    c.get(s.url(&format!("/t/{pixel}")))
        .header("user-agent", "Mozilla/5.0 Firefox/128.0")
        .send()
        .await
        .unwrap();
    let res = c.get(s.url(&format!("/t/{click}"))).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "http://127.0.0.1:8080/dashboard");
    let forged = c.get(s.url("/t/aGFjaw.aGFjaw")).send().await.unwrap();
    assert_eq!(forged.status(), 404);
    let kinds: Vec<String> = db::query_scalar("SELECT kind FROM message_events ORDER BY id")
        .fetch_all(s.pool())
        .await
        .unwrap();
    assert_eq!(kinds, ["machine_open", "open", "click"]);
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let o = s
        .get_json(&admin, "/api/v1/admin/messaging/automations")
        .await;
    let welcome = o["automations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "welcome")
        .unwrap()
        .clone();
    assert_eq!(
        (
            welcome["figures"]["opened"].as_i64(),
            welcome["figures"]["clicked"].as_i64()
        ),
        (Some(1), Some(1))
    );

    let tia = s
        .signed_in("tia@example.test", "correct horse battery")
        .await;
    let mine = s.get_json(&tia, "/api/v1/me/messages").await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["subject"], "Welcome to the programme, Tia");
    let other = s.signed_in(MEMBER.0, MEMBER.1).await;
    assert!(
        s.get_json(&other, "/api/v1/me/messages")
            .await
            .as_array()
            .unwrap()
            .is_empty(),
        "only one's own"
    );
    let staff = s.signed_in(ADMIN.0, ADMIN.1).await;
    assert_eq!(
        staff
            .get(s.url("/api/v1/me/messages"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

#[tokio::test]
async fn the_weekly_frequency_cap_holds_marketing_until_the_oldest_leaves_the_window() {
    let s = common::start_on(5, 0, None, Clock::fixed(at("2026-06-10T12:00:00Z"))).await;
    let m = add_member_with_points(&s, "capped@example.test", "pw-long-enough-6", 0).await;
    db::query("UPDATE members SET time_zone = 'UTC' WHERE id = ?")
        .bind(m)
        .execute(s.pool())
        .await
        .unwrap();
    consent(&s, m, "news", true).await;
    let now = s.store.now().timestamp();
    // Three marketing messages this week (the default cap), and one service.
    for (topic, days_ago) in [("news", 6), ("news", 3), ("news", 1), ("service", 1)] {
        db::query(
            "INSERT INTO messages (member_id, template, topic, fields, status, created_at, next_attempt_at, sent_at)
             VALUES (?, 'holiday', ?, '{}', 'sent', ?, ?, ?)",
        )
        .bind(m)
        .bind(topic)
        .bind(now - days_ago * DAY)
        .bind(now - days_ago * DAY)
        .bind(now - days_ago * DAY)
        .execute(s.pool())
        .await
        .unwrap();
    }
    db::query(
        "INSERT INTO messages (member_id, template, topic, fields, status, created_at, next_attempt_at)
         VALUES (?, 'holiday', 'news', '{\"holiday_name\": \"Test\"}', 'queued', ?, ?)",
    )
    .bind(m)
    .bind(now)
    .bind(now)
    .execute(s.pool())
    .await
    .unwrap();
    let r = deliver_due(&s.store, &s.mailer).await.unwrap();
    assert_eq!((r.deferred, r.captured), (1, 0), "{r:?}");
    let next: i64 =
        db::query_scalar("SELECT next_attempt_at FROM messages WHERE status = 'queued'")
            .fetch_one(s.pool())
            .await
            .unwrap();
    assert_eq!(
        next,
        now - 6 * DAY + 7 * DAY + 1,
        "when the oldest of the three leaves the week"
    );
    // The admin raises the cap: it goes at once.
    db::query("UPDATE messaging_settings SET frequency_cap = 4")
        .execute(s.pool())
        .await
        .unwrap();
    db::query("UPDATE messages SET next_attempt_at = ? WHERE status = 'queued'")
        .bind(now)
        .execute(s.pool())
        .await
        .unwrap();
    assert_eq!(deliver_due(&s.store, &s.mailer).await.unwrap().captured, 1);
}

#[tokio::test]
async fn every_messaging_endpoint_answers_each_role_as_the_matrix_says() {
    use reqwest::Method;
    let s = common::start_on(5, 0, None, Clock::fixed(at("2026-06-10T12:00:00Z"))).await;
    let anonymous = s.client();
    let member = s.signed_in(MEMBER.0, MEMBER.1).await;
    let support = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let template = json!({"subject": "s", "text": "t", "html": "h"});
    // (method, path, body, what an admin gets); everyone else but admins: 403.
    let admin_only: Vec<(Method, &str, Option<Value>, u16)> = vec![
        (Method::GET, "/api/v1/admin/messaging/outbox", None, 200),
        (
            Method::GET,
            "/api/v1/admin/messaging/outbox/999999",
            None,
            404,
        ),
        (
            Method::POST,
            "/api/v1/admin/messaging/outbox/999999/retry",
            None,
            404,
        ),
        (Method::GET, "/api/v1/admin/messaging/templates", None, 200),
        (
            Method::PUT,
            "/api/v1/admin/messaging/templates/welcome/en",
            Some(template.clone()),
            200,
        ),
        (
            Method::POST,
            "/api/v1/admin/messaging/templates/welcome/en/preview",
            Some(json!({"member_id": 1, "template": template})),
            200,
        ),
        (
            Method::GET,
            "/api/v1/admin/messaging/automations",
            None,
            200,
        ),
        (
            Method::PUT,
            "/api/v1/admin/messaging/automations/welcome",
            Some(json!({"enabled": true, "delay_hours": 0})),
            200,
        ),
        (
            Method::PUT,
            "/api/v1/admin/messaging/settings",
            Some(
                json!({"frequency_cap": 3, "quiet_start": 21, "quiet_end": 8, "reminder_days": [30, 7], "win_back_factor": 2}),
            ),
            200,
        ),
        (
            Method::POST,
            "/api/v1/admin/messaging/holidays",
            Some(
                json!({"name_en": "Day", "name_zh": "日", "kind": "fixed", "month": 5, "day": 1, "enabled": true}),
            ),
            201,
        ),
        (
            Method::DELETE,
            "/api/v1/admin/messaging/holidays/999999",
            None,
            404,
        ),
        (
            Method::GET,
            "/api/v1/admin/messaging/suppressions",
            None,
            200,
        ),
        (
            Method::POST,
            "/api/v1/admin/messaging/suppressions",
            Some(json!({"email": "role-test@example.test"})),
            201,
        ),
        (
            Method::DELETE,
            "/api/v1/admin/messaging/suppressions/nobody@example.test",
            None,
            404,
        ),
    ];
    let call = |c: &reqwest::Client, m: &Method, path: &str, body: &Option<Value>| {
        let mut r = c.request(m.clone(), s.url(path));
        if let Some(b) = body {
            r = r.json(b);
        }
        r.send()
    };
    for (m, path, body, ok) in &admin_only {
        for (who, c, want) in [
            ("anonymous", &anonymous, 401),
            ("member", &member, 403),
            ("support", &support, 403),
        ] {
            let st = call(c, m, path, body).await.unwrap().status().as_u16();
            assert_eq!(st, want, "{who} {m} {path}");
        }
        let st = call(&admin, m, path, body).await.unwrap().status().as_u16();
        assert_eq!(st, *ok, "admin {m} {path}");
    }
    // The member's own messages: members only.
    for (who, c, want) in [
        ("anonymous", &anonymous, 401),
        ("member", &member, 200),
        ("support", &support, 403),
        ("admin", &admin, 403),
    ] {
        let st = c
            .get(s.url("/api/v1/me/messages"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(st, want, "{who} GET /me/messages");
    }
}

#[tokio::test]
async fn a_greeting_to_the_whole_seeded_programme_quotes_each_members_own_figures() {
    // The worker loads a batch's figures together; each message must still
    // quote what that member's dashboard shows (varied seeded ledgers:
    // expired and pending lots, locks, tiers).
    let today = Utc::now().date_naive();
    let noon = Utc.from_utc_datetime(&today.and_hms_opt(12, 0, 0).unwrap());
    let s = common::start_on(260, 0, None, Clock::fixed(noon)).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let line = "{{ card_number }}|{{ balance }}|{{ tier }}|{{ points_to_next_tier }}";
    for language in ["en", "zh"] {
        let res = admin
            .put(s.url(&format!(
                "/api/v1/admin/messaging/templates/holiday/{language}"
            )))
            .json(&json!({"subject": "{{ holiday_name }}", "text": line, "html": "<p>x</p>"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let now = s.store.now().timestamp();
    db::query(
        "INSERT INTO consents (member_id, channel, granted, at, source) SELECT id, 'news', ?, ?, 'test' FROM members",
    )
    .bind(true)
    .bind(now)
    .execute(s.pool())
    .await
    .unwrap();
    db::query("UPDATE messaging_settings SET quiet_start = 0, quiet_end = 0")
        .execute(s.pool())
        .await
        .unwrap();
    let zone: String = db::query_scalar("SELECT time_zone FROM programme")
        .fetch_one(s.pool())
        .await
        .unwrap();
    let local = noon
        .with_timezone(&zone.parse::<chrono_tz::Tz>().unwrap())
        .date_naive();
    db::query("INSERT INTO holidays (name_en, name_zh, kind, on_date, enabled, created_at) VALUES ('Test Day', '测试日', 'date', ?, ?, ?)")
        .bind(local.to_string())
        .bind(true)
        .bind(now)
        .execute(s.pool())
        .await
        .unwrap();
    let queued = queue_dated(&s.store, s.store.now()).await.unwrap().holidays;
    let members: i64 = db::query_scalar("SELECT COUNT(*) FROM members")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(queued as i64, members);
    while deliver_due(&s.store, &s.mailer).await.unwrap().handled() > 0 {}

    let rows: Vec<(i64, String, String)> = db::query_as(
        "SELECT member_id, status, text_body FROM messages WHERE template = 'holiday' ORDER BY member_id",
    )
    .fetch_all(s.pool())
    .await
    .unwrap();
    assert_eq!(rows.len() as i64, members);
    let mut tiers = std::collections::HashSet::new();
    for (member, status, text) in rows {
        assert_eq!(status, "captured", "member {member}");
        let d = patron_server::summary::member_summary(&s.store, member, s.store.now())
            .await
            .unwrap();
        let to_next = d.tier.to_next.map_or("None".into(), |n| n.to_string());
        let want = format!(
            "{}|{}|{}|{}",
            d.card_number, d.balance.available, d.tier.current.name, to_next
        );
        assert!(
            text.starts_with(&want),
            "member {member}: {text:?} ≠ {want:?}"
        );
        tiers.insert(d.tier.current.name);
    }
    assert!(tiers.len() > 1, "the seed spans tiers: {tiers:?}");
}
