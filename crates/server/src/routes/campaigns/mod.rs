//! Campaigns for admins (issue 19): list, write and change a draft,
//! preview who it would reach, schedule it (a "now" campaign starts within
//! the request), cancel it while scheduled, and read its report. Drafts are
//! checked by `patron_core::campaigns::draft_problems` plus the merge
//! fields of every part and a schedule that is not in the past.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Duration;
use patron_core::campaigns::{
    draft_problems, Campaign, CampaignDraft, CampaignPreview, CampaignReport, CampaignStatus,
    Schedule,
};
use patron_core::error::ErrorEnvelope;
use patron_core::messaging::TemplateKey;
use patron_core::time::zone;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::{parse_id, ApiJson};
use crate::messaging::render;
use crate::state::AppState;
use crate::store::campaigns::{starts_at, Refused};
use crate::store::segments::Context;

/// How far in the past a timed schedule may be (a form filled slowly).
const GRACE_MINUTES: i64 = 5;

async fn found(state: &AppState, id: &str) -> ApiResult<Campaign> {
    let id = parse_id(id, "campaign")?;
    state
        .store
        .campaign(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No such campaign.".into()))
}

fn refused(r: Refused) -> ApiError {
    match r {
        Refused::NotFound => ApiError::NotFound("No such campaign.".into()),
        Refused::State(CampaignStatus::Draft) => {
            ApiError::Conflict("The campaign is still a draft.".into())
        }
        Refused::State(_) => {
            ApiError::Conflict("The campaign is no longer a draft or scheduled.".into())
        }
    }
}

/// Checks `d` and returns its segment's name.
async fn checked(state: &AppState, d: &CampaignDraft) -> ApiResult<Option<String>> {
    let mut problems = draft_problems(d);
    for (i, v) in d.variants.iter().enumerate() {
        for (lang, t) in [("en", &v.en), ("zh", &v.zh)] {
            if let Err(ApiError::Validation { fields, .. }) =
                render::check(TemplateKey::Campaign, t)
            {
                for (part, msg) in fields {
                    problems
                        .entry(format!("variants.{i}.{lang}.{part}"))
                        .or_insert(msg);
                }
            }
        }
    }
    let segment = match d.segment_id {
        Some(id) => match state.store.segment(id).await? {
            Some(s) => Some(s.name),
            None => {
                problems.insert("segment_id".into(), "Choose a saved segment.".into());
                None
            }
        },
        None => None,
    };
    ApiError::check("The campaign needs another look.", problems)?;
    Ok(segment)
}

/// Every campaign, newest first.
#[utoipa::path(get, path = "/api/v1/admin/campaigns", tag = "campaigns", operation_id = "listCampaigns",
    responses((status = 200, body = [Campaign]), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> ApiResult<Json<Vec<Campaign>>> {
    Ok(Json(state.store.campaigns().await?))
}

/// Saves a new draft. Audited.
#[utoipa::path(post, path = "/api/v1/admin/campaigns", tag = "campaigns", operation_id = "createCampaign",
    request_body = CampaignDraft,
    responses((status = 201, body = Campaign), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(d): ApiJson<CampaignDraft>,
) -> ApiResult<(StatusCode, Json<Campaign>)> {
    let segment = checked(&state, &d).await?;
    let id = state
        .store
        .save_campaign(None, &d, segment.as_deref(), &user)
        .await?
        .map_err(refused)?;
    let c = found(&state, &id.to_string()).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// One campaign.
#[utoipa::path(get, path = "/api/v1/admin/campaigns/{id}", tag = "campaigns", operation_id = "getCampaign",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = Campaign), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn get(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Campaign>> {
    Ok(Json(found(&state, &id).await?))
}

/// Replaces a draft's content (409 once it is scheduled). Audited.
#[utoipa::path(put, path = "/api/v1/admin/campaigns/{id}", tag = "campaigns", operation_id = "updateCampaign",
    request_body = CampaignDraft, params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = Campaign), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<CampaignDraft>,
) -> ApiResult<Json<Campaign>> {
    let c = found(&state, &id).await?;
    let segment = checked(&state, &d).await?;
    state
        .store
        .save_campaign(Some(c.id), &d, segment.as_deref(), &user)
        .await?
        .map_err(refused)?;
    Ok(Json(found(&state, &id).await?))
}

/// Schedules a draft. A "now" campaign starts at once: its audience is
/// frozen and its messages queued before this answers. Audited.
#[utoipa::path(post, path = "/api/v1/admin/campaigns/{id}/schedule", tag = "campaigns", operation_id = "scheduleCampaign",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = Campaign), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn schedule(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Campaign>> {
    let c = found(&state, &id).await?;
    checked(&state, &c.draft).await?;
    let now = state.store.now();
    let starts = starts_at(c.draft.schedule, now);
    let last_local = match c.draft.schedule {
        // The last zone (UTC−12) reaches the local time 26 hours after the first.
        Schedule::Local { .. } => starts + Duration::hours(26),
        _ => starts,
    };
    if last_local < now - Duration::minutes(GRACE_MINUTES) {
        return Err(ApiError::field(
            "schedule",
            "Choose a time that is not in the past.",
        ));
    }
    let starts = starts.max(now);
    state
        .store
        .move_campaign(
            c.id,
            CampaignStatus::Draft,
            CampaignStatus::Scheduled,
            Some(starts),
            &user,
        )
        .await?
        .map_err(refused)?;
    if starts <= now {
        crate::campaigns::start(&state.store, c.id, now).await?;
    }
    Ok(Json(found(&state, &id).await?))
}

/// Cancels a scheduled campaign (409 once it has started). Audited.
#[utoipa::path(post, path = "/api/v1/admin/campaigns/{id}/cancel", tag = "campaigns", operation_id = "cancelCampaign",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = Campaign), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Campaign>> {
    let c = found(&state, &id).await?;
    state
        .store
        .move_campaign(
            c.id,
            CampaignStatus::Scheduled,
            CampaignStatus::Cancelled,
            None,
            &user,
        )
        .await?
        .map_err(|r| match r {
            Refused::State(CampaignStatus::Draft) => {
                ApiError::Conflict("Only a scheduled campaign can be cancelled.".into())
            }
            r => refused(r),
        })?;
    Ok(Json(found(&state, &id).await?))
}

/// Who the campaign would reach if it started now, and how many members
/// each rule takes out.
#[utoipa::path(get, path = "/api/v1/admin/campaigns/{id}/preview", tag = "campaigns", operation_id = "previewCampaign",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = CampaignPreview), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn preview(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<CampaignPreview>> {
    let c = found(&state, &id).await?;
    let Ok(definition) = state.store.campaign_definition(&c).await? else {
        return Err(ApiError::Conflict(
            "The campaign's segment was deleted.".into(),
        ));
    };
    let programme = state.store.programme().await?;
    let cx = Context {
        now: state.store.now(),
        tz: zone(&programme.time_zone),
    };
    Ok(Json(
        state
            .store
            .campaign_preview(&c, definition.as_ref(), cx)
            .await?,
    ))
}

/// The campaign's funnel per arm, lift over the holdout, incremental
/// revenue, ROI and the A/B leader.
#[utoipa::path(get, path = "/api/v1/admin/campaigns/{id}/report", tag = "campaigns", operation_id = "campaignReport",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = CampaignReport), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn report(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<CampaignReport>> {
    let c = found(&state, &id).await?;
    Ok(Json(state.store.campaign_report(&c).await?))
}
