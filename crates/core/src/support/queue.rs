//! The queue: its filters, sort and page as one query (the same in the
//! page URL and `GET /support/queue`), and the rows and counts it returns.

use chrono::{DateTime, Utc};

use crate::feedback::{FeedbackKind, TicketStatus};

use super::sla::{Priority, SlaState};
use super::triage::Agent;

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
