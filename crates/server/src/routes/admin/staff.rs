//! Staff accounts, the permission matrix and API keys. Admins only.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use patron_core::admin::{
    permission_matrix, ApiKeyInfo, NewApiKey, NewStaff, PasswordReset, StaffAccount, StaffActive,
    StaffList,
};
use patron_core::auth::Role;
use patron_core::error::ErrorEnvelope;
use patron_core::profile::password_problem;

use crate::auth::{hash_password, new_token, token_hash, Admin};
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::ApiJson;
use crate::state::AppState;

async fn hash(state: &AppState, pw: String) -> ApiResult<String> {
    state.hash(move || hash_password(&pw)).await?
}

async fn staff_or_404(state: &AppState, id: i64) -> ApiResult<StaffAccount> {
    state
        .store
        .staff_account(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such staff account.".into()))
}

/// Staff accounts and what each role may do.
#[utoipa::path(get, path = "/api/v1/admin/staff", tag = "admin", operation_id = "listStaff",
    responses((status = 200, body = StaffList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn list(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<StaffList>> {
    Ok(Json(StaffList {
        staff: state.store.staff_accounts().await?,
        permissions: permission_matrix(),
    }))
}

/// Creates an admin or support account.
#[utoipa::path(post, path = "/api/v1/admin/staff", tag = "admin", operation_id = "createStaffAccount", request_body = NewStaff,
    responses((status = 201, body = StaffAccount), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(req): ApiJson<NewStaff>,
) -> ApiResult<(StatusCode, Json<StaffAccount>)> {
    let email = req.email.trim().to_lowercase();
    let name = req.name.trim().to_string();
    let mut problems: Vec<(&str, &str)> = Vec::new();
    if !crate::json::plausible_email(&email) {
        problems.push(("email", "Enter an email address like name@example.com."));
    }
    if name.is_empty() || name.chars().count() > 80 {
        problems.push(("name", "Enter a name of up to 80 characters."));
    }
    if req.role == Role::Member {
        problems.push(("role", "Staff accounts are admin or support."));
    }
    if let Some(p) = password_problem(&req.password) {
        problems.push(("password", p));
    }
    ApiError::check("The account needs another look.", problems)?;
    let h = hash(&state, req.password.clone()).await?;
    let id = state
        .store
        .create_staff(
            &email,
            &name,
            req.role,
            &h,
            &user,
            state.store.now().timestamp(),
        )
        .await?
        .ok_or_else(|| ApiError::Conflict("An account with this email already exists.".into()))?;
    Ok((StatusCode::CREATED, Json(staff_or_404(&state, id).await?)))
}

/// Sets a new password for a staff account and ends its sessions.
#[utoipa::path(post, path = "/api/v1/admin/staff/{id}/password", tag = "admin", operation_id = "resetStaffPassword", request_body = PasswordReset,
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn reset_password(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<PasswordReset>,
) -> ApiResult<StatusCode> {
    let id = parse_id(&id, "account")?;
    staff_or_404(&state, id).await?;
    ApiError::check("", password_problem(&req.password).map(|p| ("password", p)))?;
    let h = hash(&state, req.password).await?;
    state.store.reset_staff_password(id, &h, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deactivates (ending every session at once) or reactivates an account.
/// The last active admin cannot be deactivated.
#[utoipa::path(put, path = "/api/v1/admin/staff/{id}/active", tag = "admin", operation_id = "setStaffActive", request_body = StaffActive,
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, body = StaffAccount), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn set_active(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<StaffActive>,
) -> ApiResult<Json<StaffAccount>> {
    let id = parse_id(&id, "account")?;
    staff_or_404(&state, id).await?;
    if state
        .store
        .set_staff_active(id, req.active, &user)
        .await?
        .is_err()
    {
        return Err(ApiError::Conflict(
            "This is the last active admin: create or reactivate another admin first.".into(),
        ));
    }
    Ok(Json(staff_or_404(&state, id).await?))
}

/// API keys for `POST /transactions` (the key itself is never shown again).
#[utoipa::path(get, path = "/api/v1/admin/api-keys", tag = "admin", operation_id = "listApiKeys",
    responses((status = 200, body = Vec<ApiKeyInfo>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn api_keys(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> ApiResult<Json<Vec<ApiKeyInfo>>> {
    Ok(Json(state.store.api_keys().await?))
}

/// Creates an API key and shows it once.
#[utoipa::path(post, path = "/api/v1/admin/api-keys", tag = "admin", operation_id = "createApiKey", request_body = NewApiKey,
    responses((status = 201, body = ApiKeyInfo), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create_api_key(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(req): ApiJson<NewApiKey>,
) -> ApiResult<(StatusCode, Json<ApiKeyInfo>)> {
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ApiError::field(
            "name",
            "Name the key (up to 60 characters), e.g. the shop it is for.",
        ));
    }
    let key = format!("pk_{}", new_token());
    let prefix: String = key.chars().take(10).collect();
    let now = state.store.now();
    let id = state
        .store
        .create_api_key(name, &prefix, &token_hash(&key), &user, now.timestamp())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ApiKeyInfo {
            id,
            name: name.to_string(),
            prefix,
            created_at: now,
            revoked_at: None,
            key: Some(key),
        }),
    ))
}

/// Revokes an API key at once.
#[utoipa::path(delete, path = "/api/v1/admin/api-keys/{id}", tag = "admin", operation_id = "revokeApiKey",
    params(("id" = i64, Path, description = "Key id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn revoke_api_key(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id(&id, "account")?;
    if state
        .store
        .revoke_api_key(id, &user, state.store.now().timestamp())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("No live API key with this id.".into()))
    }
}
