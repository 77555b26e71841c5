//! Deadlines: a date-only deadline is the end of that day in a time zone.
//! Also the one parser for dates that arrive in requests: `YYYY-MM-DD` with
//! a year in [`YEARS`], so no date a client sends can reach the ends of
//! chrono's range (where arithmetic fails).

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, Days, LocalResult, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The years a date in a request may name.
pub const YEARS: RangeInclusive<i32> = 1970..=9999;

/// What a request's date must look like, said to the client.
pub const DAY_HINT: &str = "Use a date like 2026-01-31 (years 1970 to 9999).";

/// Parses a request's date: exactly `YYYY-MM-DD`, year in [`YEARS`].
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 10 || !s.is_ascii() {
        return None;
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    YEARS.contains(&d.year()).then_some(d)
}

/// Serde: an optional request date through [`parse_day`] (empty = none).
pub fn de_opt_day<'de, D>(de: D) -> Result<Option<NaiveDate>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::Error;
    let s: Option<String> = serde::Deserialize::deserialize(de)?;
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_day(s)
            .map(Some)
            .ok_or_else(|| D::Error::custom(DAY_HINT)),
    }
}

/// Parses an IANA zone name, falling back to UTC for unknown names.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// The calendar date of `at` in `tz`.
pub fn local_date(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// The first instant of `date` in `tz` (handles DST gaps by taking the
/// earliest valid local time on that date).
pub fn start_of_day(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let mut t = date.and_time(chrono::NaiveTime::MIN);
    // A DST gap can swallow midnight: step forward until a valid time.
    for _ in 0..4 {
        match tz.from_local_datetime(&t) {
            LocalResult::Single(x) => return x.with_timezone(&Utc),
            LocalResult::Ambiguous(a, _) => return a.with_timezone(&Utc),
            LocalResult::None => t += chrono::Duration::minutes(30),
        }
    }
    Utc.from_utc_datetime(&t)
}

/// The last instant (to the second) of `date` in `tz`: a deadline "by DATE"
/// is met by anything at or before this instant.
/// On chrono's last date (never a request's: see [`parse_day`]) it is the
/// last instant chrono knows rather than a panic.
pub fn end_of_day(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    match date.checked_add_days(Days::new(1)) {
        Some(next) => start_of_day(next, tz) - chrono::Duration::seconds(1),
        None => DateTime::<Utc>::MAX_UTC,
    }
}

/// `date` moved by whole months, clamped to the month's last day (and to
/// chrono's range at its ends).
pub fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    if months >= 0 {
        date.checked_add_months(Months::new(months.unsigned_abs()))
            .unwrap_or(NaiveDate::MAX)
    } else {
        date.checked_sub_months(Months::new(months.unsigned_abs()))
            .unwrap_or(NaiveDate::MIN)
    }
}

/// 31 December of the year that contains `date`.
pub fn year_end(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year(), 12, 31).unwrap_or(NaiveDate::MAX)
}

/// 1 January of the year that contains `date`.
pub fn year_start(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_of_day_is_last_second_in_zone() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let shanghai = zone("Asia/Shanghai");
        // 23:59:59 in UTC+8 is 15:59:59 UTC.
        assert_eq!(
            end_of_day(d, shanghai).to_rfc3339(),
            "2026-03-31T15:59:59+00:00"
        );
        assert_eq!(
            end_of_day(d, zone("UTC")).to_rfc3339(),
            "2026-03-31T23:59:59+00:00"
        );
    }

    #[test]
    fn end_of_day_respects_daylight_saving() {
        // London is UTC+1 on 1 July, UTC on 1 January.
        let london = zone("Europe/London");
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let winter = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(
            end_of_day(summer, london).to_rfc3339(),
            "2026-07-01T22:59:59+00:00"
        );
        assert_eq!(
            end_of_day(winter, london).to_rfc3339(),
            "2026-01-01T23:59:59+00:00"
        );
        // The day DST starts is 23 hours long; its end is still local 23:59:59.
        let spring = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        assert_eq!(
            end_of_day(spring, london).to_rfc3339(),
            "2026-03-29T22:59:59+00:00"
        );
    }

    #[test]
    fn request_dates_are_exact_and_bounded() {
        assert_eq!(
            parse_day("2026-01-31"),
            NaiveDate::from_ymd_opt(2026, 1, 31)
        );
        assert_eq!(
            parse_day(" 1970-01-01 "),
            NaiveDate::from_ymd_opt(1970, 1, 1)
        );
        assert_eq!(
            parse_day("9999-12-31"),
            NaiveDate::from_ymd_opt(9999, 12, 31)
        );
        for bad in [
            "+262142-12-31",
            "262142-12-31",
            "1969-12-31",
            "2026-1-31",
            "2026-02-30",
            "",
            "2026-01-31T00:00",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_ends_of_the_calendar_do_not_panic() {
        let utc = zone("UTC");
        assert_eq!(end_of_day(NaiveDate::MAX, utc), DateTime::<Utc>::MAX_UTC);
        assert!(start_of_day(NaiveDate::MIN, utc) < start_of_day(NaiveDate::MAX, utc));
        assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(add_months(NaiveDate::MIN, -1), NaiveDate::MIN);
        assert_eq!(year_end(NaiveDate::MAX), NaiveDate::MAX);
    }

    #[test]
    fn unknown_zone_falls_back_to_utc() {
        assert_eq!(zone("Mars/Olympus"), Tz::UTC);
    }

    #[test]
    fn add_months_clamps_to_month_end() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        assert_eq!(
            add_months(d, 1),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        assert_eq!(
            add_months(d, -2),
            NaiveDate::from_ymd_opt(2025, 11, 30).unwrap()
        );
    }
}
