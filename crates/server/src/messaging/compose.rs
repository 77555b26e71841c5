//! What a message is made of before it leaves: the member's merge fields
//! (their figures now, the event's on top) and the email itself — text and
//! HTML alternatives, our Message-ID, and for marketing the RFC 8058
//! one-click headers.

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use serde_json::{json, Value};

use super::Mailer;
use crate::store::messaging::recipients::Recipient;
use crate::summary::Standing;

/// The member's fields (their standing now), with the event's on top.
pub fn member_fields(mailer: &Mailer, r: &Recipient, s: &Standing, event: &Value) -> Value {
    let mut fields = json!({
        "name": r.name,
        "first_name": r.name.split_whitespace().next().unwrap_or(&r.name),
        "email": r.email,
        "card_number": r.card_number,
        "tier": s.tier.current.name,
        "balance": s.balance.available,
        "next_tier": s.tier.next.as_ref().map(|t| t.name.clone()),
        "points_to_next_tier": s.tier.to_next,
        "portal_url": mailer.portal_url(),
    });
    if let (Some(obj), Some(event)) = (fields.as_object_mut(), event.as_object()) {
        obj.extend(event.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    fields
}

/// The message as the mail server gets it: text and HTML alternatives, our
/// Message-ID, and for marketing the RFC 8058 one-click headers.
pub fn envelope(
    mailer: &Mailer,
    id: i64,
    to: Mailbox,
    rendered: &patron_core::messaging::RenderedMessage,
    unsubscribe: Option<&str>,
) -> Result<lettre::Message, lettre::error::Error> {
    let domain = mailer.from().email.domain().to_string();
    let mut b = lettre::Message::builder()
        .from(mailer.from().clone())
        .to(to)
        .subject(rendered.subject.clone())
        .message_id(Some(format!("<message-{id}@{domain}>")));
    if let Some(url) = unsubscribe {
        b = b
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ));
    }
    b.multipart(MultiPart::alternative_plain_html(
        rendered.text.clone(),
        rendered.html.clone(),
    ))
}
