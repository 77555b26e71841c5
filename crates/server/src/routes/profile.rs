//! The member's profile, preferences, email and password.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::profile::{password_problem, EmailChange, PasswordChange, Profile, ProfileUpdate};

use crate::auth::{cookie_token, hash_password, token_hash, verify_password, CurrentUser};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::Store;

fn member_of(user: &crate::store::users::UserRow) -> ApiResult<i64> {
    user.member_id
        .ok_or_else(|| ApiError::Forbidden("Only members have a profile here.".into()))
}

async fn load(state: &AppState, member_id: i64) -> ApiResult<Profile> {
    let programme = state.store.programme().await?;
    state
        .store
        .profile(member_id, &programme.time_zone)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such member.".into()))
}

/// The signed-in member's profile and communication preferences.
#[utoipa::path(get, path = "/api/v1/me/profile", tag = "member", operation_id = "getMyProfile",
    responses((status = 200, body = Profile), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn get(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<Profile>> {
    Ok(Json(load(&state, member_of(&user)?).await?))
}

fn text(field: &str, v: &str, max: usize, required: bool) -> ApiResult<String> {
    let t = v.trim();
    if required && t.is_empty() {
        return Err(ApiError::field(field, "This cannot be empty."));
    }
    if t.chars().count() > max {
        return Err(ApiError::field(
            field,
            &format!("Keep it under {max} characters."),
        ));
    }
    Ok(t.to_string())
}

/// Changes the fields sent; the birthday can be set once; each consent
/// change is recorded with its time.
#[utoipa::path(patch, path = "/api/v1/me/profile", tag = "member", operation_id = "updateMyProfile", request_body = ProfileUpdate,
    responses((status = 200, body = Profile), (status = 400, body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn update(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(u): ApiJson<ProfileUpdate>,
) -> ApiResult<Json<Profile>> {
    let member_id = member_of(&user)?;
    let current = load(&state, member_id).await?;
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    if let Some(v) = &u.name {
        fields.push(("name", text("name", v, 100, true)?));
    }
    if let Some(v) = &u.region {
        fields.push(("region", text("region", v, 100, false)?));
    }
    if let Some(v) = &u.city {
        fields.push(("city", text("city", v, 100, false)?));
    }
    if let Some(v) = &u.language {
        if !["en", "zh"].contains(&v.as_str()) {
            return Err(ApiError::field("language", "Choose English or Chinese."));
        }
        fields.push(("language", v.clone()));
    }
    if let Some(v) = &u.time_zone {
        if v.parse::<chrono_tz::Tz>().is_err() {
            return Err(ApiError::field(
                "time_zone",
                "Choose a time zone from the list.",
            ));
        }
        fields.push(("time_zone", v.clone()));
    }
    let now = state.store.now();
    if let Some(b) = u.birthday {
        if b > now.date_naive() || chrono::Datelike::year(&b) < 1900 {
            return Err(ApiError::field(
                "birthday",
                "Enter your real date of birth.",
            ));
        }
        if !current.birthday_editable && current.birthday != Some(b) {
            return Err(ApiError::field(
                "birthday",
                "Your birthday is already set. Ask support if it is wrong.",
            ));
        }
    }
    // One change per channel: a consent is one decision, recorded once.
    let mut channels = std::collections::HashSet::new();
    if !u.consents.iter().all(|c| channels.insert(c.channel)) {
        return Err(ApiError::field(
            "consents",
            "Change each channel once per request.",
        ));
    }
    let mut tx = state.store.begin_write().await?;
    for (col, v) in &fields {
        Store::set_member_field(&mut tx, member_id, col, v).await?;
    }
    if let Some(b) = u.birthday.filter(|_| current.birthday_editable) {
        Store::set_birthday_once(&mut tx, member_id, &b.to_string(), now.timestamp()).await?;
    }
    for c in &u.consents {
        let was = current.consents.iter().find(|x| x.channel == c.channel);
        if was
            .map(|w| w.granted != c.granted || w.at.is_none())
            .unwrap_or(true)
        {
            Store::record_consent(&mut tx, member_id, c.channel, c.granted, now.timestamp())
                .await?;
        }
    }
    tx.commit().await?;
    Ok(Json(load(&state, member_id).await?))
}

async fn check_password(state: &AppState, email: &str, password: &str) -> ApiResult<()> {
    let key = format!("pw:{}", email.to_lowercase());
    state.not_locked_out(&key).await?;
    let user = state
        .store
        .user_by_email(email)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let pw = password.to_string();
    let ok = state
        .hash(move || verify_password(&user.password_hash, &pw))
        .await?;
    if !ok {
        state.store.throttle_fail(&key).await?;
        return Err(ApiError::field("password", "That password is not right."));
    }
    Ok(())
}

/// Changes the sign-in email; the current password is required.
#[utoipa::path(post, path = "/api/v1/me/email", tag = "member", operation_id = "changeMyEmail", request_body = EmailChange,
    responses((status = 204, description = "Changed"), (status = 401, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
        (status = 429, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn change_email(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(req): ApiJson<EmailChange>,
) -> ApiResult<StatusCode> {
    let email = req.new_email.trim().to_string();
    if !crate::json::plausible_email(&email) {
        return Err(ApiError::field("new_email", "Enter a valid email address."));
    }
    check_password(&state, &user.email, &req.password).await?;
    if !state.store.change_email(user.id, &email).await? {
        return Err(ApiError::Conflict("That email is already in use.".into()));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the password; every other session of the account ends.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "member", operation_id = "changeMyPassword", request_body = PasswordChange,
    responses((status = 204, description = "Changed; other sessions ended"), (status = 401, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn change_password(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    if let Some(p) = password_problem(&req.new_password) {
        return Err(ApiError::field("new_password", p));
    }
    check_password(&state, &user.email, &req.current_password)
        .await
        .map_err(|e| match e {
            ApiError::Validation { .. } => {
                ApiError::field("current_password", "That password is not right.")
            }
            other => other,
        })?;
    let new = req.new_password.clone();
    let hash = state.hash(move || hash_password(&new)).await??;
    let keep = cookie_token(&headers)
        .map(|t| token_hash(&t))
        .unwrap_or_default();
    state.store.change_password(user.id, &hash, &keep).await?;
    Ok(StatusCode::NO_CONTENT)
}
