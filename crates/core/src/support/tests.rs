use super::*;
use crate::feedback::{FeedbackKind, TicketStatus};

fn policy() -> SlaPolicy {
    SlaPolicy {
        targets: vec![
            SlaTarget {
                priority: Priority::Low,
                first_response_minutes: 1440,
                resolution_minutes: 7200,
            },
            SlaTarget {
                priority: Priority::Normal,
                first_response_minutes: 480,
                resolution_minutes: 2880,
            },
            SlaTarget {
                priority: Priority::High,
                first_response_minutes: 240,
                resolution_minutes: 1440,
            },
            SlaTarget {
                priority: Priority::Urgent,
                first_response_minutes: 60,
                resolution_minutes: 480,
            },
        ],
        due_soon_minutes: 60,
        vip_min_rank: Some(2),
        vip_priority: Priority::High,
        business_hours: None,
    }
}

fn shanghai(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    use chrono::TimeZone;
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .timestamp()
}

fn office() -> BusinessHours {
    BusinessHours {
        start_minute: 540,
        end_minute: 1_080,
        days: vec![1, 2, 3, 4, 5],
    }
}

#[test]
fn business_hours_skip_nights_and_weekends() {
    let tz = chrono_tz::Asia::Shanghai;
    // Friday 2026-11-20 17:30 + 60 working minutes → Monday 09:30.
    let fri = shanghai(2026, 11, 20, 17, 30);
    assert_eq!(
        add_business_minutes(fri, 60, &office(), tz),
        shanghai(2026, 11, 23, 9, 30)
    );
    // Saturday night → the clock starts Monday 09:00.
    let sat = shanghai(2026, 11, 21, 23, 0);
    assert_eq!(
        add_business_minutes(sat, 30, &office(), tz),
        shanghai(2026, 11, 23, 9, 30)
    );
    // Within hours, exactly to closing time stays that day.
    let tue = shanghai(2026, 11, 24, 17, 0);
    assert_eq!(
        add_business_minutes(tue, 60, &office(), tz),
        shanghai(2026, 11, 24, 18, 0)
    );
    // Open until midnight: a full last hour counts.
    let late = BusinessHours {
        start_minute: 1_380,
        end_minute: 1_440,
        days: vec![1, 2, 3, 4, 5, 6, 7],
    };
    assert_eq!(
        add_business_minutes(shanghai(2026, 11, 24, 23, 0), 60, &late, tz),
        shanghai(2026, 11, 25, 0, 0)
    );
    // Two full days of work (2 × 9 h) from Monday 09:00 → Tuesday 18:00.
    let mon = shanghai(2026, 11, 23, 9, 0);
    assert_eq!(
        add_business_minutes(mon, 18 * 60, &office(), tz),
        shanghai(2026, 11, 24, 18, 0)
    );
}

#[test]
fn business_hours_follow_daylight_saving() {
    use chrono::TimeZone;
    let tz = chrono_tz::Europe::Berlin;
    // Sunday 2026-03-29 clocks go forward; Monday 09:00 is UTC+2.
    let sat = tz
        .with_ymd_and_hms(2026, 3, 28, 12, 0, 0)
        .unwrap()
        .timestamp();
    let mon_930 = tz
        .with_ymd_and_hms(2026, 3, 30, 9, 30, 0)
        .unwrap()
        .timestamp();
    assert_eq!(add_business_minutes(sat, 30, &office(), tz), mon_930);
}

#[test]
fn deadlines_use_business_hours_when_set() {
    let tz = chrono_tz::Asia::Shanghai;
    let p = SlaPolicy {
        business_hours: Some(office()),
        ..policy()
    };
    let fri = shanghai(2026, 11, 20, 17, 30);
    let d = deadlines(fri, Priority::Urgent, &p, tz);
    assert_eq!(d.first_response_due, shanghai(2026, 11, 23, 9, 30));
    let mut bad = p.clone();
    bad.business_hours = Some(BusinessHours {
        start_minute: 600,
        end_minute: 540,
        days: vec![1],
    });
    assert!(bad.problems().contains_key("business_hours"));
}

#[test]
fn the_clock_runs_to_first_response_then_to_resolution_and_stops_while_waiting() {
    let d = deadlines(0, Priority::Urgent, &policy(), chrono_tz::UTC);
    assert_eq!(d.first_response_due, 3_600);
    assert_eq!(d.resolution_due, 8 * 3_600);
    assert_eq!(next_due(TicketStatus::New, None, d), Some(3_600));
    assert_eq!(next_due(TicketStatus::Open, Some(100), d), Some(28_800));
    assert_eq!(next_due(TicketStatus::Waiting, Some(100), d), None);
    assert_eq!(next_due(TicketStatus::Resolved, Some(100), d), None);
}

#[test]
fn sla_state_edges() {
    // Due exactly now is not yet breached; one second later it is.
    assert_eq!(sla_state(Some(1_000), 1_000, 60), SlaState::DueSoon);
    assert_eq!(sla_state(Some(1_000), 1_001, 60), SlaState::Breached);
    assert_eq!(sla_state(Some(1_000 + 3_600), 1_000, 60), SlaState::Ok);
    assert_eq!(sla_state(Some(1_000 + 3_599), 1_000, 60), SlaState::DueSoon);
    assert_eq!(sla_state(None, 1_000, 60), SlaState::Ok);
}

#[test]
fn vip_members_get_the_vip_priority() {
    let p = policy();
    assert_eq!(p.default_priority(Some(3)), Priority::High);
    assert_eq!(p.default_priority(Some(2)), Priority::High);
    assert_eq!(p.default_priority(Some(1)), Priority::Normal);
    assert_eq!(p.default_priority(None), Priority::Normal);
    let none = SlaPolicy {
        vip_min_rank: None,
        ..p
    };
    assert_eq!(none.default_priority(Some(3)), Priority::Normal);
}

#[test]
fn policy_problems_are_named_by_field() {
    assert!(policy().problems().is_empty());
    let mut bad = policy();
    bad.targets[3].first_response_minutes = 600;
    assert!(bad.problems().contains_key("targets.urgent"));
    bad.targets.pop();
    assert!(bad.problems().contains_key("targets.urgent"));
}

#[test]
fn nps_and_csat_use_the_domain_formulas() {
    // 2 promoters, 1 passive, 2 detractors of 5: 40 % − 40 % = 0.
    assert_eq!(nps([10, 9, 8, 6, 0]), Some(0.0));
    assert_eq!(nps([9, 9, 7, 7]), Some(50.0));
    assert_eq!(nps([]), None);
    assert_eq!(csat([5, 4, 3, 1]), Some(50.0));
    assert_eq!(csat([3]), Some(0.0));
    assert_eq!(csat([]), None);
}

#[test]
fn placeholders_are_filled_and_unknown_ones_kept() {
    let v = placeholder_values("Li Wei", "Sam", "FB-000001", "Gold");
    assert_eq!(
        fill_placeholders(
            "Hi {{member_first_name}}, re {{reference}} ({{ tier }}). {{x}} {{",
            &v
        ),
        "Hi Li, re FB-000001 (Gold). {{x}} {{"
    );
}

#[test]
fn shortcuts_are_recognised_at_the_start_of_the_last_line() {
    assert_eq!(shortcut_at_end("/ref"), Some((0, "ref")));
    assert_eq!(shortcut_at_end("Hello\n/th"), Some((6, "th")));
    assert_eq!(shortcut_at_end("see a/b"), None);
    assert_eq!(shortcut_at_end("/two words"), None);
}

#[test]
fn queue_query_round_trips_through_the_url() {
    let q = QueueQuery {
        statuses: vec![TicketStatus::New, TicketStatus::Open],
        kinds: vec![FeedbackKind::Complaint],
        priorities: vec![Priority::Urgent],
        assignee: AssigneeFilter::Unassigned,
        tier_id: Some(3),
        sla: Some(SlaState::Breached),
        from: Some("2026-01-01".into()),
        to: Some("2026-02-01".into()),
        q: "late & lost".into(),
        sort: QueueSort::SlaDue,
        label: Some("refund".into()),
        offset: 100,
    };
    let s = q.to_query();
    let decoded: Vec<(String, String)> = s
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), percent_decode(v))
        })
        .collect();
    let back =
        QueueQuery::from_pairs(decoded.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap();
    assert_eq!(back, q);
    assert_eq!(QueueQuery::default().to_query(), "");
    assert_eq!(
        QueueQuery::from_pairs([("status", "new,bogus")])
            .unwrap_err()
            .0,
        "status"
    );
    assert!(QueueQuery::from_pairs([("from", "31/01/2026")]).is_err());
    assert!(QueueQuery::from_pairs([("to", "+262143-12-31")]).is_err());
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn labels_are_normalised() {
    assert_eq!(normalise_label("  Refund "), Ok("refund".into()));
    assert!(normalise_label("").is_err());
    assert!(normalise_label("a<b>").is_err());
}

#[test]
fn update_tells_unassign_from_leave_alone() {
    let u: TicketUpdate = serde_json::from_str(r#"{"version":1,"assignee_id":null}"#).unwrap();
    assert_eq!(u.assignee_id, Some(None));
    let u: TicketUpdate = serde_json::from_str(r#"{"version":1}"#).unwrap();
    assert_eq!(u.assignee_id, None);
}
