//! Deterministic demo feedback for the support desk: survey answers,
//! complaints and suggestions over the last year, most of the old ones
//! handled, the recent ones in every state of the queue, with SLA facts
//! that follow the default policy.

use patron_core::feedback::TicketStatus;
use patron_core::support::{deadlines, next_due, Priority, SlaPolicy, SlaTarget};

use crate::seed::Rng;

/// A history entry: (actor, action, from, to, at).
pub type DemoEvent = (
    Option<i64>,
    &'static str,
    Option<String>,
    Option<String>,
    i64,
);

/// A generated ticket with its messages and history.
#[derive(Debug, Clone)]
pub struct DemoTicket {
    pub id: i64,
    pub member_id: i64,
    pub kind: &'static str,
    pub score: Option<i64>,
    pub category: Option<&'static str>,
    pub subject: String,
    pub desired_resolution: Option<&'static str>,
    pub status: TicketStatus,
    pub priority: Priority,
    pub assignee: Option<i64>,
    pub csat_score: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub resolved_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub first_response_due: Option<i64>,
    pub resolution_due: Option<i64>,
    pub sla_due: Option<i64>,
    /// (author: None = the member, staff user id), internal, body, at.
    pub messages: Vec<(Option<i64>, bool, String, i64)>,
    pub events: Vec<DemoEvent>,
}

/// The policy the migrations install.
pub fn default_policy() -> SlaPolicy {
    let t = |priority, first_response_minutes, resolution_minutes| SlaTarget {
        priority,
        first_response_minutes,
        resolution_minutes,
    };
    SlaPolicy {
        targets: vec![
            t(Priority::Low, 1_440, 7_200),
            t(Priority::Normal, 480, 2_880),
            t(Priority::High, 240, 1_440),
            t(Priority::Urgent, 60, 480),
        ],
        due_soon_minutes: 120,
        vip_min_rank: Some(2),
        vip_priority: Priority::High,
        business_hours: None,
    }
}

const COMPLAINTS: [(&str, &str); 10] = [
    ("points", "My points for last week's order have not arrived"),
    ("points", "Points expired earlier than the date shown"),
    ("order", "The delivery was three days late"),
    ("order", "An item was missing from my order"),
    ("reward", "The voucher code from my reward does not work"),
    ("reward", "Redeemed a reward but never received it"),
    ("service", "The shop assistant refused to scan my card"),
    ("service", "Nobody answered the phone line"),
    ("other", "I was charged twice at the till"),
    ("points", "My tier dropped although I spend every month"),
];
const SUGGESTIONS: [&str; 6] = [
    "Please add a reward for free coffee",
    "Let me transfer points to my partner",
    "A dark mode for the app would be nice",
    "Offer double points on my birthday week",
    "Show which shops accept the card",
    "Send a reminder before points expire",
];
const SURVEY_COMMENTS: [&str; 6] = [
    "Checkout was slow today",
    "Great staff, very helpful",
    "Prices went up again",
    "Love the new rewards",
    "The app keeps logging me out",
    "Delivery packaging was damaged",
];
const RESOLUTIONS: [&str; 4] = [
    "Add the missing points",
    "Refund the difference",
    "Send a new code",
    "An apology and a fix",
];
const REPLIES: [&str; 4] = [
    "Thank you for telling us. I have checked your account and put it right.",
    "Sorry about this. Could you send the order number so I can look into it?",
    "I have passed this to the team and added a goodwill bonus.",
    "Thanks for the idea; I have shared it with the product team.",
];
const NOTES: [&str; 3] = [
    "Checked the ledger: the purchase posted late.",
    "Second contact about this; keep an eye on it.",
    "Goodwill bonus approved by the lead.",
];

fn pick_priority(rng: &mut Rng) -> Priority {
    match rng.below(100) {
        0..=14 => Priority::Low,
        15..=74 => Priority::Normal,
        75..=92 => Priority::High,
        _ => Priority::Urgent,
    }
}

/// `n` tickets for members `1..=members`, created over the year before
/// `now`, with ids from 1. `agents` are staff user ids.
pub fn generate(n: i64, members: i64, agents: &[i64], seed: u64, now: i64) -> Vec<DemoTicket> {
    let mut rng = Rng::new(seed ^ 0xFEED_BACC);
    let policy = default_policy();
    let mut out = Vec::with_capacity(n as usize);
    for id in 1..=n {
        // Newer tickets are more common: age skews towards today.
        let age = (rng.unit().powi(2) * 365.0 * 86_400.0) as i64;
        let created_at = now - age - 60;
        // Member 1 is the demo member: their own tickets come from the app.
        let member_id = 2 + rng.below((members - 1).max(1) as u64) as i64;
        let member_id = member_id.min(members.max(1));
        let (kind, score, category, subject, desired, comment) = match rng.below(100) {
            0..=34 => {
                // Skewed like real answers: many promoters, a tail of detractors.
                let s = *rng.pick(&[
                    10, 10, 9, 9, 9, 8, 8, 8, 7, 7, 6, 5, 3, 9, 10, 8, 4, 2, 0, 9,
                ]);
                let c = rng.chance(0.3).then(|| rng.pick_str(&SURVEY_COMMENTS));
                (
                    "nps",
                    Some(s),
                    None,
                    c.map_or(format!("NPS {s}"), str::to_string),
                    None,
                    c,
                )
            }
            35..=59 => {
                let s = *rng.pick(&[5, 5, 4, 4, 4, 3, 5, 2, 1, 4]);
                let c = rng.chance(0.3).then(|| rng.pick_str(&SURVEY_COMMENTS));
                (
                    "csat",
                    Some(s),
                    None,
                    c.map_or(format!("Order rating {s}/5"), str::to_string),
                    None,
                    c,
                )
            }
            60..=84 => {
                let (cat, text) = *rng.pick(&COMPLAINTS);
                (
                    "complaint",
                    None,
                    Some(cat),
                    text.to_string(),
                    Some(rng.pick_str(&RESOLUTIONS)),
                    Some(text),
                )
            }
            _ => {
                let t = rng.pick_str(&SUGGESTIONS);
                ("suggestion", None, None, t.to_string(), None, Some(t))
            }
        };
        let mut t = DemoTicket {
            id,
            member_id,
            kind,
            score,
            category,
            subject,
            desired_resolution: desired,
            status: TicketStatus::Closed,
            priority: Priority::Normal,
            assignee: None,
            csat_score: None,
            created_at,
            updated_at: created_at,
            resolved_at: None,
            first_response_at: None,
            first_response_due: None,
            resolution_due: None,
            sla_due: None,
            messages: Vec::new(),
            events: vec![(None, "created", None, None, created_at)],
        };
        let Some(comment) = comment else {
            // A survey answer without a comment needs no handling.
            t.events[0].3 = Some("closed".into());
            out.push(t);
            continue;
        };
        t.messages
            .push((None, false, comment.to_string(), created_at));
        t.priority = pick_priority(&mut rng);
        // Around the clock (the default policy): the zone does not matter.
        let d = deadlines(created_at, t.priority, &policy, chrono_tz::UTC);
        t.first_response_due = Some(d.first_response_due);
        t.resolution_due = Some(d.resolution_due);
        let days = age / 86_400;
        let roll = rng.below(100);
        t.status = if days < 3 {
            match roll {
                0..=44 => TicketStatus::New,
                45..=74 => TicketStatus::Open,
                75..=89 => TicketStatus::Waiting,
                _ => TicketStatus::Resolved,
            }
        } else if days < 21 {
            match roll {
                0..=7 => TicketStatus::New,
                8..=27 => TicketStatus::Open,
                28..=44 => TicketStatus::Waiting,
                45..=84 => TicketStatus::Resolved,
                _ => TicketStatus::Closed,
            }
        } else {
            match roll {
                0..=1 => TicketStatus::Open,
                2..=24 => TicketStatus::Resolved,
                _ => TicketStatus::Closed,
            }
        };
        t.events[0].3 = Some("new".into());
        let target = policy.target(t.priority);
        let mut clock = created_at;
        if t.status != TicketStatus::New || rng.chance(0.3) {
            let agent = *rng.pick(agents);
            clock += 60 + rng.below(600) as i64;
            t.assignee = Some(agent);
            t.events.push((
                Some(agent),
                "assigned",
                None,
                Some(format!("#{agent}")),
                clock,
            ));
        }
        if t.status != TicketStatus::New {
            let agent = t.assignee.unwrap_or(agents[0]);
            // Most first responses land in time; some are late.
            let factor = 0.1 + rng.unit() * 1.4;
            let at = (created_at + (target.first_response_minutes as f64 * 60.0 * factor) as i64)
                .max(clock + 60)
                .min(now - 30);
            if rng.chance(0.25) {
                t.messages
                    .push((Some(agent), true, rng.pick_str(&NOTES).into(), at - 30));
                t.events.push((Some(agent), "note", None, None, at - 30));
            }
            t.messages
                .push((Some(agent), false, rng.pick_str(&REPLIES).into(), at));
            t.events.push((Some(agent), "replied", None, None, at));
            t.events.push((
                Some(agent),
                "status",
                Some("new".into()),
                Some("open".into()),
                at,
            ));
            t.first_response_at = Some(at);
            clock = at;
            if matches!(t.status, TicketStatus::Resolved | TicketStatus::Closed) {
                let factor = 0.2 + rng.unit() * 1.2;
                let done = (created_at + (target.resolution_minutes as f64 * 60.0 * factor) as i64)
                    .max(clock + 60)
                    .min(now - 10);
                t.resolved_at = Some(done);
                t.events.push((
                    Some(agent),
                    "status",
                    Some("open".into()),
                    Some(t.status.as_str().into()),
                    done,
                ));
                clock = done;
                if rng.chance(0.45) {
                    t.csat_score = Some(match rng.below(10) {
                        0 => 1,
                        1 => 2,
                        2 | 3 => 3,
                        4..=6 => 4,
                        _ => 5,
                    });
                }
            } else if t.status == TicketStatus::Waiting {
                t.events.push((
                    Some(agent),
                    "status",
                    Some("open".into()),
                    Some("waiting".into()),
                    clock,
                ));
            }
        }
        t.updated_at = clock;
        t.sla_due = next_due(t.status, t.first_response_at, d);
        out.push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_consistent_and_the_same_for_the_same_seed() {
        let now = 1_800_000_000;
        let a = generate(2_000, 500, &[2, 3], 7, now);
        let b = generate(2_000, 500, &[2, 3], 7, now);
        assert_eq!(a.len(), 2_000);
        assert_eq!(
            a.iter().map(|t| &t.subject).collect::<Vec<_>>(),
            b.iter().map(|t| &t.subject).collect::<Vec<_>>()
        );
        for t in &a {
            assert!(t.created_at < now && t.updated_at >= t.created_at);
            assert!((2..=500).contains(&t.member_id));
            if t.status.is_open() && t.status != TicketStatus::Waiting {
                assert!(t.sla_due.is_some(), "open tickets have a running clock");
            } else {
                assert!(t.sla_due.is_none());
            }
            if let Some(fr) = t.first_response_at {
                assert!(fr > t.created_at && t.assignee.is_some());
            }
            if t.resolved_at.is_some() {
                assert!(matches!(
                    t.status,
                    TicketStatus::Resolved | TicketStatus::Closed
                ));
            }
        }
        // Every queue state is represented.
        for s in TicketStatus::ALL {
            assert!(a.iter().any(|t| t.status == s), "{s:?} present");
        }
    }
}
