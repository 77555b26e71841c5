//! Earning rules as stored: read, saved and deleted with their audit rows,
//! and the categories the rule editor offers.

use crate::store::db;
use patron_core::earning::{EarningRule, RuleDraft, RuleKind};
use serde_json::json;
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::users::UserRow;
use crate::store::{ts_opt, Store};

fn rule_from_row(r: &db::DbRow) -> Option<EarningRule> {
    let rule: RuleKind = serde_json::from_str(r.get::<&str, _>("params")).ok()?;
    Some(EarningRule {
        id: r.get("id"),
        name: r.get("name"),
        rule,
        priority: r.get("priority"),
        stop_further: r.get::<db::Flag, _>("stop_further").0,
        active: r.get::<db::Flag, _>("active").0,
        starts_at: ts_opt(r.get("starts_at")),
        ends_at: ts_opt(r.get("ends_at")),
    })
}

fn rule_json(r: &EarningRule) -> serde_json::Value {
    json!({
        "name": r.name, "rule": serde_json::to_value(&r.rule).unwrap_or_default(),
        "priority": r.priority, "stop_further": r.stop_further, "active": r.active,
        "starts_at": r.starts_at, "ends_at": r.ends_at,
    })
}

impl Store {
    /// Every rule, in evaluation order.
    pub async fn earning_rules(&self) -> Result<Vec<EarningRule>, sqlx::Error> {
        let rows = db::query("SELECT * FROM earning_rules ORDER BY priority, id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().filter_map(rule_from_row).collect())
    }

    /// One rule.
    pub async fn earning_rule(&self, id: i64) -> Result<Option<EarningRule>, sqlx::Error> {
        let r = db::query("SELECT * FROM earning_rules WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.as_ref().and_then(rule_from_row))
    }

    /// Categories seen in purchases and rules.
    pub async fn categories(&self) -> Result<Vec<String>, sqlx::Error> {
        db::query_scalar(
            "SELECT category FROM purchases GROUP BY category
             UNION SELECT category FROM purchase_lines GROUP BY category ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await
    }

    /// Creates (`id = None`) or replaces a rule; returns it.
    pub async fn save_rule(
        &self,
        id: Option<i64>,
        draft: RuleDraft,
        actor: &UserRow,
    ) -> Result<Option<EarningRule>, sqlx::Error> {
        let before = match id {
            Some(id) => match self.earning_rule(id).await? {
                Some(r) => Some(r),
                None => return Ok(None),
            },
            None => None,
        };
        let params = serde_json::to_string(&draft.rule).unwrap_or_default();
        let mut tx = self.begin_write().await?;
        let new_id: i64 = match id {
            Some(id) => {
                db::query(
                    "UPDATE earning_rules SET name = ?, kind = ?, params = ?, priority = ?, stop_further = ?,
                        active = ?, starts_at = ?, ends_at = ? WHERE id = ?",
                )
                .bind(draft.name.trim())
                .bind(draft.rule.name())
                .bind(&params)
                .bind(draft.priority)
                .bind(draft.stop_further)
                .bind(draft.active)
                .bind(draft.starts_at.map(|t| t.timestamp()))
                .bind(draft.ends_at.map(|t| t.timestamp()))
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => {
                db::query_scalar(
                    "INSERT INTO earning_rules (name, kind, params, priority, stop_further, active, starts_at, ends_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(draft.name.trim())
                .bind(draft.rule.name())
                .bind(&params)
                .bind(draft.priority)
                .bind(draft.stop_further)
                .bind(draft.active)
                .bind(draft.starts_at.map(|t| t.timestamp()))
                .bind(draft.ends_at.map(|t| t.timestamp()))
                .fetch_one(&mut *tx)
                .await?
            }
        };
        let rule = draft.into_rule(new_id);
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: if id.is_some() {
                    "earning_rule.update"
                } else {
                    "earning_rule.create"
                },
                entity: "earning_rule",
                entity_id: Some(new_id.to_string()),
                before: before.as_ref().map(rule_json),
                after: Some(rule_json(&rule)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Some(rule))
    }

    /// Deletes a rule; false when there is none.
    pub async fn delete_rule(&self, id: i64, actor: &UserRow) -> Result<bool, sqlx::Error> {
        let Some(before) = self.earning_rule(id).await? else {
            return Ok(false);
        };
        let mut tx = self.begin_write().await?;
        db::query("DELETE FROM earning_rules WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: "earning_rule.delete",
                entity: "earning_rule",
                entity_id: Some(id.to_string()),
                before: Some(rule_json(&before)),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
