//! Words for the enums staff and members see: statuses, priorities, kinds,
//! SLA states. One place, so every page says the same thing.

use leptos_i18n::I18nContext;
use patron_core::analytics::{ChurnReason, RfmSegment};
use patron_core::feedback::{FeedbackKind, TicketStatus};
use patron_core::kpi::TargetStatus;
use patron_core::messages::{localise, Lang};
use patron_core::profile::Channel;
use patron_core::support::{Priority, SlaState};

use crate::i18n::*;

/// A sentence of the server or of the shared rules (a validation message,
/// a points-history reason) in the page's language; as it came when the
/// catalogue does not know it.
pub fn sentence(i18n: I18nContext<Locale>, english: &str) -> String {
    let lang = match i18n.get_locale() {
        Locale::en => Lang::En,
        Locale::zh => Lang::Zh,
    };
    localise(english, lang).into_owned()
}

/// A consent channel (a marketing topic) as members and admins see it.
pub fn channel(i18n: I18nContext<Locale>, c: Channel) -> String {
    match c {
        Channel::EmailOffers => t_string!(i18n, profile.email_offers),
        Channel::News => t_string!(i18n, profile.news),
        Channel::PointsReminders => t_string!(i18n, profile.points_reminders),
        Channel::BirthdayGreetings => t_string!(i18n, profile.birthday_greetings),
        Channel::WinBack => t_string!(i18n, profile.win_back),
        Channel::SurveyInvitations => t_string!(i18n, profile.survey_invitations),
    }
    .to_string()
}

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
            .replace("{t}", &duration(i18n, now - d.timestamp())),
        (_, Some(d)) => t_string!(i18n, desk.sla_due_in)
            .to_string()
            .replace("{t}", &duration(i18n, d.timestamp() - now)),
        (_, None) => stopped.to_string(),
    }
}

/// "Champion", "At risk", … (a named RFM segment).
pub fn rfm_segment(i18n: I18nContext<Locale>, s: RfmSegment) -> String {
    match s {
        RfmSegment::Champion => t_string!(i18n, rfm.champion),
        RfmSegment::Loyal => t_string!(i18n, rfm.loyal),
        RfmSegment::PotentialLoyalist => t_string!(i18n, rfm.potential_loyalist),
        RfmSegment::New => t_string!(i18n, rfm.new),
        RfmSegment::AtRisk => t_string!(i18n, rfm.at_risk),
        RfmSegment::CantLose => t_string!(i18n, rfm.cant_lose),
        RfmSegment::Hibernating => t_string!(i18n, rfm.hibernating),
        RfmSegment::Lost => t_string!(i18n, rfm.lost),
    }
    .to_string()
}

/// A churn reason in words with its numbers: "no purchase for 94 days;
/// usually every 21". Spend is shown in `currency` when known.
pub fn churn_reason(i18n: I18nContext<Locale>, r: &ChurnReason, currency: Option<&str>) -> String {
    let l = i18n.get_locale();
    let n = |v: i64| crate::format::number(l, v);
    let money = |minor: i64| match currency {
        Some(c) => crate::format::money_minor(l, minor, c),
        None => format!("{:.2}", minor as f64 / 100.0),
    };
    match r {
        ChurnReason::Overdue { days, usual_days } => t_string!(i18n, rfm.reason_overdue)
            .to_string()
            .replace("{days}", &n(*days))
            .replace("{usual}", &n(*usual_days)),
        ChurnReason::FewerOrders { recent, before } => t_string!(i18n, rfm.reason_fewer_orders)
            .to_string()
            .replace("{recent}", &n(*recent))
            .replace("{before}", &n(*before)),
        ChurnReason::LessSpend {
            recent_minor,
            before_minor,
        } => t_string!(i18n, rfm.reason_less_spend)
            .to_string()
            .replace("{recent}", &money(*recent_minor))
            .replace("{before}", &money(*before_minor)),
        ChurnReason::OpenComplaints { count } => t_string!(i18n, rfm.reason_complaints)
            .to_string()
            .replace("{n}", &n(*count)),
        ChurnReason::Unhappy {
            latest,
            previous: Some(p),
        } => t_string!(i18n, rfm.reason_nps_fell)
            .to_string()
            .replace("{from}", &p.to_string())
            .replace("{to}", &latest.to_string()),
        ChurnReason::Unhappy {
            latest,
            previous: None,
        } => t_string!(i18n, rfm.reason_nps_low)
            .to_string()
            .replace("{n}", &latest.to_string()),
    }
}

/// "Met", "On track", "Behind", "Missed", "No data".
pub fn target_status(i18n: I18nContext<Locale>, s: TargetStatus) -> String {
    match s {
        TargetStatus::Met => t_string!(i18n, goals.status_met),
        TargetStatus::OnTrack => t_string!(i18n, goals.status_on_track),
        TargetStatus::Behind => t_string!(i18n, goals.status_behind),
        TargetStatus::Missed => t_string!(i18n, goals.status_missed),
        TargetStatus::NoData => t_string!(i18n, goals.status_no_data),
    }
    .to_string()
}

/// A short duration: "3 d", "5 h", "12 min" ("3 天" in Chinese).
pub fn duration(i18n: I18nContext<Locale>, secs: i64) -> String {
    let (n, unit) = duration_parts(secs);
    let template = match unit {
        Unit::Days => t_string!(i18n, desk.dur_days),
        Unit::Hours => t_string!(i18n, desk.dur_hours),
        Unit::Minutes => t_string!(i18n, desk.dur_minutes),
    };
    template.to_string().replace("{n}", &n.to_string())
}

/// The unit a duration is told in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Days,
    Hours,
    Minutes,
}

/// Whole days from two days up, whole hours from one hour, else minutes
/// (at least one); the sign is dropped.
fn duration_parts(secs: i64) -> (i64, Unit) {
    let s = secs.abs();
    if s >= 2 * 86_400 {
        (s / 86_400, Unit::Days)
    } else if s >= 3_600 {
        (s / 3_600, Unit::Hours)
    } else {
        ((s / 60).max(1), Unit::Minutes)
    }
}

#[cfg(test)]
mod tests {
    use super::{duration_parts, Unit};

    #[test]
    fn durations_are_short_and_unsigned() {
        assert_eq!(duration_parts(30), (1, Unit::Minutes));
        assert_eq!(duration_parts(-7_200), (2, Unit::Hours));
        assert_eq!(duration_parts(86_400 + 5), (24, Unit::Hours));
        assert_eq!(duration_parts(3 * 86_400 + 5), (3, Unit::Days));
    }
}
