//! Saved views: each agent's named queue filters.

use crate::store::db;
use patron_core::support::SavedView;
use sqlx::Row;

use crate::store::Store;

impl Store {
    /// The agent's saved views.
    pub async fn saved_views(&self, user_id: i64) -> Result<Vec<SavedView>, sqlx::Error> {
        let rows =
            db::query("SELECT id, name, query FROM saved_views WHERE user_id = ? ORDER BY name")
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .iter()
            .map(|r| SavedView {
                id: r.get("id"),
                name: r.get("name"),
                query: r.get("query"),
            })
            .collect())
    }

    /// Saves (or replaces, by name) one of the agent's views.
    pub async fn save_view(
        &self,
        user_id: i64,
        name: &str,
        query: &str,
        now: i64,
    ) -> Result<SavedView, sqlx::Error> {
        let id: i64 = db::query_scalar(
            "INSERT INTO saved_views (user_id, name, query, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(query)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(SavedView {
            id,
            name: name.into(),
            query: query.into(),
        })
    }

    /// Deletes one of the agent's own views; false when it is not theirs.
    pub async fn delete_view(&self, user_id: i64, id: i64) -> Result<bool, sqlx::Error> {
        Ok(
            db::query("DELETE FROM saved_views WHERE id = ? AND user_id = ?")
                .bind(id)
                .bind(user_id)
                .execute(&self.pool)
                .await?
                .rows_affected()
                == 1,
        )
    }
}
