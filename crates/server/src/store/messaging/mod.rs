//! Messaging's tables: the outbox (`outbox`), the admin's template texts
//! (`templates`), who a message goes to and whether they may get it
//! (`recipients`: address, language, consent, suppression) and the secrets
//! links are signed with (`secrets`). Rendering and delivery are in
//! `crate::messaging`.

pub mod audiences;
pub mod automations;
pub mod events;
pub mod holidays;
pub mod outbox;
pub mod recipients;
pub mod reminders;
pub mod secrets;
pub mod suppressions;
pub mod templates;
pub mod tracking;
