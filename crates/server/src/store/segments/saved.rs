//! Saved segments: the list, one segment, saving (with the audit trail), a
//! fresh count, and deleting unless a reward is still offered to it.

use crate::store::db;
use patron_core::segments::{Segment, SegmentDraft};
use sqlx::Row;

use crate::store::audit::{AuditRecord, SoftDelete};
use crate::store::users::UserRow;
use crate::store::Store;

fn segment_row(r: &db::DbRow) -> Segment {
    Segment {
        id: r.get("id"),
        name: r.get("name"),
        description: r.get("description"),
        definition: serde_json::from_str(r.get("definition")).unwrap_or_default(),
        member_count: r.get("member_count"),
        computed_at: r.get("computed_at"),
        created_by: r.get("created_by"),
        updated_at: r.get("updated_at"),
    }
}

const SEGMENT_COLS: &str = "SELECT g.id, g.name, g.description, g.definition, g.member_count,
        g.computed_at, u.name AS created_by, g.updated_at
     FROM segments g JOIN users u ON u.id = g.created_by";

impl Store {
    /// Saved segments, newest first.
    pub async fn segments(&self) -> Result<Vec<Segment>, sqlx::Error> {
        let rows = db::query(&format!(
            "{SEGMENT_COLS} WHERE g.deleted_at IS NULL ORDER BY g.updated_at DESC, g.id DESC"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(segment_row).collect())
    }

    /// One saved segment.
    pub async fn segment(&self, id: i64) -> Result<Option<Segment>, sqlx::Error> {
        let r = db::query(&format!(
            "{SEGMENT_COLS} WHERE g.id = ? AND g.deleted_at IS NULL"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.as_ref().map(segment_row))
    }

    /// Saves a new segment (or replaces `id`'s definition) with its count.
    pub async fn save_segment(
        &self,
        id: Option<i64>,
        d: &SegmentDraft,
        count: i64,
        actor: &UserRow,
        now: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let def = serde_json::to_string(&d.definition).unwrap_or_else(|_| "{}".into());
        let mut tx = self.begin_write().await?;
        let id = match id {
            None => {
                let id: i64 = db::query_scalar(
                    "INSERT INTO segments (name, description, definition, member_count, computed_at,
                        created_by, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(d.name.trim())
                .bind(d.description.trim())
                .bind(&def)
                .bind(count)
                .bind(now)
                .bind(actor.id)
                .bind(now)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                Store::audit_at(
                    &mut tx,
                    AuditRecord {
                        actor,
                        action: "segment.create",
                        entity: "segment",
                        entity_id: Some(id.to_string()),
                        before: None,
                        after: Some(serde_json::json!({ "name": d.name.trim(), "definition": d.definition })),
                    }, now)
                .await?;
                id
            }
            Some(id) => {
                let before = db::query(
                    "SELECT name, definition FROM segments WHERE id = ? AND deleted_at IS NULL",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(before) = before else {
                    return Ok(None);
                };
                db::query(
                    "UPDATE segments SET name = ?, description = ?, definition = ?, member_count = ?,
                        computed_at = ?, updated_at = ? WHERE id = ?",
                )
                .bind(d.name.trim())
                .bind(d.description.trim())
                .bind(&def)
                .bind(count)
                .bind(now)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                let old: serde_json::Value =
                    serde_json::from_str(before.get("definition")).unwrap_or_default();
                Store::audit_at(
                    &mut tx,
                    AuditRecord {
                        actor,
                        action: "segment.update",
                        entity: "segment",
                        entity_id: Some(id.to_string()),
                        before: Some(serde_json::json!({ "name": before.get::<String, _>("name"), "definition": old })),
                        after: Some(serde_json::json!({ "name": d.name.trim(), "definition": d.definition })),
                    }, now)
                .await?;
                id
            }
        };
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Stores a fresh count.
    pub async fn set_segment_count(
        &self,
        id: i64,
        count: i64,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        db::query("UPDATE segments SET member_count = ?, computed_at = ? WHERE id = ?")
            .bind(count)
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes a segment (kept for the audit trail), unless a reward in the
    /// catalogue is still offered to it.
    pub async fn delete_segment(
        &self,
        id: i64,
        actor: &UserRow,
        now: i64,
    ) -> Result<SegmentDelete, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let rewards: Vec<String> = db::query_scalar(
            "SELECT r.name FROM rewards r JOIN segments g ON g.id = r.segment_id
             WHERE g.id = ? AND g.deleted_at IS NULL AND r.active ORDER BY r.name",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        if !rewards.is_empty() {
            return Ok(SegmentDelete::OfferedRewards(rewards));
        }
        if !SEGMENTS.run(&mut tx, id, actor, now).await? {
            return Ok(SegmentDelete::NotFound);
        }
        tx.commit().await?;
        Ok(SegmentDelete::Deleted)
    }
}

const SEGMENTS: SoftDelete = SoftDelete {
    table: "segments",
    label: "name",
    entity: "segment",
};

/// What deleting a segment did.
#[derive(Debug, PartialEq)]
pub enum SegmentDelete {
    Deleted,
    NotFound,
    /// Kept: these rewards are still offered only to its members.
    OfferedRewards(Vec<String>),
}
