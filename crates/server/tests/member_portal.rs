//! Profile and preferences, referral, feedback and tickets.

mod common;
use patron_server::store::db;

use common::{add_member_with_points, start, ADMIN, MEMBER, SUPPORT};
use serde_json::{json, Value};

async fn send(req: reqwest::RequestBuilder) -> (u16, Value) {
    let res = req.send().await.unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn profile_updates_birthday_once_and_timestamps_consent() {
    let s = start(5, None).await;
    add_member_with_points(&s, "p1@patron.test", "pw-p1-1234", 0).await;
    let c = s.signed_in("p1@patron.test", "pw-p1-1234").await;
    let url = s.url("/api/v1/me/profile");
    let (status, p) = send(c.get(&url)).await;
    assert_eq!(status, 200);
    assert_eq!(p["birthday_editable"], true);
    assert!(p["consents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["granted"] == false && c["at"].is_null()));

    let (status, p) = send(c.patch(&url).json(&json!({
        "name": "Mei Lin", "city": "Hangzhou", "language": "zh", "time_zone": "Asia/Shanghai",
        "birthday": "1990-06-20",
        "consents": [{"channel": "email_offers", "granted": true}]
    })))
    .await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["name"], "Mei Lin");
    assert_eq!(p["language"], "zh");
    assert_eq!(p["birthday"], "1990-06-20");
    assert_eq!(p["birthday_editable"], false);
    let offers = p["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == "email_offers")
        .unwrap()
        .clone();
    assert_eq!(offers["granted"], true);
    assert!(offers["at"].is_string(), "consent is timestamped");

    // The birthday is set once.
    let (status, e) = send(c.patch(&url).json(&json!({"birthday": "1991-01-01"}))).await;
    assert_eq!(status, 422);
    assert!(e["error"]["fields"]["birthday"].is_string());
    // Opting out is recorded too, keeping the history.
    let (_, p) = send(
        c.patch(&url)
            .json(&json!({"consents": [{"channel": "email_offers", "granted": false}]})),
    )
    .await;
    let offers = p["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == "email_offers")
        .unwrap()
        .clone();
    assert_eq!(offers["granted"], false);
    let pool = s.pool().clone();
    let n: i64 = db::query_scalar("SELECT COUNT(*) FROM consents WHERE channel = 'email_offers'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 2);
    // Bad values are refused with the field named.
    let (status, e) = send(c.patch(&url).json(&json!({"time_zone": "Mars/Base"}))).await;
    assert_eq!(status, 422);
    assert!(e["error"]["fields"]["time_zone"].is_string());
    let (status, _) = send(c.patch(&url).json(&json!({"name": "  "}))).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn email_change_needs_the_password_and_password_change_ends_other_sessions() {
    let s = start(5, None).await;
    add_member_with_points(&s, "p2@patron.test", "pw-p2-1234", 0).await;
    let a = s.signed_in("p2@patron.test", "pw-p2-1234").await;
    let b = s.signed_in("p2@patron.test", "pw-p2-1234").await;

    let (status, e) = send(
        a.post(s.url("/api/v1/me/email"))
            .json(&json!({"new_email": "p2new@patron.test", "password": "wrong"})),
    )
    .await;
    assert_eq!(status, 422);
    assert!(e["error"]["fields"]["password"].is_string());
    let (status, _) = send(
        a.post(s.url("/api/v1/me/email"))
            .json(&json!({"new_email": MEMBER.0, "password": "pw-p2-1234"})),
    )
    .await;
    assert_eq!(status, 409, "taken");
    let (status, _) = send(
        a.post(s.url("/api/v1/me/email"))
            .json(&json!({"new_email": "p2new@patron.test", "password": "pw-p2-1234"})),
    )
    .await;
    assert_eq!(status, 204);

    let (status, e) = send(
        a.post(s.url("/api/v1/me/password"))
            .json(&json!({"current_password": "pw-p2-1234", "new_password": "short"})),
    )
    .await;
    assert_eq!(status, 422);
    assert!(e["error"]["fields"]["new_password"].is_string());
    let (status, _) = send(
        a.post(s.url("/api/v1/me/password"))
            .json(&json!({"current_password": "pw-p2-1234", "new_password": "a much longer one"})),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        a.get(s.url("/api/v1/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "this session lives"
    );
    assert_eq!(
        b.get(s.url("/api/v1/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401,
        "other sessions end"
    );
    s.signed_in("p2new@patron.test", "a much longer one").await;
}

#[tokio::test]
async fn joining_with_a_referral_code_credits_both_sides_once_at_the_first_purchase() {
    let s = start(5, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let buy = |member: i64, order: &'static str| {
        let admin = admin.clone();
        let url = s.url("/api/v1/transactions");
        async move {
            let (st, body) = send(admin.post(url).json(&json!({
                "member_id": member, "order_ref": order,
                "lines": [{"category": "grocery", "amount_minor": 5_000}]})))
            .await;
            assert_eq!(st, 201, "{body}");
        }
    };
    let referral_lots = |member: i64| {
        let pool = s.pool().clone();
        async move {
            db::query_scalar::<i64>(
                "SELECT COALESCE(CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries
                 WHERE member_id = ? AND (reason LIKE 'Referral bonus%' OR reason LIKE 'Welcome bonus: joined with a referral%')",
            )
            .bind(member)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let referrer = s.signed_in(MEMBER.0, MEMBER.1).await;
    let (_, before) = send(referrer.get(s.url("/api/v1/me/summary"))).await;
    let (status, r) = send(referrer.get(s.url("/api/v1/me/referrals"))).await;
    assert_eq!(status, 200);
    let code = r["code"].as_str().unwrap().to_string();
    assert_eq!(r["link"], format!("/join?ref={code}"));
    assert_eq!(r["referees"].as_array().unwrap().len(), 0);

    let newbie = s.client();
    let (status, me) = send(newbie.post(s.url("/api/v1/auth/register")).json(&json!({
        "name": "Zhou Ping", "email": "zhou@patron.test", "password": "zhou-password-1", "referral_code": code.to_lowercase()
    })))
    .await;
    assert_eq!(status, 201, "{me}");
    assert_eq!(me["role"], "member");
    let zhou = me["member_id"].as_i64().unwrap();
    // Joining alone mints nothing: an account anyone can create is no proof.
    let (_, mine) = send(newbie.get(s.url("/api/v1/me/summary"))).await;
    assert_eq!(mine["balance"]["balance"], 0);
    let (_, r) = send(referrer.get(s.url("/api/v1/me/referrals"))).await;
    let referees = r["referees"].as_array().unwrap();
    assert_eq!(referees.len(), 1);
    assert_eq!(referees[0]["display_name"], "Zhou P.");
    assert_eq!(referees[0]["status"], "joined");
    assert_eq!(r["points_earned"], 0);
    let (_, unchanged) = send(referrer.get(s.url("/api/v1/me/summary"))).await;
    assert_eq!(
        unchanged["balance"]["balance"],
        before["balance"]["balance"]
    );

    // The first purchase credits both sides, once.
    buy(zhou, "REF-ZHOU-1").await;
    assert_eq!(referral_lots(zhou).await, 500);
    let (_, r) = send(referrer.get(s.url("/api/v1/me/referrals"))).await;
    assert_eq!(r["referees"][0]["status"], "purchased");
    assert_eq!(r["points_earned"], 500);
    let (_, after) = send(referrer.get(s.url("/api/v1/me/summary"))).await;
    assert_eq!(
        after["balance"]["balance"].as_i64().unwrap()
            - before["balance"]["balance"].as_i64().unwrap(),
        500
    );
    buy(zhou, "REF-ZHOU-2").await;
    assert_eq!(referral_lots(zhou).await, 500);
    let (_, again) = send(referrer.get(s.url("/api/v1/me/summary"))).await;
    assert_eq!(again["balance"]["balance"], after["balance"]["balance"]);

    // A referrer earns at most the rule's daily cap of bonuses a day; their
    // friends still get theirs.
    let rules = s.get_json(&admin, "/api/v1/admin/earning-rules").await;
    let rule = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"]["kind"] == "referral")
        .unwrap()
        .clone();
    let mut draft = rule.clone();
    draft["rule"]["referrer_daily_cap"] = json!(1);
    let res = admin
        .put(s.url(&format!("/api/v1/admin/earning-rules/{}", rule["id"])))
        .json(&draft)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let mut friends = Vec::new();
    for (i, email) in ["f1@patron.test", "f2@patron.test"].iter().enumerate() {
        let (st, me) = send(s.client().post(s.url("/api/v1/auth/register")).json(&json!({
            "name": format!("Friend {i}"), "email": email, "password": "friend-password-1", "referral_code": code
        })))
        .await;
        assert_eq!(st, 201, "{me}");
        friends.push(me["member_id"].as_i64().unwrap());
    }
    let (_, before_cap) = send(referrer.get(s.url("/api/v1/me/summary"))).await;
    buy(friends[0], "REF-F1").await;
    buy(friends[1], "REF-F2").await;
    let (_, after_cap) = send(referrer.get(s.url("/api/v1/me/summary"))).await;
    assert_eq!(
        after_cap["balance"]["balance"].as_i64().unwrap()
            - before_cap["balance"]["balance"].as_i64().unwrap(),
        0,
        "Zhou's bonus already used today's cap of one"
    );
    assert_eq!(referral_lots(friends[0]).await, 500);
    assert_eq!(referral_lots(friends[1]).await, 500);

    // The same email cannot join twice, so nobody is credited twice.
    let (status, _) = send(s.client().post(s.url("/api/v1/auth/register")).json(&json!({
        "name": "Zhou Ping", "email": "ZHOU@patron.test", "password": "zhou-password-1", "referral_code": code
    })))
    .await;
    assert_eq!(status, 409);
    let (_, r) = send(referrer.get(s.url("/api/v1/me/referrals"))).await;
    assert_eq!(
        r["referees"].as_array().unwrap().len(),
        3,
        "Zhou and the two friends, once each"
    );
    // Unknown codes are a clear field error.
    let (status, e) = send(s.client().post(s.url("/api/v1/auth/register")).json(&json!({
        "name": "X Y", "email": "xy@patron.test", "password": "xy-password-12", "referral_code": "NOPE1234"
    })))
    .await;
    assert_eq!(status, 422);
    assert!(e["error"]["fields"]["referral_code"].is_string());
}

#[tokio::test]
async fn feedback_is_validated_and_gets_a_reference() {
    let s = start(5, None).await;
    let c = s.signed_in(MEMBER.0, MEMBER.1).await;
    let url = s.url("/api/v1/feedback");
    let (status, e) = send(c.post(&url).json(&json!({"kind": "nps", "score": 11}))).await;
    assert_eq!(status, 422);
    assert!(e["error"]["fields"]["score"].is_string());
    let (status, r) = send(
        c.post(&url)
            .json(&json!({"kind": "nps", "score": 9, "message": "Great app"})),
    )
    .await;
    assert_eq!(status, 201);
    assert!(r["reference"].as_str().unwrap().starts_with("FB-"));

    let (_, orders) = send(c.get(s.url("/api/v1/me/orders"))).await;
    let order = orders[0]["order_ref"].as_str().unwrap().to_string();
    let (status, _) = send(
        c.post(&url)
            .json(&json!({"kind": "csat", "score": 4, "order_ref": order})),
    )
    .await;
    assert_eq!(status, 201);
    // Another member's order cannot be named.
    let (status, e) = send(
        c.post(&url)
            .json(&json!({"kind": "csat", "score": 4, "order_ref": "SO-99999999"})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        e["error"]["fields"]["order_ref"],
        "Choose one of your own orders."
    );
    let (status, e) = send(
        c.post(&url)
            .json(&json!({"kind": "complaint", "message": "short"})),
    )
    .await;
    assert_eq!(status, 422);
    let f = e["error"]["fields"].as_object().unwrap();
    assert!(
        f.contains_key("category")
            && f.contains_key("message")
            && f.contains_key("desired_resolution")
    );
    // Staff cannot send member feedback.
    let sup = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    assert_eq!(
        send(sup.post(&url).json(&json!({"kind": "nps", "score": 9})))
            .await
            .0,
        403
    );
}

#[tokio::test]
async fn tickets_show_replies_but_never_internal_notes_and_ask_for_a_rating() {
    let s = start(5, None).await;
    let m = s.signed_in(MEMBER.0, MEMBER.1).await;
    let (_, r) = send(m.post(s.url("/api/v1/feedback")).json(&json!({
        "kind": "complaint", "category": "points", "message": "My points for order SO-1 never arrived.",
        "desired_resolution": "Please add them"
    })))
    .await;
    let id = r["id"].as_i64().unwrap();
    let (_, list) = send(m.get(s.url("/api/v1/me/tickets"))).await;
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["status"], "new");

    let sup = s.signed_in(SUPPORT.0, SUPPORT.1).await;
    let staff_msgs = s.url(&format!("/api/v1/support/tickets/{id}/messages"));
    assert_eq!(
        send(
            sup.post(&staff_msgs).json(
                &json!({"body": "Member is a regular; check order import", "internal": true})
            )
        )
        .await
        .0,
        200
    );
    assert_eq!(
        send(
            sup.post(&staff_msgs)
                .json(&json!({"body": "Which order was it?", "status": "waiting"}))
        )
        .await
        .0,
        200
    );
    // Members cannot use the staff endpoints.
    assert_eq!(
        send(m.post(&staff_msgs).json(&json!({"body": "x"})))
            .await
            .0,
        403
    );
    assert_eq!(
        send(m.get(s.url(&format!("/api/v1/support/tickets/{id}"))))
            .await
            .0,
        403
    );

    let (_, t) = send(m.get(s.url(&format!("/api/v1/me/tickets/{id}")))).await;
    assert_eq!(t["summary"]["status"], "waiting");
    let bodies: Vec<&str> = t["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["body"].as_str().unwrap())
        .collect();
    assert!(bodies.contains(&"Which order was it?"));
    assert!(
        !bodies.iter().any(|b| b.contains("regular")),
        "internal note leaked: {bodies:?}"
    );
    let raw = m
        .get(s.url(&format!("/api/v1/me/tickets/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!raw.contains("check order import"));
    // Staff see the note.
    let (_, st) = send(sup.get(s.url(&format!("/api/v1/support/tickets/{id}")))).await;
    assert!(st["ticket"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["internal"] == true));

    // The member answers: back to open. Rating before resolution is refused.
    let (_, t) = send(
        m.post(s.url(&format!("/api/v1/me/tickets/{id}/messages")))
            .json(&json!({"body": "SO-00000029"})),
    )
    .await;
    assert_eq!(t["summary"]["status"], "open");
    assert_eq!(
        send(
            m.post(s.url(&format!("/api/v1/me/tickets/{id}/csat")))
                .json(&json!({"score": 5}))
        )
        .await
        .0,
        409
    );
    send(
        sup.post(&staff_msgs)
            .json(&json!({"body": "Added, sorry!", "status": "resolved"})),
    )
    .await;
    let (_, list) = send(m.get(s.url("/api/v1/me/tickets"))).await;
    assert_eq!(list["items"][0]["awaiting_csat"], true);
    let (status, t) = send(
        m.post(s.url(&format!("/api/v1/me/tickets/{id}/csat")))
            .json(&json!({"score": 5})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(t["csat_score"], 5);
    assert_eq!(t["summary"]["awaiting_csat"], false);
    assert_eq!(
        send(
            m.post(s.url(&format!("/api/v1/me/tickets/{id}/csat")))
                .json(&json!({"score": 1}))
        )
        .await
        .0,
        409,
        "once"
    );

    // Another member sees nothing of it.
    add_member_with_points(&s, "other@patron.test", "pw-other-12", 0).await;
    let o = s.signed_in("other@patron.test", "pw-other-12").await;
    assert_eq!(
        send(o.get(s.url(&format!("/api/v1/me/tickets/{id}"))))
            .await
            .0,
        404
    );
    assert_eq!(
        send(
            o.post(s.url(&format!("/api/v1/me/tickets/{id}/messages")))
                .json(&json!({"body": "hi"}))
        )
        .await
        .0,
        404
    );
}

#[tokio::test]
async fn an_invited_friend_shows_as_invited_then_joined_without_a_code() {
    let s = start(5, None).await;
    let m = s.signed_in(MEMBER.0, MEMBER.1).await;
    let (status, o) = send(
        m.post(s.url("/api/v1/me/referrals/invites"))
            .json(&json!({"email": "friend.one@example.cn"})),
    )
    .await;
    assert_eq!(status, 201);
    let r = &o["referees"][0];
    assert_eq!(r["status"], "invited");
    assert_eq!(r["display_name"], "fr…@example.cn");
    // Inviting an existing member answers like any other invitation, so
    // the form cannot be used to find out who is a member.
    let (status, _) = send(
        m.post(s.url("/api/v1/me/referrals/invites"))
            .json(&json!({"email": SUPPORT.0})),
    )
    .await;
    assert_eq!(status, 201, "staff accounts are not members");
    let (status, existing) = send(
        m.post(s.url("/api/v1/me/referrals/invites"))
            .json(&json!({"email": "member2@example.cn"})),
    )
    .await;
    assert_eq!(status, 201);
    let shown = existing["referees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["display_name"] == "me…@example.cn")
        .cloned()
        .unwrap_or_default();
    assert_eq!(shown["status"], "invited", "{existing}");
    let (status, _) = send(
        m.post(s.url("/api/v1/me/referrals/invites"))
            .json(&json!({"email": "nope"})),
    )
    .await;
    assert_eq!(status, 422);
    // Invitations are throttled per member.
    let mut throttled = false;
    for i in 0..10 {
        let (status, body) = send(
            m.post(s.url("/api/v1/me/referrals/invites"))
                .json(&json!({"email": format!("burst{i}@example.cn")})),
        )
        .await;
        if status == 429 {
            assert!(body["error"]["message"].is_string());
            throttled = true;
            break;
        }
        assert_eq!(status, 201);
    }
    assert!(throttled, "a burst of invitations is throttled");

    // The friend joins without typing the code: the invitation counts, once.
    let (status, _) = send(s.client().post(s.url("/api/v1/auth/register")).json(&json!({
        "name": "Friend One", "email": "Friend.One@example.cn", "password": "friend-one-pass"
    })))
    .await;
    assert_eq!(status, 201);
    let (_, o) = send(m.get(s.url("/api/v1/me/referrals"))).await;
    let people = o["referees"].as_array().unwrap();
    let joined: Vec<&Value> = people
        .iter()
        .filter(|p| p["display_name"] == "Friend O.")
        .collect();
    assert_eq!(joined.len(), 1);
    assert_eq!(joined[0]["status"], "joined");
    assert!(
        !people.iter().any(|p| p["display_name"] == "fr…@example.cn"),
        "no longer listed as invited"
    );
    assert_eq!(o["points_earned"], 0, "credited at the first purchase");
}
