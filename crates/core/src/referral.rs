//! Referrals: a member's code, the people they invited, and joining.

use chrono::{DateTime, Utc};

crate::__wire! {
    /// Where an invited person stands.
    #[derive(Copy, Eq, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum ReferralStatus {
        /// Invited by email, not joined yet.
        Invited,
        Joined,
        /// Made a first purchase.
        Purchased,
    }
}

crate::__wire! {
    /// Someone the member invited.
    pub struct Referee {
        /// First name and initial only: the referrer sees no personal data.
        pub display_name: String,
        pub status: ReferralStatus,
        /// When they were invited or joined.
        pub since: DateTime<Utc>,
        pub points_awarded: i64,
    }
}

crate::__wire! {
    /// `GET /me/referrals`.
    pub struct ReferralOverview {
        pub code: String,
        /// Sign-up link carrying the code (path; the SPA prefixes its origin).
        pub link: String,
        pub referees: Vec<Referee>,
        pub points_earned: i64,
        /// What each side gets.
        pub bonus_points: i64,
    }
}

crate::__wire! {
    /// `POST /me/referrals/invites`: invite a friend by email.
    pub struct InviteRequest {
        #[cfg_attr(feature = "openapi", schema(pattern = r"^\s*[^@\s][\s\S]*@[\s\S]*[^@\s]\s*$", max_length = 254))]
        pub email: String,
    }
}

/// "zhou.ping@example.cn" → "zh…@example.cn": enough to recognise, not to harvest.
pub fn masked_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let head: String = local.chars().take(2).collect();
            format!("{head}…@{domain}")
        }
        None => "…".to_string(),
    }
}

crate::__wire! {
    /// `POST /auth/register`: a new member account.
    pub struct RegisterRequest {
        #[cfg_attr(feature = "openapi", schema(pattern = r"\S", max_length = 100))]
        pub name: String,
        #[cfg_attr(feature = "openapi", schema(pattern = r"^\s*[^@\s][\s\S]*@[\s\S]*[^@\s]\s*$", max_length = 254))]
        pub email: String,
        #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 1024))]
        pub password: String,
        #[serde(default)]
        pub referral_code: Option<String>,
    }
}

/// "Wang Fang" → "Wang F."
pub fn display_name(full: &str) -> String {
    let mut parts = full.split_whitespace();
    match (parts.next(), parts.next()) {
        (Some(first), Some(second)) => {
            format!("{first} {}.", second.chars().next().unwrap_or(' '))
        }
        (Some(first), None) => first.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitees_emails_are_masked() {
        assert_eq!(masked_email("zhou.ping@example.cn"), "zh…@example.cn");
        assert_eq!(masked_email("nonsense"), "…");
    }

    #[test]
    fn referees_are_shown_by_first_name_and_initial() {
        assert_eq!(display_name("Wang Fang"), "Wang F.");
        assert_eq!(display_name("Li"), "Li");
        assert_eq!(display_name("  "), "");
    }
}
