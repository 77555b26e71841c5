//! KPI targets (programme goals) and the value recorded for each once a day.

use crate::store::db;
use chrono::NaiveDate;
use patron_core::kpi::{Comparison, TargetDraft};
use sqlx::Row;

use crate::store::audit::{AuditRecord, SoftDelete};
use crate::store::users::UserRow;
use crate::store::Store;

const TARGETS: SoftDelete = SoftDelete {
    table: "kpi_targets",
    label: "kpi",
    entity: "target",
};

/// A stored target, before its status is worked out.
pub struct TargetRow {
    pub id: i64,
    pub kpi: String,
    pub comparison: Comparison,
    pub target: f64,
    pub baseline: Option<f64>,
    pub start: NaiveDate,
    pub deadline: NaiveDate,
    pub owner_id: i64,
    pub owner: String,
    pub note: String,
    /// Recorded values, oldest first (days without a value left out).
    pub checks: Vec<(NaiveDate, f64)>,
    /// The last day a value was looked for, with or without one.
    pub last_checked: Option<NaiveDate>,
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn comparison_name(c: Comparison) -> &'static str {
    match c {
        Comparison::AtLeast => "at_least",
        Comparison::AtMost => "at_most",
    }
}

impl Store {
    /// Whether `id` is an active staff account (admin or support).
    pub async fn is_staff(&self, id: i64) -> Result<bool, sqlx::Error> {
        let n: i64 = db::query_scalar(
            "SELECT COUNT(*) FROM users WHERE id = ? AND active AND role IN ('admin', 'support')",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Saves a target; its baseline is the KPI's value today.
    pub async fn create_target(
        &self,
        d: &TargetDraft,
        baseline: Option<f64>,
        today: NaiveDate,
        actor: &UserRow,
    ) -> Result<i64, sqlx::Error> {
        let now = self.now().timestamp();
        let mut tx = self.begin_write().await?;
        let id: i64 = db::query_scalar(
            "INSERT INTO kpi_targets (kpi, comparison, target, baseline, start_date, deadline, owner_id,
                note, created_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&d.kpi)
        .bind(comparison_name(d.comparison))
        .bind(d.target)
        .bind(baseline)
        .bind(today.to_string())
        .bind(d.deadline.to_string())
        .bind(d.owner_id)
        .bind(d.note.trim())
        .bind(actor.id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        db::query("INSERT INTO kpi_target_checks (target_id, day, value) VALUES (?, ?, ?)")
            .bind(id)
            .bind(today.to_string())
            .bind(baseline)
            .execute(&mut *tx)
            .await?;
        Store::audit_at(
            &mut tx,
            AuditRecord {
                actor,
                action: "target.create",
                entity: "target",
                entity_id: Some(id.to_string()),
                before: None,
                after: Some(serde_json::json!({
                    "kpi": d.kpi, "comparison": comparison_name(d.comparison), "target": d.target,
                    "deadline": d.deadline, "owner_id": d.owner_id, "baseline": baseline,
                })),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Deletes a target; false if there was none.
    pub async fn delete_target(&self, id: i64, actor: &UserRow) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let deleted = TARGETS
            .run(&mut tx, id, actor, self.now().timestamp())
            .await?;
        tx.commit().await?;
        Ok(deleted)
    }

    /// Active targets, nearest deadline first, with their recorded values.
    pub async fn targets(&self) -> Result<Vec<TargetRow>, sqlx::Error> {
        let rows = db::query(
            "SELECT k.id, k.kpi, k.comparison, k.target, k.baseline, k.start_date, k.deadline,
                    k.owner_id, u.name AS owner, k.note
             FROM kpi_targets k JOIN users u ON u.id = k.owner_id
             WHERE k.deleted_at IS NULL ORDER BY k.deadline, k.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let checks = db::query(
            "SELECT c.target_id, c.day, c.value FROM kpi_target_checks c
             JOIN kpi_targets k ON k.id = c.target_id WHERE k.deleted_at IS NULL ORDER BY c.day",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let id: i64 = r.get("id");
                TargetRow {
                    id,
                    kpi: r.get("kpi"),
                    comparison: if r.get::<&str, _>("comparison") == "at_most" {
                        Comparison::AtMost
                    } else {
                        Comparison::AtLeast
                    },
                    target: r.get("target"),
                    baseline: r.get("baseline"),
                    start: date(r.get("start_date")),
                    deadline: date(r.get("deadline")),
                    owner_id: r.get("owner_id"),
                    owner: r.get("owner"),
                    note: r.get("note"),
                    checks: checks
                        .iter()
                        .filter(|c| c.get::<i64, _>("target_id") == id)
                        .filter_map(|c| {
                            Some((date(c.get("day")), c.get::<Option<f64>, _>("value")?))
                        })
                        .collect(),
                    last_checked: checks
                        .iter()
                        .filter(|c| c.get::<i64, _>("target_id") == id)
                        .map(|c| date(c.get("day")))
                        .max(),
                }
            })
            .collect())
    }

    /// Records today's value of a target's KPI (once a day; a later value
    /// the same day replaces it).
    pub async fn record_target_check(
        &self,
        id: i64,
        day: NaiveDate,
        value: Option<f64>,
    ) -> Result<(), sqlx::Error> {
        db::query(
            "INSERT INTO kpi_target_checks (target_id, day, value) VALUES (?, ?, ?)
             ON CONFLICT (target_id, day) DO UPDATE SET value = excluded.value",
        )
        .bind(id)
        .bind(day.to_string())
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
