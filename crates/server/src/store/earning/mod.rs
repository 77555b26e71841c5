//! Earning rules, recorded purchases (transactions) and returns.

use patron_core::admin::{ReturnResult, TransactionResult};
use patron_core::earning::{BasketLine, EarningRule, RuleDraft, RuleKind};
use serde_json::json;
use sqlx::Row;

use super::audit::AuditRecord;
use super::{ts_opt, Store};
use crate::store::users::UserRow;

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
    pub referral: Option<super::referral::ReferralCredit>,
}

fn rule_from_row(r: &sqlx::sqlite::SqliteRow) -> Option<EarningRule> {
    let rule: RuleKind = serde_json::from_str(r.get::<&str, _>("params")).ok()?;
    Some(EarningRule {
        id: r.get("id"),
        name: r.get("name"),
        rule,
        priority: r.get("priority"),
        stop_further: r.get("stop_further"),
        active: r.get("active"),
        starts_at: ts_opt(r.get("starts_at")),
        ends_at: ts_opt(r.get("ends_at")),
    })
}

fn rule_json(r: &EarningRule) -> serde_json::Value {
    json!({
        "name": r.name, "rule": serde_json::to_value(&r.rule).unwrap_or_default(),
        "priority": r.priority, "stop_further": r.stop_further, "active": r.active,
        "starts_at": r.starts_at, "ends_at": r.ends_at,
    })
}

impl Store {
    /// Every rule, in evaluation order.
    pub async fn earning_rules(&self) -> Result<Vec<EarningRule>, sqlx::Error> {
        let rows = sqlx::query("SELECT * FROM earning_rules ORDER BY priority, id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().filter_map(rule_from_row).collect())
    }

    /// One rule.
    pub async fn earning_rule(&self, id: i64) -> Result<Option<EarningRule>, sqlx::Error> {
        let r = sqlx::query("SELECT * FROM earning_rules WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.as_ref().and_then(rule_from_row))
    }

    /// Categories seen in purchases and rules.
    pub async fn categories(&self) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT category FROM purchases GROUP BY category
             UNION SELECT category FROM purchase_lines GROUP BY category ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await
    }

    /// Creates (`id = None`) or replaces a rule; returns it.
    pub async fn save_rule(
        &self,
        id: Option<i64>,
        draft: RuleDraft,
        actor: &UserRow,
    ) -> Result<Option<EarningRule>, sqlx::Error> {
        let before = match id {
            Some(id) => match self.earning_rule(id).await? {
                Some(r) => Some(r),
                None => return Ok(None),
            },
            None => None,
        };
        let params = serde_json::to_string(&draft.rule).unwrap_or_default();
        let mut tx = self.begin_write().await?;
        let new_id: i64 = match id {
            Some(id) => {
                sqlx::query(
                    "UPDATE earning_rules SET name = ?, kind = ?, params = ?, priority = ?, stop_further = ?,
                        active = ?, starts_at = ?, ends_at = ? WHERE id = ?",
                )
                .bind(draft.name.trim())
                .bind(draft.rule.name())
                .bind(&params)
                .bind(draft.priority)
                .bind(draft.stop_further)
                .bind(draft.active)
                .bind(draft.starts_at.map(|t| t.timestamp()))
                .bind(draft.ends_at.map(|t| t.timestamp()))
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO earning_rules (name, kind, params, priority, stop_further, active, starts_at, ends_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(draft.name.trim())
                .bind(draft.rule.name())
                .bind(&params)
                .bind(draft.priority)
                .bind(draft.stop_further)
                .bind(draft.active)
                .bind(draft.starts_at.map(|t| t.timestamp()))
                .bind(draft.ends_at.map(|t| t.timestamp()))
                .fetch_one(&mut *tx)
                .await?
            }
        };
        let rule = draft.into_rule(new_id);
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: if id.is_some() {
                    "earning_rule.update"
                } else {
                    "earning_rule.create"
                },
                entity: "earning_rule",
                entity_id: Some(new_id.to_string()),
                before: before.as_ref().map(rule_json),
                after: Some(rule_json(&rule)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Some(rule))
    }

    /// Deletes a rule; false when there is none.
    pub async fn delete_rule(&self, id: i64, actor: &UserRow) -> Result<bool, sqlx::Error> {
        let Some(before) = self.earning_rule(id).await? else {
            return Ok(false);
        };
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM earning_rules WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: "earning_rule.delete",
                entity: "earning_rule",
                entity_id: Some(id.to_string()),
                before: Some(rule_json(&before)),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The lines of a past order of this member, if it exists.
    pub async fn order_lines(
        &self,
        member_id: i64,
        order_ref: &str,
    ) -> Result<Option<(i64, Vec<BasketLine>)>, sqlx::Error> {
        let Some(p) = sqlx::query(
            "SELECT id, amount_minor, category, purchased_at FROM purchases WHERE member_id = ? AND order_ref = ?",
        )
        .bind(member_id)
        .bind(order_ref)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let lines: Vec<BasketLine> = sqlx::query(
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
        let r = sqlx::query("SELECT member_id, earn_result FROM purchases WHERE order_ref = ?")
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
        let r = sqlx::query(
            "SELECT EXISTS (SELECT 1 FROM purchases p WHERE p.member_id = m.id) AS bought, m.birthday, m.birthday_set_at
             FROM members m WHERE m.id = ?",
        )
        .bind(member_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((r.get("bought"), r.get("birthday"), r.get("birthday_set_at")))
    }

    /// Whether a birthday bonus was given to the member since `since`.
    pub async fn birthday_bonus_since(
        &self,
        member_id: i64,
        since: i64,
    ) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM ledger_entries WHERE member_id = ? AND kind = 'earn'
               AND reason LIKE 'Birthday bonus%' AND created_at >= ?)",
        )
        .bind(member_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await
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
        let blocked: Option<bool> =
            sqlx::query_scalar("SELECT status = 'blocked' FROM members WHERE id = ?")
                .bind(p.member_id)
                .fetch_optional(&mut *tx)
                .await?;
        if blocked != Some(false) {
            return Ok(Err(EarnRefusal::Blocked));
        }
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM purchases WHERE order_ref = ?")
            .bind(p.order_ref)
            .fetch_one(&mut *tx)
            .await?;
        if taken > 0 {
            return Ok(Ok(None));
        }
        // Bonuses were decided before this transaction: a concurrent order may
        // have taken them meanwhile. Never twice.
        let (bought, birthday_given): (bool, bool) = sqlx::query_as(
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
        let purchase_id: i64 = sqlx::query_scalar(
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
            sqlx::query(
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
            sqlx::query(
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
        sqlx::query(
            "UPDATE members SET last_purchase_at = MAX(COALESCE(last_purchase_at, 0), ?) WHERE id = ?",
        )
        .bind(p.at)
        .bind(p.member_id)
        .execute(&mut *tx)
        .await?;
        result.purchase_id = purchase_id;
        result.amount_minor = amount;
        let body = serde_json::to_string(&result).unwrap_or_default();
        sqlx::query("UPDATE purchases SET earn_result = ? WHERE id = ?")
            .bind(&body)
            .bind(purchase_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Ok(Some(result)))
    }

    /// Takes back the points of `amount` returned from `order_ref`: the
    /// order's share of its basket points (bonuses stay), never more than
    /// is left of them. The answer is stored under the idempotency key in
    /// the same transaction.
    pub async fn record_return(
        &self,
        order_ref: &str,
        amount: i64,
        key_owner: i64,
        key: &str,
        now: i64,
    ) -> Result<Result<(i64, ReturnResult), EarnRefusal>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let Some(p) = sqlx::query(
            "SELECT id, member_id, amount_minor, returned_minor FROM purchases WHERE order_ref = ?",
        )
        .bind(order_ref)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(Err(EarnRefusal::NoSuchOrder));
        };
        let (pid, member_id, total, returned): (i64, i64, i64, i64) = (
            p.get("id"),
            p.get("member_id"),
            p.get("amount_minor"),
            p.get("returned_minor"),
        );
        if amount > total - returned {
            return Ok(Err(EarnRefusal::ReturnTooLarge(total - returned)));
        }
        let lot = sqlx::query(
            "SELECT e.id, e.points,
                    COALESCE((SELECT SUM(a.points) FROM lot_allocations a WHERE a.lot_id = e.id), 0) AS used
             FROM ledger_entries e WHERE e.purchase_id = ? AND e.kind = 'earn' AND e.reason = ?",
        )
        .bind(pid)
        .bind(format!("Order {order_ref}"))
        .fetch_optional(&mut *tx)
        .await?;
        let already: i64 = sqlx::query_scalar(
            "SELECT COALESCE(-SUM(points), 0) FROM ledger_entries WHERE purchase_id = ? AND kind = 'reverse'",
        )
        .bind(pid)
        .fetch_one(&mut *tx)
        .await?;
        let cumulative = returned + amount;
        let (mut reversed, mut left) = (0, 0);
        if let Some(l) = lot {
            let (lot_id, earned, used): (i64, i64, i64) =
                (l.get("id"), l.get("points"), l.get("used"));
            let target = patron_core::earning::return_points(earned, total, cumulative, earned);
            let due = (target - already).max(0);
            // From the order's own lot first; what was already spent from
            // it comes out of the member's other available points (never
            // below zero: what cannot be taken back is the business's loss).
            let from_lot = due.min(earned - used).max(0);
            let mut allocs: Vec<(i64, i64)> = Vec::new();
            if from_lot > 0 {
                allocs.push((lot_id, from_lot));
            }
            let short = due - from_lot;
            if short > 0 {
                let now_t = super::ts(now);
                let lots: Vec<patron_core::ledger::Lot> = Self::member_lots_in(&mut tx, member_id)
                    .await?
                    .into_iter()
                    .filter(|l| l.id != lot_id)
                    .collect();
                let take = short.min(patron_core::ledger::available(&lots, now_t));
                if take > 0 {
                    if let Ok(plan) = patron_core::ledger::plan_debit(&lots, take, now_t) {
                        allocs.extend(plan.iter().map(|a| (a.lot_id, a.points)));
                    }
                }
            }
            reversed = allocs.iter().map(|a| a.1).sum();
            if reversed > 0 {
                let eid: i64 = sqlx::query_scalar(
                    "INSERT INTO ledger_entries (member_id, kind, points, created_at, purchase_id, ref_entry_id, reason)
                     VALUES (?, 'reverse', ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(member_id)
                .bind(-reversed)
                .bind(now)
                .bind(pid)
                .bind(lot_id)
                .bind(format!("Return on order {order_ref}"))
                .fetch_one(&mut *tx)
                .await?;
                for (lot, pts) in &allocs {
                    sqlx::query(
                        "INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (?, ?, ?)",
                    )
                    .bind(eid)
                    .bind(lot)
                    .bind(pts)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            left = (earned - already - reversed).max(0);
        }
        sqlx::query("UPDATE purchases SET returned_minor = ? WHERE id = ?")
            .bind(cumulative)
            .bind(pid)
            .execute(&mut *tx)
            .await?;
        let result = ReturnResult {
            order_ref: order_ref.to_string(),
            returned_minor: cumulative,
            points_reversed: reversed,
            points_left: left,
        };
        let body = serde_json::to_string(&result).unwrap_or_default();
        Self::idempotency_finish_in(&mut tx, key_owner, key, 201, &body).await?;
        tx.commit().await?;
        Ok(Ok((member_id, result)))
    }
}
