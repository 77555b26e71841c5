//! A ticket as staff see it, and staff replies and internal notes in its
//! thread.

use axum::extract::{Path, State};
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::feedback::{ReplyRequest, TicketStatus};
use patron_core::support::StaffTicket;

use super::common::{changed_elsewhere, now};
use crate::auth::Staff;
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::ApiJson;
use crate::state::AppState;

pub(super) async fn load(state: &AppState, id: i64) -> ApiResult<Json<StaffTicket>> {
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
