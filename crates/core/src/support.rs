//! The support desk: the feedback queue, triage, SLA deadlines, canned
//! replies and survey figures. Pure rules here; storage is the server's.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::feedback::{FeedbackKind, Ticket, TicketStatus, TicketSummary};

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

/// Fills `{{member_name}}`, `{{member_first_name}}`, `{{agent_name}}`,
/// `{{reference}}` and `{{tier}}` in a canned reply. Unknown placeholders
/// are left as they are, so the agent sees them before sending.
pub fn fill_placeholders(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let key = after[..end].trim();
                match values.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Placeholder values for a ticket.
pub fn placeholder_values<'a>(
    member_name: &'a str,
    agent_name: &'a str,
    reference: &'a str,
    tier: &'a str,
) -> [(&'static str, &'a str); 5] {
    let first = member_name.split_whitespace().next().unwrap_or(member_name);
    [
        ("member_name", member_name),
        ("member_first_name", first),
        ("agent_name", agent_name),
        ("reference", reference),
        ("tier", tier),
    ]
}

/// The canned-reply shortcut being typed at the end of `text`: `/name`
/// at the start of a line. Returns (byte offset of the slash, name so far).
pub fn shortcut_at_end(text: &str) -> Option<(usize, &str)> {
    let line_start = text.rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let name = line.strip_prefix('/')?;
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        .then_some((line_start, name))
}

/// Net Promoter Score: % promoters (9–10) − % detractors (0–6). `None`
/// without responses.
pub fn nps(scores: impl IntoIterator<Item = i64>) -> Option<f64> {
    let (mut n, mut pro, mut det) = (0u64, 0u64, 0u64);
    for s in scores {
        n += 1;
        if s >= 9 {
            pro += 1;
        } else if s <= 6 {
            det += 1;
        }
    }
    (n > 0).then(|| (pro as f64 - det as f64) * 100.0 / n as f64)
}

/// CSAT: % of 1–5 ratings that are 4 or 5. `None` without ratings.
pub fn csat(ratings: impl IntoIterator<Item = i64>) -> Option<f64> {
    let (mut n, mut happy) = (0u64, 0u64);
    for r in ratings {
        n += 1;
        if r >= 4 {
            happy += 1;
        }
    }
    (n > 0).then(|| happy as f64 * 100.0 / n as f64)
}

crate::__wire! {
    /// A person who can be assigned tickets.
    pub struct Agent {
        pub id: i64,
        pub name: String,
    }
}

crate::__wire! {
    /// Queue sort orders.
    #[derive(Copy, Eq, Default)]
    #[serde(rename_all = "snake_case")]
    pub enum QueueSort {
        /// Oldest first: the default for open work.
        #[default]
        Oldest,
        Newest,
        /// Most urgent first, then oldest.
        Priority,
        /// Soonest deadline first; tickets without a running clock last.
        SlaDue,
    }
}

impl QueueSort {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueSort::Oldest => "oldest",
            QueueSort::Newest => "newest",
            QueueSort::Priority => "priority",
            QueueSort::SlaDue => "sla_due",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "oldest" => QueueSort::Oldest,
            "newest" => QueueSort::Newest,
            "priority" => QueueSort::Priority,
            "sla_due" => QueueSort::SlaDue,
            _ => return None,
        })
    }
}

/// Who a ticket is assigned to, as a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    Me,
    Unassigned,
    Agent(i64),
}

impl AssigneeFilter {
    pub fn to_param(self) -> Option<String> {
        match self {
            AssigneeFilter::Anyone => None,
            AssigneeFilter::Me => Some("me".into()),
            AssigneeFilter::Unassigned => Some("none".into()),
            AssigneeFilter::Agent(id) => Some(id.to_string()),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "" | "any" => AssigneeFilter::Anyone,
            "me" => AssigneeFilter::Me,
            "none" => AssigneeFilter::Unassigned,
            n => AssigneeFilter::Agent(n.parse().ok().filter(|n: &i64| *n > 0)?),
        })
    }
}

/// The queue's filters, sort and page: the same form in the URL of the
/// page and the query of `GET /support/queue`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueueQuery {
    /// Empty: open work (new, open, waiting).
    pub statuses: Vec<TicketStatus>,
    pub kinds: Vec<FeedbackKind>,
    pub priorities: Vec<Priority>,
    pub assignee: AssigneeFilter,
    pub tier_id: Option<i64>,
    pub sla: Option<SlaState>,
    /// Created on or after this day (YYYY-MM-DD, programme zone).
    pub from: Option<String>,
    /// Created on or before this day.
    pub to: Option<String>,
    pub q: String,
    pub sort: QueueSort,
    pub label: Option<String>,
    /// Rows to skip (pages follow `next_offset`).
    pub offset: i64,
}

/// Open work, the default status filter.
pub const OPEN_WORK: [TicketStatus; 3] =
    [TicketStatus::New, TicketStatus::Open, TicketStatus::Waiting];

fn join<T>(xs: &[T], f: impl Fn(&T) -> &'static str) -> String {
    xs.iter().map(f).collect::<Vec<_>>().join(",")
}

fn split<T>(v: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, String> {
    v.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| parse(s).ok_or_else(|| s.to_string()))
        .collect()
}

impl QueueQuery {
    /// The statuses asked for (open work when none).
    pub fn effective_statuses(&self) -> Vec<TicketStatus> {
        if self.statuses.is_empty() {
            OPEN_WORK.to_vec()
        } else {
            self.statuses.clone()
        }
    }

    /// `key=value` pairs, only for what differs from the default.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        if !self.statuses.is_empty() {
            p.push(("status", join(&self.statuses, |s| s.as_str())));
        }
        if !self.kinds.is_empty() {
            p.push(("type", join(&self.kinds, |k| k.as_str())));
        }
        if !self.priorities.is_empty() {
            p.push(("priority", join(&self.priorities, |k| k.as_str())));
        }
        if let Some(a) = self.assignee.to_param() {
            p.push(("assignee", a));
        }
        if let Some(t) = self.tier_id {
            p.push(("tier", t.to_string()));
        }
        if let Some(s) = self.sla {
            p.push(("sla", s.as_str().into()));
        }
        if let Some(f) = &self.from {
            p.push(("from", f.clone()));
        }
        if let Some(t) = &self.to {
            p.push(("to", t.clone()));
        }
        if !self.q.trim().is_empty() {
            p.push(("q", self.q.trim().to_string()));
        }
        if let Some(l) = &self.label {
            p.push(("label", l.clone()));
        }
        if self.sort != QueueSort::Oldest {
            p.push(("sort", self.sort.as_str().into()));
        }
        if self.offset > 0 {
            p.push(("offset", self.offset.to_string()));
        }
        p
    }

    /// The query string (without `?`), percent-encoded.
    pub fn to_query(&self) -> String {
        self.to_pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Reads decoded pairs; the first bad value is the error, by key.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, (String, String)> {
        let mut q = QueueQuery::default();
        let bad = |k: &str, m: &str| (k.to_string(), m.to_string());
        for (k, v) in pairs {
            match k {
                "status" => {
                    q.statuses = split(v, TicketStatus::parse)
                        .map_err(|s| bad(k, &format!("Unknown status '{s}'.")))?
                }
                "type" => {
                    q.kinds = split(v, FeedbackKind::parse)
                        .map_err(|s| bad(k, &format!("Unknown type '{s}'.")))?
                }
                "priority" => {
                    q.priorities = split(v, Priority::parse)
                        .map_err(|s| bad(k, &format!("Unknown priority '{s}'.")))?
                }
                "assignee" => {
                    q.assignee = AssigneeFilter::parse(v)
                        .ok_or_else(|| bad(k, "Use me, none, any or an agent's id."))?
                }
                "tier" if !v.is_empty() => {
                    q.tier_id = Some(v.parse().map_err(|_| bad(k, "Use a tier id."))?)
                }
                "sla" if !v.is_empty() => {
                    q.sla = Some(
                        SlaState::parse(v)
                            .ok_or_else(|| bad(k, "Use ok, due_soon or breached."))?,
                    )
                }
                "from" | "to" if !v.is_empty() => {
                    if crate::time::parse_day(v).is_none() {
                        return Err(bad(k, crate::time::DAY_HINT));
                    }
                    if k == "from" {
                        q.from = Some(v.into());
                    } else {
                        q.to = Some(v.into());
                    }
                }
                "q" => {
                    if v.chars().count() > 200 {
                        return Err(bad(k, "Search for at most 200 characters."));
                    }
                    q.q = v.trim().into();
                }
                "label" if !v.is_empty() => q.label = Some(v.into()),
                "sort" => {
                    q.sort = QueueSort::parse(v)
                        .ok_or_else(|| bad(k, "Sort by oldest, newest, priority or sla_due."))?
                }
                "offset" if !v.is_empty() => {
                    q.offset = v
                        .parse()
                        .ok()
                        .filter(|n: &i64| *n >= 0)
                        .ok_or_else(|| bad(k, "Use a whole number of rows."))?
                }
                _ => {}
            }
        }
        Ok(q)
    }
}

pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

crate::__wire! {
    /// A row of the queue.
    pub struct QueueItem {
        pub id: i64,
        pub reference: String,
        pub kind: FeedbackKind,
        pub subject: String,
        /// The survey score, for NPS and CSAT answers.
        pub score: Option<i64>,
        pub member_id: i64,
        pub member_name: String,
        pub tier: Option<String>,
        pub status: TicketStatus,
        pub priority: Priority,
        pub assignee: Option<Agent>,
        pub labels: Vec<String>,
        pub created_at: DateTime<Utc>,
        /// Last activity (message, status or triage change).
        pub updated_at: DateTime<Utc>,
        /// The deadline the desk must meet next, while the clock runs.
        pub sla_due_at: Option<DateTime<Utc>>,
        pub sla_state: SlaState,
        /// Bumped by every change; send it back to change the ticket.
        pub version: i64,
    }
}

crate::__wire! {
    /// Tickets per status under the other filters.
    pub struct StatusCount {
        pub status: TicketStatus,
        pub count: i64,
    }
}

crate::__wire! {
    /// `GET /support/queue`.
    pub struct QueuePage {
        pub items: Vec<QueueItem>,
        /// Rows matching the filters, across all pages.
        pub total: i64,
        /// Per status, ignoring the status filter (for the filter bar).
        pub counts: Vec<StatusCount>,
        /// Offset of the next page, if any.
        pub next_offset: Option<i64>,
    }
}

crate::__wire! {
    /// A triage change to one ticket. `version` is the one the agent saw:
    /// when someone else changed the ticket since, nothing is saved (409).
    pub struct TicketUpdate {
        pub version: i64,
        /// `Some(None)`: unassign. Absent: leave as is.
        #[serde(default, with = "double_option", skip_serializing_if = "Option::is_none")]
        pub assignee_id: Option<Option<i64>>,
        #[serde(default)]
        pub status: Option<TicketStatus>,
        #[serde(default)]
        pub priority: Option<Priority>,
        /// Replaces the labels.
        #[serde(default)]
        pub labels: Option<Vec<String>>,
    }
}

/// Serde helper telling "absent" from "null".
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            None => s.serialize_none(),
            Some(inner) => inner.serialize(s),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

crate::__wire! {
    /// A ticket and the version the agent saw.
    #[derive(Copy, Eq)]
    pub struct VersionedId {
        pub id: i64,
        pub version: i64,
    }
}

crate::__wire! {
    /// `POST /support/tickets/bulk`: one change to many tickets. Tickets
    /// changed by someone else since they were listed are left alone and
    /// reported back.
    pub struct BulkRequest {
        pub tickets: Vec<VersionedId>,
        #[serde(default, with = "double_option", skip_serializing_if = "Option::is_none")]
        pub assignee_id: Option<Option<i64>>,
        #[serde(default)]
        pub status: Option<TicketStatus>,
        #[serde(default)]
        pub priority: Option<Priority>,
        #[serde(default)]
        pub add_label: Option<String>,
    }
}

crate::__wire! {
    /// What a bulk change did.
    pub struct BulkResult {
        pub updated: Vec<i64>,
        /// Changed by someone else since listed: not touched.
        pub conflicts: Vec<i64>,
        pub missing: Vec<i64>,
    }
}

/// Most tickets one bulk change may touch.
pub const MAX_BULK: usize = 500;

/// A label as stored: trimmed, lower case, 1–32 of letters, digits, `-`, `_`
/// and spaces.
pub fn normalise_label(raw: &str) -> Result<String, &'static str> {
    let l = raw.trim().to_lowercase();
    if l.is_empty() || l.chars().count() > 32 {
        return Err("Labels are 1 to 32 characters.");
    }
    if !l
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == ' ')
    {
        return Err("Labels use letters, digits, spaces, '-' and '_'.");
    }
    Ok(l)
}

crate::__wire! {
    /// An entry in a ticket's history.
    pub struct TicketEvent {
        pub at: DateTime<Utc>,
        /// Who did it (`None`: the system).
        pub actor: Option<String>,
        /// `created`, `assigned`, `status`, `priority`, `labels`, `replied`, `note`.
        pub action: String,
        pub from: Option<String>,
        pub to: Option<String>,
    }
}

crate::__wire! {
    /// A ticket's SLA figures.
    pub struct TicketSla {
        /// Absent for survey answers that needed no handling.
        pub first_response_due: Option<DateTime<Utc>>,
        pub resolution_due: Option<DateTime<Utc>>,
        pub first_response_at: Option<DateTime<Utc>>,
        pub resolved_at: Option<DateTime<Utc>>,
        pub due_at: Option<DateTime<Utc>>,
        pub state: SlaState,
    }
}

crate::__wire! {
    /// The member behind a ticket, as support needs them.
    pub struct MemberContext {
        pub id: i64,
        pub name: String,
        pub email: String,
        pub card_number: String,
        pub status: String,
        pub tier: Option<String>,
        pub balance: i64,
        /// Sum of all purchases, minor units of `currency`.
        pub lifetime_spend_minor: i64,
        /// The programme's currency (ISO 4217).
        pub currency: String,
        pub purchases: i64,
        pub joined_at: DateTime<Utc>,
        pub last_purchase_at: Option<DateTime<Utc>>,
        /// Median days between their purchases, when they have bought twice.
        pub usual_gap_days: Option<i64>,
        pub vip: bool,
        pub other_tickets: Vec<TicketSummary>,
        pub recent_orders: Vec<OrderSummary>,
    }
}

crate::__wire! {
    /// A purchase, briefly.
    pub struct OrderSummary {
        pub order_ref: String,
        pub amount_minor: i64,
        pub category: String,
        pub purchased_at: DateTime<Utc>,
    }
}

crate::__wire! {
    /// `GET /support/tickets/{id}`: the ticket as staff see it.
    pub struct StaffTicket {
        pub ticket: Ticket,
        pub score: Option<i64>,
        pub priority: Priority,
        pub assignee: Option<Agent>,
        pub labels: Vec<String>,
        pub version: i64,
        pub sla: TicketSla,
        pub history: Vec<TicketEvent>,
        pub member: MemberContext,
    }
}

crate::__wire! {
    /// A reply template.
    pub struct CannedReply {
        pub id: i64,
        /// Typed as `/shortcut` in the reply box.
        pub shortcut: String,
        pub title: String,
        pub body: String,
    }
}

crate::__wire! {
    /// Create or change a canned reply.
    pub struct CannedReplyInput {
        pub shortcut: String,
        pub title: String,
        pub body: String,
    }
}

impl CannedReplyInput {
    /// Field → message for each problem.
    pub fn problems(&self) -> BTreeMap<String, String> {
        let mut e = BTreeMap::new();
        let s = self.shortcut.trim();
        if s.is_empty()
            || s.len() > 32
            || !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            e.insert(
                "shortcut".into(),
                "1 to 32 letters, digits, '-' or '_' (no spaces).".into(),
            );
        }
        if self.title.trim().is_empty() || self.title.chars().count() > 80 {
            e.insert(
                "title".into(),
                "Give a title of up to 80 characters.".into(),
            );
        }
        if self.body.trim().is_empty() || self.body.chars().count() > crate::feedback::MAX_MESSAGE {
            e.insert(
                "body".into(),
                "Write the reply (up to 5,000 characters).".into(),
            );
        }
        e
    }
}

crate::__wire! {
    /// A saved set of queue filters.
    pub struct SavedView {
        pub id: i64,
        pub name: String,
        /// The queue's query string, as in the page URL.
        pub query: String,
    }
}

crate::__wire! {
    /// Save the current filters under a name.
    pub struct SavedViewInput {
        pub name: String,
        pub query: String,
    }
}

crate::__wire! {
    /// One row of the SLA report.
    pub struct SlaRow {
        /// Agent name or priority; the empty key is the agent row of
        /// tickets no agent holds.
        pub key: String,
        pub tickets: i64,
        pub first_response_met: i64,
        pub first_response_due: i64,
        pub resolution_met: i64,
        pub resolution_due: i64,
        /// % of tickets with a due first response that met it.
        pub first_response_pct: Option<f64>,
        pub resolution_pct: Option<f64>,
        /// Median minutes to first response.
        pub median_first_response_minutes: Option<i64>,
    }
}

crate::__wire! {
    /// `GET /support/reports/sla`.
    pub struct SlaReport {
        pub from: String,
        pub to: String,
        pub by_agent: Vec<SlaRow>,
        pub by_priority: Vec<SlaRow>,
    }
}

crate::__wire! {
    /// NPS and CSAT for one bucket (a week, a tier, an agent).
    pub struct SurveyPoint {
        /// Week (its Monday), tier name or agent name; the empty key is the
        /// agent row of tickets no agent held.
        pub key: String,
        pub nps: Option<f64>,
        pub nps_responses: i64,
        pub csat: Option<f64>,
        pub csat_responses: i64,
    }
}

crate::__wire! {
    /// `GET /support/reports/surveys`.
    pub struct SurveyReport {
        pub from: String,
        pub to: String,
        pub overall: SurveyPoint,
        /// Weeks starting Monday (programme time zone), oldest first.
        pub weekly: Vec<SurveyPoint>,
        pub by_tier: Vec<SurveyPoint>,
        /// CSAT given on resolved tickets, by the agent they were assigned to.
        pub by_agent: Vec<SurveyPoint>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> SlaPolicy {
        SlaPolicy {
            targets: vec![
                SlaTarget {
                    priority: Priority::Low,
                    first_response_minutes: 1440,
                    resolution_minutes: 7200,
                },
                SlaTarget {
                    priority: Priority::Normal,
                    first_response_minutes: 480,
                    resolution_minutes: 2880,
                },
                SlaTarget {
                    priority: Priority::High,
                    first_response_minutes: 240,
                    resolution_minutes: 1440,
                },
                SlaTarget {
                    priority: Priority::Urgent,
                    first_response_minutes: 60,
                    resolution_minutes: 480,
                },
            ],
            due_soon_minutes: 60,
            vip_min_rank: Some(2),
            vip_priority: Priority::High,
            business_hours: None,
        }
    }

    fn shanghai(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        use chrono::TimeZone;
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .timestamp()
    }

    fn office() -> BusinessHours {
        BusinessHours {
            start_minute: 540,
            end_minute: 1_080,
            days: vec![1, 2, 3, 4, 5],
        }
    }

    #[test]
    fn business_hours_skip_nights_and_weekends() {
        let tz = chrono_tz::Asia::Shanghai;
        // Friday 2026-11-20 17:30 + 60 working minutes → Monday 09:30.
        let fri = shanghai(2026, 11, 20, 17, 30);
        assert_eq!(
            add_business_minutes(fri, 60, &office(), tz),
            shanghai(2026, 11, 23, 9, 30)
        );
        // Saturday night → the clock starts Monday 09:00.
        let sat = shanghai(2026, 11, 21, 23, 0);
        assert_eq!(
            add_business_minutes(sat, 30, &office(), tz),
            shanghai(2026, 11, 23, 9, 30)
        );
        // Within hours, exactly to closing time stays that day.
        let tue = shanghai(2026, 11, 24, 17, 0);
        assert_eq!(
            add_business_minutes(tue, 60, &office(), tz),
            shanghai(2026, 11, 24, 18, 0)
        );
        // Open until midnight: a full last hour counts.
        let late = BusinessHours {
            start_minute: 1_380,
            end_minute: 1_440,
            days: vec![1, 2, 3, 4, 5, 6, 7],
        };
        assert_eq!(
            add_business_minutes(shanghai(2026, 11, 24, 23, 0), 60, &late, tz),
            shanghai(2026, 11, 25, 0, 0)
        );
        // Two full days of work (2 × 9 h) from Monday 09:00 → Tuesday 18:00.
        let mon = shanghai(2026, 11, 23, 9, 0);
        assert_eq!(
            add_business_minutes(mon, 18 * 60, &office(), tz),
            shanghai(2026, 11, 24, 18, 0)
        );
    }

    #[test]
    fn business_hours_follow_daylight_saving() {
        use chrono::TimeZone;
        let tz = chrono_tz::Europe::Berlin;
        // Sunday 2026-03-29 clocks go forward; Monday 09:00 is UTC+2.
        let sat = tz
            .with_ymd_and_hms(2026, 3, 28, 12, 0, 0)
            .unwrap()
            .timestamp();
        let mon_930 = tz
            .with_ymd_and_hms(2026, 3, 30, 9, 30, 0)
            .unwrap()
            .timestamp();
        assert_eq!(add_business_minutes(sat, 30, &office(), tz), mon_930);
    }

    #[test]
    fn deadlines_use_business_hours_when_set() {
        let tz = chrono_tz::Asia::Shanghai;
        let p = SlaPolicy {
            business_hours: Some(office()),
            ..policy()
        };
        let fri = shanghai(2026, 11, 20, 17, 30);
        let d = deadlines(fri, Priority::Urgent, &p, tz);
        assert_eq!(d.first_response_due, shanghai(2026, 11, 23, 9, 30));
        let mut bad = p.clone();
        bad.business_hours = Some(BusinessHours {
            start_minute: 600,
            end_minute: 540,
            days: vec![1],
        });
        assert!(bad.problems().contains_key("business_hours"));
    }

    #[test]
    fn the_clock_runs_to_first_response_then_to_resolution_and_stops_while_waiting() {
        let d = deadlines(0, Priority::Urgent, &policy(), chrono_tz::UTC);
        assert_eq!(d.first_response_due, 3_600);
        assert_eq!(d.resolution_due, 8 * 3_600);
        assert_eq!(next_due(TicketStatus::New, None, d), Some(3_600));
        assert_eq!(next_due(TicketStatus::Open, Some(100), d), Some(28_800));
        assert_eq!(next_due(TicketStatus::Waiting, Some(100), d), None);
        assert_eq!(next_due(TicketStatus::Resolved, Some(100), d), None);
    }

    #[test]
    fn sla_state_edges() {
        // Due exactly now is not yet breached; one second later it is.
        assert_eq!(sla_state(Some(1_000), 1_000, 60), SlaState::DueSoon);
        assert_eq!(sla_state(Some(1_000), 1_001, 60), SlaState::Breached);
        assert_eq!(sla_state(Some(1_000 + 3_600), 1_000, 60), SlaState::Ok);
        assert_eq!(sla_state(Some(1_000 + 3_599), 1_000, 60), SlaState::DueSoon);
        assert_eq!(sla_state(None, 1_000, 60), SlaState::Ok);
    }

    #[test]
    fn vip_members_get_the_vip_priority() {
        let p = policy();
        assert_eq!(p.default_priority(Some(3)), Priority::High);
        assert_eq!(p.default_priority(Some(2)), Priority::High);
        assert_eq!(p.default_priority(Some(1)), Priority::Normal);
        assert_eq!(p.default_priority(None), Priority::Normal);
        let none = SlaPolicy {
            vip_min_rank: None,
            ..p
        };
        assert_eq!(none.default_priority(Some(3)), Priority::Normal);
    }

    #[test]
    fn policy_problems_are_named_by_field() {
        assert!(policy().problems().is_empty());
        let mut bad = policy();
        bad.targets[3].first_response_minutes = 600;
        assert!(bad.problems().contains_key("targets.urgent"));
        bad.targets.pop();
        assert!(bad.problems().contains_key("targets.urgent"));
    }

    #[test]
    fn nps_and_csat_use_the_domain_formulas() {
        // 2 promoters, 1 passive, 2 detractors of 5: 40 % − 40 % = 0.
        assert_eq!(nps([10, 9, 8, 6, 0]), Some(0.0));
        assert_eq!(nps([9, 9, 7, 7]), Some(50.0));
        assert_eq!(nps([]), None);
        assert_eq!(csat([5, 4, 3, 1]), Some(50.0));
        assert_eq!(csat([3]), Some(0.0));
        assert_eq!(csat([]), None);
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let v = placeholder_values("Li Wei", "Sam", "FB-000001", "Gold");
        assert_eq!(
            fill_placeholders(
                "Hi {{member_first_name}}, re {{reference}} ({{ tier }}). {{x}} {{",
                &v
            ),
            "Hi Li, re FB-000001 (Gold). {{x}} {{"
        );
    }

    #[test]
    fn shortcuts_are_recognised_at_the_start_of_the_last_line() {
        assert_eq!(shortcut_at_end("/ref"), Some((0, "ref")));
        assert_eq!(shortcut_at_end("Hello\n/th"), Some((6, "th")));
        assert_eq!(shortcut_at_end("see a/b"), None);
        assert_eq!(shortcut_at_end("/two words"), None);
    }

    #[test]
    fn queue_query_round_trips_through_the_url() {
        let q = QueueQuery {
            statuses: vec![TicketStatus::New, TicketStatus::Open],
            kinds: vec![FeedbackKind::Complaint],
            priorities: vec![Priority::Urgent],
            assignee: AssigneeFilter::Unassigned,
            tier_id: Some(3),
            sla: Some(SlaState::Breached),
            from: Some("2026-01-01".into()),
            to: Some("2026-02-01".into()),
            q: "late & lost".into(),
            sort: QueueSort::SlaDue,
            label: Some("refund".into()),
            offset: 100,
        };
        let s = q.to_query();
        let decoded: Vec<(String, String)> = s
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), percent_decode(v))
            })
            .collect();
        let back =
            QueueQuery::from_pairs(decoded.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap();
        assert_eq!(back, q);
        assert_eq!(QueueQuery::default().to_query(), "");
        assert_eq!(
            QueueQuery::from_pairs([("status", "new,bogus")])
                .unwrap_err()
                .0,
            "status"
        );
        assert!(QueueQuery::from_pairs([("from", "31/01/2026")]).is_err());
        assert!(QueueQuery::from_pairs([("to", "+262143-12-31")]).is_err());
    }

    fn percent_decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn labels_are_normalised() {
        assert_eq!(normalise_label("  Refund "), Ok("refund".into()));
        assert!(normalise_label("").is_err());
        assert!(normalise_label("a<b>").is_err());
    }

    #[test]
    fn update_tells_unassign_from_leave_alone() {
        let u: TicketUpdate = serde_json::from_str(r#"{"version":1,"assignee_id":null}"#).unwrap();
        assert_eq!(u.assignee_id, Some(None));
        let u: TicketUpdate = serde_json::from_str(r#"{"version":1}"#).unwrap();
        assert_eq!(u.assignee_id, None);
    }
}
