//! Assembles a member's dashboard from the ledger with the core rules.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use patron_core::ledger::buckets;
use patron_core::summary::{BalanceBuckets, MemberSummary, TierProgress, TierRef};
use patron_core::tiers::progress_held;
use patron_core::time::zone;

use crate::error::{ApiError, ApiResult};
use crate::store::members::MemberRow;
use crate::store::messaging::recipients::Recipient;
use crate::store::programme::Programme;
use crate::store::Store;

/// The member's tier progress now (the same computation the dashboard shows).
pub async fn member_tier(
    store: &Store,
    member: &MemberRow,
    now: DateTime<Utc>,
) -> ApiResult<patron_core::summary::TierProgress> {
    let programme = store.programme().await?;
    let tiers = store.tiers().await?;
    if tiers.is_empty() {
        return Err(ApiError::internal("programme has no tiers"));
    }
    let activity = store
        .tier_activity(member.id, programme.policy.basis)
        .await?;
    Ok(progress_held(
        programme.policy,
        &tiers,
        &activity,
        now,
        zone(&programme.time_zone),
        member.tier_locked_id,
        Some(member.tier_id),
    ))
}

/// A member's balance and tier progress: the figures a message quotes.
#[derive(Debug, Clone)]
pub struct Standing {
    pub balance: BalanceBuckets,
    pub tier: TierProgress,
}

/// The standing of each of `members` now, by member id, in three
/// statements whatever their number, with the programme and its tiers
/// already at hand (the delivery worker loads them once a batch). `tiers`
/// must not be empty.
pub async fn member_standings(
    store: &Store,
    members: &[&Recipient],
    programme: &Programme,
    tiers: &[TierRef],
    now: DateTime<Utc>,
) -> Result<HashMap<i64, Standing>, sqlx::Error> {
    if members.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<i64> = members.iter().map(|r| r.member_id).collect();
    let mut lots = store.lots_of(&ids).await?;
    let totals = store.kind_totals_of(&ids).await?;
    let mut activity = store.tier_activity_of(&ids, programme.policy.basis).await?;
    let tz = zone(&programme.time_zone);
    Ok(members
        .iter()
        .map(|r| {
            let id = r.member_id;
            let lots = lots.remove(&id).unwrap_or_default();
            let totals = totals.get(&id).copied().unwrap_or_default();
            let activity = activity.remove(&id).unwrap_or_default();
            let tier = progress_held(
                programme.policy,
                tiers,
                &activity,
                now,
                tz,
                r.tier_locked_id,
                Some(r.tier_id),
            );
            let balance = buckets(&lots, &totals, now);
            (id, Standing { balance, tier })
        })
        .collect())
}

/// Entries shown under "recent activity".
pub const RECENT_ENTRIES: i64 = 10;

/// The summary of member `member_id` as of `now`.
pub async fn member_summary(
    store: &Store,
    member_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<MemberSummary> {
    let member = store
        .member(member_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such member.".into()))?;
    let programme = store.programme().await?;
    let tiers = store.tiers().await?;
    if tiers.is_empty() {
        return Err(ApiError::internal("programme has no tiers"));
    }
    let lots = store.member_lots(member_id).await?;
    let totals = store.kind_totals(member_id).await?;
    let activity = store
        .tier_activity(member_id, programme.policy.basis)
        .await?;
    let recent = store
        .recent_entries(member_id, RECENT_ENTRIES, now.timestamp())
        .await?;
    let tz = zone(&programme.time_zone);
    Ok(MemberSummary {
        member_id,
        name: member.name,
        card_number: member.card_number,
        balance: buckets(&lots, &totals, now),
        tier: progress_held(
            programme.policy,
            &tiers,
            &activity,
            now,
            tz,
            member.tier_locked_id,
            Some(member.tier_id),
        ),
        recent,
        currency: programme.currency,
        point_value_centi_minor: programme.point_value_centi_minor,
        time_zone: programme.time_zone,
    })
}
