//! Messaging to members: what every message is about (`topics`: its topic,
//! and so whether it needs the member's consent, with quiet hours and the
//! frequency cap), which templates exist and the merge fields each may use
//! (`templates`), and the wire types of the admin's outbox (`outbox`). The
//! server renders and delivers; these are the shared words and rules.

pub mod automations;
pub mod outbox;
pub mod suppressions;
pub mod templates;
pub mod topics;

pub use automations::*;
pub use outbox::*;
pub use suppressions::*;
pub use templates::*;
pub use topics::*;
