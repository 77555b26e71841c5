//! The admin member table, a member's full record, manual adjustments and
//! blocking.

use patron_core::admin::{
    AdjustmentResult, AdminRedemption, MemberListItem, MemberPage, MemberQuery, MemberSort,
    PurchaseRow, TicketBrief, TierChange, TierLock, MEMBER_PAGE,
};
use patron_core::ledger::{available, plan_debit};
use patron_core::time::{end_of_day, start_of_day, zone};
use serde_json::json;
use sqlx::{QueryBuilder, Row, Sqlite};

use crate::store::audit::AuditRecord;
use crate::store::users::UserRow;
use crate::store::{ts, ts_opt, Store};

/// Why an adjustment was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdjustRefusal {
    NoSuchMember,
    Blocked,
    /// Taking this many would go below what is available.
    Insufficient {
        available: i64,
    },
}

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

fn push_filters(qb: &mut QueryBuilder<'_, Sqlite>, q: &MemberQuery, tz: chrono_tz::Tz) {
    qb.push(" WHERE 1 = 1");
    let term = q.q.trim();
    if !term.is_empty() {
        // Email and card number: a prefix as a range, so the unique index
        // answers (LIKE is case-insensitive and cannot use it). Emails are
        // looked up as typed and in lower case (how most are stored).
        let range = |qb: &mut QueryBuilder<'_, Sqlite>, column: &str, p: String| {
            qb.push(format!("({column} >= "))
                .push_bind(p.clone())
                .push(format!(" AND {column} < "))
                .push_bind(format!("{p}\u{10FFFF}"))
                .push(")");
        };
        if term.contains('@') {
            qb.push(" AND (");
            range(qb, "m.email", term.to_lowercase());
            if term != term.to_lowercase() {
                qb.push(" OR ");
                range(qb, "m.email", term.to_string());
            }
            qb.push(")");
        } else if term.chars().all(|c| c.is_ascii_digit()) && term.len() >= 4 {
            qb.push(" AND ");
            range(qb, "m.card_number", term.to_string());
        } else {
            // A word start anywhere in the name, case-insensitive.
            qb.push(" AND (m.name LIKE ")
                .push_bind(format!("{term}%"))
                .push(" OR m.name LIKE ")
                .push_bind(format!("% {term}%"))
                .push(")");
        }
    }
    if let Some(t) = q.tier_id {
        qb.push(" AND m.tier_id = ").push_bind(t);
    }
    if let Some(s) = &q.status {
        qb.push(" AND m.status = ").push_bind(s.clone());
    }
    if let Some(r) = &q.region {
        qb.push(" AND m.region = ").push_bind(r.clone());
    }
    if let Some(d) = q.joined_from {
        qb.push(" AND m.joined_at >= ")
            .push_bind(start_of_day(d, tz).timestamp());
    }
    if let Some(d) = q.joined_to {
        qb.push(" AND m.joined_at <= ")
            .push_bind(end_of_day(d, tz).timestamp());
    }
    if let Some(d) = q.last_from {
        qb.push(" AND m.last_purchase_at >= ")
            .push_bind(start_of_day(d, tz).timestamp());
    }
    if let Some(d) = q.last_to {
        qb.push(" AND m.last_purchase_at <= ")
            .push_bind(end_of_day(d, tz).timestamp());
    }
}

impl Store {
    /// A page of the member table.
    pub async fn member_page(&self, q: &MemberQuery, tz: &str) -> Result<MemberPage, sqlx::Error> {
        let tz = zone(tz);
        let mut qb = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM members m");
        push_filters(&mut qb, q, tz);
        let total: i64 = qb.build_query_scalar().fetch_one(&self.pool).await?;
        let mut qb = QueryBuilder::<Sqlite>::new(
            "SELECT m.id, m.card_number, m.name, m.email, t.name AS tier, t.colour, m.status = 'blocked' AS blocked,
                    m.tier_locked_id IS NOT NULL AS locked, m.region, m.city, m.joined_at, m.last_purchase_at
             FROM members m JOIN tiers t ON t.id = m.tier_id",
        );
        push_filters(&mut qb, q, tz);
        qb.push(match q.sort {
            MemberSort::Name => " ORDER BY m.name COLLATE NOCASE, m.id",
            MemberSort::JoinedNewest => " ORDER BY m.joined_at DESC, m.id DESC",
            MemberSort::JoinedOldest => " ORDER BY m.joined_at, m.id",
            MemberSort::LastPurchaseNewest => {
                " ORDER BY m.last_purchase_at DESC NULLS LAST, m.id DESC"
            }
            MemberSort::LastPurchaseOldest => " ORDER BY m.last_purchase_at NULLS LAST, m.id",
        });
        qb.push(" LIMIT ")
            .push_bind(MEMBER_PAGE)
            .push(" OFFSET ")
            .push_bind(q.offset);
        let rows = qb.build().fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(|r| MemberListItem {
                id: r.get("id"),
                card_number: r.get("card_number"),
                name: r.get("name"),
                email: r.get("email"),
                tier: r.get("tier"),
                tier_colour: r.get("colour"),
                blocked: r.get("blocked"),
                tier_locked: r.get("locked"),
                region: r.get("region"),
                city: r.get("city"),
                joined_at: ts(r.get("joined_at")),
                last_purchase_at: ts_opt(r.get("last_purchase_at")),
            })
            .collect();
        let regions = sqlx::query_scalar("SELECT DISTINCT region FROM members ORDER BY region")
            .fetch_all(&self.pool)
            .await?;
        Ok(MemberPage {
            total,
            offset: q.offset,
            items,
            regions,
        })
    }

    /// Profile facts of a member, if it exists.
    pub async fn member_facts(
        &self,
        id: i64,
        now: i64,
    ) -> Result<Option<MemberFacts>, sqlx::Error> {
        let r = sqlx::query(
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
                blocked: r.get("blocked"),
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
        let rows = sqlx::query(
            "SELECT p.id, p.order_ref, p.amount_minor, p.returned_minor, p.category, p.purchased_at,
                    COALESCE((SELECT SUM(e.points) FROM ledger_entries e WHERE e.purchase_id = p.id), 0) AS points
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
        let mut qb = QueryBuilder::<Sqlite>::new(
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
        let rows = sqlx::query(
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
        let rows = sqlx::query(
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

    /// Adds or takes points by hand. Positive adjustments are lots that
    /// expire by the programme rule (`expires_at`); negative ones take from
    /// available lots, soonest-expiring first, and never overdraw. The
    /// answer is stored under the idempotency key in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn adjust_points(
        &self,
        member_id: i64,
        points: i64,
        reason: &str,
        expires_at: Option<i64>,
        actor: &UserRow,
        key: &str,
        now: i64,
    ) -> Result<Result<AdjustmentResult, AdjustRefusal>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let Some(blocked) =
            sqlx::query_scalar::<_, bool>("SELECT status = 'blocked' FROM members WHERE id = ?")
                .bind(member_id)
                .fetch_optional(&mut *tx)
                .await?
        else {
            return Ok(Err(AdjustRefusal::NoSuchMember));
        };
        if blocked {
            return Ok(Err(AdjustRefusal::Blocked));
        }
        let lots = Self::member_lots_in(&mut tx, member_id).await?;
        let now_t = ts(now);
        let plan = if points < 0 {
            match plan_debit(&lots, -points, now_t) {
                Ok(p) => p,
                Err(_) => {
                    return Ok(Err(AdjustRefusal::Insufficient {
                        available: available(&lots, now_t),
                    }))
                }
            }
        } else {
            Vec::new()
        };
        let entry_id: i64 = sqlx::query_scalar(
            "INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, reason, actor_user_id)
             VALUES (?, 'adjust', ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(member_id)
        .bind(points)
        .bind(now)
        .bind((points > 0).then_some(now))
        .bind(if points > 0 { expires_at } else { None })
        .bind(reason.trim())
        .bind(actor.id)
        .fetch_one(&mut *tx)
        .await?;
        for a in &plan {
            sqlx::query("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (?, ?, ?)")
                .bind(entry_id)
                .bind(a.lot_id)
                .bind(a.points)
                .execute(&mut *tx)
                .await?;
        }
        let balance: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(points), 0) FROM ledger_entries WHERE member_id = ?",
        )
        .bind(member_id)
        .fetch_one(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: "member.adjust",
                entity: "member",
                entity_id: Some(member_id.to_string()),
                before: Some(json!({ "balance": balance - points })),
                after: Some(json!({ "balance": balance, "points": points, "reason": reason.trim(), "entry": entry_id })),
            },
        )
        .await?;
        let result = AdjustmentResult {
            entry_id,
            points,
            balance,
        };
        let body = serde_json::to_string(&result).unwrap_or_default();
        Self::idempotency_finish_in(&mut tx, actor.id, key, 201, &body).await?;
        tx.commit().await?;
        Ok(Ok(result))
    }

    /// Blocks or unblocks a member; false when there is no such member.
    pub async fn set_blocked(
        &self,
        member_id: i64,
        blocked: bool,
        reason: &str,
        actor: &UserRow,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let Some(old) = sqlx::query("SELECT status, block_reason FROM members WHERE id = ?")
            .bind(member_id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(false);
        };
        let status = if blocked { "blocked" } else { "active" };
        sqlx::query("UPDATE members SET status = ?, block_reason = ? WHERE id = ?")
            .bind(status)
            .bind(blocked.then(|| reason.trim().to_string()))
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: if blocked { "member.block" } else { "member.unblock" },
                entity: "member",
                entity_id: Some(member_id.to_string()),
                before: Some(json!({ "status": old.get::<String, _>("status"), "reason": old.get::<Option<String>, _>("block_reason") })),
                after: Some(json!({ "status": status, "reason": reason.trim() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
