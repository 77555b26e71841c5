//! Feedback and the member's tickets.

use patron_core::feedback::{
    CsatRequest, FeedbackReceipt, FeedbackRequest, ReplyRequest, Ticket, TicketList,
};
use serde::Deserialize;

use super::{client, ApiError};

/// One of the member's orders.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OrderRef {
    pub order_ref: String,
    pub amount_minor: i64,
    pub purchased_at: chrono::DateTime<chrono::Utc>,
}

/// Sends feedback; answers with its reference number.
pub async fn submit(req: FeedbackRequest) -> Result<FeedbackReceipt, ApiError> {
    client::post("/feedback", &req).await
}

/// The member's recent orders.
pub async fn orders() -> Result<Vec<OrderRef>, ApiError> {
    client::get("/me/orders").await
}

/// The member's complaints and suggestions.
pub async fn tickets() -> Result<TicketList, ApiError> {
    client::get("/me/tickets").await
}

/// One ticket with its thread.
pub async fn ticket(id: i64) -> Result<Ticket, ApiError> {
    client::get(&format!("/me/tickets/{id}")).await
}

/// The member's reply.
pub async fn reply(id: i64, body: String) -> Result<Ticket, ApiError> {
    let req = ReplyRequest {
        body,
        internal: false,
        status: None,
        version: None,
    };
    client::post(&format!("/me/tickets/{id}/messages"), &req).await
}

/// Rates how a resolved ticket was handled.
pub async fn rate(id: i64, score: i64) -> Result<Ticket, ApiError> {
    client::post(&format!("/me/tickets/{id}/csat"), &CsatRequest { score }).await
}
