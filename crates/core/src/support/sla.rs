//! Priorities, ticket statuses and the SLA: the programme's policy (targets
//! per priority, business hours, the VIP rule) and the deadlines and clock
//! state of a ticket.

use std::collections::BTreeMap;

use chrono::DateTime;

use crate::feedback::TicketStatus;

crate::__wire! {
    /// How urgent a ticket is.
    #[derive(Copy, Eq, Hash, PartialOrd, Ord)]
    #[serde(rename_all = "snake_case")]
    pub enum Priority {
        Low,
        Normal,
        High,
        Urgent,
    }
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// 0 (low) to 3 (urgent), for sorting.
    pub fn rank(self) -> i64 {
        self as i64
    }
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 5] = [
        TicketStatus::New,
        TicketStatus::Open,
        TicketStatus::Waiting,
        TicketStatus::Resolved,
        TicketStatus::Closed,
    ];

    /// Work still to do on our side or the member's.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            TicketStatus::New | TicketStatus::Open | TicketStatus::Waiting
        )
    }
}

crate::__wire! {
    /// Where a ticket stands against its SLA.
    #[derive(Copy, Eq, Hash)]
    #[serde(rename_all = "snake_case")]
    pub enum SlaState {
        /// Nothing due soon (or nothing due: waiting on the member, done).
        Ok,
        /// A deadline falls within the programme's "due soon" window.
        DueSoon,
        Breached,
    }
}

impl SlaState {
    pub fn as_str(self) -> &'static str {
        match self {
            SlaState::Ok => "ok",
            SlaState::DueSoon => "due_soon",
            SlaState::Breached => "breached",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "ok" => SlaState::Ok,
            "due_soon" => SlaState::DueSoon,
            "breached" => SlaState::Breached,
            _ => return None,
        })
    }
}

crate::__wire! {
    /// Response and resolution targets for one priority, in minutes.
    #[derive(Copy, Eq)]
    pub struct SlaTarget {
        pub priority: Priority,
        pub first_response_minutes: i64,
        pub resolution_minutes: i64,
    }
}

crate::__wire! {
    /// The programme's SLA policy and triage settings.
    pub struct SlaPolicy {
        /// One target per priority, low to urgent.
        pub targets: Vec<SlaTarget>,
        /// A deadline this close (minutes) counts as "due soon".
        pub due_soon_minutes: i64,
        /// Members in a tier of this rank or above are VIPs (none when absent).
        pub vip_min_rank: Option<i64>,
        /// The default priority of a VIP's new ticket.
        pub vip_priority: Priority,
        /// When set, SLA clocks run only in these hours (programme time
        /// zone); otherwise around the clock.
        #[serde(default)]
        pub business_hours: Option<BusinessHours>,
    }
}

crate::__wire! {
    /// Working hours for SLA clocks, in the programme's time zone.
    pub struct BusinessHours {
        /// Minutes after midnight the desk opens (e.g. 540 = 09:00).
        pub start_minute: i64,
        /// Minutes after midnight it closes (e.g. 1080 = 18:00).
        pub end_minute: i64,
        /// Open days, 1 = Monday … 7 = Sunday.
        pub days: Vec<u8>,
    }
}

/// `start` plus `minutes` of working time: time outside `hours` does not
/// count. Works day by day in `tz`, so daylight-saving changes are honoured.
pub fn add_business_minutes(
    start: i64,
    minutes: i64,
    hours: &BusinessHours,
    tz: chrono_tz::Tz,
) -> i64 {
    use chrono::{Datelike, NaiveTime, TimeZone};
    let mut remaining = minutes * 60;
    let mut t = start;
    let mut date = crate::time::local_date(DateTime::from_timestamp(t, 0).unwrap_or_default(), tz);
    let at = |d: chrono::NaiveDate, minute: i64| -> i64 {
        if minute >= 1_440 {
            // Closing at midnight: the start of the next day.
            return crate::time::start_of_day(d.succ_opt().unwrap_or(d), tz).timestamp();
        }
        let time =
            NaiveTime::from_num_seconds_from_midnight_opt((minute.clamp(0, 1_439) * 60) as u32, 0)
                .unwrap_or_default();
        tz.from_local_datetime(&d.and_time(time))
            .earliest()
            .map(|x| x.timestamp())
            // A local time skipped by a DST jump: an hour later exists.
            .unwrap_or_else(|| crate::time::start_of_day(d, tz).timestamp() + minute * 60)
    };
    // Bounded: a year of closed days means misconfigured hours; stop there.
    for _ in 0..=400 {
        let open_day = hours
            .days
            .contains(&(date.weekday().number_from_monday() as u8));
        if open_day {
            let (open, close) = (at(date, hours.start_minute), at(date, hours.end_minute));
            let from = t.max(open);
            if from < close {
                if from + remaining <= close {
                    return from + remaining;
                }
                remaining -= close - from;
            }
        }
        date = date.succ_opt().unwrap_or(date);
        t = crate::time::start_of_day(date, tz).timestamp();
    }
    start + minutes * 60
}

impl BusinessHours {
    /// Field → message for each problem.
    pub fn problems(&self) -> Option<&'static str> {
        if !(0..1_440).contains(&self.start_minute)
            || !(1..=1_440).contains(&self.end_minute)
            || self.start_minute >= self.end_minute
        {
            return Some("Opening time must be before closing time.");
        }
        if self.days.is_empty() || self.days.iter().any(|d| !(1..=7).contains(d)) {
            return Some("Choose at least one open day.");
        }
        None
    }
}

impl SlaPolicy {
    /// The target for `p` (a policy always has all four; a day each if not).
    pub fn target(&self, p: Priority) -> SlaTarget {
        self.targets
            .iter()
            .copied()
            .find(|t| t.priority == p)
            .unwrap_or(SlaTarget {
                priority: p,
                first_response_minutes: 1_440,
                resolution_minutes: 1_440,
            })
    }

    /// Field → message for each problem.
    pub fn problems(&self) -> BTreeMap<String, String> {
        let mut e = BTreeMap::new();
        for p in Priority::ALL {
            let Some(t) = self.targets.iter().find(|t| t.priority == p) else {
                e.insert(
                    format!("targets.{}", p.as_str()),
                    "Give a target for every priority.".into(),
                );
                continue;
            };
            if t.first_response_minutes < 1 || t.resolution_minutes < 1 {
                e.insert(
                    format!("targets.{}", p.as_str()),
                    "Targets must be at least one minute.".into(),
                );
            } else if t.first_response_minutes > t.resolution_minutes {
                e.insert(
                    format!("targets.{}", p.as_str()),
                    "The first response cannot be due after the resolution.".into(),
                );
            } else if t.resolution_minutes > 60 * 24 * 90 {
                e.insert(
                    format!("targets.{}", p.as_str()),
                    "Keep targets within 90 days.".into(),
                );
            }
        }
        if self.targets.len() != Priority::ALL.len() {
            e.entry("targets".into())
                .or_insert_with(|| "Give exactly one target per priority.".into());
        }
        if !(0..=60 * 24 * 7).contains(&self.due_soon_minutes) {
            e.insert(
                "due_soon_minutes".into(),
                "Between 0 minutes and 7 days.".into(),
            );
        }
        if self.vip_min_rank.is_some_and(|r| r < 0) {
            e.insert("vip_min_rank".into(), "Choose a tier.".into());
        }
        if let Some(m) = self
            .business_hours
            .as_ref()
            .and_then(BusinessHours::problems)
        {
            e.insert("business_hours".into(), m.into());
        }
        e
    }

    /// The default priority of a new ticket from a member in a tier of
    /// `tier_rank`.
    pub fn default_priority(&self, tier_rank: Option<i64>) -> Priority {
        match (self.vip_min_rank, tier_rank) {
            (Some(min), Some(rank)) if rank >= min => self.vip_priority.max(Priority::Normal),
            _ => Priority::Normal,
        }
    }
}

/// Deadlines of a ticket (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub first_response_due: i64,
    pub resolution_due: i64,
}

/// The deadlines of a ticket created at `created_at` with `priority`;
/// with business hours, only working time counts (in `tz`).
pub fn deadlines(
    created_at: i64,
    priority: Priority,
    policy: &SlaPolicy,
    tz: chrono_tz::Tz,
) -> Deadlines {
    let t = policy.target(priority);
    let add = |m: i64| match &policy.business_hours {
        Some(h) => add_business_minutes(created_at, m, h, tz),
        None => created_at + m * 60,
    };
    Deadlines {
        first_response_due: add(t.first_response_minutes),
        resolution_due: add(t.resolution_minutes),
    }
}

/// The next deadline the desk must meet, or `None` when the clock is not
/// running: resolved and closed tickets, and tickets waiting on the member.
/// Before the first response it is the earlier of the two deadlines.
pub fn next_due(status: TicketStatus, first_response_at: Option<i64>, d: Deadlines) -> Option<i64> {
    match status {
        TicketStatus::Resolved | TicketStatus::Closed | TicketStatus::Waiting => None,
        TicketStatus::New | TicketStatus::Open => Some(match first_response_at {
            None => d.first_response_due.min(d.resolution_due),
            Some(_) => d.resolution_due,
        }),
    }
}

/// Where a deadline stands at `now`.
pub fn sla_state(due: Option<i64>, now: i64, due_soon_minutes: i64) -> SlaState {
    match due {
        Some(d) if d < now => SlaState::Breached,
        Some(d) if d < now + due_soon_minutes * 60 => SlaState::DueSoon,
        _ => SlaState::Ok,
    }
}
