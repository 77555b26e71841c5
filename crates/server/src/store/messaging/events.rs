//! Messages a request causes, queued in that request's transaction: the
//! welcome on joining and the email copy of a support reply. (Scheduled
//! ones are in `crate::messaging::automations`.)

use patron_core::messaging::TemplateKey;
use serde_json::json;

use super::outbox::NewMessage;
use crate::store::{Store, WriteTx};

/// Queues the welcome message for a member who just joined.
pub async fn welcome(tx: &mut WriteTx<'_>, member_id: i64, now: i64) -> Result<(), sqlx::Error> {
    let m = NewMessage {
        member_id,
        template: TemplateKey::Welcome,
        fields: json!({}),
        dedupe_key: Some(format!("welcome:{member_id}")),
        not_before: now,
    };
    Store::enqueue_message(tx, &m, now).await.map(|_| ())
}

/// Queues the email copy of a support reply to the member's ticket.
pub async fn ticket_reply(
    tx: &mut WriteTx<'_>,
    member_id: i64,
    reference: &str,
    subject: &str,
    reply: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let m = NewMessage {
        member_id,
        template: TemplateKey::TicketReply,
        fields: json!({"ticket_reference": reference, "ticket_subject": subject, "reply": reply}),
        dedupe_key: None,
        not_before: now,
    };
    Store::enqueue_message(tx, &m, now).await.map(|_| ())
}

/// Queues the tier-change message of a recalculation (`up` or down) with
/// the tier the member left; once per member and run.
pub async fn tier_change(
    tx: &mut WriteTx<'_>,
    member_id: i64,
    up: bool,
    previous_tier: &str,
    run_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let m = NewMessage {
        member_id,
        template: if up {
            TemplateKey::TierUp
        } else {
            TemplateKey::TierDown
        },
        fields: json!({ "previous_tier": previous_tier }),
        dedupe_key: Some(format!("tier:{member_id}:{run_id}")),
        not_before: now,
    };
    Store::enqueue_message(tx, &m, now).await.map(|_| ())
}
