//! Sign-in, sign-out and who am I.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use patron_core::auth::{LoginRequest, Me};
use patron_core::error::ErrorEnvelope;

use crate::auth::{
    clear_cookie, cookie_token, decoy_hash, new_token, session_cookie, set_cookie, token_hash,
    verify_password, CurrentUser, SESSION_SECS,
};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::limiter::{MAX_FAILURES, MAX_PER_ADDRESS};
use crate::state::AppState;
use crate::store::users::UserRow;

async fn me_of(state: &AppState, user: &UserRow) -> ApiResult<Me> {
    let programme = state.store.programme().await?;
    // Members see dates in their own zone when they have chosen one.
    let time_zone = match user.member_id {
        Some(id) => state
            .store
            .member_time_zone(id)
            .await?
            .unwrap_or(programme.time_zone),
        None => programme.time_zone,
    };
    Ok(Me {
        user_id: user.id,
        name: user.name.clone(),
        email: user.email.clone(),
        role: user.role,
        member_id: user.member_id,
        programme_name: programme.name,
        time_zone,
    })
}

fn validate(req: &LoginRequest) -> ApiResult<()> {
    let email = req.email.trim();
    if email.is_empty() {
        return Err(ApiError::field("email", "Enter your email address."));
    }
    if email.chars().count() > 254 || !email.contains('@') {
        return Err(ApiError::field("email", "Enter a valid email address."));
    }
    if req.password.is_empty() {
        return Err(ApiError::field("password", "Enter your password."));
    }
    if req.password.chars().count() > 1024 {
        return Err(ApiError::field("password", "That password is too long."));
    }
    Ok(())
}

/// Signs in. Unknown email and wrong password get the same answer; a new
/// session token is issued every time (and any session the request carried
/// is ended), so a token planted before sign-in is useless after it.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", operation_id = "signIn", request_body = LoginRequest,
    responses(
        (status = 200, body = Me, description = "Signed in; sets the HttpOnly session cookie"),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)),
    security(()))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<impl IntoResponse> {
    validate(&req)?;
    let email_key = format!("email:{}", req.email.trim().to_lowercase());
    let ip_key = format!("ip:{}", state.client_key(peer, &headers));
    // Counted before the password is checked, so concurrent attempts
    // cannot all slip under the limit.
    state
        .throttle(&[(&email_key, MAX_FAILURES), (&ip_key, MAX_PER_ADDRESS)])
        .await?;
    let user = state.store.user_by_email(&req.email).await?;
    let password = req.password.clone();
    let hash = user
        .as_ref()
        .filter(|u| u.active)
        .map(|u| u.password_hash.clone());
    let ok = state
        .hash(move || match hash {
            Some(h) => verify_password(&h, &password),
            None => {
                // Same work as a real check, so timing does not reveal accounts.
                let _ = verify_password(decoy_hash(), &password);
                false
            }
        })
        .await?;
    let user = match (ok, user) {
        (true, Some(u)) => u,
        _ => return Err(ApiError::InvalidCredentials),
    };
    state
        .store
        .throttle_succeeded(&email_key, &[&ip_key])
        .await?;

    if let Some(old) = cookie_token(&headers) {
        state.store.delete_session(&token_hash(&old)).await?;
    }
    let token = new_token();
    let now = state.store.now().timestamp();
    state
        .store
        .create_session(&token_hash(&token), user.id, now, now + SESSION_SECS)
        .await?;
    let me = me_of(&state, &user).await?;
    let mut out = HeaderMap::new();
    set_cookie(&mut out, session_cookie(&token, state.secure_cookies));
    Ok((out, Json(me)))
}

/// Signs out: the session ends on the server and the cookie is cleared.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", operation_id = "signOut",
    responses((status = 204, description = "Signed out (also when no session was live)")),
    security(()))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<impl IntoResponse> {
    if let Some(token) = cookie_token(&headers) {
        state.store.delete_session(&token_hash(&token)).await?;
    }
    let mut out = HeaderMap::new();
    set_cookie(&mut out, clear_cookie(state.secure_cookies));
    Ok((StatusCode::NO_CONTENT, out))
}

/// The signed-in person.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", operation_id = "getCurrentUser",
    responses((status = 200, body = Me), (status = 401, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn me(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<Me>> {
    Ok(Json(me_of(&state, &user).await?))
}
