//! Messaging for admins — the outbox (`outbox`), the template editor with
//! live preview (`templates`), automations, sending rules and holidays
//! (`automations`), suppressed addresses and the signed bounce/complaint
//! reports (`suppressions`) — the member's message centre (`centre`), and
//! the links in messages, which work without signing in (`unsubscribe`,
//! `tracking`).

pub mod automations;
pub mod centre;
pub mod outbox;
pub mod suppressions;
pub mod templates;
pub mod tracking;
pub mod unsubscribe;
