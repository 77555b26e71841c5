//! Automations for admins: each with its switch, delay and last-30-day
//! figures, the programme's sending rules and the holidays greeted (with
//! each one's next date, lunar ones computed). Every change is checked
//! (422 naming the field) and audited. Admins only.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Duration;
use patron_core::error::ErrorEnvelope;
use patron_core::messaging::{
    holiday_problems, settings_problems, Automation, AutomationUpdate, AutomationsOverview,
    Holiday, HolidayDraft, MessagingSettings, TemplateKey,
};
use patron_core::time::{local_date, zone};

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::{parse_id, ApiJson};
use crate::messaging::calendar::next_date;
use crate::state::AppState;

/// Days the figures look back.
const FIGURE_DAYS: i64 = 30;

async fn overview(state: &AppState) -> ApiResult<AutomationsOverview> {
    let now = state.store.now();
    let switches = state.store.automation_switches().await?;
    let mut figures = state
        .store
        .automation_figures((now - Duration::days(FIGURE_DAYS)).timestamp())
        .await?;
    let automations = TemplateKey::ALL
        .into_iter()
        .map(|key| {
            let (enabled, delay_hours) = switches.get(&key).copied().unwrap_or((true, 0));
            Automation {
                key,
                topic: key.topic(),
                enabled,
                delay_hours,
                figures: figures.remove(&key).unwrap_or_default(),
            }
        })
        .collect();
    let today = local_date(now, zone(&state.store.programme().await?.time_zone));
    let holidays = state
        .store
        .holidays()
        .await?
        .into_iter()
        .map(|(id, draft)| Holiday {
            id,
            next: next_date(&draft, today),
            draft,
        })
        .collect();
    Ok(AutomationsOverview {
        automations,
        settings: state.store.messaging_settings().await?,
        holidays,
    })
}

/// Every automation with its last 30 days, the sending rules, the holidays.
#[utoipa::path(get, path = "/api/v1/admin/messaging/automations", tag = "messaging", operation_id = "getAutomations",
    responses((status = 200, body = AutomationsOverview), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn get(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> ApiResult<Json<AutomationsOverview>> {
    Ok(Json(overview(&state).await?))
}

/// Switches an automation on or off and sets its delay (0–720 hours).
/// Audited.
#[utoipa::path(put, path = "/api/v1/admin/messaging/automations/{key}", tag = "messaging",
    operation_id = "updateAutomation", request_body = AutomationUpdate,
    params(("key" = TemplateKey, Path, description = "Automation")),
    responses((status = 200, body = AutomationsOverview), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(key): Path<String>,
    ApiJson(u): ApiJson<AutomationUpdate>,
) -> ApiResult<Json<AutomationsOverview>> {
    let key =
        TemplateKey::parse(&key).ok_or_else(|| ApiError::NotFound("No such automation.".into()))?;
    if !(0..=720).contains(&u.delay_hours) {
        return Err(ApiError::field("delay_hours", "Wait 0 to 720 hours."));
    }
    state.store.save_automation(key, &u, &user).await?;
    Ok(Json(overview(&state).await?))
}

/// Saves the sending rules: frequency cap, quiet hours, reminder
/// horizons, win-back factor. Audited.
#[utoipa::path(put, path = "/api/v1/admin/messaging/settings", tag = "messaging",
    operation_id = "saveMessagingSettings", request_body = MessagingSettings,
    responses((status = 200, body = AutomationsOverview), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn save_settings(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(s): ApiJson<MessagingSettings>,
) -> ApiResult<Json<AutomationsOverview>> {
    ApiError::check("", settings_problems(&s))?;
    state.store.save_messaging_settings(&s, &user).await?;
    Ok(Json(overview(&state).await?))
}

/// Adds a holiday to greet members on. Audited.
#[utoipa::path(post, path = "/api/v1/admin/messaging/holidays", tag = "messaging",
    operation_id = "createHoliday", request_body = HolidayDraft,
    responses((status = 201, body = AutomationsOverview), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create_holiday(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(h): ApiJson<HolidayDraft>,
) -> ApiResult<(StatusCode, Json<AutomationsOverview>)> {
    ApiError::check("", holiday_problems(&h))?;
    state.store.save_holiday(None, &h, &user).await?;
    Ok((StatusCode::CREATED, Json(overview(&state).await?)))
}

/// Changes a holiday. Audited.
#[utoipa::path(put, path = "/api/v1/admin/messaging/holidays/{id}", tag = "messaging",
    operation_id = "updateHoliday", request_body = HolidayDraft,
    params(("id" = i64, Path, description = "Holiday id")),
    responses((status = 200, body = AutomationsOverview), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn update_holiday(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(h): ApiJson<HolidayDraft>,
) -> ApiResult<Json<AutomationsOverview>> {
    let id = parse_id(&id, "holiday")?;
    ApiError::check("", holiday_problems(&h))?;
    if state
        .store
        .save_holiday(Some(id), &h, &user)
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound("No such holiday.".into()));
    }
    Ok(Json(overview(&state).await?))
}

/// Removes a holiday. Audited.
#[utoipa::path(delete, path = "/api/v1/admin/messaging/holidays/{id}", tag = "messaging",
    operation_id = "deleteHoliday",
    params(("id" = i64, Path, description = "Holiday id")),
    responses((status = 200, body = AutomationsOverview), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn delete_holiday(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<AutomationsOverview>> {
    let id = parse_id(&id, "holiday")?;
    if !state.store.delete_holiday(id, &user).await? {
        return Err(ApiError::NotFound("No such holiday.".into()));
    }
    Ok(Json(overview(&state).await?))
}
