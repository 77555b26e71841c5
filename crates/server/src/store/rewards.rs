//! The rewards catalogue and the member's wallet.

use crate::store::db;
use patron_core::rewards::{Redemption, RedemptionStatus, RewardFacts};
use patron_core::segments::SegmentDefinition;
use patron_core::summary::TierRef;
use sqlx::Row;

use super::segments::Context;
use super::{ts, ts_opt, Store};

/// A reward with what this member has redeemed of it.
#[derive(Debug, Clone)]
pub struct RewardRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub category: String,
    pub min_tier: Option<TierRef>,
    pub facts: RewardFacts,
    /// Offered only to the members of this saved segment.
    pub segment_id: Option<i64>,
    /// That segment's definition (`None` if it was deleted: then nobody).
    pub segment: Option<SegmentDefinition>,
}

impl RewardRow {
    /// Whether the member may see and redeem it: everyone, or the members
    /// of its segment.
    pub async fn offered_to<'e, E>(
        &self,
        ex: E,
        member_id: i64,
        cx: Context,
    ) -> Result<bool, sqlx::Error>
    where
        E: sqlx::Executor<'e, Database = db::Db>,
    {
        match (&self.segment_id, &self.segment) {
            (None, _) => Ok(true),
            (Some(_), None) => Ok(false),
            (Some(_), Some(def)) => Store::in_segment(ex, def, cx, member_id).await,
        }
    }
}

/// Binds: ?1 the member, ?2 now (unix seconds); more may follow.
pub(crate) const REWARD_SELECT: &str = "SELECT r.id, r.name, r.description, r.category, r.cost_points, r.stock,
        r.per_member_limit, r.valid_from, r.valid_until,
        t.id AS tier_id, t.name AS tier_name, t.threshold AS tier_threshold, t.colour AS tier_colour,
        (SELECT COUNT(*) FROM redemptions d
          WHERE d.reward_id = r.id AND d.member_id = ?1 AND d.status <> 'cancelled') AS mine,
        r.segment_id, g.definition AS segment_definition
     FROM rewards r LEFT JOIN tiers t ON t.id = r.min_tier_id
     LEFT JOIN segments g ON g.id = r.segment_id AND g.deleted_at IS NULL
     WHERE r.active
       AND (r.visible_from IS NULL OR r.visible_from <= ?2)
       AND (r.visible_until IS NULL OR r.visible_until > ?2)";

pub(crate) fn reward_from_row(r: &db::DbRow) -> RewardRow {
    let tier_id: Option<i64> = r.get("tier_id");
    let min_tier = tier_id.map(|id| TierRef {
        id,
        name: r.get("tier_name"),
        threshold: r.get("tier_threshold"),
        colour: r.get("tier_colour"),
    });
    RewardRow {
        id: r.get("id"),
        name: r.get("name"),
        description: r.get("description"),
        category: r.get("category"),
        facts: RewardFacts {
            cost_points: r.get("cost_points"),
            stock_left: r.get("stock"),
            per_member_limit: r.get("per_member_limit"),
            redeemed_by_me: r.get("mine"),
            min_tier_threshold: min_tier.as_ref().map(|t| t.threshold),
            valid_from: ts_opt(r.get("valid_from")),
            valid_until: ts_opt(r.get("valid_until")),
        },
        min_tier,
        segment_id: r.get("segment_id"),
        segment: r
            .get::<Option<&str>, _>("segment_definition")
            .and_then(|d| serde_json::from_str(d).ok()),
    }
}

impl Store {
    /// Active rewards offered to this member, cheapest first, with their
    /// redemption counts.
    pub async fn rewards_for(
        &self,
        member_id: i64,
        cx: Context,
    ) -> Result<Vec<RewardRow>, sqlx::Error> {
        let rows = db::query(&format!("{REWARD_SELECT} ORDER BY r.cost_points, r.id"))
            .bind(member_id)
            .bind(cx.now.timestamp())
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows.iter().map(reward_from_row) {
            if r.offered_to(&self.pool, member_id, cx).await? {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// The member's redemptions, newest first (at most `limit`).
    pub async fn redemptions_of(
        &self,
        member_id: i64,
        limit: i64,
        now: i64,
    ) -> Result<Vec<Redemption>, sqlx::Error> {
        let rows = db::query(
            "SELECT d.id, d.reward_id, r.name, d.code, d.status, d.cost_points, d.created_at, d.expires_at
             FROM redemptions d JOIN rewards r ON r.id = d.reward_id
             WHERE d.member_id = ? ORDER BY d.created_at DESC, d.id DESC LIMIT ?",
        )
        .bind(member_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let expires_at: Option<i64> = r.get("expires_at");
                let mut status = RedemptionStatus::parse(r.get::<&str, _>("status"));
                if status == RedemptionStatus::Issued && expires_at.is_some_and(|e| e <= now) {
                    status = RedemptionStatus::Expired;
                }
                Redemption {
                    id: r.get("id"),
                    reward_id: r.get("reward_id"),
                    reward_name: r.get("name"),
                    code: r.get("code"),
                    status,
                    points: r.get("cost_points"),
                    created_at: ts(r.get("created_at")),
                    expires_at: ts_opt(expires_at),
                }
            })
            .collect())
    }
}
