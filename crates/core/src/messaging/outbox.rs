//! The outbox as the admin console shows it: every message the programme
//! queued, where it stands, and the delivery backlog.

use chrono::{DateTime, Utc};

use super::templates::TemplateKey;
use super::topics::Topic;

crate::__wire! {
    /// Where a message stands.
    #[derive(Copy, Eq, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum MessageStatus {
        /// Waiting for the delivery worker (or a retry, quiet hours, the cap).
        Queued,
        /// Accepted by the mail server.
        Sent,
        /// Rendered and kept here; no mail server is configured, nothing left
        /// the machine.
        Captured,
        /// Permanently refused, or out of retries; `last_error` says why.
        Failed,
        /// Not sent: no consent for its topic, or the address is suppressed.
        Skipped,
    }
}

impl MessageStatus {
    pub const ALL: [MessageStatus; 5] = [
        MessageStatus::Queued,
        MessageStatus::Sent,
        MessageStatus::Captured,
        MessageStatus::Failed,
        MessageStatus::Skipped,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Queued => "queued",
            MessageStatus::Sent => "sent",
            MessageStatus::Captured => "captured",
            MessageStatus::Failed => "failed",
            MessageStatus::Skipped => "skipped",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

crate::__wire! {
    /// One message in the outbox.
    pub struct OutboxMessage {
        pub id: i64,
        pub member_id: i64,
        pub member_name: String,
        /// The address it went (or goes) to.
        pub to: String,
        pub template: TemplateKey,
        pub topic: Topic,
        /// `en` or `zh`: the member's language when it was rendered.
        pub language: String,
        /// Set once rendered.
        pub subject: Option<String>,
        pub status: MessageStatus,
        /// Delivery attempts so far.
        pub attempts: i64,
        /// The mail server's answer to the last failed attempt, or why it was
        /// skipped.
        pub last_error: Option<String>,
        pub created_at: DateTime<Utc>,
        /// When a queued message is next tried.
        pub next_attempt_at: Option<DateTime<Utc>>,
        pub sent_at: Option<DateTime<Utc>>,
    }
}

crate::__wire! {
    /// One message with what it said.
    pub struct OutboxMessageDetail {
        pub message: OutboxMessage,
        /// Plain-text part (once rendered).
        pub text: Option<String>,
        /// HTML part (once rendered).
        pub html: Option<String>,
    }
}

crate::__wire! {
    /// How many messages stand where.
    #[derive(Default)]
    pub struct OutboxCounts {
        pub queued: i64,
        pub sent: i64,
        pub captured: i64,
        pub failed: i64,
        pub skipped: i64,
    }
}

crate::__wire! {
    /// `GET /admin/messaging/outbox`: newest first.
    pub struct OutboxPage {
        pub items: Vec<OutboxMessage>,
        /// Messages matching the filter.
        pub total: i64,
        pub counts: OutboxCounts,
        /// `smtp` (delivered through a mail server) or `captured` (kept
        /// here; nothing leaves the machine).
        pub delivery: String,
        /// When the oldest queued message was queued (the backlog's age).
        pub oldest_queued_at: Option<DateTime<Utc>>,
        /// The latest delivery error, with when it happened.
        pub last_error: Option<String>,
        pub last_error_at: Option<DateTime<Utc>>,
    }
}

crate::__wire! {
    /// `POST /unsubscribe/{token}`: the member no longer gets this topic.
    pub struct UnsubscribeResult {
        pub topic: Topic,
        /// False when they had already unsubscribed (nothing changed).
        pub changed: bool,
    }
}

crate::__wire! {
    /// A message the programme sent the member (`GET /me/messages`).
    pub struct MemberMessage {
        pub id: i64,
        pub topic: Topic,
        pub subject: String,
        /// The plain-text part.
        pub text: String,
        pub sent_at: DateTime<Utc>,
    }
}
