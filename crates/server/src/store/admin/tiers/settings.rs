//! Programme settings: read in full (with the tier policy) and saved with
//! their audit row.

use crate::store::db;
use patron_core::admin::{
    DowngradeRule, ExpiryRule, ProgrammeSettings, Recalculation, TierPolicySettings,
};
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::users::UserRow;
use crate::store::Store;

/// Settings as an audit document.
pub fn settings_json(s: &ProgrammeSettings) -> serde_json::Value {
    serde_json::to_value(s).unwrap_or_default()
}

impl Store {
    /// The programme's settings in full.
    pub async fn programme_settings(&self) -> Result<ProgrammeSettings, sqlx::Error> {
        let p = self.programme().await?;
        let r = db::query(
            "SELECT tier_recalc, tier_recalc_date, tier_downgrade, tier_grace_days, expiry_rule
             FROM programme WHERE id = 1",
        )
        .fetch_one(&self.pool)
        .await?;
        let recalculation = match r.get::<&str, _>("tier_recalc") {
            "on_activity" => Recalculation::OnActivity,
            "fixed_date" => {
                let d: Option<String> = r.get("tier_recalc_date");
                let (m, day) = d
                    .as_deref()
                    .and_then(|s| s.split_once('-'))
                    .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)))
                    .unwrap_or((1, 1));
                Recalculation::FixedDate { month: m, day }
            }
            _ => Recalculation::Nightly,
        };
        let downgrade = match r.get::<&str, _>("tier_downgrade") {
            "drop_one" => DowngradeRule::DropOne,
            _ => DowngradeRule::Recalculate,
        };
        Ok(ProgrammeSettings {
            name: p.name,
            currency: p.currency,
            point_value_centi_minor: p.point_value_centi_minor,
            time_zone: p.time_zone,
            expiry: p.expiry,
            pending_days: p.pending_days,
            tier_policy: TierPolicySettings {
                basis: p.policy.basis,
                window: p.policy.window,
                recalculation,
                downgrade,
                grace_days: r.get::<i64, _>("tier_grace_days") as u32,
            },
        })
    }

    /// Saves the programme settings (and their audit row). The tier policy
    /// is not written here: it changes with the tier editor, after a preview.
    pub async fn save_settings(
        &self,
        s: &ProgrammeSettings,
        actor: &UserRow,
    ) -> Result<(), sqlx::Error> {
        let before = self.programme_settings().await?;
        let mut tx = self.begin_write().await?;
        let (rule, months) = match s.expiry {
            ExpiryRule::Never => ("never", None),
            ExpiryRule::MonthsAfterEarning { months } => ("months", Some(months as i64)),
            ExpiryRule::EndOfNextYear => ("end_of_next_year", None),
        };
        db::query(
            "UPDATE programme SET name = ?, currency = ?, point_value_centi_minor = ?, time_zone = ?,
                expiry_rule = ?, expiry_months = ?, pending_days = ? WHERE id = 1",
        )
        .bind(s.name.trim())
        .bind(&s.currency)
        .bind(s.point_value_centi_minor)
        .bind(&s.time_zone)
        .bind(rule)
        .bind(months)
        .bind(s.pending_days)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: "programme.update",
                entity: "programme",
                entity_id: Some("1".into()),
                before: Some(settings_json(&before)),
                after: Some(settings_json(s)),
            },
        )
        .await?;
        tx.commit().await
    }
}
