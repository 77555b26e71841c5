//! Feedback: surveys (NPS, CSAT), complaints and suggestions, and the
//! member's tickets with their threads.

use chrono::{DateTime, Utc};

crate::__wire! {
    /// What kind of feedback.
    #[derive(Copy, Eq, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum FeedbackKind {
        /// "How likely are you to recommend us?" 0–10.
        Nps,
        /// Satisfaction with an order, 1–5.
        Csat,
        Complaint,
        Suggestion,
    }
}

impl FeedbackKind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackKind::Nps => "nps",
            FeedbackKind::Csat => "csat",
            FeedbackKind::Complaint => "complaint",
            FeedbackKind::Suggestion => "suggestion",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "nps" => FeedbackKind::Nps,
            "csat" => FeedbackKind::Csat,
            "complaint" => FeedbackKind::Complaint,
            "suggestion" => FeedbackKind::Suggestion,
            _ => return None,
        })
    }
}

crate::__wire! {
    /// Where a ticket stands.
    #[derive(Copy, Eq, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum TicketStatus {
        New,
        Open,
        /// Support asked the member something.
        Waiting,
        Resolved,
        Closed,
    }
}

impl TicketStatus {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::New => "new",
            TicketStatus::Open => "open",
            TicketStatus::Waiting => "waiting",
            TicketStatus::Resolved => "resolved",
            TicketStatus::Closed => "closed",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "new" => TicketStatus::New,
            "open" => TicketStatus::Open,
            "waiting" => TicketStatus::Waiting,
            "resolved" => TicketStatus::Resolved,
            "closed" => TicketStatus::Closed,
            _ => return None,
        })
    }
}

crate::__wire! {
    /// `POST /feedback`. Which fields are needed depends on `kind`:
    /// NPS needs `score` 0–10; CSAT `score` 1–5 and `order_ref`; a complaint
    /// `category`, `message` and `desired_resolution`; a suggestion `message`.
    pub struct FeedbackRequest {
        pub kind: FeedbackKind,
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10))]
        pub score: Option<i64>,
        /// Complaints: points, order, reward, service or other.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 16))]
        pub category: Option<String>,
        /// One of the member's own orders.
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 64))]
        pub order_ref: Option<String>,
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
        pub message: Option<String>,
        #[serde(default)]
        #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
        pub desired_resolution: Option<String>,
    }
}

crate::__wire! {
    /// The answer to feedback: its reference number.
    pub struct FeedbackReceipt {
        pub id: i64,
        /// e.g. `FB-000123`: quote it when contacting support.
        pub reference: String,
        pub kind: FeedbackKind,
    }
}

/// Complaint categories the form offers.
pub const COMPLAINT_CATEGORIES: [&str; 5] = ["points", "order", "reward", "service", "other"];

/// Longest message accepted.
pub const MAX_MESSAGE: usize = 5_000;

/// Longest "what would put it right" accepted.
pub const MAX_RESOLUTION: usize = 1_000;

/// Longest order reference accepted.
pub const MAX_ORDER_REF: usize = 64;

/// Checks a feedback request; field → message for each problem.
pub fn validate(req: &FeedbackRequest) -> std::collections::BTreeMap<String, String> {
    let mut errors = std::collections::BTreeMap::new();
    let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_string();
    let message = text(&req.message);
    if message.chars().count() > MAX_MESSAGE {
        errors.insert("message".into(), "Keep it under 5,000 characters.".into());
    }
    // Nothing is stored longer than the form allows, whatever the kind.
    if text(&req.desired_resolution).chars().count() > MAX_RESOLUTION {
        errors.insert(
            "desired_resolution".into(),
            "Keep it under 1,000 characters.".into(),
        );
    }
    if text(&req.order_ref).chars().count() > MAX_ORDER_REF {
        errors.insert("order_ref".into(), "Choose one of your own orders.".into());
    }
    let cat = text(&req.category);
    if !cat.is_empty() && !COMPLAINT_CATEGORIES.contains(&cat.as_str()) {
        errors.insert(
            "category".into(),
            "Choose what the complaint is about.".into(),
        );
    }
    match req.kind {
        FeedbackKind::Nps => {
            if !matches!(req.score, Some(0..=10)) {
                errors.insert("score".into(), "Choose a score from 0 to 10.".into());
            }
        }
        FeedbackKind::Csat => {
            if !matches!(req.score, Some(1..=5)) {
                errors.insert("score".into(), "Choose a rating from 1 to 5.".into());
            }
            if text(&req.order_ref).is_empty() {
                errors.insert(
                    "order_ref".into(),
                    "Choose the order you are rating.".into(),
                );
            }
        }
        FeedbackKind::Complaint => {
            let cat = text(&req.category);
            if !COMPLAINT_CATEGORIES.contains(&cat.as_str()) {
                errors.insert(
                    "category".into(),
                    "Choose what the complaint is about.".into(),
                );
            }
            if message.chars().count() < 10 {
                errors.insert(
                    "message".into(),
                    "Tell us what happened (at least 10 characters).".into(),
                );
            }
            if text(&req.desired_resolution).is_empty() {
                errors.insert(
                    "desired_resolution".into(),
                    "Tell us what would put it right.".into(),
                );
            }
        }
        FeedbackKind::Suggestion => {
            if message.chars().count() < 10 {
                errors.insert(
                    "message".into(),
                    "Tell us your idea (at least 10 characters).".into(),
                );
            }
        }
    }
    errors
}

crate::__wire! {
    /// One of the member's complaints or suggestions.
    pub struct TicketSummary {
        pub id: i64,
        pub reference: String,
        pub kind: FeedbackKind,
        pub subject: String,
        pub status: TicketStatus,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
        /// Resolved and not yet rated by the member.
        pub awaiting_csat: bool,
    }
}

crate::__wire! {
    /// A message in a ticket's thread.
    pub struct TicketMessage {
        pub id: i64,
        pub from_staff: bool,
        pub author_name: String,
        pub body: String,
        /// Staff-only notes; never sent to members.
        pub internal: bool,
        pub created_at: DateTime<Utc>,
    }
}

crate::__wire! {
    /// A ticket with its thread.
    pub struct Ticket {
        pub summary: TicketSummary,
        pub category: Option<String>,
        pub order_ref: Option<String>,
        pub desired_resolution: Option<String>,
        pub messages: Vec<TicketMessage>,
        /// The member's 1–5 rating of how it was handled, once given.
        pub csat_score: Option<i64>,
    }
}

crate::__wire! {
    /// `GET /me/tickets`.
    pub struct TicketList {
        pub items: Vec<TicketSummary>,
    }
}

crate::__wire! {
    /// A reply in a thread.
    pub struct ReplyRequest {
        pub body: String,
        /// Staff only: a note the member never sees.
        #[serde(default)]
        pub internal: bool,
        /// Staff only: the status to set with the reply.
        #[serde(default)]
        pub status: Option<TicketStatus>,
        /// Staff only: the ticket version seen; a status change on a ticket
        /// changed since is refused (409) so nobody's change is lost.
        #[serde(default)]
        pub version: Option<i64>,
    }
}

crate::__wire! {
    /// The member's rating of how a resolved ticket was handled.
    pub struct CsatRequest {
        /// 1 (poor) to 5 (excellent).
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
        pub score: i64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(kind: FeedbackKind) -> FeedbackRequest {
        FeedbackRequest {
            kind,
            score: None,
            category: None,
            order_ref: None,
            message: None,
            desired_resolution: None,
        }
    }

    #[test]
    fn nps_needs_a_score_from_0_to_10() {
        assert!(validate(&req(FeedbackKind::Nps)).contains_key("score"));
        let ok = FeedbackRequest {
            score: Some(0),
            ..req(FeedbackKind::Nps)
        };
        assert!(validate(&ok).is_empty());
        let high = FeedbackRequest {
            score: Some(11),
            ..req(FeedbackKind::Nps)
        };
        assert!(validate(&high).contains_key("score"));
    }

    #[test]
    fn complaints_need_category_message_and_resolution() {
        let e = validate(&req(FeedbackKind::Complaint));
        assert!(
            e.contains_key("category")
                && e.contains_key("message")
                && e.contains_key("desired_resolution")
        );
        let ok = FeedbackRequest {
            category: Some("points".into()),
            message: Some("My points did not arrive".into()),
            desired_resolution: Some("Add them".into()),
            ..req(FeedbackKind::Complaint)
        };
        assert!(validate(&ok).is_empty());
    }

    #[test]
    fn csat_needs_an_order_and_a_rating() {
        let e = validate(&FeedbackRequest {
            score: Some(6),
            ..req(FeedbackKind::Csat)
        });
        assert!(e.contains_key("score") && e.contains_key("order_ref"));
    }
}
