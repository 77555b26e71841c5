//! Messaging: for admins the outbox, templates, automations and
//! suppressions; for members what the programme sent them.

use patron_core::messaging::{
    AutomationUpdate, AutomationsOverview, HolidayDraft, MessageStatus, MessageTemplate,
    MessagingSettings, OutboxMessageDetail, OutboxPage, RenderedMessage, SuppressionDraft,
    SuppressionPage, TemplateKey, TemplatePreviewRequest, TemplateUpdate,
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

/// Every automation with its last 30 days, the sending rules, the holidays.
pub async fn automations() -> Result<AutomationsOverview, ApiError> {
    client::get("/admin/messaging/automations").await
}

/// Switches an automation and sets its delay.
pub async fn update_automation(
    key: TemplateKey,
    u: AutomationUpdate,
) -> Result<AutomationsOverview, ApiError> {
    client::put(
        &format!("/admin/messaging/automations/{}", key.as_str()),
        &u,
    )
    .await
}

/// Saves the sending rules.
pub async fn save_settings(s: MessagingSettings) -> Result<AutomationsOverview, ApiError> {
    client::put("/admin/messaging/settings", &s).await
}

/// Adds a holiday.
pub async fn add_holiday(h: HolidayDraft) -> Result<AutomationsOverview, ApiError> {
    client::post("/admin/messaging/holidays", &h).await
}

/// Removes a holiday.
pub async fn delete_holiday(id: i64) -> Result<(), ApiError> {
    client::delete(&format!("/admin/messaging/holidays/{id}")).await
}

/// Suppressed addresses, newest first, 50 from `offset`.
pub async fn suppressions(offset: i64) -> Result<SuppressionPage, ApiError> {
    client::get(&format!(
        "/admin/messaging/suppressions?offset={offset}&limit=50"
    ))
    .await
}

/// Suppresses an address by hand.
pub async fn add_suppression(d: SuppressionDraft) -> Result<SuppressionPage, ApiError> {
    client::post("/admin/messaging/suppressions", &d).await
}

/// Lifts a suppression.
pub async fn lift_suppression(email: String) -> Result<(), ApiError> {
    let email: String = email
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    client::delete(&format!("/admin/messaging/suppressions/{email}")).await
}

/// What the programme sent the signed-in member.
pub async fn my_messages() -> Result<Vec<patron_core::messaging::MemberMessage>, ApiError> {
    client::get("/me/messages").await
}
