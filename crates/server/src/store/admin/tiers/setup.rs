//! The tier editor: every tier with its member counts, the editor's data,
//! and a tier plan (tiers and policy) saved with its audit rows.

use crate::store::db;
use patron_core::admin::{
    AdminTier, DowngradeRule, Recalculation, TierPlan, TierPolicySettings, TierSetup,
};
use patron_core::summary::{TierBasis, TierWindow};
use serde_json::json;
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::users::UserRow;
use crate::store::{Store, WriteTx};

fn basis_str(b: TierBasis) -> &'static str {
    match b {
        TierBasis::PointsEarned => "points_earned",
        TierBasis::AmountSpent => "amount_spent",
    }
}

/// A tier as an audit document.
fn tier_json(t: &AdminTier) -> serde_json::Value {
    json!({
        "name": t.name, "threshold": t.threshold, "earn_multiplier_pct": t.earn_multiplier_pct,
        "perks": t.perks, "colour": t.colour, "icon": t.icon, "active": t.active,
    })
}

impl Store {
    async fn write_policy(tx: &mut WriteTx<'_>, p: &TierPolicySettings) -> Result<(), sqlx::Error> {
        let (window, months) = match p.window {
            TierWindow::RollingMonths { months } => ("rolling_months", Some(months as i64)),
            TierWindow::CalendarYear => ("calendar_year", None),
            TierWindow::Lifetime => ("lifetime", None),
        };
        let (recalc, date) = match p.recalculation {
            Recalculation::OnActivity => ("on_activity", None),
            Recalculation::Nightly => ("nightly", None),
            Recalculation::FixedDate { month, day } => {
                ("fixed_date", Some(format!("{month:02}-{day:02}")))
            }
        };
        db::query(
            "UPDATE programme SET tier_basis = ?, tier_window = ?, tier_window_months = ?,
                tier_recalc = ?, tier_recalc_date = ?, tier_downgrade = ?, tier_grace_days = ?
             WHERE id = 1",
        )
        .bind(basis_str(p.basis))
        .bind(window)
        .bind(months)
        .bind(recalc)
        .bind(date)
        .bind(match p.downgrade {
            DowngradeRule::DropOne => "drop_one",
            DowngradeRule::Recalculate => "recalculate",
        })
        .bind(p.grace_days as i64)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Every tier (inactive too) in rank order, with member counts.
    pub async fn admin_tiers(&self) -> Result<Vec<AdminTier>, sqlx::Error> {
        let rows = db::query(
            "SELECT t.id, t.name, t.threshold, t.earn_multiplier_pct, t.perks, t.colour, t.icon, t.active,
                    (SELECT COUNT(*) FROM members m WHERE m.tier_id = t.id) AS members
             FROM tiers t ORDER BY t.rank",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| AdminTier {
                id: Some(r.get("id")),
                name: r.get("name"),
                threshold: r.get("threshold"),
                earn_multiplier_pct: r.get("earn_multiplier_pct"),
                perks: r
                    .get::<&str, _>("perks")
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect(),
                colour: r.get("colour"),
                icon: r.get("icon"),
                active: r.get::<db::Flag, _>("active").0,
                members: r.get("members"),
            })
            .collect())
    }

    /// The tier editor's data.
    pub async fn tier_setup(&self) -> Result<TierSetup, sqlx::Error> {
        Ok(TierSetup {
            plan: TierPlan {
                tiers: self.admin_tiers().await?,
                policy: self.programme_settings().await?.tier_policy,
            },
            last_run: self.last_tier_run().await?,
        })
    }

    /// Whether `id` names an existing tier.
    pub async fn tier_exists(&self, id: i64) -> Result<bool, sqlx::Error> {
        Ok(
            db::query_scalar::<i64>("SELECT COUNT(*) FROM tiers WHERE id = ?")
                .bind(id)
                .fetch_one(&self.pool)
                .await?
                > 0,
        )
    }

    /// Saves a validated tier plan (ids must exist) and its audit rows.
    /// Returns nothing moved yet: the caller runs the recalculation.
    pub async fn save_tier_plan(
        &self,
        plan: &TierPlan,
        actor: &UserRow,
    ) -> Result<(), sqlx::Error> {
        let before = self.tier_setup().await?;
        let mut tx = self.begin_write().await?;
        // Ranks are unique: move every tier out of the way first.
        db::query("UPDATE tiers SET rank = rank + 100000")
            .execute(&mut *tx)
            .await?;
        for (rank, t) in plan.tiers.iter().enumerate() {
            let perks = t
                .perks
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            let (action, id, old) = match t.id {
                Some(id) => {
                    db::query(
                        "UPDATE tiers SET name = ?, rank = ?, threshold = ?, earn_multiplier_pct = ?,
                            colour = ?, icon = ?, active = ?, perks = ? WHERE id = ?",
                    )
                    .bind(t.name.trim())
                    .bind(rank as i64)
                    .bind(t.threshold)
                    .bind(t.earn_multiplier_pct)
                    .bind(&t.colour)
                    .bind(t.icon.trim())
                    .bind(t.active)
                    .bind(&perks)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    let old = before.plan.tiers.iter().find(|o| o.id == Some(id));
                    ("tier.update", id, old.map(tier_json))
                }
                None => {
                    let id: i64 = db::query_scalar(
                        "INSERT INTO tiers (name, rank, threshold, earn_multiplier_pct, colour, icon, active, perks)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    )
                    .bind(t.name.trim())
                    .bind(rank as i64)
                    .bind(t.threshold)
                    .bind(t.earn_multiplier_pct)
                    .bind(&t.colour)
                    .bind(t.icon.trim())
                    .bind(t.active)
                    .bind(&perks)
                    .fetch_one(&mut *tx)
                    .await?;
                    ("tier.create", id, None)
                }
            };
            let new = tier_json(t);
            if old.as_ref() != Some(&new) {
                self.audit(
                    &mut tx,
                    AuditRecord {
                        actor,
                        action,
                        entity: "tier",
                        entity_id: Some(id.to_string()),
                        before: old,
                        after: Some(new),
                    },
                )
                .await?;
            }
        }
        if before.plan.policy != plan.policy {
            Self::write_policy(&mut tx, &plan.policy).await?;
            self.audit(
                &mut tx,
                AuditRecord {
                    actor,
                    action: "tier_policy.update",
                    entity: "programme",
                    entity_id: Some("1".into()),
                    before: serde_json::to_value(before.plan.policy).ok(),
                    after: serde_json::to_value(plan.policy).ok(),
                },
            )
            .await?;
        }
        tx.commit().await
    }
}
