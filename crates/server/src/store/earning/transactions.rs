//! Recorded purchases (transactions): the order's lines, the facts the
//! bonuses depend on, and the purchase written with its earn entries; and
//! why a transaction or return is refused.

use crate::store::db;
use crate::store::dialect::lock_member;
use patron_core::admin::TransactionResult;
use patron_core::earning::BasketLine;
use sqlx::Row;

use crate::store::Store;

/// Why a transaction or return was refused (nothing was written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EarnRefusal {
    Blocked,
    NoSuchOrder,
    /// Only this much of the order is left to return.
    ReturnTooLarge(i64),
}

/// A purchase to record with what it earns.
pub struct NewPurchase<'a> {
    pub member_id: i64,
    pub order_ref: &'a str,
    pub lines: &'a [BasketLine],
    pub at: i64,
    /// Points from the basket (base, multipliers, promotions).
    pub basket_points: i64,
    /// (rule kind, reason, points) for bonuses given with it (`sign_up`,
    /// `birthday`); checked again inside the write transaction.
    pub bonuses: Vec<(&'static str, String, i64)>,
    /// Start of the programme-local year (a birthday bonus is once a year).
    pub year_start: i64,
    pub available_at: i64,
    pub expires_at: Option<i64>,
    pub actor_user_id: Option<i64>,
    /// Referral bonuses to credit if this is the member's first purchase.
    pub referral: Option<crate::store::referral::ReferralCredit>,
}

impl Store {
    /// The lines of a past order of this member, if it exists.
    pub async fn order_lines(
        &self,
        member_id: i64,
        order_ref: &str,
    ) -> Result<Option<(i64, Vec<BasketLine>)>, sqlx::Error> {
        let Some(p) = db::query(
            "SELECT id, amount_minor, category, purchased_at FROM purchases WHERE member_id = ? AND order_ref = ?",
        )
        .bind(member_id)
        .bind(order_ref)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let lines: Vec<BasketLine> = db::query(
            "SELECT category, amount_minor FROM purchase_lines WHERE purchase_id = ? ORDER BY id",
        )
        .bind(p.get::<i64, _>("id"))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| BasketLine {
            category: r.get("category"),
            amount_minor: r.get("amount_minor"),
        })
        .collect();
        let lines = if lines.is_empty() {
            vec![BasketLine {
                category: p.get("category"),
                amount_minor: p.get("amount_minor"),
            }]
        } else {
            lines
        };
        Ok(Some((p.get("purchased_at"), lines)))
    }

    /// The stored answer for an order already recorded, if any.
    pub async fn recorded_transaction(
        &self,
        order_ref: &str,
    ) -> Result<Option<(i64, Option<String>)>, sqlx::Error> {
        let r = db::query("SELECT member_id, earn_result FROM purchases WHERE order_ref = ?")
            .bind(order_ref)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.map(|r| (r.get("member_id"), r.get("earn_result"))))
    }

    /// Whether the member has any purchase, and the birthday facts.
    pub async fn earn_facts(
        &self,
        member_id: i64,
    ) -> Result<(bool, Option<String>, Option<i64>), sqlx::Error> {
        let r = db::query(
            "SELECT EXISTS (SELECT 1 FROM purchases p WHERE p.member_id = m.id) AS bought, m.birthday, m.birthday_set_at
             FROM members m WHERE m.id = ?",
        )
        .bind(member_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((
            r.get::<db::Flag, _>("bought").0,
            r.get("birthday"),
            r.get("birthday_set_at"),
        ))
    }

    /// Whether a birthday bonus was given to the member since `since`.
    pub async fn birthday_bonus_since(
        &self,
        member_id: i64,
        since: i64,
    ) -> Result<bool, sqlx::Error> {
        db::query_scalar::<db::Flag>(
            "SELECT EXISTS (SELECT 1 FROM ledger_entries WHERE member_id = ? AND kind = 'earn'
               AND reason LIKE 'Birthday bonus%' AND created_at >= ?)",
        )
        .bind(member_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .map(|f| f.0)
    }

    /// Records a purchase and its earn entries in one transaction, storing
    /// `result` (completed with ids) as the order's answer. `Ok(None)`: the
    /// order was recorded meanwhile (the caller replays).
    pub async fn record_purchase(
        &self,
        p: NewPurchase<'_>,
        mut result: TransactionResult,
    ) -> Result<Result<Option<TransactionResult>, EarnRefusal>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        lock_member(&mut tx, p.member_id).await?;
        let blocked: Option<bool> =
            db::query_scalar::<db::Flag>("SELECT status = 'blocked' FROM members WHERE id = ?")
                .bind(p.member_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|f| f.0);
        if blocked != Some(false) {
            return Ok(Err(EarnRefusal::Blocked));
        }
        let taken: i64 = db::query_scalar("SELECT COUNT(*) FROM purchases WHERE order_ref = ?")
            .bind(p.order_ref)
            .fetch_one(&mut *tx)
            .await?;
        if taken > 0 {
            return Ok(Ok(None));
        }
        // Bonuses were decided before this transaction: a concurrent order may
        // have taken them meanwhile. Never twice.
        let (db::Flag(bought), db::Flag(birthday_given)): (db::Flag, db::Flag) = db::query_as(
            "SELECT EXISTS (SELECT 1 FROM purchases WHERE member_id = ?1),
                    EXISTS (SELECT 1 FROM ledger_entries WHERE member_id = ?1 AND kind = 'earn'
                            AND reason LIKE 'Birthday bonus%' AND created_at >= ?2)",
        )
        .bind(p.member_id)
        .bind(p.year_start)
        .fetch_one(&mut *tx)
        .await?;
        let mut bonuses = p.bonuses;
        bonuses.retain(|(kind, _, _)| match *kind {
            "sign_up" => !bought,
            "birthday" => !birthday_given,
            _ => true,
        });
        result.hits.retain(|h| match h.kind.as_str() {
            "sign_up" => !bought,
            "birthday" => !birthday_given,
            _ => true,
        });
        result.points = p.basket_points + bonuses.iter().map(|b| b.2).sum::<i64>();
        let amount: i64 = p.lines.iter().map(|l| l.amount_minor).sum();
        let main = p
            .lines
            .iter()
            .max_by_key(|l| l.amount_minor)
            .map(|l| l.category.clone())
            .unwrap_or_default();
        let purchase_id: i64 = db::query_scalar(
            "INSERT INTO purchases (member_id, order_ref, amount_minor, category, purchased_at)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(p.member_id)
        .bind(p.order_ref)
        .bind(amount)
        .bind(&main)
        .bind(p.at)
        .fetch_one(&mut *tx)
        .await?;
        for l in p.lines {
            db::query(
                "INSERT INTO purchase_lines (purchase_id, category, amount_minor) VALUES (?, ?, ?)",
            )
            .bind(purchase_id)
            .bind(&l.category)
            .bind(l.amount_minor)
            .execute(&mut *tx)
            .await?;
        }
        let mut entries: Vec<(String, i64)> = Vec::new();
        if p.basket_points > 0 {
            entries.push((format!("Order {}", p.order_ref), p.basket_points));
        }
        entries.extend(
            bonuses
                .into_iter()
                .map(|(_, reason, points)| (reason, points)),
        );
        for (reason, points) in entries {
            db::query(
                "INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, purchase_id, reason, actor_user_id)
                 VALUES (?, 'earn', ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(p.member_id)
            .bind(points)
            .bind(p.at)
            .bind(p.available_at)
            .bind(p.expires_at)
            .bind(purchase_id)
            .bind(reason)
            .bind(p.actor_user_id)
            .execute(&mut *tx)
            .await?;
        }
        if !bought {
            if let Some(credit) = &p.referral {
                Self::credit_referral_in(&mut tx, p.member_id, credit).await?;
            }
        }
        db::query(
            "UPDATE members SET last_purchase_at = CASE WHEN COALESCE(last_purchase_at, 0) < ?1 THEN ?1
                                               ELSE last_purchase_at END
             WHERE id = ?2",
        )
        .bind(p.at)
        .bind(p.member_id)
        .execute(&mut *tx)
        .await?;
        result.purchase_id = purchase_id;
        result.amount_minor = amount;
        let body = serde_json::to_string(&result).unwrap_or_default();
        db::query("UPDATE purchases SET earn_result = ? WHERE id = ?")
            .bind(&body)
            .bind(purchase_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Ok(Some(result)))
    }
}
