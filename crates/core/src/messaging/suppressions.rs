//! Suppressed addresses — they get nothing but account-security mail —
//! and the signed delivery reports (bounces, complaints) a mail provider
//! posts, which add to them.

use chrono::{DateTime, Utc};

crate::__wire! {
    /// Why an address is suppressed.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum SuppressionReason {
        /// The mail server refused it for good.
        Bounce,
        /// The member reported a message as spam.
        Complaint,
        /// An admin added it.
        Admin,
    }
}

impl SuppressionReason {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionReason::Bounce => "bounce",
            SuppressionReason::Complaint => "complaint",
            SuppressionReason::Admin => "admin",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "bounce" => Some(SuppressionReason::Bounce),
            "complaint" => Some(SuppressionReason::Complaint),
            "admin" => Some(SuppressionReason::Admin),
            _ => None,
        }
    }
}

crate::__wire! {
    /// One suppressed address.
    pub struct Suppression {
        pub email: String,
        pub reason: SuppressionReason,
        /// The mail server's answer, the report, or the admin's note.
        pub detail: Option<String>,
        pub created_at: DateTime<Utc>,
    }
}

crate::__wire! {
    /// `GET /admin/messaging/suppressions`: newest first.
    pub struct SuppressionPage {
        pub items: Vec<Suppression>,
        pub total: i64,
    }
}

crate::__wire! {
    /// `POST /admin/messaging/suppressions`: an admin suppresses an address.
    pub struct SuppressionDraft {
        #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 254))]
        pub email: String,
        #[cfg_attr(feature = "openapi", schema(max_length = 500))]
        pub detail: Option<String>,
    }
}

crate::__wire! {
    /// `POST /messaging/reports`: a mail provider reports a bounce or a
    /// complaint, signed with the shared secret (`X-Patron-Signature:
    /// sha256=<hex HMAC of the body>`).
    pub struct DeliveryReport {
        /// `bounce` or `complaint`.
        pub kind: SuppressionReason,
        #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 254))]
        pub email: String,
        #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
        pub detail: Option<String>,
    }
}
