//! The template editor: every template in both languages (the built-in
//! text until edited), saving one (checked: it parses, fits, and names only
//! its own merge fields — else 422 naming the field; audited), and a live
//! preview rendered for a chosen member. Admins only.

use axum::extract::{Path, State};
use axum::Json;
use patron_core::error::ErrorEnvelope;
use patron_core::messaging::{
    MessageTemplate, RenderedMessage, TemplateKey, TemplatePreviewRequest, TemplateUpdate,
};
use serde_json::json;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::messaging::{defaults, render};
use crate::state::AppState;

const LANGUAGES: [&str; 2] = ["en", "zh"];

fn key_and_language(key: &str, language: &str) -> ApiResult<(TemplateKey, &'static str)> {
    let key =
        TemplateKey::parse(key).ok_or_else(|| ApiError::NotFound("No such template.".into()))?;
    let language = LANGUAGES
        .into_iter()
        .find(|l| *l == language)
        .ok_or_else(|| ApiError::NotFound("No such template language.".into()))?;
    Ok((key, language))
}

async fn template(
    state: &AppState,
    key: TemplateKey,
    language: &str,
) -> ApiResult<MessageTemplate> {
    let saved = state.store.template_text(key, language).await?;
    let customised = saved.is_some();
    let t = saved.unwrap_or_else(|| defaults::text(key, language));
    Ok(MessageTemplate {
        key,
        topic: key.topic(),
        language: language.to_string(),
        subject: t.subject,
        text: t.text,
        html: t.html,
        customised,
        fields: key.fields().into_iter().map(String::from).collect(),
    })
}

/// Every template in English and Chinese.
#[utoipa::path(get, path = "/api/v1/admin/messaging/templates", tag = "messaging", operation_id = "listMessageTemplates",
    responses((status = 200, body = Vec<MessageTemplate>), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Admin(_): Admin,
) -> ApiResult<Json<Vec<MessageTemplate>>> {
    let mut out = Vec::new();
    for key in TemplateKey::ALL {
        for language in LANGUAGES {
            out.push(template(&state, key, language).await?);
        }
    }
    Ok(Json(out))
}

/// Saves a template's text in one language. 422 naming the part and the
/// first merge field it does not have, a syntax error, or a part empty or
/// too long. Audited with the text before and after.
#[utoipa::path(put, path = "/api/v1/admin/messaging/templates/{key}/{language}", tag = "messaging",
    operation_id = "saveMessageTemplate", request_body = TemplateUpdate,
    params(("key" = TemplateKey, Path, description = "Template"),
        ("language" = String, Path, description = "`en` or `zh`")),
    responses((status = 200, body = MessageTemplate), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn save(
    State(state): State<AppState>,
    Admin(user): Admin,
    Path((key, language)): Path<(String, String)>,
    ApiJson(t): ApiJson<TemplateUpdate>,
) -> ApiResult<Json<MessageTemplate>> {
    let (key, language) = key_and_language(&key, &language)?;
    render::check(key, &t)?;
    let before = template(&state, key, language).await?;
    let before = TemplateUpdate {
        subject: before.subject,
        text: before.text,
        html: before.html,
    };
    state
        .store
        .save_template_text(key, language, &t, &before, &user)
        .await?;
    Ok(Json(template(&state, key, language).await?))
}

/// Renders a draft of the template for a member, as they would get it
/// (their figures; the unsubscribe link is a sample). Checked like a save.
#[utoipa::path(post, path = "/api/v1/admin/messaging/templates/{key}/{language}/preview", tag = "messaging",
    operation_id = "previewMessageTemplate", request_body = TemplatePreviewRequest,
    params(("key" = TemplateKey, Path, description = "Template"),
        ("language" = String, Path, description = "`en` or `zh`")),
    responses((status = 200, body = RenderedMessage), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn preview(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path((key, language)): Path<(String, String)>,
    ApiJson(p): ApiJson<TemplatePreviewRequest>,
) -> ApiResult<Json<RenderedMessage>> {
    let (key, language) = key_and_language(&key, &language)?;
    render::check(key, &p.template)?;
    let now = state.store.now();
    let r = state
        .store
        .recipient(p.member_id)
        .await?
        .ok_or_else(|| ApiError::field("member_id", "No such member."))?;
    // The event's fields as a sample: what a reminder or a reply would add.
    let expires = now + chrono::Duration::days(30);
    let event = json!({
        "points_expiring": 500,
        "expiry_date": expires.date_naive().to_string(),
        "days_left": 30,
        "ticket_reference": "FB-000000",
        "ticket_subject": if language == "zh" { "我的订单" } else { "My order" },
        "reply": if language == "zh" { "感谢您的耐心等待。" } else { "Thank you for your patience." },
    });
    let programme = state.store.programme().await?;
    let tiers = state.store.tiers().await?;
    if tiers.is_empty() {
        return Err(ApiError::internal("programme has no tiers"));
    }
    let standing = crate::summary::member_standings(&state.store, &[&r], &programme, &tiers, now)
        .await?
        .remove(&r.member_id)
        .ok_or_else(|| ApiError::internal("no standing for the member"))?;
    let fields = crate::messaging::compose::member_fields(&state.mailer, &r, &standing, &event);
    let sample = key
        .topic()
        .is_marketing()
        .then(|| state.mailer.unsubscribe_url("sample"));
    render::render(&p.template, language, &fields, sample.as_deref())
        .map(Json)
        .map_err(|e| ApiError::field("template", &e))
}
