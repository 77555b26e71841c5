//! What the earning rules need to know about a member at a purchase, from
//! the store and the tier rules (shared by the simulator and transactions).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use patron_core::earning::EarnContext;
use patron_core::profile::birthday_bonus_allowed;
use patron_core::time::{local_date, start_of_day, year_start, zone};

use crate::error::ApiResult;
use crate::store::members::MemberRow;
use crate::store::Store;
use crate::summary::member_tier;

/// The member's earning context at `at`, and their tier's name.
pub async fn context(
    store: &Store,
    member: &MemberRow,
    at: DateTime<Utc>,
) -> ApiResult<EarnContext> {
    let programme = store.programme().await?;
    let tz = zone(&programme.time_zone);
    let tier = member_tier(store, member, at).await?;
    let multiplier = store
        .tiers_detailed()
        .await?
        .into_iter()
        .find(|t| t.tier.id == tier.current.id)
        .map_or(100, |t| t.earn_multiplier_pct);
    let (bought, birthday, set_at) = store.earn_facts(member.id).await?;
    let day = local_date(at, tz);
    let birthday_bonus_due = match birthday
        .as_deref()
        .and_then(|b| NaiveDate::parse_from_str(b, "%Y-%m-%d").ok())
    {
        Some(b) if b.month() == day.month() => {
            let set_on = set_at
                .and_then(|s| DateTime::from_timestamp(s, 0))
                .map_or(NaiveDate::MIN, |s| local_date(s, tz));
            let given = store
                .birthday_bonus_since(member.id, start_of_day(year_start(day), tz).timestamp())
                .await?;
            !given && birthday_bonus_allowed(b, set_on, day)
        }
        _ => false,
    };
    Ok(EarnContext {
        at,
        tier_multiplier_pct: multiplier,
        tier_name: tier.current.name,
        first_purchase: !bought,
        birthday_bonus_due,
    })
}
