//! The support desk: the queue, triage (one ticket or many), staff replies
//! and notes, canned replies, saved views, SLA policy and reports. Support
//! agents and admins; members get 403 on every endpoint here.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Datelike, NaiveDate};
use patron_core::error::ErrorEnvelope;
use patron_core::feedback::{ReplyRequest, TicketStatus};
use patron_core::support::{
    csat, normalise_label, nps, Agent, BulkRequest, BulkResult, CannedReply, CannedReplyInput,
    Priority, QueuePage, QueueQuery, SavedView, SavedViewInput, SlaPolicy, SlaReport, SlaRow,
    StaffTicket, SurveyPoint, SurveyReport, TicketUpdate, MAX_BULK,
};
use patron_core::time::{end_of_day, local_date, start_of_day, zone};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Admin, Staff};
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::{ApiJson, ApiQuery};
use crate::state::AppState;
use crate::store::support::{Bounds, SlaFacts, SurveyFact, UpdateOutcome};

fn now(state: &AppState) -> i64 {
    state.store.now().timestamp()
}

/// Records an admin's desk-settings write in the audit log.
async fn audit(
    state: &AppState,
    user: &crate::store::users::UserRow,
    action: &str,
    entity: &str,
    id: Option<i64>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> ApiResult<()> {
    state
        .store
        .audit_now(crate::store::audit::AuditRecord {
            actor: user,
            action,
            entity,
            entity_id: id.map(|i| i.to_string()),
            before,
            after,
        })
        .await?;
    Ok(())
}

fn changed_elsewhere() -> ApiError {
    ApiError::Conflict(
        "Someone else changed this ticket since you opened it. Reload to see their change, then try again.".into(),
    )
}

/// The queue's query parameters (all optional; lists are comma-separated).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct QueueParams {
    /// new, open, waiting, resolved, closed (default: new,open,waiting).
    status: Option<String>,
    /// nps, csat, complaint, suggestion.
    r#type: Option<String>,
    /// low, normal, high, urgent.
    priority: Option<String>,
    /// me, none, any, or an agent's id.
    assignee: Option<String>,
    /// Tier id.
    tier: Option<i64>,
    /// ok, due_soon, breached.
    sla: Option<String>,
    /// Created on or after (YYYY-MM-DD, programme time zone).
    from: Option<String>,
    /// Created on or before (YYYY-MM-DD).
    to: Option<String>,
    /// Words in the subject or any message.
    q: Option<String>,
    label: Option<String>,
    /// oldest (default), newest, priority, sla_due.
    sort: Option<String>,
    /// Rows to skip: the previous page's next_offset.
    offset: Option<i64>,
}

async fn day_bounds(state: &AppState, q: &QueueQuery) -> ApiResult<Bounds> {
    let tz = zone(&state.store.programme().await?.time_zone);
    let day = |s: &Option<String>| s.as_deref().and_then(patron_core::time::parse_day);
    let (from, to) = (day(&q.from), day(&q.to));
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            return Err(ApiError::field(
                "to",
                "The end date is before the start date.",
            ));
        }
    }
    Ok(Bounds {
        from: from.map(|d| start_of_day(d, tz).timestamp()),
        to: to.map(|d| end_of_day(d, tz).timestamp()),
    })
}

/// The feedback queue: one page of tickets matching the filters, the
/// total, and the counts per status for the filter bar.
#[utoipa::path(get, path = "/api/v1/support/queue", tag = "support", operation_id = "listSupportQueue", params(QueueParams),
    responses((status = 200, body = QueuePage), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn queue(
    State(state): State<AppState>,
    Staff(user): Staff,
    ApiQuery(pairs): ApiQuery<Vec<(String, String)>>,
) -> ApiResult<([(axum::http::HeaderName, String); 1], Json<QueuePage>)> {
    let q = QueueQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|(k, m)| ApiError::field(&k, &m))?;
    let bounds = day_bounds(&state, &q).await?;
    let started = std::time::Instant::now();
    let page = state.store.queue(&q, user.id, now(&state), bounds).await?;
    // How long the database work took, for `make bench` and browser devtools.
    let timing = format!("db;dur={:.2}", started.elapsed().as_secs_f64() * 1000.0);
    Ok((
        [(axum::http::HeaderName::from_static("server-timing"), timing)],
        Json(page),
    ))
}

/// People tickets can be assigned to.
#[utoipa::path(get, path = "/api/v1/support/agents", tag = "support", operation_id = "listAgents",
    responses((status = 200, body = Vec<Agent>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn agents(State(state): State<AppState>, Staff(_): Staff) -> ApiResult<Json<Vec<Agent>>> {
    Ok(Json(state.store.agents().await?))
}

async fn load(state: &AppState, id: i64) -> ApiResult<Json<StaffTicket>> {
    state
        .store
        .staff_ticket(id, now(state))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("No such ticket.".into()))
}

/// A ticket as staff see it: thread with internal notes, triage, SLA,
/// history and the member's loyalty context.
#[utoipa::path(get, path = "/api/v1/support/tickets/{id}", tag = "support", operation_id = "getTicket",
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = StaffTicket), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn ticket(
    State(state): State<AppState>,
    Staff(_): Staff,
    Path(id): Path<String>,
) -> ApiResult<Json<StaffTicket>> {
    load(&state, parse_id(&id, "ticket")?).await
}

async fn check_update(state: &AppState, u: &mut TicketUpdate) -> ApiResult<()> {
    if let Some(Some(a)) = u.assignee_id {
        if !state.store.is_agent(a).await? {
            return Err(ApiError::field(
                "assignee_id",
                "Choose an active support agent.",
            ));
        }
    }
    if let Some(labels) = &u.labels {
        let mut clean = Vec::new();
        for l in labels {
            clean.push(normalise_label(l).map_err(|m| ApiError::field("labels", m))?);
        }
        if clean.len() > 10 {
            return Err(ApiError::field("labels", "At most 10 labels per ticket."));
        }
        u.labels = Some(clean);
    }
    Ok(())
}

/// Changes assignee, status, priority or labels. `version` must be the one
/// the agent saw; otherwise nothing changes and the answer is 409.
#[utoipa::path(patch, path = "/api/v1/support/tickets/{id}", tag = "support", operation_id = "updateTicket", request_body = TicketUpdate,
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = StaffTicket), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path(id): Path<String>,
    ApiJson(mut req): ApiJson<TicketUpdate>,
) -> ApiResult<Json<StaffTicket>> {
    let id = parse_id(&id, "ticket")?;
    check_update(&state, &mut req).await?;
    match state
        .store
        .update_ticket(id, user.id, &req, now(&state))
        .await?
    {
        UpdateOutcome::Updated => load(&state, id).await,
        UpdateOutcome::Conflict(_) => Err(changed_elsewhere()),
        UpdateOutcome::Missing => Err(ApiError::NotFound("No such ticket.".into())),
    }
}

/// One change (assign, status, priority, add a label) to many tickets.
/// Tickets changed by someone else since they were listed are skipped and
/// reported in `conflicts`.
#[utoipa::path(post, path = "/api/v1/support/tickets/bulk", tag = "support", operation_id = "bulkUpdateTickets", request_body = BulkRequest,
    responses((status = 200, body = BulkResult), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn bulk(
    State(state): State<AppState>,
    Staff(user): Staff,
    ApiJson(req): ApiJson<BulkRequest>,
) -> ApiResult<Json<BulkResult>> {
    if req.tickets.is_empty() {
        return Err(ApiError::field("tickets", "Select at least one ticket."));
    }
    if req.tickets.len() > MAX_BULK {
        return Err(ApiError::field(
            "tickets",
            "Select at most 500 tickets at once.",
        ));
    }
    let label = match &req.add_label {
        Some(l) => Some(normalise_label(l).map_err(|m| ApiError::field("add_label", m))?),
        None => None,
    };
    let mut upd = TicketUpdate {
        version: 0,
        assignee_id: req.assignee_id,
        status: req.status,
        priority: req.priority,
        labels: None,
    };
    if upd.assignee_id.is_none()
        && upd.status.is_none()
        && upd.priority.is_none()
        && label.is_none()
    {
        return Err(ApiError::field("tickets", "Choose what to change."));
    }
    check_update(&state, &mut upd).await?;
    let ids: Vec<(i64, i64)> = req.tickets.iter().map(|t| (t.id, t.version)).collect();
    let (updated, conflicts, missing) = state
        .store
        .bulk_update(&ids, user.id, &upd, label.as_deref(), now(&state))
        .await?;
    Ok(Json(BulkResult {
        updated,
        conflicts,
        missing,
    }))
}

fn body_of(req: &ReplyRequest) -> ApiResult<String> {
    let body = req.body.trim();
    if body.is_empty() {
        return Err(ApiError::field("body", "Write a message first."));
    }
    if body.chars().count() > patron_core::feedback::MAX_MESSAGE {
        return Err(ApiError::field("body", "Keep it under 5,000 characters."));
    }
    Ok(body.to_string())
}

/// Staff reply to the member or add an internal note, optionally setting
/// the status (e.g. waiting on the member, resolved). With `version`, a
/// ticket changed since is refused (409) and nothing is saved.
#[utoipa::path(post, path = "/api/v1/support/tickets/{id}/messages", tag = "support", operation_id = "replyToTicket", request_body = ReplyRequest,
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = StaffTicket), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn reply(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ReplyRequest>,
) -> ApiResult<Json<StaffTicket>> {
    let id = parse_id(&id, "ticket")?;
    let body = body_of(&req)?;
    let Some(current) = state.store.ticket_version(id).await? else {
        return Err(ApiError::NotFound("No such ticket.".into()));
    };
    let _ = current;
    let t = load(&state, id).await?;
    // A note changes nothing the member sees; a reply to a new ticket opens it.
    let status = req.status.or_else(|| {
        (!req.internal && t.ticket.summary.status == TicketStatus::New)
            .then_some(TicketStatus::Open)
    });
    let saved = state
        .store
        .add_message(
            crate::store::feedback::NewMessage {
                feedback_id: id,
                author_id: user.id,
                from_staff: true,
                internal: req.internal,
                body: &body,
                status,
            },
            req.version,
            now(&state),
        )
        .await?;
    if !saved {
        return Err(changed_elsewhere());
    }
    load(&state, id).await
}

/// Canned replies for the reply box.
#[utoipa::path(get, path = "/api/v1/support/canned-replies", tag = "support", operation_id = "listCannedReplies",
    responses((status = 200, body = Vec<CannedReply>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn canned(
    State(state): State<AppState>,
    Staff(_): Staff,
) -> ApiResult<Json<Vec<CannedReply>>> {
    Ok(Json(state.store.canned_replies().await?))
}

fn check_canned(input: &CannedReplyInput) -> ApiResult<()> {
    let fields = input.problems();
    if fields.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation {
            message: "The canned reply needs another look.".into(),
            fields,
        })
    }
}

fn shortcut_taken() -> ApiError {
    ApiError::Validation {
        message: "The canned reply needs another look.".into(),
        fields: BTreeMap::from([(
            "shortcut".to_string(),
            "Another canned reply uses this shortcut.".to_string(),
        )]),
    }
}

/// Adds a canned reply. Admins only.
#[utoipa::path(post, path = "/api/v1/admin/canned-replies", tag = "admin", operation_id = "createCannedReply", request_body = CannedReplyInput,
    responses((status = 201, body = CannedReply), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn create_canned(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(input): ApiJson<CannedReplyInput>,
) -> ApiResult<(StatusCode, Json<CannedReply>)> {
    check_canned(&input)?;
    let saved = state
        .store
        .save_canned_reply(None, &input, user.id, now(&state))
        .await?
        .ok_or_else(shortcut_taken)?;
    audit(
        &state,
        &user,
        "canned_reply.create",
        "canned_reply",
        Some(saved.id),
        None,
        serde_json::to_value(&input).ok(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Changes a canned reply. Admins only.
#[utoipa::path(put, path = "/api/v1/admin/canned-replies/{id}", tag = "admin", operation_id = "updateCannedReply", request_body = CannedReplyInput,
    params(("id" = i64, Path, description = "Canned reply id")),
    responses((status = 200, body = CannedReply), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn update_canned(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CannedReplyInput>,
) -> ApiResult<Json<CannedReply>> {
    let id = parse_id(&id, "canned reply")?;
    check_canned(&input)?;
    let Some(before) = state
        .store
        .canned_replies()
        .await?
        .into_iter()
        .find(|c| c.id == id)
    else {
        return Err(ApiError::NotFound("No such canned reply.".into()));
    };
    let saved = state
        .store
        .save_canned_reply(Some(id), &input, user.id, now(&state))
        .await?
        .ok_or_else(shortcut_taken)?;
    audit(
        &state,
        &user,
        "canned_reply.update",
        "canned_reply",
        Some(id),
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&saved).ok(),
    )
    .await?;
    Ok(Json(saved))
}

/// Deletes a canned reply. Admins only.
#[utoipa::path(delete, path = "/api/v1/admin/canned-replies/{id}", tag = "admin", operation_id = "deleteCannedReply",
    params(("id" = i64, Path, description = "Canned reply id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn delete_canned(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id(&id, "canned reply")?;
    if state.store.delete_canned_reply(id).await? {
        audit(
            &state,
            &user,
            "canned_reply.delete",
            "canned_reply",
            Some(id),
            None,
            None,
        )
        .await?;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("No such canned reply.".into()))
    }
}

/// The SLA policy: targets per priority, "due soon" window, VIP rule.
#[utoipa::path(get, path = "/api/v1/support/sla-policy", tag = "support", operation_id = "getSlaPolicy",
    responses((status = 200, body = SlaPolicy), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn sla_policy(
    State(state): State<AppState>,
    Staff(_): Staff,
) -> ApiResult<Json<SlaPolicy>> {
    Ok(Json(state.store.sla_policy().await?))
}

/// Replaces the SLA policy; open tickets' deadlines follow. Admins only.
#[utoipa::path(put, path = "/api/v1/admin/sla-policy", tag = "admin", operation_id = "setSlaPolicy", request_body = SlaPolicy,
    responses((status = 200, body = SlaPolicy), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn set_sla_policy(
    State(state): State<AppState>,
    Admin(user): Admin,
    ApiJson(mut p): ApiJson<SlaPolicy>,
) -> ApiResult<Json<SlaPolicy>> {
    p.targets.sort_by_key(|t| t.priority);
    let mut fields = p.problems();
    if let Some(rank) = p.vip_min_rank {
        if rank as usize >= state.store.tiers().await?.len() {
            fields.insert("vip_min_rank".into(), "Choose one of the tiers.".into());
        }
    }
    if !fields.is_empty() {
        return Err(ApiError::Validation {
            message: "The SLA policy needs another look.".into(),
            fields,
        });
    }
    let before = state.store.sla_policy().await?;
    state.store.set_sla_policy(&p, now(&state)).await?;
    let after = state.store.sla_policy().await?;
    audit(
        &state,
        &user,
        "sla_policy.update",
        "sla_policy",
        None,
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&after).ok(),
    )
    .await?;
    Ok(Json(after))
}

/// The agent's saved queue views.
#[utoipa::path(get, path = "/api/v1/support/views", tag = "support", operation_id = "listSavedViews",
    responses((status = 200, body = Vec<SavedView>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn views(
    State(state): State<AppState>,
    Staff(user): Staff,
) -> ApiResult<Json<Vec<SavedView>>> {
    Ok(Json(state.store.saved_views(user.id).await?))
}

/// Saves the current filters under a name (same name: replaced).
#[utoipa::path(post, path = "/api/v1/support/views", tag = "support", operation_id = "saveView", request_body = SavedViewInput,
    responses((status = 201, body = SavedView), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn save_view(
    State(state): State<AppState>,
    Staff(user): Staff,
    ApiJson(input): ApiJson<SavedViewInput>,
) -> ApiResult<(StatusCode, Json<SavedView>)> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ApiError::field(
            "name",
            "Name the view (up to 60 characters).",
        ));
    }
    let query = input.query.trim_start_matches('?');
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|_| ApiError::field("query", "This is not a queue query."))?;
    QueueQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|(_, m)| ApiError::field("query", &m))?;
    if state.store.saved_views(user.id).await?.len() >= 50
        && !state
            .store
            .saved_views(user.id)
            .await?
            .iter()
            .any(|v| v.name == name)
    {
        return Err(ApiError::field(
            "name",
            "You have 50 views; delete one first.",
        ));
    }
    let v = state
        .store
        .save_view(user.id, name, query, now(&state))
        .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Deletes one of the agent's own views.
#[utoipa::path(delete, path = "/api/v1/support/views/{id}", tag = "support", operation_id = "deleteSavedView",
    params(("id" = i64, Path, description = "View id")),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn delete_view(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    // Someone else's view looks the same as a missing one.
    if state
        .store
        .delete_view(user.id, parse_id(&id, "view")?)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("No such view.".into()))
    }
}

/// A report period: `from`/`to` days (programme zone), default the last 90 days.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First day, YYYY-MM-DD.
    #[serde(default)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (inclusive).
    #[serde(default)]
    pub to: Option<String>,
}

async fn period(
    state: &AppState,
    p: &Period,
) -> ApiResult<(NaiveDate, NaiveDate, i64, i64, chrono_tz::Tz)> {
    let tz = zone(&state.store.programme().await?.time_zone);
    let today = local_date(state.store.now(), tz);
    let parse = |k: &str, v: &Option<String>, default: NaiveDate| match v
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        None => Ok(default),
        Some(s) => patron_core::time::parse_day(s)
            .ok_or_else(|| ApiError::field(k, patron_core::time::DAY_HINT)),
    };
    let to = parse("to", &p.to, today)?;
    let from = parse("from", &p.from, to - chrono::Duration::days(89))?;
    if from > to {
        return Err(ApiError::field(
            "to",
            "The end date is before the start date.",
        ));
    }
    if (to - from).num_days() > 3 * 366 {
        return Err(ApiError::field("from", "Choose at most three years."));
    }
    let next = to.succ_opt().unwrap_or(to);
    Ok((
        from,
        to,
        start_of_day(from, tz).timestamp(),
        start_of_day(next, tz).timestamp(),
        tz,
    ))
}

fn sla_rows(facts: &[SlaFacts], now: i64, key: impl Fn(&SlaFacts) -> String) -> Vec<SlaRow> {
    let mut groups: BTreeMap<String, Vec<&SlaFacts>> = BTreeMap::new();
    for f in facts {
        groups.entry(key(f)).or_default().push(f);
    }
    groups
        .into_iter()
        .map(|(k, fs)| {
            // A deadline counts once it has passed or was met.
            let (mut fr_met, mut fr_due, mut res_met, mut res_due) = (0, 0, 0, 0);
            let mut minutes: Vec<i64> = Vec::new();
            for f in &fs {
                match f.first_response_at {
                    Some(at) => {
                        fr_due += 1;
                        if at <= f.first_response_due {
                            fr_met += 1;
                        }
                        minutes.push((at - f.created_at) / 60);
                    }
                    None if f.first_response_due < now => fr_due += 1,
                    None => {}
                }
                match f.resolved_at {
                    Some(at) => {
                        res_due += 1;
                        if at <= f.resolution_due {
                            res_met += 1;
                        }
                    }
                    None if f.resolution_due < now => res_due += 1,
                    None => {}
                }
            }
            minutes.sort_unstable();
            let pct = |met: i64, due: i64| (due > 0).then(|| met as f64 * 100.0 / due as f64);
            SlaRow {
                key: k,
                tickets: fs.len() as i64,
                first_response_met: fr_met,
                first_response_due: fr_due,
                resolution_met: res_met,
                resolution_due: res_due,
                first_response_pct: pct(fr_met, fr_due),
                resolution_pct: pct(res_met, res_due),
                median_first_response_minutes: (!minutes.is_empty())
                    .then(|| minutes[minutes.len() / 2]),
            }
        })
        .collect()
}

async fn sla_report_for(state: &AppState, p: &Period) -> ApiResult<SlaReport> {
    let (from, to, a, b, _) = period(state, p).await?;
    let facts = state.store.sla_rows(a, b).await?;
    let now = now(state);
    let mut by_priority = sla_rows(&facts, now, |f| f.priority.as_str().to_string());
    by_priority.sort_by_key(|r| std::cmp::Reverse(Priority::parse(&r.key).map(|p| p.rank())));
    Ok(SlaReport {
        from: from.to_string(),
        to: to.to_string(),
        // No agent: the empty key (the reader names it in their language).
        by_agent: sla_rows(&facts, now, |f| f.agent.clone().unwrap_or_default()),
        by_priority,
    })
}

/// SLA met per agent and per priority for tickets created in the period.
#[utoipa::path(get, path = "/api/v1/support/reports/sla", tag = "support", operation_id = "getSlaReport", params(Period),
    responses((status = 200, body = SlaReport), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn sla_report(
    State(state): State<AppState>,
    Staff(_): Staff,
    ApiQuery(p): ApiQuery<Period>,
) -> ApiResult<Json<SlaReport>> {
    Ok(Json(sla_report_for(&state, &p).await?))
}

fn csv_field(s: &str) -> String {
    // Quote everything; neutralise spreadsheet formulas.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The SLA report as CSV (one row per agent and per priority).
#[utoipa::path(get, path = "/api/v1/support/reports/sla.csv", tag = "support", operation_id = "exportSlaReportCsv", params(Period),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn sla_report_csv(
    State(state): State<AppState>,
    Staff(_): Staff,
    ApiQuery(p): ApiQuery<Period>,
) -> ApiResult<Response> {
    let r = sla_report_for(&state, &p).await?;
    let mut out = String::from(
        "group,key,tickets,first_response_met,first_response_due,first_response_pct,resolution_met,resolution_due,resolution_pct,median_first_response_minutes\n",
    );
    let opt = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
    for (group, rows) in [("agent", &r.by_agent), ("priority", &r.by_priority)] {
        for row in rows {
            out.push_str(&format!(
                "{group},{},{},{},{},{},{},{},{},{}\n",
                csv_field(&row.key),
                row.tickets,
                row.first_response_met,
                row.first_response_due,
                opt(row.first_response_pct),
                row.resolution_met,
                row.resolution_due,
                opt(row.resolution_pct),
                row.median_first_response_minutes
                    .map(|m| m.to_string())
                    .unwrap_or_default()
            ));
        }
    }
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"sla-{}-{}.csv\"", r.from, r.to),
            ),
        ],
        out,
    )
        .into_response())
}

fn point(key: String, facts: &[&SurveyFact]) -> SurveyPoint {
    let nps_scores: Vec<i64> = facts
        .iter()
        .filter(|f| f.kind == "nps")
        .map(|f| f.score)
        .collect();
    let csat_scores: Vec<i64> = facts
        .iter()
        .filter(|f| f.kind != "nps")
        .map(|f| f.score)
        .collect();
    SurveyPoint {
        key,
        nps: nps(nps_scores.iter().copied()),
        nps_responses: nps_scores.len() as i64,
        csat: csat(csat_scores.iter().copied()),
        csat_responses: csat_scores.len() as i64,
    }
}

/// NPS and CSAT for the period: overall, per week, per tier, and CSAT on
/// resolved tickets per agent. NPS = % promoters (9–10) − % detractors
/// (0–6); CSAT = % of 1–5 ratings (order ratings and ticket ratings) that
/// are 4 or 5.
#[utoipa::path(get, path = "/api/v1/support/reports/surveys", tag = "support", operation_id = "getSurveyReport", params(Period),
    responses((status = 200, body = SurveyReport), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn survey_report(
    State(state): State<AppState>,
    Staff(_): Staff,
    ApiQuery(p): ApiQuery<Period>,
) -> ApiResult<Json<SurveyReport>> {
    let (from, to, a, b, tz) = period(&state, &p).await?;
    let facts = state.store.survey_rows(a, b).await?;
    let all: Vec<&SurveyFact> = facts.iter().collect();
    // Weeks start on Monday in the programme's zone; every week of the
    // period is present, empty ones too, so the chart's x axis is honest.
    let monday =
        |d: NaiveDate| d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64);
    let mut weeks: BTreeMap<NaiveDate, Vec<&SurveyFact>> = BTreeMap::new();
    let mut w = monday(from);
    while w <= to {
        weeks.insert(w, Vec::new());
        w += chrono::Duration::days(7);
    }
    let mut tiers: BTreeMap<String, Vec<&SurveyFact>> = BTreeMap::new();
    let mut agents: BTreeMap<String, Vec<&SurveyFact>> = BTreeMap::new();
    for f in &facts {
        let d = local_date(crate::store::ts(f.at), tz);
        weeks.entry(monday(d)).or_default().push(f);
        tiers
            .entry(f.tier.clone().unwrap_or_else(|| "—".into()))
            .or_default()
            .push(f);
        if f.kind == "ticket" {
            agents
                .entry(f.agent.clone().unwrap_or_default())
                .or_default()
                .push(f);
        }
    }
    let tier_order = state.store.tiers().await?;
    let mut by_tier: Vec<SurveyPoint> = tiers.into_iter().map(|(k, v)| point(k, &v)).collect();
    by_tier.sort_by_key(|p| {
        tier_order
            .iter()
            .position(|t| t.name == p.key)
            .unwrap_or(usize::MAX)
    });
    Ok(Json(SurveyReport {
        from: from.to_string(),
        to: to.to_string(),
        overall: point("all".into(), &all),
        weekly: weeks
            .into_iter()
            .map(|(k, v)| point(k.to_string(), &v))
            .collect(),
        by_tier,
        by_agent: agents.into_iter().map(|(k, v)| point(k, &v)).collect(),
    }))
}
