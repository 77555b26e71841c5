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

/// What joins a ticket's labels in one text (the unit separator: no label
/// holds it).
pub(super) const LABEL_SEP: char = '\u{1f}';

pub(super) fn labels_of(s: Option<String>) -> Vec<String> {
    s.map(|s| {
        let mut v: Vec<String> = s.split(LABEL_SEP).map(str::to_string).collect();
        v.sort();
        v
    })
    .unwrap_or_default()
}
