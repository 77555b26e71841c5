//! Stored names read back: a ticket's status, priority and labels as the
//! queue, triage, the ticket and the reports read them.

use patron_core::feedback::TicketStatus;
use patron_core::support::Priority;

pub(super) fn status_of(s: &str) -> TicketStatus {
    TicketStatus::parse(s).unwrap_or(TicketStatus::Open)
}

pub(super) fn priority_of(s: &str) -> Priority {
    Priority::parse(s).unwrap_or(Priority::Normal)
}

pub(super) fn labels_of(s: Option<String>) -> Vec<String> {
    s.map(|s| {
        let mut v: Vec<String> = s.split('\u{1f}').map(str::to_string).collect();
        v.sort();
        v
    })
    .unwrap_or_default()
}
