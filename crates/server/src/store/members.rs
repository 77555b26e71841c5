//! Members as records of the programme.

use crate::store::db;
use patron_core::overview::TierCount;
use sqlx::Row;

use super::Store;

/// What the summary needs about a member.
#[derive(Debug, Clone)]
pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub card_number: String,
    /// An admin's lock, while it lasts.
    pub tier_locked_id: Option<i64>,
    /// The recorded tier (moved down only by recalculation).
    pub tier_id: i64,
    /// Blocked members can neither earn nor spend.
    pub blocked: bool,
}

impl Store {
    /// One member, if it exists.
    pub async fn member(&self, id: i64) -> Result<Option<MemberRow>, sqlx::Error> {
        let row =
            db::query("SELECT id, name, card_number, tier_id, status = 'blocked' AS blocked,
                    CASE WHEN tier_lock_until IS NULL OR tier_lock_until > ? THEN tier_locked_id END AS tier_locked_id
                 FROM members WHERE id = ?")
                .bind(self.now().timestamp())
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|r| MemberRow {
            id: r.get("id"),
            name: r.get("name"),
            card_number: r.get("card_number"),
            tier_locked_id: r.get("tier_locked_id"),
            tier_id: r.get("tier_id"),
            blocked: r.get::<db::Flag, _>("blocked").0,
        }))
    }

    /// The member with this card number.
    pub async fn member_by_card(&self, card: &str) -> Result<Option<i64>, sqlx::Error> {
        db::query_scalar("SELECT id FROM members WHERE card_number = ?")
            .bind(card)
            .fetch_optional(&self.pool)
            .await
    }

    /// The zone the member chose to see dates in, if any.
    pub async fn member_time_zone(&self, id: i64) -> Result<Option<String>, sqlx::Error> {
        Ok(
            db::query_scalar::<Option<String>>("SELECT time_zone FROM members WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .flatten(),
        )
    }

    /// All members, and those who bought since `since`.
    pub async fn member_counts(&self, since: i64) -> Result<(i64, i64), sqlx::Error> {
        let r = db::query(
            "SELECT COUNT(*) AS n, COALESCE(CAST(SUM(CASE WHEN last_purchase_at >= ? THEN 1 ELSE 0 END) AS BIGINT), 0) AS active
             FROM members",
        )
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok((r.get("n"), r.get("active")))
    }

    /// Members per tier, in tier order.
    pub async fn members_per_tier(&self) -> Result<Vec<TierCount>, sqlx::Error> {
        let rows = db::query(
            "SELECT t.name AS tier, COUNT(m.id) AS members
             FROM tiers t LEFT JOIN members m ON m.tier_id = t.id
             GROUP BY t.id, t.name, t.threshold ORDER BY t.threshold",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| TierCount {
                tier: r.get("tier"),
                members: r.get("members"),
            })
            .collect())
    }
}
