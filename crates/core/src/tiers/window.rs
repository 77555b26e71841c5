//! The window maths: which activity counts towards a tier on a given day
//! (rolling months, calendar year, lifetime), and the instants that bound
//! a window's sums for the SQL that adds them up.

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::summary::TierWindow;
use crate::time::{add_months, local_date, year_start};

/// In a rolling window of `months`, activity on local date `a` counts on
/// every day before `a + months` (its drop date).
pub(super) fn drop_date(a: NaiveDate, months: u32) -> NaiveDate {
    add_months(a, months as i32)
}

/// Sum of the activity whose local date falls in `[from, to]`.
pub(super) fn sum_between(acts: &[(NaiveDate, i64)], from: NaiveDate, to: NaiveDate) -> i64 {
    acts.iter()
        .filter(|(d, _)| *d >= from && *d <= to)
        .map(|(_, v)| v)
        .sum()
}

/// The member's qualifying value on `today` under `window`.
pub(super) fn value_on(acts: &[(NaiveDate, i64)], window: TierWindow, today: NaiveDate) -> i64 {
    match window {
        TierWindow::RollingMonths { months } => acts
            .iter()
            .filter(|(d, _)| *d <= today && today < drop_date(*d, months))
            .map(|(_, v)| v)
            .sum(),
        TierWindow::CalendarYear => sum_between(acts, year_start(today), today),
        TierWindow::Lifetime => acts
            .iter()
            .filter(|(d, _)| *d <= today)
            .map(|(_, v)| v)
            .sum(),
    }
}

/// The instants that bound a window's sums at `now`: activity at or after
/// `from` (and not after `now`) counts; for a calendar year, `last_year` is
/// last year's `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowBounds {
    pub from: Option<DateTime<Utc>>,
    pub last_year: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// The bounds of `window` at `now`, exactly as [`progress`](super::progress::progress) counts: in a
/// rolling window activity on local date `a` counts while
/// `today < a + months`, so the first counting date is found from the
/// clamped month arithmetic rather than approximated.
pub fn window_bounds(window: TierWindow, now: DateTime<Utc>, tz: Tz) -> WindowBounds {
    use crate::time::start_of_day;
    let today = local_date(now, tz);
    match window {
        TierWindow::Lifetime => WindowBounds {
            from: None,
            last_year: None,
        },
        TierWindow::CalendarYear => {
            let start = year_start(today);
            let last_start = year_start(start - Days::new(1));
            WindowBounds {
                from: Some(start_of_day(start, tz)),
                last_year: Some((start_of_day(last_start, tz), start_of_day(start, tz))),
            }
        }
        TierWindow::RollingMonths { months } => {
            // add_months is monotonic, so the counting dates are an up-set:
            // walk from a few days before today − months to the first one.
            let mut a = add_months(today, -(months as i32)) - Days::new(4);
            while today >= drop_date(a, months) {
                a = a + Days::new(1);
            }
            WindowBounds {
                from: Some(start_of_day(a, tz)),
                last_year: None,
            }
        }
    }
}
