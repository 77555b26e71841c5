//! The support desk's storage: the queue, triage with version checks, SLA
//! deadlines, ticket history, canned replies and saved views.
//!
//! One file per part, named as in core `support/`, `routes/support/` and
//! the SPA's `pages/support/`: `queue`, `triage`, `ticket`, `sla`, `canned`,
//! `views`, `reports`; `rows` reads stored names back for them.

mod canned;
mod queue;
mod reports;
mod rows;
mod sla;
mod ticket;
mod triage;
mod views;

pub use queue::*;
pub use reports::*;
pub(crate) use sla::{refresh_sla, Touch};
pub use triage::*;
