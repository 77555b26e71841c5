//! Redeeming a reward: one transaction for the spend entry, its lot
//! allocations, the stock, the redemption and the stored idempotent answer.

use crate::store::db;
use crate::store::dialect::lock_member;
use patron_core::ledger::{plan_debit, SpendError};
use patron_core::rewards::{
    availability, Availability, MemberFacts, RedeemResult, Redemption, RedemptionStatus,
};
use rand::Rng;
use sqlx::Row;

use super::rewards::{reward_from_row, REWARD_SELECT};
use super::segments::Context;
use super::{ts, Store};

/// How long a voucher stays valid.
pub const VOUCHER_DAYS: i64 = 90;

/// Why a redemption was refused (nothing was written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedeemRefusal {
    NoSuchReward,
    Unavailable(Availability, i64),
}

/// What redeeming needs to know about the member, computed by the caller
/// with the tier rules.
#[derive(Debug, Clone, Copy)]
pub struct Redeemer {
    pub user_id: i64,
    pub member_id: i64,
    pub tier_threshold: i64,
    /// For rewards offered to a segment.
    pub cx: Context,
}

fn voucher_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    let mut part = || {
        (0..4)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
            .collect::<String>()
    };
    format!("LR-{}-{}", part(), part())
}

impl Store {
    /// Redeems `reward_id` for the member, or refuses without writing.
    /// On success the answer is stored under `key` in the same transaction.
    pub async fn redeem(
        &self,
        who: Redeemer,
        reward_id: i64,
        key: &str,
        now: i64,
    ) -> Result<Result<RedeemResult, RedeemRefusal>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        lock_member(&mut tx, who.member_id).await?;
        let reward = db::query(&format!("{REWARD_SELECT} AND r.id = ?"))
            .bind(who.member_id)
            .bind(now)
            .bind(reward_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| reward_from_row(&r));
        let Some(reward) = reward else {
            return Ok(Err(RedeemRefusal::NoSuchReward));
        };
        // A reward offered to a segment does not exist for anyone else.
        if !reward.offered_to(&mut *tx, who.member_id, who.cx).await? {
            return Ok(Err(RedeemRefusal::NoSuchReward));
        }
        let blocked: bool =
            db::query_scalar::<db::Flag>("SELECT status = 'blocked' FROM members WHERE id = ?")
                .bind(who.member_id)
                .fetch_one(&mut *tx)
                .await?
                .0;
        let lots = Self::member_lots_in(&mut tx, who.member_id).await?;
        let now_t = ts(now);
        let available = patron_core::ledger::available(&lots, now_t);
        let member = MemberFacts {
            available_points: available,
            tier_threshold: who.tier_threshold,
            blocked,
        };
        let verdict = availability(&reward.facts, &member, now_t);
        if verdict != Availability::Available {
            return Ok(Err(RedeemRefusal::Unavailable(verdict, available)));
        }
        let cost = reward.facts.cost_points;
        let plan = match plan_debit(&lots, cost, now_t) {
            Ok(p) => p,
            Err(SpendError::Insufficient { available }) => {
                return Ok(Err(RedeemRefusal::Unavailable(
                    Availability::Unaffordable,
                    available,
                )))
            }
            Err(SpendError::NotPositive) => {
                return Ok(Err(RedeemRefusal::NoSuchReward));
            }
        };

        let entry_id: i64 = db::query_scalar(
            "INSERT INTO ledger_entries (member_id, kind, points, created_at, reason, actor_user_id)
             VALUES (?, 'spend', ?, ?, ?, ?) RETURNING id",
        )
        .bind(who.member_id)
        .bind(-cost)
        .bind(now)
        .bind(format!("Reward: {}", reward.name))
        .bind(who.user_id)
        .fetch_one(&mut *tx)
        .await?;
        for a in &plan {
            db::query("INSERT INTO lot_allocations (entry_id, lot_id, points) VALUES (?, ?, ?)")
                .bind(entry_id)
                .bind(a.lot_id)
                .bind(a.points)
                .execute(&mut *tx)
                .await?;
        }
        if reward.facts.stock_left.is_some() {
            let done = db::query("UPDATE rewards SET stock = stock - 1 WHERE id = ? AND stock > 0")
                .bind(reward_id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Ok(Err(RedeemRefusal::Unavailable(
                    Availability::OutOfStock,
                    available,
                )));
            }
        }
        let pool: bool =
            db::query_scalar::<db::Flag>("SELECT code_source = 'pool' FROM rewards WHERE id = ?")
                .bind(reward_id)
                .fetch_one(&mut *tx)
                .await?
                .0;
        let pool_code = if pool {
            let free = db::query(
                "SELECT id, code FROM reward_codes WHERE reward_id = ? AND redemption_id IS NULL ORDER BY id LIMIT 1",
            )
            .bind(reward_id)
            .fetch_optional(&mut *tx)
            .await?;
            match free {
                Some(c) => Some((c.get::<i64, _>("id"), c.get::<String, _>("code"))),
                None => {
                    return Ok(Err(RedeemRefusal::Unavailable(
                        Availability::OutOfStock,
                        available,
                    )))
                }
            }
        } else {
            None
        };
        let code = pool_code
            .as_ref()
            .map_or_else(voucher_code, |(_, c)| c.clone());
        let expires_at = now + VOUCHER_DAYS * 86_400;
        let row = db::query(
            "INSERT INTO redemptions (member_id, reward_id, entry_id, code, status, created_at, cost_points, expires_at)
             VALUES (?, ?, ?, ?, 'issued', ?, ?, ?) RETURNING id",
        )
        .bind(who.member_id)
        .bind(reward_id)
        .bind(entry_id)
        .bind(&code)
        .bind(now)
        .bind(cost)
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?;
        if let Some((code_id, _)) = pool_code {
            db::query("UPDATE reward_codes SET redemption_id = ? WHERE id = ?")
                .bind(row.get::<i64, _>(0))
                .bind(code_id)
                .execute(&mut *tx)
                .await?;
        }
        let result = RedeemResult {
            redemption: Redemption {
                id: row.get(0),
                reward_id,
                reward_name: reward.name,
                code,
                status: RedemptionStatus::Issued,
                points: cost,
                created_at: now_t,
                expires_at: Some(ts(expires_at)),
            },
            available_after: available - cost,
        };
        let body =
            serde_json::to_string(&result).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        Self::idempotency_finish_in(&mut tx, who.user_id, key, 201, &body).await?;
        tx.commit().await?;
        Ok(Ok(result))
    }
}
