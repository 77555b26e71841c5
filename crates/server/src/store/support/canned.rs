//! Canned replies: list, create or change (shortcuts stay unique), delete.

use crate::store::db;
use patron_core::support::{CannedReply, CannedReplyInput};
use sqlx::Row;

use crate::store::Store;

impl Store {
    /// Canned replies, by shortcut.
    pub async fn canned_replies(&self) -> Result<Vec<CannedReply>, sqlx::Error> {
        let rows =
            db::query("SELECT id, shortcut, title, body FROM canned_replies ORDER BY shortcut")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .iter()
            .map(|r| CannedReply {
                id: r.get("id"),
                shortcut: r.get("shortcut"),
                title: r.get("title"),
                body: r.get("body"),
            })
            .collect())
    }

    /// Creates (`id` None) or changes a canned reply. `Ok(None)` when the
    /// shortcut is taken or the reply is missing.
    pub async fn save_canned_reply(
        &self,
        id: Option<i64>,
        input: &CannedReplyInput,
        actor: i64,
        now: i64,
    ) -> Result<Option<CannedReply>, sqlx::Error> {
        let shortcut = input.shortcut.trim().to_lowercase();
        let taken: Option<i64> =
            db::query_scalar("SELECT id FROM canned_replies WHERE shortcut = ?")
                .bind(&shortcut)
                .fetch_optional(&self.pool)
                .await?;
        if taken.is_some_and(|t| Some(t) != id) {
            return Ok(None);
        }
        let new_id: Option<i64> = match id {
            None => Some(
                db::query_scalar(
                    "INSERT INTO canned_replies (shortcut, title, body, updated_by, updated_at)
                     VALUES (?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(&shortcut)
                .bind(input.title.trim())
                .bind(input.body.trim())
                .bind(actor)
                .bind(now)
                .fetch_one(&self.pool)
                .await?,
            ),
            Some(id) => db::query_scalar(
                "UPDATE canned_replies SET shortcut = ?, title = ?, body = ?, updated_by = ?, updated_at = ?
                 WHERE id = ? RETURNING id",
            )
            .bind(&shortcut)
            .bind(input.title.trim())
            .bind(input.body.trim())
            .bind(actor)
            .bind(now)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?,
        };
        Ok(new_id.map(|id| CannedReply {
            id,
            shortcut,
            title: input.title.trim().into(),
            body: input.body.trim().into(),
        }))
    }

    /// Deletes a canned reply; false when there was none.
    pub async fn delete_canned_reply(&self, id: i64) -> Result<bool, sqlx::Error> {
        Ok(db::query("DELETE FROM canned_replies WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?
            .rows_affected()
            == 1)
    }
}
