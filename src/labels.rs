//! Words for the enums staff and members see: statuses, priorities, kinds,
//! SLA states. One place, so every page says the same thing.

use leptos_i18n::I18nContext;
use patron_core::feedback::{FeedbackKind, TicketStatus};
use patron_core::support::{Priority, SlaState};

use crate::i18n::*;

/// "New", "Waiting on customer", … as staff say it.
pub fn status(i18n: I18nContext<Locale>, s: TicketStatus) -> String {
    match s {
        TicketStatus::New => t_string!(i18n, tickets.status_new).to_string(),
        TicketStatus::Open => t_string!(i18n, tickets.status_open).to_string(),
        TicketStatus::Waiting => t_string!(i18n, desk.status_waiting).to_string(),
        TicketStatus::Resolved => t_string!(i18n, tickets.status_resolved).to_string(),
        TicketStatus::Closed => t_string!(i18n, tickets.status_closed).to_string(),
    }
}

/// "Low" … "Urgent".
pub fn priority(i18n: I18nContext<Locale>, p: Priority) -> String {
    match p {
        Priority::Low => t_string!(i18n, desk.priority_low).to_string(),
        Priority::Normal => t_string!(i18n, desk.priority_normal).to_string(),
        Priority::High => t_string!(i18n, desk.priority_high).to_string(),
        Priority::Urgent => t_string!(i18n, desk.priority_urgent).to_string(),
    }
}

/// "Complaint", "NPS answer", …
pub fn kind(i18n: I18nContext<Locale>, k: FeedbackKind) -> String {
    match k {
        FeedbackKind::Nps => t_string!(i18n, desk.kind_nps).to_string(),
        FeedbackKind::Csat => t_string!(i18n, desk.kind_csat).to_string(),
        FeedbackKind::Complaint => t_string!(i18n, desk.kind_complaint).to_string(),
        FeedbackKind::Suggestion => t_string!(i18n, desk.kind_suggestion).to_string(),
    }
}

/// "On time", "Due soon", "Breached".
pub fn sla(i18n: I18nContext<Locale>, s: SlaState) -> String {
    match s {
        SlaState::Ok => t_string!(i18n, desk.sla_ok).to_string(),
        SlaState::DueSoon => t_string!(i18n, desk.sla_due_soon).to_string(),
        SlaState::Breached => t_string!(i18n, desk.sla_breached).to_string(),
    }
}

/// A line of a ticket's history: "status: New → Resolved".
pub fn event(
    i18n: I18nContext<Locale>,
    action: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> String {
    let what = match action {
        "created" => t_string!(i18n, desk.ev_created).to_string(),
        "assigned" => t_string!(i18n, desk.ev_assigned).to_string(),
        "status" => t_string!(i18n, desk.ev_status).to_string(),
        "priority" => t_string!(i18n, desk.ev_priority).to_string(),
        "labels" | "label_added" => t_string!(i18n, desk.ev_labels).to_string(),
        "replied" => t_string!(i18n, desk.ev_replied).to_string(),
        "note" => t_string!(i18n, desk.ev_note).to_string(),
        "member_replied" => t_string!(i18n, desk.ev_member_replied).to_string(),
        other => other.to_string(),
    };
    let word = |v: &str| {
        TicketStatus::parse(v)
            .map(|s| status(i18n, s))
            .or_else(|| Priority::parse(v).map(|p| priority(i18n, p)))
            .unwrap_or_else(|| v.to_string())
    };
    match (from.filter(|f| !f.is_empty()), to) {
        (Some(f), Some(t)) => format!("{what}: {} → {}", word(f), word(t)),
        (None, Some(t)) => format!("{what}: {}", word(t)),
        (Some(f), None) => format!("{what}: {} → —", word(f)),
        (None, None) => what,
    }
}

/// The SLA clock in words: "Breached 2 h ago", "Due in 3 d", or
/// `stopped` when no deadline runs.
pub fn sla_clock(
    i18n: I18nContext<Locale>,
    state: SlaState,
    due: Option<chrono::DateTime<chrono::Utc>>,
    now: i64,
    stopped: &str,
) -> String {
    match (state, due) {
        (SlaState::Breached, Some(d)) => t_string!(i18n, desk.sla_breached_ago)
            .to_string()
            .replace("{t}", &duration(now - d.timestamp())),
        (_, Some(d)) => t_string!(i18n, desk.sla_due_in)
            .to_string()
            .replace("{t}", &duration(d.timestamp() - now)),
        (_, None) => stopped.to_string(),
    }
}

/// A short duration: "3 d", "5 h", "12 min".
pub fn duration(secs: i64) -> String {
    let s = secs.abs();
    if s >= 2 * 86_400 {
        format!("{} d", s / 86_400)
    } else if s >= 3_600 {
        format!("{} h", s / 3_600)
    } else {
        format!("{} min", (s / 60).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_are_short_and_unsigned() {
        assert_eq!(duration(30), "1 min");
        assert_eq!(duration(-7_200), "2 h");
        assert_eq!(duration(3 * 86_400 + 5), "3 d");
    }
}
