//! Passwords, session tokens, the session cookie and the extractors that
//! tell every handler who is asking.

use std::sync::OnceLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use base64::Engine;
use patron_core::auth::Role;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::users::UserRow;

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "patron_session";
/// How long a session lives without a new sign-in.
pub const SESSION_SECS: i64 = 14 * 24 * 3600;

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(ApiError::internal)
}

/// Checks a password against a stored hash.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the email is unknown, so that both
/// failures take the same time.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password(&new_token()).expect("argon2 works"))
}

/// A fresh 256-bit random session token, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores for a token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `Set-Cookie` for a new session: HttpOnly (script cannot read it),
/// SameSite=Strict (not sent on cross-site requests).
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECS}{secure}"
    ))
    .expect("cookie is ASCII")
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"
    ))
    .expect("cookie is ASCII")
}

/// The session token the request carries, if any.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, v)| *k == COOKIE_NAME && !v.is_empty())
        .map(|(_, v)| v.to_string())
}

/// Adds a `Set-Cookie` header.
pub fn set_cookie(headers: &mut HeaderMap, value: HeaderValue) {
    headers.append(SET_COOKIE, value);
}

/// The signed-in caller; rejects with 401 when there is no live session.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub UserRow);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = cookie_token(&parts.headers).ok_or(ApiError::Unauthorized)?;
        let now = state.store.now().timestamp();
        state
            .store
            .session_user(&token_hash(&token), now)
            .await?
            .map(CurrentUser)
            .ok_or(ApiError::Unauthorized)
    }
}

/// An admin caller; members and support get 403.
#[derive(Debug, Clone)]
pub struct Admin(pub UserRow);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if user.role == Role::Admin {
            Ok(Admin(user))
        } else {
            Err(ApiError::Forbidden(
                "Only programme admins can do this.".into(),
            ))
        }
    }
}

/// A support agent or admin; members get 403.
#[derive(Debug, Clone)]
pub struct Staff(pub UserRow);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if user.role.is_staff() {
            Ok(Staff(user))
        } else {
            Err(ApiError::Forbidden(
                "Only support staff can do this.".into(),
            ))
        }
    }
}

/// Who may record transactions: an admin's session, or an API key sent as
/// `Authorization: Bearer <key>` (for tills and shops).
#[derive(Debug, Clone)]
pub struct Integrator {
    /// The admin, or the admin who made the key.
    pub user_id: i64,
    /// Set when the caller used an API key (its id).
    pub api_key: Option<i64>,
}

impl Integrator {
    /// The namespace idempotency keys live in for this caller.
    pub fn key_scope(&self, key: &str) -> String {
        match self.api_key {
            Some(id) => format!("api-key:{id}:{key}"),
            None => key.to_string(),
        }
    }
}

impl FromRequestParts<AppState> for Integrator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|k| !k.is_empty());
        if let Some(key) = bearer {
            return match state.store.api_key_owner(&token_hash(key)).await? {
                Some((id, owner)) => Ok(Integrator {
                    user_id: owner,
                    api_key: Some(id),
                }),
                None => Err(ApiError::Unauthorized),
            };
        }
        let Admin(user) = Admin::from_request_parts(parts, state).await?;
        Ok(Integrator {
            user_id: user.id,
            api_key: None,
        })
    }
}
