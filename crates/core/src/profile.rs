//! The member's profile, preferences and consents; changing email and password.

use chrono::{DateTime, NaiveDate, Utc};

crate::__wire! {
    /// A communication channel a member opts in to or out of.
    #[derive(Copy, Eq, Hash, PartialOrd, Ord)]
    #[serde(rename_all = "snake_case")]
    pub enum Channel {
        EmailOffers,
        News,
        PointsReminders,
        BirthdayGreetings,
        WinBack,
        SurveyInvitations,
    }
}

impl Channel {
    /// All channels, in display order.
    pub const ALL: [Channel; 6] = [
        Channel::EmailOffers,
        Channel::News,
        Channel::PointsReminders,
        Channel::BirthdayGreetings,
        Channel::WinBack,
        Channel::SurveyInvitations,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::EmailOffers => "email_offers",
            Channel::News => "news",
            Channel::PointsReminders => "points_reminders",
            Channel::WinBack => "win_back",
            Channel::BirthdayGreetings => "birthday_greetings",
            Channel::SurveyInvitations => "survey_invitations",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

crate::__wire! {
    /// A member's current choice for one channel, with when it was made.
    pub struct Consent {
        pub channel: Channel,
        pub granted: bool,
        /// When the member made this choice (`None`: never asked).
        pub at: Option<DateTime<Utc>>,
    }
}

crate::__wire! {
    /// `GET /me/profile`.
    pub struct Profile {
        pub name: String,
        pub email: String,
        pub card_number: String,
        pub birthday: Option<NaiveDate>,
        /// False once the member has set it (only staff can change it then).
        pub birthday_editable: bool,
        pub region: String,
        pub city: String,
        /// `en` or `zh`.
        pub language: String,
        /// IANA zone dates are shown in.
        pub time_zone: String,
        pub consents: Vec<Consent>,
    }
}

crate::__wire! {
    /// `PATCH /me/profile`: fields left out stay as they are.
    #[derive(Default)]
    pub struct ProfileUpdate {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub birthday: Option<NaiveDate>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub region: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub city: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(pattern = "^(en|zh)$"))]
        pub language: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub time_zone: Option<String>,
        /// Channels to change, with the new choice.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub consents: Vec<ConsentChange>,
    }
}

crate::__wire! {
    /// One opt-in or opt-out.
    pub struct ConsentChange {
        pub channel: Channel,
        pub granted: bool,
    }
}

crate::__wire! {
    /// `POST /me/email`.
    pub struct EmailChange {
        pub new_email: String,
        /// The current password, to prove it is the member.
        pub password: String,
    }
}

crate::__wire! {
    /// `POST /me/password`: ends every other session.
    pub struct PasswordChange {
        pub current_password: String,
        pub new_password: String,
    }
}

/// Days around a birthday in which setting it earns no birthday bonus.
pub const BIRTHDAY_GUARD_DAYS: i64 = 30;

/// Whether a birthday set on `set_on` may trigger this year's bonus: not
/// when it was set within 30 days before the birthday itself (anti-gaming).
pub fn birthday_bonus_allowed(
    birthday: NaiveDate,
    set_on: NaiveDate,
    bonus_day: NaiveDate,
) -> bool {
    use chrono::Datelike;
    let this_year = NaiveDate::from_ymd_opt(bonus_day.year(), birthday.month(), birthday.day())
        .or_else(|| NaiveDate::from_ymd_opt(bonus_day.year(), 2, 28))
        .expect("valid date");
    (this_year - set_on).num_days() > BIRTHDAY_GUARD_DAYS || set_on > this_year
}

/// A password the server accepts for a new one.
pub fn password_problem(pw: &str) -> Option<&'static str> {
    let chars = pw.chars().count();
    if chars < 10 {
        Some("Use at least 10 characters.")
    } else if chars > 1024 {
        Some("That password is too long.")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn birthday_set_just_before_it_earns_no_bonus() {
        let bday = d(1990, 6, 20);
        assert!(!birthday_bonus_allowed(bday, d(2026, 6, 1), d(2026, 6, 20)));
        assert!(!birthday_bonus_allowed(
            bday,
            d(2026, 5, 21),
            d(2026, 6, 20)
        ));
        assert!(birthday_bonus_allowed(bday, d(2026, 5, 20), d(2026, 6, 20)));
        assert!(birthday_bonus_allowed(bday, d(2025, 1, 1), d(2026, 6, 20)));
    }

    #[test]
    fn passwords_need_ten_characters() {
        assert!(password_problem("short").is_some());
        assert!(password_problem("long enough").is_none());
        // Limits count characters, as the contract's maxLength does: 1,024
        // Chinese characters (3,072 bytes) are allowed, one more is not.
        assert!(password_problem(&"密".repeat(1024)).is_none());
        assert!(password_problem(&"密".repeat(1025)).is_some());
    }

    #[test]
    fn channels_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
    }
}
