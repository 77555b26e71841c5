//! The queue: one page of tickets under the filters, sorted, with the
//! total and the counts per status.

use crate::store::db;
use patron_core::feedback::{FeedbackKind, TicketStatus};
use patron_core::support::{
    sla_state, Agent, AssigneeFilter, QueueItem, QueuePage, QueueQuery, QueueSort, SlaState,
    StatusCount,
};
use sqlx::Row;

use super::rows::{labels_of, priority_of, status_of, LABEL_SEP};
use crate::store::dialect::Dialect;
use crate::store::{ts, ts_opt, Store};

/// Queue rows per page.
pub const QUEUE_PAGE: i64 = 100;

/// Day bounds (unix seconds) of the queue's date filter, from the caller.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bounds {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// Adds the WHERE conditions shared by the page and the counts.
#[allow(clippy::too_many_arguments)]
fn push_filters(
    qb: &mut db::Builder,
    dialect: Dialect,
    q: &QueueQuery,
    me: i64,
    now: i64,
    soon_secs: i64,
    bounds: Bounds,
    with_status: bool,
) {
    qb.push(" WHERE 1 = 1");
    if with_status {
        // Literals, not binds: the names come from the enum, and the
        // planner can then use the status index for what is asked.
        let mut wanted = q.effective_statuses();
        wanted.sort_by_key(|s| TicketStatus::ALL.iter().position(|x| x == s));
        wanted.dedup();
        let statuses: Vec<String> = wanted.iter().map(|s| format!("'{}'", s.as_str())).collect();
        qb.push(format!(" AND f.status IN ({})", statuses.join(", ")));
    }
    if !q.kinds.is_empty() {
        qb.push(" AND f.kind IN (");
        let mut sep = qb.separated(", ");
        for k in &q.kinds {
            sep.push_bind(k.as_str());
        }
        qb.push(")");
    }
    if !q.priorities.is_empty() {
        qb.push(" AND f.priority_rank IN (");
        let mut sep = qb.separated(", ");
        for p in &q.priorities {
            sep.push_bind(p.rank());
        }
        qb.push(")");
    }
    match q.assignee {
        AssigneeFilter::Anyone => {}
        AssigneeFilter::Me => {
            qb.push(" AND f.assignee_id = ").push_bind(me);
        }
        AssigneeFilter::Unassigned => {
            qb.push(" AND f.assignee_id IS NULL");
        }
        AssigneeFilter::Agent(id) => {
            qb.push(" AND f.assignee_id = ").push_bind(id);
        }
    }
    if let Some(t) = q.tier_id {
        qb.push(" AND f.member_id IN (SELECT id FROM members WHERE tier_id = ")
            .push_bind(t)
            .push(")");
    }
    match q.sla {
        None => {}
        Some(SlaState::Breached) => {
            qb.push(" AND f.sla_due < ").push_bind(now);
        }
        Some(SlaState::DueSoon) => {
            qb.push(" AND f.sla_due >= ")
                .push_bind(now)
                .push(" AND f.sla_due < ")
                .push_bind(now + soon_secs);
        }
        Some(SlaState::Ok) => {
            qb.push(" AND (f.sla_due IS NULL OR f.sla_due >= ")
                .push_bind(now + soon_secs)
                .push(")");
        }
    }
    if let Some(f) = bounds.from {
        qb.push(" AND f.created_at >= ").push_bind(f);
    }
    if let Some(t) = bounds.to {
        qb.push(" AND f.created_at <= ").push_bind(t);
    }
    if let Some(l) = &q.label {
        qb.push(" AND f.id IN (SELECT feedback_id FROM feedback_labels WHERE label = ")
            .push_bind(l.clone())
            .push(")");
    }
    if let Some(m) = dialect.search_terms(&q.q) {
        let (before, after) = dialect.text_search();
        qb.push(" AND f.id IN (SELECT feedback_id FROM feedback_search WHERE ")
            .push(before)
            .push_bind(m)
            .push(after)
            .push(")");
    }
}

fn order_by(sort: QueueSort, sla: Option<SlaState>) -> &'static str {
    match sort {
        // Breached and due-soon tickets all have a deadline: the SLA index
        // (sla_due, then rowid = id) gives this order without sorting.
        QueueSort::SlaDue if matches!(sla, Some(SlaState::Breached | SlaState::DueSoon)) => {
            " ORDER BY f.sla_due, f.id"
        }
        QueueSort::Oldest => " ORDER BY f.created_at, f.id",
        QueueSort::Newest => " ORDER BY f.created_at DESC, f.id DESC",
        QueueSort::Priority => " ORDER BY f.priority_rank DESC, f.created_at, f.id",
        QueueSort::SlaDue => " ORDER BY f.sla_due IS NULL, f.sla_due, f.id",
    }
}

/// The queue's SELECT, using `index` if the dialect takes hints.
fn item_select(dialect: Dialect, index: Option<&str>) -> String {
    let index = index.map_or(String::new(), |i| dialect.index_hint(i));
    let labels = dialect.string_agg("label", LABEL_SEP);
    format!(
        "SELECT f.id, f.reference, f.kind, f.subject, f.score, f.member_id, m.name AS member_name,
            t.name AS tier_name, f.status, f.priority, f.assignee_id, u.name AS assignee_name,
            f.created_at, f.updated_at, f.sla_due, f.version,
            (SELECT {labels} FROM feedback_labels l WHERE l.feedback_id = f.id) AS labels
        FROM feedback f {index}
        JOIN members m ON m.id = f.member_id
        LEFT JOIN tiers t ON t.id = m.tier_id
        LEFT JOIN users u ON u.id = f.assignee_id"
    )
}

/// For open work sorted by age or priority, the partial index that serves
/// it. SQLite's planner (without or even with statistics) tends to prefer
/// the status index and a sort of every open ticket (~40 ms at 100,000
/// items); walking the partial index reads ~100 entries (~1 ms).
fn open_work_index(q: &QueueQuery) -> Option<&'static str> {
    let mut st = q.effective_statuses();
    st.sort_by_key(|s| TicketStatus::ALL.iter().position(|x| x == s));
    st.dedup();
    if st != patron_core::support::OPEN_WORK {
        return None;
    }
    match q.sort {
        QueueSort::Oldest | QueueSort::Newest => Some("feedback_open_created"),
        QueueSort::Priority => Some("feedback_open_priority"),
        QueueSort::SlaDue => None,
    }
}

fn item_from_row(r: &db::DbRow, now: i64, soon_minutes: i64) -> QueueItem {
    let sla_due: Option<i64> = r.get("sla_due");
    let assignee_id: Option<i64> = r.get("assignee_id");
    QueueItem {
        id: r.get("id"),
        reference: r.get("reference"),
        kind: FeedbackKind::parse(r.get::<&str, _>("kind")).unwrap_or(FeedbackKind::Complaint),
        subject: r.get("subject"),
        score: r.get("score"),
        member_id: r.get("member_id"),
        member_name: r.get("member_name"),
        tier: r.get("tier_name"),
        status: status_of(r.get("status")),
        priority: priority_of(r.get("priority")),
        assignee: assignee_id.map(|id| Agent {
            id,
            name: r
                .get::<Option<String>, _>("assignee_name")
                .unwrap_or_default(),
        }),
        labels: labels_of(r.get("labels")),
        created_at: ts(r.get("created_at")),
        updated_at: ts(r.get("updated_at")),
        sla_due_at: ts_opt(sla_due),
        sla_state: sla_state(sla_due, now, soon_minutes),
        version: r.get("version"),
    }
}

impl Store {
    /// One page of the queue, with the total and the counts per status.
    pub async fn queue(
        &self,
        q: &QueueQuery,
        me: i64,
        now: i64,
        bounds: Bounds,
    ) -> Result<QueuePage, sqlx::Error> {
        let policy = self.sla_policy().await?;
        let soon = policy.due_soon_minutes * 60;
        let mut qb: db::Builder = db::Builder::new(item_select(self.dialect, open_work_index(q)));
        push_filters(&mut qb, self.dialect, q, me, now, soon, bounds, true);
        qb.push(order_by(q.sort, q.sla));
        qb.push(" LIMIT ").push_bind(QUEUE_PAGE + 1);
        qb.push(" OFFSET ").push_bind(q.offset);
        let rows = qb.build().fetch_all(&self.pool).await?;
        let more = rows.len() as i64 > QUEUE_PAGE;
        let items: Vec<QueueItem> = rows
            .iter()
            .take(QUEUE_PAGE as usize)
            .map(|r| item_from_row(r, now, policy.due_soon_minutes))
            .collect();

        let only_status = QueueQuery {
            statuses: q.statuses.clone(),
            sort: q.sort,
            offset: q.offset,
            ..QueueQuery::default()
        } == *q
            && bounds.from.is_none()
            && bounds.to.is_none();
        let count_rows = if only_status {
            // Kept by triggers: no scan of the whole table.
            db::query("SELECT status, n FROM feedback_status_counts")
                .fetch_all(&self.pool)
                .await?
        } else {
            let mut cb: db::Builder =
                db::Builder::new("SELECT f.status, COUNT(*) AS n FROM feedback f");
            push_filters(&mut cb, self.dialect, q, me, now, soon, bounds, false);
            cb.push(" GROUP BY f.status");
            cb.build().fetch_all(&self.pool).await?
        };
        let counts: Vec<StatusCount> = TicketStatus::ALL
            .into_iter()
            .map(|s| StatusCount {
                status: s,
                count: count_rows
                    .iter()
                    .find(|r| r.get::<&str, _>("status") == s.as_str())
                    .map_or(0, |r| r.get("n")),
            })
            .collect();
        let wanted = q.effective_statuses();
        let total = counts
            .iter()
            .filter(|c| wanted.contains(&c.status))
            .map(|c| c.count)
            .sum();
        Ok(QueuePage {
            items,
            total,
            counts,
            next_offset: more.then_some(q.offset + QUEUE_PAGE),
        })
    }
}
