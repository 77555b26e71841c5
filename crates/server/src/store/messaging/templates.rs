//! Template texts the admin has edited, per template and language; a
//! template without a row uses its built-in text (`crate::messaging::defaults`).

use patron_core::messaging::{TemplateKey, TemplateUpdate};
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::db;
use crate::store::users::UserRow;
use crate::store::Store;

impl Store {
    /// The edited text of `key` in `language`, if any.
    pub async fn template_text(
        &self,
        key: TemplateKey,
        language: &str,
    ) -> Result<Option<TemplateUpdate>, sqlx::Error> {
        let row = db::query(
            "SELECT subject, text_body, html_body FROM message_templates WHERE template = ? AND language = ?",
        )
        .bind(key.as_str())
        .bind(language)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| TemplateUpdate {
            subject: r.get("subject"),
            text: r.get("text_body"),
            html: r.get("html_body"),
        }))
    }

    /// Saves the text of `key` in `language` and audits it (before and
    /// after), in one transaction.
    pub async fn save_template_text(
        &self,
        key: TemplateKey,
        language: &str,
        t: &TemplateUpdate,
        before: &TemplateUpdate,
        actor: &UserRow,
    ) -> Result<(), sqlx::Error> {
        let now = self.now().timestamp();
        let mut tx = self.begin_write().await?;
        db::query(
            "INSERT INTO message_templates (template, language, subject, text_body, html_body, updated_at, updated_by)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (template, language) DO UPDATE SET subject = excluded.subject,
                text_body = excluded.text_body, html_body = excluded.html_body,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(key.as_str())
        .bind(language)
        .bind(&t.subject)
        .bind(&t.text)
        .bind(&t.html)
        .bind(now)
        .bind(actor.id)
        .execute(&mut *tx)
        .await?;
        Store::audit_at(
            &mut tx,
            AuditRecord {
                actor,
                action: "message_template.update",
                entity: "message_template",
                entity_id: Some(format!("{}/{language}", key.as_str())),
                before: serde_json::to_value(before).ok(),
                after: serde_json::to_value(t).ok(),
            },
            now,
        )
        .await?;
        tx.commit().await
    }
}
