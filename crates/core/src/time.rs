//! Deadlines: a date-only deadline is the end of that day in a time zone.

use chrono::{DateTime, Datelike, Days, LocalResult, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

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
    let mut t = date.and_hms_opt(0, 0, 0).expect("midnight exists");
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
pub fn end_of_day(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let next = date.checked_add_days(Days::new(1)).expect("date in range");
    start_of_day(next, tz) - chrono::Duration::seconds(1)
}

/// `date` moved by whole months, clamped to the month's last day.
pub fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    if months >= 0 {
        date.checked_add_months(Months::new(months as u32))
    } else {
        date.checked_sub_months(Months::new((-months) as u32))
    }
    .expect("date in range")
}

/// 31 December of the year that contains `date`.
pub fn year_end(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year(), 12, 31).expect("valid date")
}

/// 1 January of the year that contains `date`.
pub fn year_start(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("valid date")
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
