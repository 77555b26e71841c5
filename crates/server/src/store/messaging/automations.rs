//! Automations' switches and delays, the programme's sending rules, and
//! each automation's figures over a window — read by the outbox (an
//! automation that is off queues nothing), the worker (cap, quiet hours)
//! and the jobs (reminder horizons, win-back factor); changed by admins,
//! audited.

use std::collections::HashMap;

use patron_core::messaging::{AutomationFigures, AutomationUpdate, MessagingSettings, TemplateKey};
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::db::{self, Flag};
use crate::store::users::UserRow;
use crate::store::{Store, WriteTx};

/// Whether automation `key` is on, and its delay in hours, inside `tx`
/// (no row: on, no delay).
pub async fn automation_in(
    tx: &mut WriteTx<'_>,
    key: TemplateKey,
) -> Result<(bool, i64), sqlx::Error> {
    let row = db::query("SELECT enabled, delay_hours FROM automations WHERE key = ?")
        .bind(key.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map_or((true, 0), |r| {
        (r.get::<Flag, _>("enabled").0, r.get("delay_hours"))
    }))
}

impl Store {
    /// Every automation's switch and delay (missing ones: on, no delay).
    pub async fn automation_switches(
        &self,
    ) -> Result<HashMap<TemplateKey, (bool, i64)>, sqlx::Error> {
        let rows = db::query("SELECT key, enabled, delay_hours FROM automations")
            .fetch_all(&self.pool)
            .await?;
        let mut out: HashMap<TemplateKey, (bool, i64)> = TemplateKey::ALL
            .into_iter()
            .map(|k| (k, (true, 0)))
            .collect();
        for r in rows {
            if let Some(k) = TemplateKey::parse(r.get::<&str, _>("key")) {
                out.insert(k, (r.get::<Flag, _>("enabled").0, r.get("delay_hours")));
            }
        }
        Ok(out)
    }

    /// Saves an automation's switch and delay, audited.
    pub async fn save_automation(
        &self,
        key: TemplateKey,
        u: &AutomationUpdate,
        actor: &UserRow,
    ) -> Result<(), sqlx::Error> {
        let now = self.now().timestamp();
        let mut tx = self.begin_write().await?;
        let (was_on, was_delay) = automation_in(&mut tx, key).await?;
        db::query(
            "INSERT INTO automations (key, enabled, delay_hours, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET enabled = excluded.enabled, delay_hours = excluded.delay_hours,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(key.as_str())
        .bind(u.enabled)
        .bind(u.delay_hours)
        .bind(now)
        .bind(actor.id)
        .execute(&mut *tx)
        .await?;
        let rec = AuditRecord {
            actor,
            action: "automation.update",
            entity: "automation",
            entity_id: Some(key.as_str().to_string()),
            before: Some(serde_json::json!({"enabled": was_on, "delay_hours": was_delay})),
            after: Some(serde_json::json!({"enabled": u.enabled, "delay_hours": u.delay_hours})),
        };
        Store::audit_at(&mut tx, rec, now).await?;
        tx.commit().await
    }

    /// The programme's sending rules.
    pub async fn messaging_settings(&self) -> Result<MessagingSettings, sqlx::Error> {
        let r = db::query(
            "SELECT frequency_cap, quiet_start, quiet_end, reminder_days, win_back_factor
             FROM messaging_settings WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = r else {
            return Ok(MessagingSettings::default());
        };
        Ok(MessagingSettings {
            frequency_cap: r.get("frequency_cap"),
            quiet_start: r.get::<i64, _>("quiet_start").clamp(0, 23) as u32,
            quiet_end: r.get::<i64, _>("quiet_end").clamp(0, 23) as u32,
            reminder_days: r
                .get::<&str, _>("reminder_days")
                .split(',')
                .filter_map(|d| d.trim().parse().ok())
                .collect(),
            win_back_factor: r.get("win_back_factor"),
        })
    }

    /// Saves the sending rules (already checked), audited.
    pub async fn save_messaging_settings(
        &self,
        s: &MessagingSettings,
        actor: &UserRow,
    ) -> Result<(), sqlx::Error> {
        let before = self.messaging_settings().await?;
        let now = self.now().timestamp();
        let mut tx = self.begin_write().await?;
        let days: Vec<String> = s.reminder_days.iter().map(i64::to_string).collect();
        db::query(
            "UPDATE messaging_settings SET frequency_cap = ?, quiet_start = ?, quiet_end = ?,
                reminder_days = ?, win_back_factor = ? WHERE id = 1",
        )
        .bind(s.frequency_cap)
        .bind(i64::from(s.quiet_start))
        .bind(i64::from(s.quiet_end))
        .bind(days.join(","))
        .bind(s.win_back_factor)
        .execute(&mut *tx)
        .await?;
        let rec = AuditRecord {
            actor,
            action: "messaging_settings.update",
            entity: "messaging_settings",
            entity_id: None,
            before: serde_json::to_value(before).ok(),
            after: serde_json::to_value(s).ok(),
        };
        Store::audit_at(&mut tx, rec, now).await?;
        tx.commit().await
    }

    /// What each automation's messages queued since `since` did.
    pub async fn automation_figures(
        &self,
        since: i64,
    ) -> Result<HashMap<TemplateKey, AutomationFigures>, sqlx::Error> {
        let mut out: HashMap<TemplateKey, AutomationFigures> = HashMap::new();
        let rows = db::query(
            "SELECT template, status, COUNT(*) AS n FROM messages WHERE created_at >= ? GROUP BY template, status",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            let Some(k) = TemplateKey::parse(r.get::<&str, _>("template")) else {
                continue;
            };
            let f = out.entry(k).or_default();
            let n: i64 = r.get("n");
            match r.get::<&str, _>("status") {
                "queued" => f.queued += n,
                "sent" | "captured" => f.sent += n,
                "failed" => f.failed += n,
                _ => f.skipped += n,
            }
        }
        for kind in ["open", "click"] {
            let rows = db::query(
                "SELECT g.template, COUNT(DISTINCT e.message_id) AS n FROM message_events e
                 JOIN messages g ON g.id = e.message_id
                 WHERE e.kind = ? AND g.created_at >= ? GROUP BY g.template",
            )
            .bind(kind)
            .bind(since)
            .fetch_all(&self.pool)
            .await?;
            for r in rows {
                if let Some(k) = TemplateKey::parse(r.get::<&str, _>("template")) {
                    let f = out.entry(k).or_default();
                    if kind == "open" {
                        f.opened = r.get("n");
                    } else {
                        f.clicked = r.get("n");
                    }
                }
            }
        }
        let rows = db::query(
            "SELECT g.template, COUNT(*) AS n FROM consents c JOIN messages g ON g.id = c.message_id
             WHERE c.source = 'unsubscribe' AND g.created_at >= ? GROUP BY g.template",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            if let Some(k) = TemplateKey::parse(r.get::<&str, _>("template")) {
                out.entry(k).or_default().unsubscribed = r.get("n");
            }
        }
        Ok(out)
    }
}
