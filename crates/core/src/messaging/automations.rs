//! Automations as the admin runs them: each is on or off, waits a delay
//! after its event, and shows its last 30 days (queued, sent, failed,
//! skipped, opened by a person, clicked, unsubscribed); the programme's
//! sending rules (frequency cap, quiet hours, reminder horizons, win-back
//! factor); the holidays greeted. With the checks a saved value must pass.

use chrono::{Datelike, NaiveDate};

use super::templates::TemplateKey;
use super::topics::Topic;

crate::__wire! {
    /// What an automation's messages did in the last 30 days.
    #[derive(Default)]
    pub struct AutomationFigures {
        pub queued: i64,
        /// Accepted by the mail server (or captured, without one).
        pub sent: i64,
        pub failed: i64,
        /// Not sent: no consent, suppressed.
        pub skipped: i64,
        /// Messages a person opened (privacy proxies and prefetchers left out).
        pub opened: i64,
        /// Messages with a link clicked.
        pub clicked: i64,
        /// Unsubscribes from its messages' links.
        pub unsubscribed: i64,
    }
}

crate::__wire! {
    /// One automation.
    pub struct Automation {
        pub key: TemplateKey,
        pub topic: Topic,
        pub enabled: bool,
        /// Hours its messages wait after their event.
        pub delay_hours: i64,
        /// The last 30 days.
        pub figures: AutomationFigures,
    }
}

crate::__wire! {
    /// `PUT /admin/messaging/automations/{key}`.
    pub struct AutomationUpdate {
        pub enabled: bool,
        #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 720))]
        pub delay_hours: i64,
    }
}

crate::__wire! {
    /// The programme's sending rules.
    pub struct MessagingSettings {
        /// At most this many marketing messages per member in 7 days.
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 50))]
        pub frequency_cap: i64,
        /// Quiet hours in the member's zone, whole hours (may wrap midnight;
        /// equal: none).
        #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 23))]
        pub quiet_start: u32,
        #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 23))]
        pub quiet_end: u32,
        /// Days before points expire that reminders go (1–4 of 1–90).
        pub reminder_days: Vec<i64>,
        /// Win-back after this many times the member's usual interval.
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10))]
        pub win_back_factor: i64,
    }
}

impl Default for MessagingSettings {
    fn default() -> Self {
        Self {
            frequency_cap: super::topics::DEFAULT_FREQUENCY_CAP,
            quiet_start: super::topics::DEFAULT_QUIET_HOURS.0,
            quiet_end: super::topics::DEFAULT_QUIET_HOURS.1,
            reminder_days: super::topics::DEFAULT_REMINDER_DAYS.to_vec(),
            win_back_factor: 2,
        }
    }
}

/// Each field of `s` that breaks its rule, with why.
pub fn settings_problems(s: &MessagingSettings) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if !(1..=50).contains(&s.frequency_cap) {
        out.push((
            "frequency_cap",
            "Allow 1 to 50 marketing messages per week.",
        ));
    }
    if s.quiet_start > 23 {
        out.push(("quiet_start", "Use an hour from 0 to 23."));
    }
    if s.quiet_end > 23 {
        out.push(("quiet_end", "Use an hour from 0 to 23."));
    }
    let mut days = s.reminder_days.clone();
    days.sort_unstable();
    days.dedup();
    if s.reminder_days.is_empty()
        || s.reminder_days.len() > 4
        || days.len() != s.reminder_days.len()
        || s.reminder_days.iter().any(|d| !(1..=90).contains(d))
    {
        out.push((
            "reminder_days",
            "Give 1 to 4 different days, each from 1 to 90.",
        ));
    }
    if !(1..=10).contains(&s.win_back_factor) {
        out.push(("win_back_factor", "Use a factor from 1 to 10."));
    }
    out
}

crate::__wire! {
    /// How a holiday's date is found.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum HolidayKind {
        /// The same month and day every year.
        Fixed,
        /// Lunar new year (1st day of the 1st lunar month), computed per year.
        SpringFestival,
        /// 15th day of the 8th lunar month, computed per year.
        MidAutumn,
        /// One day, entered.
        Date,
    }
}

impl HolidayKind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            HolidayKind::Fixed => "fixed",
            HolidayKind::SpringFestival => "spring_festival",
            HolidayKind::MidAutumn => "mid_autumn",
            HolidayKind::Date => "date",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            HolidayKind::Fixed,
            HolidayKind::SpringFestival,
            HolidayKind::MidAutumn,
            HolidayKind::Date,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

crate::__wire! {
    /// `POST /admin/messaging/holidays`, `PUT …/{id}`.
    pub struct HolidayDraft {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
        pub name_en: String,
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
        pub name_zh: String,
        pub kind: HolidayKind,
        /// `fixed`: month and day.
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 12))]
        pub month: Option<u32>,
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 31))]
        pub day: Option<u32>,
        /// `date`: the day.
        pub on_date: Option<NaiveDate>,
        pub enabled: bool,
    }
}

crate::__wire! {
    /// A holiday, with its next date.
    pub struct Holiday {
        pub id: i64,
        #[serde(flatten)]
        pub draft: HolidayDraft,
        /// Its next date from today (none: a past one-off date).
        pub next: Option<NaiveDate>,
    }
}

/// Each field of `h` that breaks its rule, with why.
pub fn holiday_problems(h: &HolidayDraft) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for (field, v) in [("name_en", &h.name_en), ("name_zh", &h.name_zh)] {
        let n = v.trim().chars().count();
        if n == 0 || n > 80 {
            out.push((field, "Give a name of 1 to 80 characters."));
        }
    }
    match h.kind {
        HolidayKind::Fixed => {
            let ok = matches!((h.month, h.day), (Some(m), Some(d))
                if NaiveDate::from_ymd_opt(2024, m, d).is_some());
            if !ok {
                out.push(("day", "Give a month and a day that exist."));
            }
        }
        HolidayKind::Date if h.on_date.is_none() => out.push(("on_date", "Give the date.")),
        _ => {}
    }
    out
}

crate::__wire! {
    /// `GET /admin/messaging/automations`.
    pub struct AutomationsOverview {
        pub automations: Vec<Automation>,
        pub settings: MessagingSettings,
        pub holidays: Vec<Holiday>,
    }
}

/// The date of a fixed holiday in `year` (29 February on 28 February in
/// other years).
pub fn fixed_date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
        (month == 2 && day == 29)
            .then(|| NaiveDate::from_ymd_opt(year, 2, 28))
            .flatten()
    })
}

/// The day a member's birthday is kept in `year` (29 February on
/// 28 February in other years).
pub fn birthday_in(birthday: NaiveDate, year: i32) -> Option<NaiveDate> {
    fixed_date(year, birthday.month(), birthday.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn leap_day_birthdays_are_kept_on_the_28th_in_other_years() {
        assert_eq!(birthday_in(d(2000, 2, 29), 2027), Some(d(2027, 2, 28)));
        assert_eq!(birthday_in(d(2000, 2, 29), 2028), Some(d(2028, 2, 29)));
        assert_eq!(birthday_in(d(1990, 7, 4), 2027), Some(d(2027, 7, 4)));
    }

    #[test]
    fn settings_and_holidays_are_checked_field_by_field() {
        assert!(settings_problems(&MessagingSettings::default()).is_empty());
        let bad = MessagingSettings {
            frequency_cap: 0,
            quiet_start: 24,
            quiet_end: 8,
            reminder_days: vec![7, 7],
            win_back_factor: 11,
        };
        let fields: Vec<_> = settings_problems(&bad).into_iter().map(|p| p.0).collect();
        assert_eq!(
            fields,
            [
                "frequency_cap",
                "quiet_start",
                "reminder_days",
                "win_back_factor"
            ]
        );
        let h = HolidayDraft {
            name_en: "Leap".into(),
            name_zh: "闰".into(),
            kind: HolidayKind::Fixed,
            month: Some(2),
            day: Some(30),
            on_date: None,
            enabled: true,
        };
        assert_eq!(
            holiday_problems(&h),
            [("day", "Give a month and a day that exist.")]
        );
        assert!(holiday_problems(&HolidayDraft { day: Some(29), ..h }).is_empty());
    }
}
