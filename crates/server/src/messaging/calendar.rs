//! When a holiday falls in a year: fixed dates (29 February on the 28th in
//! other years), one-off dates, and the lunar ones — Spring Festival (1st
//! day of the 1st lunar month) and Mid-Autumn (15th day of the 8th) —
//! computed with the chinese-lunisolar-calendar crate (years 1901–2100).

use chinese_lunisolar_calendar::LunisolarDate;
use chrono::{Datelike, NaiveDate};
use patron_core::messaging::{fixed_date, HolidayDraft, HolidayKind};

/// The lunar date `month`/`day` of lunar year `year` on the Gregorian
/// calendar.
fn lunar(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    let year = u16::try_from(year).ok()?;
    LunisolarDate::from_ymd(year, month, false, day)
        .ok()
        .map(|d| d.to_solar_date().to_naive_date())
}

/// The holiday's date in Gregorian year `year`, if it has one then.
pub fn date_in(h: &HolidayDraft, year: i32) -> Option<NaiveDate> {
    match h.kind {
        HolidayKind::Fixed => fixed_date(year, h.month?, h.day?),
        HolidayKind::Date => h.on_date.filter(|d| d.year() == year),
        // Both fall in the same Gregorian year as their lunar year.
        HolidayKind::SpringFestival => lunar(year, 1, 1),
        HolidayKind::MidAutumn => lunar(year, 8, 15),
    }
}

/// The holiday's next date on or after `today`.
pub fn next_date(h: &HolidayDraft, today: NaiveDate) -> Option<NaiveDate> {
    (today.year()..=today.year() + 1)
        .filter_map(|y| date_in(h, y))
        .find(|d| *d >= today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(kind: HolidayKind) -> HolidayDraft {
        HolidayDraft {
            name_en: "x".into(),
            name_zh: "x".into(),
            kind,
            month: Some(2),
            day: Some(29),
            on_date: None,
            enabled: true,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn lunar_holidays_fall_on_their_published_dates() {
        // As published for these years.
        for (y, spring, autumn) in [
            (2024, d(2024, 2, 10), d(2024, 9, 17)),
            (2025, d(2025, 1, 29), d(2025, 10, 6)),
            (2026, d(2026, 2, 17), d(2026, 9, 25)),
            (2027, d(2027, 2, 6), d(2027, 9, 15)),
        ] {
            assert_eq!(date_in(&h(HolidayKind::SpringFestival), y), Some(spring));
            assert_eq!(date_in(&h(HolidayKind::MidAutumn), y), Some(autumn));
        }
    }

    #[test]
    fn next_dates_roll_into_the_following_year() {
        let spring = h(HolidayKind::SpringFestival);
        assert_eq!(next_date(&spring, d(2026, 2, 17)), Some(d(2026, 2, 17)));
        assert_eq!(next_date(&spring, d(2026, 2, 18)), Some(d(2027, 2, 6)));
        let leap = h(HolidayKind::Fixed);
        assert_eq!(next_date(&leap, d(2026, 12, 6)), Some(d(2027, 2, 28)));
        let once = HolidayDraft {
            kind: HolidayKind::Date,
            on_date: Some(d(2026, 5, 1)),
            ..h(HolidayKind::Date)
        };
        assert_eq!(next_date(&once, d(2026, 4, 1)), Some(d(2026, 5, 1)));
        assert_eq!(next_date(&once, d(2026, 5, 2)), None);
    }
}
