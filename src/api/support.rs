//! `/support/*`: the queue, triage, replies, canned replies, saved views,
//! SLA policy and reports.

use patron_core::feedback::{ReplyRequest, TicketStatus};
use patron_core::support::{
    Agent, BulkRequest, BulkResult, CannedReply, CannedReplyInput, QueuePage, QueueQuery,
    SavedView, SavedViewInput, SlaPolicy, SlaReport, StaffTicket, SurveyReport, TicketUpdate,
};

use super::{client, ApiError};

/// One page of the queue.
pub async fn queue(q: QueueQuery) -> Result<QueuePage, ApiError> {
    let s = q.to_query();
    client::get(&format!("/support/queue?{s}")).await
}

/// People tickets can be assigned to.
pub async fn agents() -> Result<Vec<Agent>, ApiError> {
    client::get("/support/agents").await
}

/// A ticket as staff see it.
pub async fn ticket(id: i64) -> Result<StaffTicket, ApiError> {
    client::get(&format!("/support/tickets/{id}")).await
}

/// A triage change (refused with 409 when someone changed it since).
pub async fn update(id: i64, u: TicketUpdate) -> Result<StaffTicket, ApiError> {
    client::patch(&format!("/support/tickets/{id}"), &u).await
}

/// One change to many tickets.
pub async fn bulk(req: BulkRequest) -> Result<BulkResult, ApiError> {
    client::post("/support/tickets/bulk", &req).await
}

/// A reply or internal note, optionally setting the status.
pub async fn reply(
    id: i64,
    body: String,
    internal: bool,
    status: Option<TicketStatus>,
    version: i64,
) -> Result<StaffTicket, ApiError> {
    let req = ReplyRequest {
        body,
        internal,
        status,
        version: Some(version),
    };
    client::post(&format!("/support/tickets/{id}/messages"), &req).await
}

/// Canned replies.
pub async fn canned() -> Result<Vec<CannedReply>, ApiError> {
    client::get("/support/canned-replies").await
}

/// Adds (`id` None) or changes a canned reply (admins).
pub async fn save_canned(
    id: Option<i64>,
    input: CannedReplyInput,
) -> Result<CannedReply, ApiError> {
    match id {
        None => client::post("/admin/canned-replies", &input).await,
        Some(id) => client::put(&format!("/admin/canned-replies/{id}"), &input).await,
    }
}

/// Deletes a canned reply (admins).
pub async fn delete_canned(id: i64) -> Result<(), ApiError> {
    client::delete(&format!("/admin/canned-replies/{id}")).await
}

/// The SLA policy.
pub async fn sla_policy() -> Result<SlaPolicy, ApiError> {
    client::get("/support/sla-policy").await
}

/// Replaces the SLA policy (admins).
pub async fn set_sla_policy(p: SlaPolicy) -> Result<SlaPolicy, ApiError> {
    client::put("/admin/sla-policy", &p).await
}

/// The agent's saved views.
pub async fn views() -> Result<Vec<SavedView>, ApiError> {
    client::get("/support/views").await
}

/// Saves the current filters under a name.
pub async fn save_view(name: String, query: String) -> Result<SavedView, ApiError> {
    client::post("/support/views", &SavedViewInput { name, query }).await
}

/// Deletes one of the agent's views.
pub async fn delete_view(id: i64) -> Result<(), ApiError> {
    client::delete(&format!("/support/views/{id}")).await
}

fn period(from: &str, to: &str) -> String {
    format!("from={from}&to={to}")
}

/// SLA met per agent and priority.
pub async fn sla_report(from: String, to: String) -> Result<SlaReport, ApiError> {
    client::get(&format!("/support/reports/sla?{}", period(&from, &to))).await
}

/// The CSV download link of the SLA report.
pub fn sla_csv_href(from: &str, to: &str) -> String {
    client::url(&format!("/support/reports/sla.csv?{}", period(from, to)))
}

/// NPS and CSAT figures.
pub async fn survey_report(from: String, to: String) -> Result<SurveyReport, ApiError> {
    client::get(&format!("/support/reports/surveys?{}", period(&from, &to))).await
}
