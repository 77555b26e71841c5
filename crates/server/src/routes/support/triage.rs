//! Triage: the agents tickets go to, and a change to one ticket (with the
//! version the agent saw) or to many at once.

use axum::extract::{Path, State};
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::support::{
    normalise_label, Agent, BulkRequest, BulkResult, StaffTicket, TicketUpdate, MAX_BULK,
};

use super::common::{changed_elsewhere, now};
use super::ticket::load;
use crate::auth::Staff;
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::support::UpdateOutcome;

/// People tickets can be assigned to.
#[utoipa::path(get, path = "/api/v1/support/agents", tag = "support", operation_id = "listAgents",
    responses((status = 200, body = Vec<Agent>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn agents(State(state): State<AppState>, Staff(_): Staff) -> ApiResult<Json<Vec<Agent>>> {
    Ok(Json(state.store.agents().await?))
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
