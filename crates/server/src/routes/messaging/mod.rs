//! Messaging for admins — the outbox (`outbox`) and the template editor
//! with live preview (`templates`) — and the members' unsubscribe links,
//! which work without signing in (`unsubscribe`).

pub mod outbox;
pub mod templates;
pub mod unsubscribe;
