//! Topics: what a message is about, which consent a marketing topic needs,
//! and the pure rules of when a marketing message may go (reminder
//! horizons, quiet hours in the member's zone, the weekly frequency cap).

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use crate::profile::Channel;

crate::__wire! {
    /// What a message is about. `account` and `service` are transactional
    /// (sent whatever the member chose); every other topic is marketing and
    /// needs the member's consent for the channel of the same name.
    #[derive(Copy, Eq, Hash, PartialOrd, Ord)]
    #[serde(rename_all = "snake_case")]
    pub enum Topic {
        /// Sign-in and security: reaches even a suppressed address.
        Account,
        /// Service messages: a reply to the member's ticket, their tier.
        Service,
        EmailOffers,
        News,
        PointsReminders,
        BirthdayGreetings,
        WinBack,
        SurveyInvitations,
    }
}

impl Topic {
    /// Stored name (a marketing topic's is its consent channel's).
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Account => "account",
            Topic::Service => "service",
            t => t.consent().map(Channel::as_str).unwrap_or_default(),
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "account" => Some(Topic::Account),
            "service" => Some(Topic::Service),
            s => Channel::parse(s).map(Topic::from),
        }
    }

    /// The consent a marketing topic needs (`None`: transactional).
    pub fn consent(self) -> Option<Channel> {
        Some(match self {
            Topic::Account | Topic::Service => return None,
            Topic::EmailOffers => Channel::EmailOffers,
            Topic::News => Channel::News,
            Topic::PointsReminders => Channel::PointsReminders,
            Topic::BirthdayGreetings => Channel::BirthdayGreetings,
            Topic::WinBack => Channel::WinBack,
            Topic::SurveyInvitations => Channel::SurveyInvitations,
        })
    }

    /// Marketing: needs consent, carries one-click unsubscribe, counts
    /// against the frequency cap and waits out quiet hours.
    pub fn is_marketing(self) -> bool {
        self.consent().is_some()
    }
}

impl From<Channel> for Topic {
    fn from(c: Channel) -> Self {
        match c {
            Channel::EmailOffers => Topic::EmailOffers,
            Channel::News => Topic::News,
            Channel::PointsReminders => Topic::PointsReminders,
            Channel::BirthdayGreetings => Topic::BirthdayGreetings,
            Channel::WinBack => Topic::WinBack,
            Channel::SurveyInvitations => Topic::SurveyInvitations,
        }
    }
}

/// Days a reminder is sent before points expire, by default.
pub const DEFAULT_REMINDER_DAYS: [i64; 2] = [30, 7];

/// The window of one reminder horizon among `horizons` (any order): lots
/// expiring more than the next shorter horizon's days and at most `days`
/// from now, so a member is reminded once per horizon, not by every longer
/// one too. `None` when `days` is not one of the horizons.
pub fn reminder_window(horizons: &[i64], days: i64) -> Option<(i64, i64)> {
    if !horizons.contains(&days) {
        return None;
    }
    let shorter = horizons
        .iter()
        .copied()
        .filter(|&h| h < days)
        .max()
        .unwrap_or(0);
    Some((shorter, days))
}

/// Quiet hours by default: no marketing message from 21:00 to 08:00 in the
/// member's time zone.
pub const DEFAULT_QUIET_HOURS: (u32, u32) = (21, 8);

/// At most this many marketing messages per member in [`CAP_DAYS`] days, by
/// default.
pub const DEFAULT_FREQUENCY_CAP: i64 = 3;
pub const CAP_DAYS: i64 = 7;

/// When the quiet hours `(start, end)` (whole hours, local to `tz`; they
/// may wrap past midnight) that hold `at` end, or `None` when `at` is not
/// in them. A message due then waits until this instant.
pub fn quiet_until(at: DateTime<Utc>, tz: Tz, (start, end): (u32, u32)) -> Option<DateTime<Utc>> {
    let local = at.with_timezone(&tz);
    let h = local.hour();
    let quiet = if start > end {
        h >= start || h < end
    } else {
        h >= start && h < end
    };
    if !quiet || start == end {
        return None;
    }
    let mut day = local.date_naive();
    if start > end && h >= start {
        day = day.succ_opt()?;
    }
    let wake = day.and_time(NaiveTime::from_hms_opt(end, 0, 0)?);
    // A wake-up time that a DST change skips is taken an hour later.
    tz.from_local_datetime(&wake)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(wake + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_hold_a_message_until_morning_in_the_members_zone() {
        let shanghai: Tz = "Asia/Shanghai".parse().unwrap();
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        // 22:30 in Shanghai: wait until 08:00 the next morning there.
        assert_eq!(
            quiet_until(at("2026-03-10T14:30:00Z"), shanghai, (21, 8)),
            Some(at("2026-03-11T00:00:00Z"))
        );
        // 03:00 there: until 08:00 the same day.
        assert_eq!(
            quiet_until(at("2026-03-10T19:00:00Z"), shanghai, (21, 8)),
            Some(at("2026-03-11T00:00:00Z"))
        );
        // 12:00 there: not quiet.
        assert_eq!(
            quiet_until(at("2026-03-10T04:00:00Z"), shanghai, (21, 8)),
            None
        );
        // Quiet hours that do not wrap midnight.
        assert_eq!(
            quiet_until(at("2026-03-10T13:00:00Z"), Tz::UTC, (12, 14)),
            Some(at("2026-03-10T14:00:00Z"))
        );
        assert_eq!(
            quiet_until(at("2026-03-10T13:00:00Z"), Tz::UTC, (9, 9)),
            None
        );
    }

    #[test]
    fn topics_round_trip_and_only_transactional_ones_need_no_consent() {
        for t in [
            Topic::Account,
            Topic::Service,
            Topic::EmailOffers,
            Topic::News,
            Topic::PointsReminders,
            Topic::BirthdayGreetings,
            Topic::WinBack,
            Topic::SurveyInvitations,
        ] {
            assert_eq!(Topic::parse(t.as_str()), Some(t));
            assert_eq!(
                t.is_marketing(),
                !matches!(t, Topic::Account | Topic::Service)
            );
        }
        for c in Channel::ALL {
            assert_eq!(Topic::from(c).consent(), Some(c));
        }
        assert_eq!(Topic::parse("spam"), None);
    }

    #[test]
    fn each_horizon_covers_the_days_down_to_the_next_shorter_one() {
        let h = [30, 7];
        assert_eq!(reminder_window(&h, 30), Some((7, 30)));
        assert_eq!(reminder_window(&h, 7), Some((0, 7)));
        assert_eq!(reminder_window(&[7, 30, 1], 7), Some((1, 7)));
        assert_eq!(reminder_window(&h, 14), None);
    }
}
