//! Feedback forms and the member's tickets; the staff side of a thread.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::feedback::{
    validate, CsatRequest, FeedbackKind, FeedbackReceipt, FeedbackRequest, ReplyRequest, Ticket,
    TicketList, TicketStatus,
};

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::json::parse_id;
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::feedback::{NewFeedback, NewMessage, OrderRef};

fn member_of(user: &crate::store::users::UserRow) -> ApiResult<i64> {
    user.member_id
        .ok_or_else(|| ApiError::Forbidden("Only members can send feedback here.".into()))
}

fn subject_of(req: &FeedbackRequest) -> String {
    let first = req
        .message
        .as_deref()
        .and_then(|m| m.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("");
    let mut s: String = first.chars().take(80).collect();
    if first.chars().count() > 80 {
        s.push('…');
    }
    if s.is_empty() {
        s = match req.kind {
            FeedbackKind::Nps => format!("NPS {}", req.score.unwrap_or_default()),
            FeedbackKind::Csat => format!("Order rating {}/5", req.score.unwrap_or_default()),
            FeedbackKind::Complaint => "Complaint".into(),
            FeedbackKind::Suggestion => "Suggestion".into(),
        };
    }
    s
}

/// Feedback a member may send per 5 minutes (a person types a few; a
/// script filling the desk types hundreds).
const FEEDBACK_PER_WINDOW: u32 = 20;

/// Sends an NPS answer, an order rating, a complaint or a suggestion.
#[utoipa::path(post, path = "/api/v1/feedback", tag = "feedback", operation_id = "submitFeedback", request_body = FeedbackRequest,
    responses((status = 201, body = FeedbackReceipt), (status = 400, body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn submit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(req): ApiJson<FeedbackRequest>,
) -> ApiResult<(StatusCode, Json<FeedbackReceipt>)> {
    let member_id = member_of(&user)?;
    let mut fields = validate(&req);
    let order_ref = req
        .order_ref
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_string);
    if let Some(o) = &order_ref {
        if !state.store.owns_order(member_id, o).await? {
            fields.insert("order_ref".into(), "Choose one of your own orders.".into());
        }
    }
    if !fields.is_empty() {
        return Err(ApiError::Validation {
            message: "Some answers need another look.".into(),
            fields,
        });
    }
    state
        .throttle(&[(&format!("feedback:{member_id}"), FEEDBACK_PER_WINDOW)])
        .await?;
    let has_text = req.message.as_deref().is_some_and(|m| !m.trim().is_empty());
    // Surveys without a comment need no handling; everything else is new work.
    let status = match req.kind {
        FeedbackKind::Nps | FeedbackKind::Csat if !has_text => TicketStatus::Closed,
        _ => TicketStatus::New,
    };
    // Members of VIP tiers get the programme's VIP priority.
    let priority = state.store.default_priority(member_id).await?;
    let receipt = state
        .store
        .create_feedback(
            NewFeedback {
                member_id,
                author_user_id: user.id,
                kind: req.kind,
                score: req.score,
                category: req.category.clone().map(|c| c.trim().to_string()),
                order_ref,
                subject: subject_of(&req),
                message: req.message.clone(),
                desired_resolution: req.desired_resolution.clone().map(|d| d.trim().to_string()),
                status,
                priority,
            },
            state.store.now().timestamp(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(receipt)))
}

/// The member's recent orders (for rating one or naming it in a complaint).
#[utoipa::path(get, path = "/api/v1/me/orders", tag = "feedback", operation_id = "listMyOrders",
    responses((status = 200, body = Vec<OrderRef>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn orders(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<Vec<OrderRef>>> {
    Ok(Json(state.store.orders_of(member_of(&user)?, 30).await?))
}

/// The member's complaints and suggestions.
#[utoipa::path(get, path = "/api/v1/me/tickets", tag = "feedback", operation_id = "listMyTickets",
    responses((status = 200, body = TicketList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn my_tickets(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<TicketList>> {
    Ok(Json(TicketList {
        items: state.store.tickets_of(member_of(&user)?).await?,
    }))
}

/// The member's own ticket with its thread; staff notes are never included.
async fn own_ticket(state: &AppState, member_id: i64, id: i64) -> ApiResult<Ticket> {
    match state.store.ticket(id, false).await? {
        Some((owner, t)) if owner == member_id => Ok(t),
        // Someone else's ticket looks the same as a missing one.
        _ => Err(ApiError::NotFound("No such ticket.".into())),
    }
}

/// One of the member's tickets with the replies (never internal notes).
#[utoipa::path(get, path = "/api/v1/me/tickets/{id}", tag = "feedback", operation_id = "getMyTicket",
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = Ticket), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn my_ticket(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Ticket>> {
    Ok(Json(
        own_ticket(&state, member_of(&user)?, parse_id(&id, "ticket")?).await?,
    ))
}

fn body_of(req: &ReplyRequest) -> ApiResult<String> {
    let body = req.body.trim();
    if body.is_empty() {
        return Err(ApiError::field("body", "Write a message first."));
    }
    if body.chars().count() > 5_000 {
        return Err(ApiError::field("body", "Keep it under 5,000 characters."));
    }
    Ok(body.to_string())
}

/// The member replies; a ticket waiting on them goes back to open.
#[utoipa::path(post, path = "/api/v1/me/tickets/{id}/messages", tag = "feedback", operation_id = "replyToMyTicket", request_body = ReplyRequest,
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = Ticket), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn my_reply(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ReplyRequest>,
) -> ApiResult<Json<Ticket>> {
    let member_id = member_of(&user)?;
    let id = parse_id(&id, "ticket")?;
    let t = own_ticket(&state, member_id, id).await?;
    let body = body_of(&req)?;
    if t.summary.status == TicketStatus::Closed {
        return Err(ApiError::Conflict(
            "This ticket is closed. Send new feedback instead.".into(),
        ));
    }
    let status = match t.summary.status {
        TicketStatus::Waiting | TicketStatus::Resolved => Some(TicketStatus::Open),
        _ => None,
    };
    // Members cannot write internal notes or set other statuses.
    let saved = state
        .store
        .add_message(
            NewMessage {
                feedback_id: id,
                author_id: user.id,
                from_staff: false,
                internal: false,
                body: &body,
                status,
            },
            None,
            state.store.now().timestamp(),
        )
        .await?;
    if !saved {
        return Err(ApiError::Conflict(
            "This ticket is closed. Send new feedback instead.".into(),
        ));
    }
    Ok(Json(own_ticket(&state, member_id, id).await?))
}

/// The member rates how a resolved ticket was handled (1–5), once.
#[utoipa::path(post, path = "/api/v1/me/tickets/{id}/csat", tag = "feedback", operation_id = "rateMyTicket", request_body = CsatRequest,
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = Ticket), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn rate(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CsatRequest>,
) -> ApiResult<Json<Ticket>> {
    let member_id = member_of(&user)?;
    let id = parse_id(&id, "ticket")?;
    own_ticket(&state, member_id, id).await?;
    if !(1..=5).contains(&req.score) {
        return Err(ApiError::field("score", "Choose a rating from 1 to 5."));
    }
    if !state
        .store
        .rate_ticket(id, req.score, state.store.now().timestamp())
        .await?
    {
        return Err(ApiError::Conflict(
            "You can rate a ticket once, after it is resolved.".into(),
        ));
    }
    Ok(Json(own_ticket(&state, member_id, id).await?))
}
