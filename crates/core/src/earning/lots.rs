//! What a purchase's points become: the lot dates (spendable from, expires
//! at) and the share taken back when part of the order is returned.

use chrono::{DateTime, Utc};

/// Points to take back when `returned_minor` of an order of `amount_minor`
/// that earned `earned` comes back: the same share of the points, rounded
/// down, never more than `left` (what is left of them after earlier
/// returns and spending).
pub fn return_points(earned: i64, amount_minor: i64, returned_minor: i64, left: i64) -> i64 {
    if amount_minor <= 0 || earned <= 0 {
        return 0;
    }
    let share = (earned as i128 * returned_minor.clamp(0, amount_minor) as i128
        / amount_minor as i128) as i64;
    share.min(left).max(0)
}

/// When points earned at `at` become spendable and when they expire, under
/// the programme's pending days and expiry rule (`tz`: programme zone).
pub fn lot_dates(
    rule: crate::expiry::ExpiryRule,
    pending_days: i64,
    at: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
    use crate::expiry::ExpiryRule;
    use crate::time::{add_months, end_of_day, local_date};
    use chrono::Datelike;
    let available = at + chrono::Duration::days(pending_days.max(0));
    let expires = match rule {
        ExpiryRule::Never => None,
        ExpiryRule::MonthsAfterEarning { months } => Some(
            add_months(at.date_naive(), months as i32)
                .and_time(at.time())
                .and_utc(),
        ),
        ExpiryRule::EndOfNextYear => {
            let y = local_date(at, tz).year() + 1;
            chrono::NaiveDate::from_ymd_opt(y, 12, 31).map(|d| end_of_day(d, tz))
        }
    };
    (available, expires)
}
