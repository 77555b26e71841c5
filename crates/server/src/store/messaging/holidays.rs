//! The holidays the programme greets its members on: listed, added,
//! changed and removed by admins (audited). Their dates for a year are
//! worked out by `crate::messaging::calendar`.

use chrono::NaiveDate;
use patron_core::messaging::{HolidayDraft, HolidayKind};
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::db::{self, DbRow, Flag};
use crate::store::users::UserRow;
use crate::store::Store;

fn draft(r: &DbRow) -> (i64, HolidayDraft) {
    let id = r.get("id");
    let d = HolidayDraft {
        name_en: r.get("name_en"),
        name_zh: r.get("name_zh"),
        kind: HolidayKind::parse(r.get::<&str, _>("kind")).unwrap_or(HolidayKind::Date),
        month: r.get::<Option<i64>, _>("month").map(|m| m as u32),
        day: r.get::<Option<i64>, _>("day").map(|d| d as u32),
        on_date: r
            .get::<Option<String>, _>("on_date")
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        enabled: r.get::<Flag, _>("enabled").0,
    };
    (id, d)
}

impl Store {
    /// Every holiday, in the order added.
    pub async fn holidays(&self) -> Result<Vec<(i64, HolidayDraft)>, sqlx::Error> {
        let rows = db::query(
            "SELECT id, name_en, name_zh, kind, month, day, on_date, enabled FROM holidays ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(draft).collect())
    }

    /// Adds (`id` None) or replaces a holiday, audited; its id, or `None`
    /// when there is no such holiday to replace.
    pub async fn save_holiday(
        &self,
        id: Option<i64>,
        h: &HolidayDraft,
        actor: &UserRow,
    ) -> Result<Option<i64>, sqlx::Error> {
        let now = self.now().timestamp();
        let mut tx = self.begin_write().await?;
        let on_date = h.on_date.map(|d| d.to_string());
        let (month, day) = (h.month.map(i64::from), h.day.map(i64::from));
        let id = match id {
            None => Some(
                db::query_scalar::<i64>(
                    "INSERT INTO holidays (name_en, name_zh, kind, month, day, on_date, enabled, created_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(h.name_en.trim())
                .bind(h.name_zh.trim())
                .bind(h.kind.as_str())
                .bind(month)
                .bind(day)
                .bind(on_date)
                .bind(h.enabled)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?,
            ),
            Some(id) => {
                let done = db::query(
                    "UPDATE holidays SET name_en = ?, name_zh = ?, kind = ?, month = ?, day = ?, on_date = ?,
                        enabled = ? WHERE id = ?",
                )
                .bind(h.name_en.trim())
                .bind(h.name_zh.trim())
                .bind(h.kind.as_str())
                .bind(month)
                .bind(day)
                .bind(on_date)
                .bind(h.enabled)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                (done.rows_affected() == 1).then_some(id)
            }
        };
        let Some(id) = id else {
            return Ok(None);
        };
        let rec = AuditRecord {
            actor,
            action: "holiday.save",
            entity: "holiday",
            entity_id: Some(id.to_string()),
            before: None,
            after: serde_json::to_value(h).ok(),
        };
        Store::audit_at(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Removes a holiday, audited; false when there is none.
    pub async fn delete_holiday(&self, id: i64, actor: &UserRow) -> Result<bool, sqlx::Error> {
        let now = self.now().timestamp();
        let mut tx = self.begin_write().await?;
        let name: Option<String> = db::query_scalar("SELECT name_en FROM holidays WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(name) = name else {
            return Ok(false);
        };
        db::query("DELETE FROM holidays WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let rec = AuditRecord {
            actor,
            action: "holiday.delete",
            entity: "holiday",
            entity_id: Some(id.to_string()),
            before: Some(serde_json::json!({ "name_en": name })),
            after: None,
        };
        Store::audit_at(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}
