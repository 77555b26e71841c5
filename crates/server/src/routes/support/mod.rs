//! The support desk: the queue, triage (one ticket or many), staff replies
//! and notes, canned replies, saved views, SLA policy and reports. Support
//! agents and admins; members get 403 on every endpoint here.
//!
//! One file per part, named as in core `support/`, `store/support/` and the
//! SPA's `pages/support/`: `queue`, `triage`, `ticket`, `canned`, `sla`,
//! `views`, `reports`; `common` holds what they all use.

mod canned;
mod common;
mod queue;
mod reports;
mod sla;
mod ticket;
mod triage;
mod views;

pub use canned::*;
pub use queue::*;
pub use reports::*;
pub use sla::*;
pub use ticket::*;
pub use triage::*;
pub use views::*;
