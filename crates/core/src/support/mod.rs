//! The support desk: the feedback queue, triage, SLA deadlines, canned
//! replies and survey figures. Pure rules here; storage is the server's.
//!
//! One file per part, named as in the server's `store/support/` and
//! `routes/support/` and the SPA's `pages/support/`: `sla`, `queue`,
//! `triage`, `ticket`, `canned`, `views`, `reports`.

mod canned;
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

#[cfg(test)]
mod tests;
