//! Message templates: which exist (one per automation), the topic each is
//! sent under, the merge fields each may name, and the editor's wire types.
//! Templates are minijinja text (`{{ name }}`); the server checks a saved
//! template names only the fields listed here.

use super::topics::Topic;

crate::__wire! {
    /// A template, named for what sends it.
    #[derive(Copy, Eq, Hash, PartialOrd, Ord)]
    #[serde(rename_all = "snake_case")]
    pub enum TemplateKey {
        /// On joining the programme.
        Welcome,
        /// N days before points expire.
        PointsExpiring,
        /// The support desk answered the member's ticket.
        TicketReply,
        /// On the member's birthday (28 February for 29 February in other
        /// years), with the birthday offer.
        Birthday,
        /// On a holiday the admin lists (lunar ones computed per year).
        Holiday,
        /// The member moved up a tier.
        TierUp,
        /// The member moved down a tier.
        TierDown,
        /// No purchase for twice the member's usual interval.
        WinBack,
        /// A campaign's message: its text is the campaign variant's, not
        /// an editable template (so it is not in [`TemplateKey::ALL`]).
        Campaign,
    }
}

/// Fields every template may use.
pub const COMMON_FIELDS: [&str; 10] = [
    "name",
    "first_name",
    "email",
    "card_number",
    "tier",
    "balance",
    "next_tier",
    "points_to_next_tier",
    "portal_url",
    "unsubscribe_url",
];

impl TemplateKey {
    /// Every template, in the editor's order.
    pub const ALL: [TemplateKey; 8] = [
        TemplateKey::Welcome,
        TemplateKey::PointsExpiring,
        TemplateKey::TicketReply,
        TemplateKey::Birthday,
        TemplateKey::Holiday,
        TemplateKey::TierUp,
        TemplateKey::TierDown,
        TemplateKey::WinBack,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKey::Welcome => "welcome",
            TemplateKey::PointsExpiring => "points_expiring",
            TemplateKey::TicketReply => "ticket_reply",
            TemplateKey::Birthday => "birthday",
            TemplateKey::Holiday => "holiday",
            TemplateKey::TierUp => "tier_up",
            TemplateKey::TierDown => "tier_down",
            TemplateKey::WinBack => "win_back",
            TemplateKey::Campaign => "campaign",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "campaign" => Some(TemplateKey::Campaign),
            s => Self::ALL.into_iter().find(|k| k.as_str() == s),
        }
    }

    /// The topic its messages are sent under.
    pub fn topic(self) -> Topic {
        match self {
            TemplateKey::Welcome => Topic::Service,
            TemplateKey::PointsExpiring => Topic::PointsReminders,
            TemplateKey::TicketReply => Topic::Service,
            TemplateKey::Birthday => Topic::BirthdayGreetings,
            TemplateKey::Holiday => Topic::News,
            TemplateKey::TierUp | TemplateKey::TierDown => Topic::Service,
            TemplateKey::WinBack => Topic::WinBack,
            TemplateKey::Campaign => Topic::EmailOffers,
        }
    }

    /// Fields of this template beyond [`COMMON_FIELDS`].
    pub fn own_fields(self) -> &'static [&'static str] {
        match self {
            TemplateKey::Welcome => &[],
            TemplateKey::PointsExpiring => &["points_expiring", "expiry_date", "days_left"],
            TemplateKey::TicketReply => &["ticket_reference", "ticket_subject", "reply"],
            TemplateKey::Birthday => &["birthday_bonus"],
            TemplateKey::Holiday => &["holiday_name"],
            TemplateKey::TierUp | TemplateKey::TierDown => &["previous_tier"],
            TemplateKey::WinBack => &["days_since_purchase"],
            TemplateKey::Campaign => &[],
        }
    }

    /// Every field this template may name.
    pub fn fields(self) -> Vec<&'static str> {
        COMMON_FIELDS
            .iter()
            .chain(self.own_fields())
            .copied()
            .collect()
    }
}

crate::__wire! {
    /// One template in one language, as the editor shows it.
    pub struct MessageTemplate {
        pub key: TemplateKey,
        pub topic: Topic,
        /// `en` or `zh`.
        pub language: String,
        pub subject: String,
        /// Plain-text part.
        pub text: String,
        /// HTML part (fields are HTML-escaped when merged).
        pub html: String,
        /// False while the built-in text is in use.
        pub customised: bool,
        /// Merge fields it may name.
        pub fields: Vec<String>,
    }
}

crate::__wire! {
    /// `PUT /admin/messaging/templates/{key}/{language}`; also the body of a
    /// preview (with the member to preview for).
    pub struct TemplateUpdate {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
        pub subject: String,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
        pub text: String,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50000))]
        pub html: String,
    }
}

crate::__wire! {
    /// `POST /admin/messaging/templates/{key}/{language}/preview`.
    pub struct TemplatePreviewRequest {
        /// Whose figures to merge.
        #[cfg_attr(feature = "openapi", schema(minimum = 1))]
        pub member_id: i64,
        pub template: TemplateUpdate,
    }
}

crate::__wire! {
    /// A template rendered for one member.
    pub struct RenderedMessage {
        pub subject: String,
        pub text: String,
        pub html: String,
    }
}

/// Longest subject, text and HTML part a template may have, in characters.
pub const MAX_SUBJECT: usize = 200;
pub const MAX_TEXT: usize = 20_000;
pub const MAX_HTML: usize = 50_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_fields_are_distinct() {
        for k in TemplateKey::ALL {
            assert_eq!(TemplateKey::parse(k.as_str()), Some(k));
            let f = k.fields();
            let set: std::collections::HashSet<_> = f.iter().collect();
            assert_eq!(set.len(), f.len(), "{k:?} repeats a field");
        }
        assert!(TemplateKey::PointsExpiring
            .fields()
            .contains(&"expiry_date"));
        assert!(!TemplateKey::Welcome.fields().contains(&"expiry_date"));
    }
}
