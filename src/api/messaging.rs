//! Messaging for admins: the outbox and the template editor.

use patron_core::messaging::{
    MessageStatus, MessageTemplate, OutboxMessageDetail, OutboxPage, RenderedMessage, TemplateKey,
    TemplatePreviewRequest, TemplateUpdate,
};

use super::{client, ApiError};

/// A page of the outbox, newest first, optionally of one status.
pub async fn outbox(
    status: Option<MessageStatus>,
    offset: i64,
    limit: i64,
) -> Result<OutboxPage, ApiError> {
    let status = status
        .map(|s| format!("&status={}", s.as_str()))
        .unwrap_or_default();
    client::get(&format!(
        "/admin/messaging/outbox?offset={offset}&limit={limit}{status}"
    ))
    .await
}

/// One message with what it said.
pub async fn outbox_message(id: i64) -> Result<OutboxMessageDetail, ApiError> {
    client::get(&format!("/admin/messaging/outbox/{id}")).await
}

/// Puts a failed message back in the queue.
pub async fn retry(id: i64) -> Result<OutboxMessageDetail, ApiError> {
    client::post(&format!("/admin/messaging/outbox/{id}/retry"), &()).await
}

/// Every template in both languages.
pub async fn templates() -> Result<Vec<MessageTemplate>, ApiError> {
    client::get("/admin/messaging/templates").await
}

/// Saves a template's text in one language.
pub async fn save_template(
    key: TemplateKey,
    language: String,
    t: TemplateUpdate,
) -> Result<MessageTemplate, ApiError> {
    client::put(
        &format!("/admin/messaging/templates/{}/{language}", key.as_str()),
        &t,
    )
    .await
}

/// Renders a draft for one member.
pub async fn preview(
    key: TemplateKey,
    language: String,
    member_id: i64,
    template: TemplateUpdate,
) -> Result<RenderedMessage, ApiError> {
    client::post(
        &format!(
            "/admin/messaging/templates/{}/{language}/preview",
            key.as_str()
        ),
        &TemplatePreviewRequest {
            member_id,
            template,
        },
    )
    .await
}
