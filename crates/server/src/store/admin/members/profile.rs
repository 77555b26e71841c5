//! A member's full record as admins see it: the profile facts, purchases,
//! redemptions, tickets and tier history.

use crate::store::db;
use patron_core::admin::{AdminRedemption, PurchaseRow, TicketBrief, TierChange, TierLock};
use sqlx::Row;

use crate::store::{ts, ts_opt, Store};

/// The member facts the admin profile adds to the summary.
pub struct MemberFacts {
    pub email: String,
    pub region: String,
    pub city: String,
    pub age_band: String,
    pub joined_at: i64,
    pub blocked: bool,
    pub block_reason: Option<String>,
    pub lock: Option<TierLock>,
}

impl Store {
    /// Profile facts of a member, if it exists.
    pub async fn member_facts(
        &self,
        id: i64,
        now: i64,
    ) -> Result<Option<MemberFacts>, sqlx::Error> {
        let r = db::query(
            "SELECT m.email, m.region, m.city, m.age_band, m.joined_at, m.status = 'blocked' AS blocked, m.block_reason,
                    t.name AS lock_tier, m.tier_lock_reason, m.tier_lock_until, u.name AS lock_by
             FROM members m LEFT JOIN tiers t ON t.id = m.tier_locked_id
                  LEFT JOIN users u ON u.id = m.tier_lock_by
             WHERE m.id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.map(|r| {
            let until: Option<i64> = r.get("tier_lock_until");
            let lock_tier: Option<String> = r.get("lock_tier");
            MemberFacts {
                email: r.get("email"),
                region: r.get("region"),
                city: r.get("city"),
                age_band: r.get("age_band"),
                joined_at: r.get("joined_at"),
                blocked: r.get::<db::Flag, _>("blocked").0,
                block_reason: r.get("block_reason"),
                lock: lock_tier
                    .filter(|_| until.is_none_or(|u| u > now))
                    .map(|tier| TierLock {
                        tier,
                        reason: r
                            .get::<Option<String>, _>("tier_lock_reason")
                            .unwrap_or_default(),
                        until: ts_opt(until),
                        by: r.get("lock_by"),
                    }),
            }
        }))
    }

    /// The member's purchases, newest first (at most 200).
    pub async fn member_purchases(&self, id: i64) -> Result<Vec<PurchaseRow>, sqlx::Error> {
        let rows = db::query(
            "SELECT p.id, p.order_ref, p.amount_minor, p.returned_minor, p.category, p.purchased_at,
                    COALESCE((SELECT CAST(SUM(e.points) AS BIGINT) FROM ledger_entries e WHERE e.purchase_id = p.id), 0) AS points
             FROM purchases p WHERE p.member_id = ? ORDER BY p.purchased_at DESC, p.id DESC LIMIT 200",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| PurchaseRow {
                id: r.get("id"),
                order_ref: r.get("order_ref"),
                amount_minor: r.get("amount_minor"),
                returned_minor: r.get("returned_minor"),
                category: r.get("category"),
                purchased_at: ts(r.get("purchased_at")),
                points: r.get("points"),
            })
            .collect())
    }

    /// Redemptions, newest first: one member's, or everyone's (`None`),
    /// optionally of one reward and status; at most `limit`.
    pub async fn admin_redemptions(
        &self,
        member_id: Option<i64>,
        reward_id: Option<i64>,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AdminRedemption>, sqlx::Error> {
        let mut qb = db::Builder::new(
            "SELECT d.id, d.member_id, m.name AS member_name, d.reward_id, r.name AS reward, d.code, d.status,
                    d.cost_points, d.created_at
             FROM redemptions d JOIN members m ON m.id = d.member_id JOIN rewards r ON r.id = d.reward_id WHERE 1 = 1",
        );
        if let Some(m) = member_id {
            qb.push(" AND d.member_id = ").push_bind(m);
        }
        if let Some(r) = reward_id {
            qb.push(" AND d.reward_id = ").push_bind(r);
        }
        if let Some(s) = status {
            qb.push(" AND d.status = ").push_bind(s.to_string());
        }
        qb.push(" ORDER BY d.created_at DESC, d.id DESC LIMIT ")
            .push_bind(limit);
        let rows = qb.build().fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| AdminRedemption {
                id: r.get("id"),
                member_id: r.get("member_id"),
                member_name: r.get("member_name"),
                reward_id: r.get("reward_id"),
                reward: r.get("reward"),
                code: r.get("code"),
                status: r.get("status"),
                cost_points: r.get("cost_points"),
                created_at: ts(r.get("created_at")),
            })
            .collect())
    }

    /// The member's tickets, newest first.
    pub async fn member_ticket_briefs(&self, id: i64) -> Result<Vec<TicketBrief>, sqlx::Error> {
        let rows = db::query(
            "SELECT id, reference, subject, kind, status, created_at FROM feedback
             WHERE member_id = ? ORDER BY created_at DESC LIMIT 100",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| TicketBrief {
                id: r.get("id"),
                reference: r.get("reference"),
                subject: r.get("subject"),
                kind: r.get("kind"),
                status: r.get("status"),
                created_at: ts(r.get("created_at")),
            })
            .collect())
    }

    /// Changes of the member's recorded tier, newest first.
    pub async fn tier_history(&self, id: i64) -> Result<Vec<TierChange>, sqlx::Error> {
        let rows = db::query(
            "SELECT f.name AS from_name, t.name AS to_name, h.reason, h.at FROM tier_history h
             LEFT JOIN tiers f ON f.id = h.from_tier_id JOIN tiers t ON t.id = h.to_tier_id
             WHERE h.member_id = ? ORDER BY h.at DESC, h.id DESC LIMIT 100",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| TierChange {
                from: r.get("from_name"),
                to: r.get("to_name"),
                reason: r.get("reason"),
                at: ts(r.get("at")),
            })
            .collect())
    }
}
