//! Programme settings. Admins only.

use axum::extract::State;
use axum::Json;
use patron_core::admin::ProgrammeSettings;
use patron_core::error::ErrorEnvelope;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// Name, currency, point value, time zone, expiry, pending days and the
/// tier policy.
#[utoipa::path(get, path = "/api/v1/admin/programme", tag = "admin", operation_id = "getProgrammeSettings",
    responses((status = 200, body = ProgrammeSettings), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn get(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> ApiResult<Json<ProgrammeSettings>> {
    Ok(Json(state.store.programme_settings().await?))
}

/// Saves the settings. New expiry and pending rules apply to points earned
/// from now on; lots already earned keep their dates. `tier_policy` is read
/// only here: change it with `PUT /admin/tiers` after a preview.
#[utoipa::path(put, path = "/api/v1/admin/programme", tag = "admin", operation_id = "updateProgrammeSettings", request_body = ProgrammeSettings,
    responses((status = 200, body = ProgrammeSettings), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn put(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(mut s): ApiJson<ProgrammeSettings>,
) -> ApiResult<Json<ProgrammeSettings>> {
    s.tier_policy = state.store.programme_settings().await?.tier_policy;
    ApiError::check(
        "The settings need another look.",
        s.problems(|z| z.parse::<chrono_tz::Tz>().is_ok()),
    )?;
    state.store.save_settings(&s, &user).await?;
    Ok(Json(state.store.programme_settings().await?))
}
