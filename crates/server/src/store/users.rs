//! Accounts that can sign in.

use crate::store::db;
use patron_core::auth::Role;
use sqlx::Row;

use super::Store;

/// An account as stored.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    pub member_id: Option<i64>,
    pub active: bool,
}

pub(crate) fn parse_role(s: &str) -> Role {
    match s {
        "admin" => Role::Admin,
        "support" => Role::Support,
        _ => Role::Member,
    }
}

pub(crate) fn role_str(r: Role) -> &'static str {
    match r {
        Role::Admin => "admin",
        Role::Support => "support",
        Role::Member => "member",
    }
}

pub(crate) fn user_from_row(r: &db::DbRow) -> UserRow {
    UserRow {
        id: r.get("id"),
        email: r.get("email"),
        name: r.get("name"),
        role: parse_role(r.get::<&str, _>("role")),
        password_hash: r.get("password_hash"),
        member_id: r.get("member_id"),
        active: r.get::<db::Flag, _>("active").0,
    }
}

impl Store {
    /// The account with this id, if any.
    pub async fn user_by_id(&self, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
        let row = db::query(
            "SELECT id, email, name, role, password_hash, member_id, active FROM users WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(user_from_row))
    }

    /// The account with this email (case-insensitive), if any.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
        let row = db::query(
            "SELECT id, email, name, role, password_hash, member_id, active
             FROM users WHERE lower(email) = lower(?)",
        )
        .bind(email.trim())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(user_from_row))
    }

    /// Creates an account; returns its id.
    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        member_id: Option<i64>,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        let row = db::query(
            "INSERT INTO users (email, name, role, password_hash, member_id, active, created_at)
             VALUES (?, ?, ?, ?, ?, TRUE, ?) RETURNING id",
        )
        .bind(email)
        .bind(name)
        .bind(role_str(role))
        .bind(password_hash)
        .bind(member_id)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.get(0))
    }

    /// Number of active staff accounts with this role.
    pub async fn count_staff(&self, role: Role) -> Result<i64, sqlx::Error> {
        db::query_scalar("SELECT COUNT(*) FROM users WHERE role = ? AND active")
            .bind(role_str(role))
            .fetch_one(&self.pool)
            .await
    }
}
