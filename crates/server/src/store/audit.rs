//! The audit log: one append-only row per admin write, written in the same
//! transaction as the write itself, so there is never a change without its
//! row or a row without its change.

use crate::store::db;
use patron_core::admin::{AuditEntry, AuditPage, FieldChange};
use serde_json::Value;
use sqlx::Row;

use super::{ts, Store, WriteTx};
use crate::store::users::UserRow;

/// What an audit row records.
pub struct AuditRecord<'a> {
    pub actor: &'a UserRow,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Filters of the audit page.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<i64>,
    pub entity: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub offset: i64,
}

/// Rows per audit page.
pub const AUDIT_PAGE: i64 = 100;

/// Top-level fields that differ between two JSON documents, each value
/// shown as compact JSON (strings without quotes).
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    fn show(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    let empty = serde_json::Map::new();
    let obj = |v: Option<&Value>| -> Option<serde_json::Map<String, Value>> {
        match v {
            Some(Value::Object(m)) => Some(m.clone()),
            Some(other) => {
                let mut m = serde_json::Map::new();
                m.insert("value".into(), other.clone());
                Some(m)
            }
            None => None,
        }
    };
    let (b, a) = (obj(before), obj(after));
    let (bm, am) = (b.as_ref().unwrap_or(&empty), a.as_ref().unwrap_or(&empty));
    let mut keys: Vec<&String> = bm.keys().chain(am.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| bm.get(*k) != am.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            before: bm.get(k).map(show),
            after: am.get(k).map(show),
        })
        .collect()
}

/// A soft-deletable table: rows get a `deleted_at` instead of going away,
/// so the audit log can still name them.
pub struct SoftDelete {
    pub table: &'static str,
    /// The column that names a row, recorded in the audit row's `before`.
    pub label: &'static str,
    /// `segment` → action `segment.delete`.
    pub entity: &'static str,
}

impl SoftDelete {
    /// Marks row `id` deleted and audits it, in the caller's transaction;
    /// false if there is no such row (or it was deleted before).
    pub async fn run(
        &self,
        tx: &mut WriteTx<'_>,
        id: i64,
        actor: &UserRow,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let (table, label) = (self.table, self.label);
        let name: Option<String> = db::query_scalar(&format!(
            "SELECT {label} FROM {table} WHERE id = ? AND deleted_at IS NULL"
        ))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(name) = name else {
            return Ok(false);
        };
        db::query(&format!("UPDATE {table} SET deleted_at = ? WHERE id = ?"))
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Store::audit_at(
            tx,
            AuditRecord {
                actor,
                action: &format!("{}.delete", self.entity),
                entity: self.entity,
                entity_id: Some(id.to_string()),
                before: Some(serde_json::json!({ label: name })),
                after: None,
            },
            now,
        )
        .await?;
        Ok(true)
    }
}

impl Store {
    /// Appends an audit row inside `tx`, dated by the store's clock.
    pub async fn audit(
        &self,
        tx: &mut WriteTx<'_>,
        rec: AuditRecord<'_>,
    ) -> Result<(), sqlx::Error> {
        Self::audit_at(tx, rec, self.now().timestamp()).await
    }

    /// The same at `at` (unix seconds; callers that already hold "now").
    pub async fn audit_at(
        tx: &mut WriteTx<'_>,
        rec: AuditRecord<'_>,
        at: i64,
    ) -> Result<(), sqlx::Error> {
        db::query(
            "INSERT INTO audit_log (actor_user_id, actor_name, action, entity, entity_id, before_json, after_json, at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(rec.actor.id)
        .bind(&rec.actor.name)
        .bind(rec.action)
        .bind(rec.entity)
        .bind(rec.entity_id)
        .bind(rec.before.map(|v| v.to_string()))
        .bind(rec.after.map(|v| v.to_string()))
        .bind(at)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Appends an audit row in its own transaction (for writes made by
    /// store functions that commit themselves).
    pub async fn audit_now(&self, rec: AuditRecord<'_>) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        self.audit(&mut tx, rec).await?;
        tx.commit().await
    }

    /// A page of the log, newest first.
    pub async fn audit_page(&self, f: &AuditFilter) -> Result<AuditPage, sqlx::Error> {
        let push_where = |qb: &mut db::Builder| {
            qb.push(" WHERE 1 = 1");
            if let Some(a) = f.actor_id {
                qb.push(" AND actor_user_id = ").push_bind(a);
            }
            if let Some(e) = &f.entity {
                qb.push(" AND entity = ").push_bind(e.clone());
            }
            if let Some(t) = f.from {
                qb.push(" AND at >= ").push_bind(t);
            }
            if let Some(t) = f.to {
                qb.push(" AND at <= ").push_bind(t);
            }
        };
        let mut qb = db::Builder::new("SELECT COUNT(*) FROM audit_log");
        push_where(&mut qb);
        let total: i64 = qb.build_query_scalar().fetch_one(&self.pool).await?;
        let mut qb = db::Builder::new(
            "SELECT id, actor_user_id, actor_name, action, entity, entity_id, before_json, after_json, at FROM audit_log",
        );
        push_where(&mut qb);
        qb.push(" ORDER BY at DESC, id DESC LIMIT ")
            .push_bind(AUDIT_PAGE)
            .push(" OFFSET ")
            .push_bind(f.offset);
        let rows = qb.build().fetch_all(&self.pool).await?;
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str::<Value>(&s).ok());
        let items = rows
            .iter()
            .map(|r| {
                let before = parse(r.get("before_json"));
                let after = parse(r.get("after_json"));
                AuditEntry {
                    id: r.get("id"),
                    actor_id: r.get("actor_user_id"),
                    actor: r.get("actor_name"),
                    action: r.get("action"),
                    entity: r.get("entity"),
                    entity_id: r.get("entity_id"),
                    changes: diff(before.as_ref(), after.as_ref()),
                    at: ts(r.get("at")),
                }
            })
            .collect();
        let entities = db::query_scalar("SELECT DISTINCT entity FROM audit_log ORDER BY entity")
            .fetch_all(&self.pool)
            .await?;
        Ok(AuditPage {
            total,
            offset: f.offset,
            items,
            entities,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::diff;
    use serde_json::json;

    #[test]
    fn diff_lists_changed_added_and_removed_fields() {
        let b = json!({"name": "Gold", "threshold": 6000, "perks": ["a"]});
        let a = json!({"name": "Gold", "threshold": 5000, "icon": "★"});
        let d = diff(Some(&b), Some(&a));
        let fields: Vec<&str> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, vec!["icon", "perks", "threshold"]);
        assert_eq!(d[2].before.as_deref(), Some("6000"));
        assert_eq!(d[2].after.as_deref(), Some("5000"));
        assert_eq!(d[0].before, None);
        assert_eq!(diff(None, Some(&json!(5)))[0].after.as_deref(), Some("5"));
    }
}
