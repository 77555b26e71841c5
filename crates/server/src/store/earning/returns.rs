//! Returns: the points of the returned share of an order taken back, from
//! its own lot first, with the answer stored under the idempotency key.

use crate::store::db;
use crate::store::dialect::lock_member;
use patron_core::admin::ReturnResult;
use sqlx::Row;

use super::transactions::EarnRefusal;
use crate::store::Store;

impl Store {
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
        // The buyer's row first: returns and spends of one member take turns.
        let buyer: Option<i64> =
            db::query_scalar("SELECT member_id FROM purchases WHERE order_ref = ?")
                .bind(order_ref)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(buyer) = buyer {
            lock_member(&mut tx, buyer).await?;
        }
        let Some(p) = db::query(
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
        let lot = db::query(
            "SELECT e.id, e.points,
                    COALESCE((SELECT CAST(SUM(a.points) AS BIGINT) FROM lot_allocations a WHERE a.lot_id = e.id), 0) AS used
             FROM ledger_entries e WHERE e.purchase_id = ? AND e.kind = 'earn' AND e.reason = ?",
        )
        .bind(pid)
        .bind(format!("Order {order_ref}"))
        .fetch_optional(&mut *tx)
        .await?;
        let already: i64 = db::query_scalar(
            "SELECT COALESCE(-CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries WHERE purchase_id = ? AND kind = 'reverse'",
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
                let now_t = crate::store::ts(now);
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
                let eid: i64 = db::query_scalar(
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
                    db::query(
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
        db::query("UPDATE purchases SET returned_minor = ? WHERE id = ?")
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
