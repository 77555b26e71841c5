//! The rewards catalogue as admins edit it, voucher code pools and
//! redemption status changes (a cancellation refunds by a new entry).

use crate::store::db;
use patron_core::admin::{AdminReward, CodeSource, RewardDraft, RewardType};
use serde_json::json;
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::users::UserRow;
use crate::store::{ts_opt, Store};

/// Why a redemption status change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusRefusal {
    NoSuchRedemption,
    /// Only issued vouchers change status; this one is already `String`.
    NotIssued(String),
    /// Past its `expires_at`: recorded as expired, neither used nor refunded.
    Expired,
}

fn type_str(t: RewardType) -> &'static str {
    match t {
        RewardType::DiscountPercent => "discount_percent",
        RewardType::DiscountAmount => "discount_amount",
        RewardType::FreeShipping => "free_shipping",
        RewardType::Gift => "gift",
        RewardType::Custom => "custom",
    }
}

fn parse_type(s: &str) -> RewardType {
    match s {
        "discount_percent" => RewardType::DiscountPercent,
        "discount_amount" => RewardType::DiscountAmount,
        "free_shipping" => RewardType::FreeShipping,
        "gift" => RewardType::Gift,
        _ => RewardType::Custom,
    }
}

fn draft_json(d: &RewardDraft) -> serde_json::Value {
    let mut v = serde_json::to_value(d).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("new_codes");
        if !d.new_codes.is_empty() {
            o.insert("codes_added".into(), json!(d.new_codes.len()));
        }
    }
    v
}

const ADMIN_REWARD_SELECT: &str = "SELECT r.*,
        (SELECT COUNT(*) FROM redemptions d WHERE d.reward_id = r.id AND d.status <> 'cancelled') AS redeemed,
        (SELECT COUNT(*) FROM reward_codes c WHERE c.reward_id = r.id AND c.redemption_id IS NULL) AS codes_left,
        (SELECT g.name FROM segments g WHERE g.id = r.segment_id AND g.deleted_at IS NULL) AS segment_name
     FROM rewards r";

fn reward_from_row(r: &db::DbRow) -> AdminReward {
    let source = if r.get::<&str, _>("code_source") == "pool" {
        CodeSource::Pool
    } else {
        CodeSource::Generated
    };
    AdminReward {
        id: r.get("id"),
        draft: RewardDraft {
            name: r.get("name"),
            description: r.get("description"),
            reward_type: parse_type(r.get::<&str, _>("reward_type")),
            value: r.get("value"),
            cost_points: r.get("cost_points"),
            stock: r.get("stock"),
            per_member_limit: r.get("per_member_limit"),
            visible_from: ts_opt(r.get("visible_from")),
            visible_until: ts_opt(r.get("visible_until")),
            valid_from: ts_opt(r.get("valid_from")),
            valid_until: ts_opt(r.get("valid_until")),
            min_tier_id: r.get("min_tier_id"),
            segment_id: r.get("segment_id"),
            code_source: source,
            new_codes: Vec::new(),
            image_url: r.get("image_url"),
            archived: !r.get::<db::Flag, _>("active").0,
        },
        redeemed: r.get("redeemed"),
        codes_left: (source == CodeSource::Pool).then(|| r.get("codes_left")),
        segment_name: r.get("segment_name"),
    }
}

impl Store {
    /// Every reward, archived last.
    pub async fn admin_rewards(&self) -> Result<Vec<AdminReward>, sqlx::Error> {
        let rows = db::query(&format!(
            "{ADMIN_REWARD_SELECT} ORDER BY NOT r.active, r.cost_points, r.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(reward_from_row).collect())
    }

    /// One reward.
    pub async fn admin_reward(&self, id: i64) -> Result<Option<AdminReward>, sqlx::Error> {
        let r = db::query(&format!("{ADMIN_REWARD_SELECT} WHERE r.id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.as_ref().map(reward_from_row))
    }

    /// Creates (`id = None`) or updates a reward and adds its new codes.
    /// Duplicate codes are skipped.
    pub async fn save_reward(
        &self,
        id: Option<i64>,
        d: &RewardDraft,
        actor: &UserRow,
    ) -> Result<RewardSave, sqlx::Error> {
        let before = match id {
            Some(id) => match self.admin_reward(id).await? {
                Some(r) => Some(r),
                None => return Ok(RewardSave::NoSuchReward),
            },
            None => None,
        };
        let archived = d.archived;
        let mut tx = self.begin_write().await?;
        // Under the write lock, like the segment's deletion: a reward on
        // offer never points at a deleted segment.
        if let (Some(g), false) = (d.segment_id, archived) {
            let live: bool = db::query_scalar::<db::Flag>(
                "SELECT EXISTS (SELECT 1 FROM segments WHERE id = ? AND deleted_at IS NULL)",
            )
            .bind(g)
            .fetch_one(&mut *tx)
            .await?
            .0;
            if !live {
                return Ok(RewardSave::SegmentGone);
            }
        }
        let ts = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.timestamp());
        let sql = match id {
            Some(_) => "UPDATE rewards SET name = ?, description = ?, category = COALESCE(category, ?), reward_type = ?, value = ?,
                    cost_points = ?, stock = ?, per_member_limit = ?, visible_from = ?, visible_until = ?,
                    valid_from = ?, valid_until = ?, min_tier_id = ?, segment_id = ?, code_source = ?,
                    image_url = ?, active = ? WHERE id = ? RETURNING id",
            None => "INSERT INTO rewards (name, description, category, reward_type, value, cost_points, stock,
                    per_member_limit, visible_from, visible_until, valid_from, valid_until, min_tier_id, segment_id,
                    code_source, image_url, active)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        };
        let mut save = db::query_scalar(sql)
            .bind(d.name.trim())
            .bind(d.description.trim())
            .bind(type_str(d.reward_type))
            .bind(type_str(d.reward_type))
            .bind(d.value)
            .bind(d.cost_points)
            .bind(d.stock)
            .bind(d.per_member_limit)
            .bind(ts(d.visible_from))
            .bind(ts(d.visible_until))
            .bind(ts(d.valid_from))
            .bind(ts(d.valid_until))
            .bind(d.min_tier_id)
            .bind(d.segment_id)
            .bind(match d.code_source {
                CodeSource::Generated => "generated",
                CodeSource::Pool => "pool",
            })
            .bind(d.image_url.as_deref().filter(|u| !u.is_empty()))
            .bind(!archived);
        // The database numbers a new reward; an update names its row.
        if let Some(id) = id {
            save = save.bind(id);
        }
        let new_id: i64 = save.fetch_one(&mut *tx).await?;
        for code in &d.new_codes {
            db::query(
                "INSERT INTO reward_codes (reward_id, code) VALUES (?, ?) ON CONFLICT DO NOTHING",
            )
            .bind(new_id)
            .bind(code.trim())
            .execute(&mut *tx)
            .await?;
        }
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: match (id, archived, before.as_ref().map(|b| b.draft.archived)) {
                    (None, _, _) => "reward.create",
                    (Some(_), true, Some(false)) => "reward.archive",
                    (Some(_), false, Some(true)) => "reward.restore",
                    _ => "reward.update",
                },
                entity: "reward",
                entity_id: Some(new_id.to_string()),
                before: before.as_ref().map(|b| draft_json(&b.draft)),
                after: Some(draft_json(d)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(match self.admin_reward(new_id).await? {
            Some(r) => RewardSave::Saved(Box::new(r)),
            None => RewardSave::NoSuchReward,
        })
    }

    /// Marks an issued voucher used, or cancels it and gives the points
    /// back by a new positive entry that references the spend (the refund
    /// expires when the latest lot it came from would have).
    pub async fn set_redemption_status(
        &self,
        id: i64,
        status: &str,
        actor: &UserRow,
        now: i64,
    ) -> Result<Result<(), StatusRefusal>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let Some(r) = db::query(
            "SELECT d.member_id, d.reward_id, d.entry_id, d.status, d.cost_points, d.code, d.expires_at, w.name, w.stock
             FROM redemptions d JOIN rewards w ON w.id = d.reward_id WHERE d.id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(Err(StatusRefusal::NoSuchRedemption));
        };
        let old: String = r.get("status");
        if old != "issued" {
            return Ok(Err(StatusRefusal::NotIssued(old)));
        }
        // Decided here, under the write lock, where the status is written.
        if r.get::<Option<i64>, _>("expires_at")
            .is_some_and(|e| e <= now)
        {
            db::query("UPDATE redemptions SET status = 'expired' WHERE id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(Err(StatusRefusal::Expired));
        }
        db::query("UPDATE redemptions SET status = ? WHERE id = ?")
            .bind(status)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let mut refund_entry: Option<i64> = None;
        if status == "cancelled" {
            let spend: i64 = r.get("entry_id");
            let expiry: Option<i64> = db::query_scalar(
                "SELECT CASE WHEN COUNT(*) = COUNT(l.expires_at) THEN MAX(l.expires_at) END
                 FROM lot_allocations a JOIN ledger_entries l ON l.id = a.lot_id WHERE a.entry_id = ?",
            )
            .bind(spend)
            .fetch_one(&mut *tx)
            .await?;
            let cost: i64 = r.get("cost_points");
            refund_entry = Some(
                db::query_scalar(
                    "INSERT INTO ledger_entries (member_id, kind, points, created_at, available_at, expires_at, ref_entry_id, reason, actor_user_id)
                     VALUES (?, 'reverse', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(r.get::<i64, _>("member_id"))
                .bind(cost)
                .bind(now)
                .bind(now)
                .bind(expiry)
                .bind(spend)
                .bind(format!("Refund: {} cancelled", r.get::<String, _>("name")))
                .bind(actor.id)
                .fetch_one(&mut *tx)
                .await?,
            );
            if r.get::<Option<i64>, _>("stock").is_some() {
                db::query("UPDATE rewards SET stock = stock + 1 WHERE id = ?")
                    .bind(r.get::<i64, _>("reward_id"))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: if status == "cancelled" {
                    "redemption.cancel"
                } else {
                    "redemption.use"
                },
                entity: "redemption",
                entity_id: Some(id.to_string()),
                before: Some(json!({ "status": old })),
                after: Some(json!({ "status": status, "refund_entry": refund_entry })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}

/// What saving a reward did.
#[derive(Debug)]
pub enum RewardSave {
    Saved(Box<AdminReward>),
    NoSuchReward,
    /// Its segment is not (or no longer) a saved segment.
    SegmentGone,
}
