//! The support desk's storage: the queue, triage with version checks, SLA
//! deadlines, ticket history, canned replies and saved views.

use patron_core::feedback::{FeedbackKind, TicketStatus};
use patron_core::support::{
    deadlines, next_due, sla_state, Agent, AssigneeFilter, BusinessHours, CannedReply,
    CannedReplyInput, MemberContext, OrderSummary, Priority, QueueItem, QueuePage, QueueQuery,
    QueueSort, SavedView, SlaPolicy, SlaState, SlaTarget, StaffTicket, StatusCount, TicketEvent,
    TicketSla, TicketUpdate,
};
use sqlx::{QueryBuilder, Row, Sqlite};

use super::{ts, ts_opt, Store, WriteTx};

/// Queue rows per page.
pub const QUEUE_PAGE: i64 = 100;

/// How a triage change went.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateOutcome {
    Updated,
    /// Someone changed the ticket since `version`; the current version.
    Conflict(i64),
    Missing,
}

/// Day bounds (unix seconds) of the queue's date filter, from the caller.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bounds {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

fn fts_query(q: &str) -> Option<String> {
    let terms: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(8)
        .map(|t| format!("\"{t}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Adds the WHERE conditions shared by the page and the counts.
fn push_filters(
    qb: &mut QueryBuilder<'_, Sqlite>,
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
    if let Some(m) = fts_query(&q.q) {
        qb.push(
            " AND f.id IN (SELECT feedback_id FROM feedback_search WHERE feedback_search MATCH ",
        )
        .push_bind(m)
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

fn status_of(s: &str) -> TicketStatus {
    TicketStatus::parse(s).unwrap_or(TicketStatus::Open)
}

fn priority_of(s: &str) -> Priority {
    Priority::parse(s).unwrap_or(Priority::Normal)
}

fn labels_of(s: Option<String>) -> Vec<String> {
    s.map(|s| {
        let mut v: Vec<String> = s.split('\u{1f}').map(str::to_string).collect();
        v.sort();
        v
    })
    .unwrap_or_default()
}

/// The queue's SELECT; `{index}` is an optional `INDEXED BY` hint.
fn item_select(index: &str) -> String {
    format!(
        "SELECT f.id, f.reference, f.kind, f.subject, f.score, f.member_id, m.name AS member_name,
            t.name AS tier_name, f.status, f.priority, f.assignee_id, u.name AS assignee_name,
            f.created_at, f.updated_at, f.sla_due, f.version,
            (SELECT group_concat(label, char(31)) FROM feedback_labels l WHERE l.feedback_id = f.id) AS labels
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
fn open_work_index(q: &QueueQuery) -> &'static str {
    let mut st = q.effective_statuses();
    st.sort_by_key(|s| TicketStatus::ALL.iter().position(|x| x == s));
    st.dedup();
    if st != patron_core::support::OPEN_WORK {
        return "";
    }
    match q.sort {
        QueueSort::Oldest | QueueSort::Newest => "INDEXED BY feedback_open_created",
        QueueSort::Priority => "INDEXED BY feedback_open_priority",
        QueueSort::SlaDue => "",
    }
}

fn item_from_row(r: &sqlx::sqlite::SqliteRow, now: i64, soon_minutes: i64) -> QueueItem {
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

async fn policy_in(conn: &mut sqlx::SqliteConnection) -> Result<SlaPolicy, sqlx::Error> {
    let rows =
        sqlx::query("SELECT priority, first_response_minutes, resolution_minutes FROM sla_policy")
            .fetch_all(&mut *conn)
            .await?;
    let mut targets: Vec<SlaTarget> = rows
        .iter()
        .map(|r| SlaTarget {
            priority: priority_of(r.get("priority")),
            first_response_minutes: r.get("first_response_minutes"),
            resolution_minutes: r.get("resolution_minutes"),
        })
        .collect();
    targets.sort_by_key(|t| t.priority);
    let s = sqlx::query(
        "SELECT due_soon_minutes, vip_min_rank, vip_priority, bh_start_minute, bh_end_minute, bh_days
         FROM support_settings WHERE id = 1",
    )
    .fetch_one(&mut *conn)
    .await?;
    let business_hours = match (
        s.get::<Option<i64>, _>("bh_start_minute"),
        s.get::<Option<i64>, _>("bh_end_minute"),
        s.get::<Option<String>, _>("bh_days"),
    ) {
        (Some(start_minute), Some(end_minute), Some(days)) => Some(BusinessHours {
            start_minute,
            end_minute,
            days: days.split(',').filter_map(|d| d.parse().ok()).collect(),
        }),
        _ => None,
    };
    Ok(SlaPolicy {
        targets,
        due_soon_minutes: s.get("due_soon_minutes"),
        vip_min_rank: s.get("vip_min_rank"),
        vip_priority: priority_of(s.get("vip_priority")),
        business_hours,
    })
}

async fn zone_in(conn: &mut sqlx::SqliteConnection) -> Result<chrono_tz::Tz, sqlx::Error> {
    let name: Option<String> = sqlx::query_scalar("SELECT time_zone FROM programme WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?;
    Ok(patron_core::time::zone(name.as_deref().unwrap_or("UTC")))
}

/// Records an entry in a ticket's history.
pub(crate) async fn record_event(
    tx: &mut WriteTx<'_>,
    feedback_id: i64,
    actor_id: Option<i64>,
    action: &str,
    from: Option<&str>,
    to: Option<&str>,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO feedback_events (feedback_id, actor_id, action, from_value, to_value, at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(feedback_id)
    .bind(actor_id)
    .bind(action)
    .bind(from)
    .bind(to)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether a write is news: a change bumps the version (so concurrent
/// editors notice) and the last-activity time; a quiet one (an internal
/// note, a policy change) only re-times the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Touch {
    Change,
    Quiet,
}

/// Recomputes a ticket's running clock (and, while it is open work, its
/// deadlines) from its status, priority and first response.
pub(crate) async fn refresh_sla(
    tx: &mut WriteTx<'_>,
    id: i64,
    now: i64,
    touch: Touch,
) -> Result<(), sqlx::Error> {
    let policy = policy_in(&mut *tx).await?;
    let tz = zone_in(&mut *tx).await?;
    refresh_sla_with(tx, id, now, &policy, tz, touch).await
}

async fn refresh_sla_with(
    tx: &mut WriteTx<'_>,
    id: i64,
    now: i64,
    policy: &SlaPolicy,
    tz: chrono_tz::Tz,
    touch: Touch,
) -> Result<(), sqlx::Error> {
    let r = sqlx::query(
        "SELECT status, priority, created_at, first_response_at, first_response_due, resolution_due
         FROM feedback WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let priority = priority_of(r.get("priority"));
    let status = status_of(r.get("status"));
    let old = (
        r.get::<Option<i64>, _>("first_response_due"),
        r.get::<Option<i64>, _>("resolution_due"),
    );
    // Open work follows the policy; a handled ticket keeps the deadlines it
    // was measured against (a later note or label must not rewrite history);
    // a survey answer that needed no handling has none.
    let (frd, rd) = match old {
        _ if status.is_open() => {
            let d = deadlines(r.get("created_at"), priority, policy, tz);
            (Some(d.first_response_due), Some(d.resolution_due))
        }
        (Some(a), Some(b)) => (Some(a), Some(b)),
        _ => (None, None),
    };
    let due = match (frd, rd) {
        (Some(first_response_due), Some(resolution_due)) => next_due(
            status,
            r.get("first_response_at"),
            patron_core::support::Deadlines {
                first_response_due,
                resolution_due,
            },
        ),
        _ => None,
    };
    let bump = touch == Touch::Change;
    sqlx::query(
        "UPDATE feedback SET first_response_due = ?, resolution_due = ?, sla_due = ?, priority_rank = ?,
            version = version + ?, updated_at = CASE WHEN ? THEN ? ELSE updated_at END WHERE id = ?",
    )
    .bind(frd)
    .bind(rd)
    .bind(due)
    .bind(priority.rank())
    .bind(i64::from(bump))
    .bind(bump)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves a ticket from `old` to `new` status (resolved/closed stamp the
/// resolution time once; reopening clears it) and records who did it.
pub(crate) async fn set_status(
    tx: &mut WriteTx<'_>,
    id: i64,
    actor: i64,
    old: TicketStatus,
    new: TicketStatus,
    now: i64,
) -> Result<(), sqlx::Error> {
    if old == new {
        return Ok(());
    }
    let done = matches!(new, TicketStatus::Resolved | TicketStatus::Closed);
    sqlx::query(
        "UPDATE feedback SET status = ?,
            resolved_at = CASE WHEN ? THEN COALESCE(resolved_at, ?) ELSE NULL END
         WHERE id = ?",
    )
    .bind(new.as_str())
    .bind(done)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    record_event(
        tx,
        id,
        Some(actor),
        "status",
        Some(old.as_str()),
        Some(new.as_str()),
        now,
    )
    .await
}

/// Applies one triage change inside `tx`; the caller checked the version.
async fn apply_change(
    tx: &mut WriteTx<'_>,
    id: i64,
    actor: i64,
    upd: &TicketUpdate,
    add_label: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let cur = sqlx::query(
        "SELECT f.status, f.priority, f.assignee_id, u.name AS assignee_name
         FROM feedback f LEFT JOIN users u ON u.id = f.assignee_id WHERE f.id = ?",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    if let Some(new) = upd.assignee_id {
        let old: Option<i64> = cur.get("assignee_id");
        if old != new {
            let new_name: Option<String> = match new {
                Some(a) => {
                    sqlx::query_scalar("SELECT name FROM users WHERE id = ?")
                        .bind(a)
                        .fetch_optional(&mut **tx)
                        .await?
                }
                None => None,
            };
            sqlx::query("UPDATE feedback SET assignee_id = ? WHERE id = ?")
                .bind(new)
                .bind(id)
                .execute(&mut **tx)
                .await?;
            let old_name: Option<String> = cur.get("assignee_name");
            record_event(
                tx,
                id,
                Some(actor),
                "assigned",
                old_name.as_deref(),
                new_name.as_deref(),
                now,
            )
            .await?;
        }
    }
    if let Some(s) = upd.status {
        set_status(tx, id, actor, status_of(cur.get("status")), s, now).await?;
    }
    if let Some(p) = upd.priority {
        let old = priority_of(cur.get("priority"));
        if old != p {
            sqlx::query("UPDATE feedback SET priority = ? WHERE id = ?")
                .bind(p.as_str())
                .bind(id)
                .execute(&mut **tx)
                .await?;
            record_event(
                tx,
                id,
                Some(actor),
                "priority",
                Some(old.as_str()),
                Some(p.as_str()),
                now,
            )
            .await?;
        }
    }
    if let Some(labels) = &upd.labels {
        let old: Vec<String> = sqlx::query_scalar(
            "SELECT label FROM feedback_labels WHERE feedback_id = ? ORDER BY label",
        )
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
        let mut new = labels.clone();
        new.sort();
        new.dedup();
        if old != new {
            sqlx::query("DELETE FROM feedback_labels WHERE feedback_id = ?")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            for l in &new {
                sqlx::query("INSERT INTO feedback_labels (feedback_id, label) VALUES (?, ?)")
                    .bind(id)
                    .bind(l)
                    .execute(&mut **tx)
                    .await?;
            }
            record_event(
                tx,
                id,
                Some(actor),
                "labels",
                Some(&old.join(", ")),
                Some(&new.join(", ")),
                now,
            )
            .await?;
        }
    }
    if let Some(l) = add_label {
        let added =
            sqlx::query("INSERT OR IGNORE INTO feedback_labels (feedback_id, label) VALUES (?, ?)")
                .bind(id)
                .bind(l)
                .execute(&mut **tx)
                .await?;
        if added.rows_affected() == 1 {
            record_event(tx, id, Some(actor), "label_added", None, Some(l), now).await?;
        }
    }
    refresh_sla(tx, id, now, Touch::Change).await
}

impl Store {
    /// The SLA policy and triage settings.
    pub async fn sla_policy(&self) -> Result<SlaPolicy, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        policy_in(&mut conn).await
    }

    /// Replaces the SLA policy (validated by the caller). Open tickets'
    /// deadlines follow the new targets.
    pub async fn set_sla_policy(&self, p: &SlaPolicy, now: i64) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        for t in &p.targets {
            sqlx::query(
                "UPDATE sla_policy SET first_response_minutes = ?, resolution_minutes = ? WHERE priority = ?",
            )
            .bind(t.first_response_minutes)
            .bind(t.resolution_minutes)
            .bind(t.priority.as_str())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE support_settings SET due_soon_minutes = ?, vip_min_rank = ?, vip_priority = ? WHERE id = 1",
        )
        .bind(p.due_soon_minutes)
        .bind(p.vip_min_rank)
        .bind(p.vip_priority.as_str())
        .execute(&mut *tx)
        .await?;
        let (start, end, days) = match &p.business_hours {
            Some(h) => (
                Some(h.start_minute),
                Some(h.end_minute),
                Some(
                    h.days
                        .iter()
                        .map(u8::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            ),
            None => (None, None, None),
        };
        sqlx::query(
            "UPDATE support_settings SET bh_start_minute = ?, bh_end_minute = ?, bh_days = ? WHERE id = 1",
        )
        .bind(start)
        .bind(end)
        .bind(days)
        .execute(&mut *tx)
        .await?;
        // Open work follows the new policy; handled tickets keep the
        // deadlines they were measured against.
        let open: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM feedback WHERE status IN ('new', 'open', 'waiting') AND first_response_due IS NOT NULL",
        )
        .fetch_all(&mut *tx)
        .await?;
        let tz = zone_in(&mut tx).await?;
        for id in open {
            refresh_sla_with(&mut tx, id, now, p, tz, Touch::Quiet).await?;
        }
        tx.commit().await
    }

    /// Staff who can be assigned tickets: active support agents and admins.
    pub async fn agents(&self) -> Result<Vec<Agent>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, name FROM users WHERE role IN ('support', 'admin') AND active ORDER BY name, id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Agent {
                id: r.get("id"),
                name: r.get("name"),
            })
            .collect())
    }

    /// Whether `id` is an active agent.
    pub async fn is_agent(&self, id: i64) -> Result<bool, sqlx::Error> {
        Ok(self.agents().await?.iter().any(|a| a.id == id))
    }

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
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(item_select(open_work_index(q)));
        push_filters(&mut qb, q, me, now, soon, bounds, true);
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
            sqlx::query("SELECT status, n FROM feedback_status_counts")
                .fetch_all(&self.pool)
                .await?
        } else {
            let mut cb: QueryBuilder<Sqlite> =
                QueryBuilder::new("SELECT f.status, COUNT(*) AS n FROM feedback f");
            push_filters(&mut cb, q, me, now, soon, bounds, false);
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

    /// The current version of a ticket.
    pub async fn ticket_version(&self, id: i64) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT version FROM feedback WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Applies a triage change if the ticket is still at `upd.version`.
    pub async fn update_ticket(
        &self,
        id: i64,
        actor: i64,
        upd: &TicketUpdate,
        now: i64,
    ) -> Result<UpdateOutcome, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let Some(version): Option<i64> =
            sqlx::query_scalar("SELECT version FROM feedback WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
        else {
            return Ok(UpdateOutcome::Missing);
        };
        if version != upd.version {
            return Ok(UpdateOutcome::Conflict(version));
        }
        apply_change(&mut tx, id, actor, upd, None, now).await?;
        tx.commit().await?;
        Ok(UpdateOutcome::Updated)
    }

    /// One change to many tickets, each only if still at the version seen.
    pub async fn bulk_update(
        &self,
        tickets: &[(i64, i64)],
        actor: i64,
        upd: &TicketUpdate,
        add_label: Option<&str>,
        now: i64,
    ) -> Result<(Vec<i64>, Vec<i64>, Vec<i64>), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let (mut updated, mut conflicts, mut missing) = (vec![], vec![], vec![]);
        for &(id, seen) in tickets {
            let v: Option<i64> = sqlx::query_scalar("SELECT version FROM feedback WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            match v {
                None => missing.push(id),
                Some(v) if v != seen => conflicts.push(id),
                Some(_) => {
                    apply_change(&mut tx, id, actor, upd, add_label, now).await?;
                    updated.push(id);
                }
            }
        }
        tx.commit().await?;
        Ok((updated, conflicts, missing))
    }

    /// A ticket as staff see it, with its member's context.
    pub async fn staff_ticket(
        &self,
        id: i64,
        now: i64,
    ) -> Result<Option<StaffTicket>, sqlx::Error> {
        let Some((member_id, ticket)) = self.ticket(id, true).await? else {
            return Ok(None);
        };
        let policy = self.sla_policy().await?;
        let r = sqlx::query(
            "SELECT f.score, f.priority, f.assignee_id, u.name AS assignee_name, f.version,
                    f.first_response_due, f.resolution_due, f.first_response_at, f.resolved_at, f.sla_due,
                    (SELECT group_concat(label, char(31)) FROM feedback_labels l WHERE l.feedback_id = f.id) AS labels
             FROM feedback f LEFT JOIN users u ON u.id = f.assignee_id WHERE f.id = ?",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let sla_due: Option<i64> = r.get("sla_due");
        let assignee_id: Option<i64> = r.get("assignee_id");
        let history = sqlx::query(
            "SELECT e.at, u.name, e.action, e.from_value, e.to_value FROM feedback_events e
             LEFT JOIN users u ON u.id = e.actor_id WHERE e.feedback_id = ? ORDER BY e.at, e.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|e| TicketEvent {
            at: ts(e.get("at")),
            actor: e.get("name"),
            action: e.get("action"),
            from: e.get("from_value"),
            to: e.get("to_value"),
        })
        .collect();
        let member = self.member_context(member_id, id, &policy).await?;
        Ok(Some(StaffTicket {
            ticket,
            score: r.get("score"),
            priority: priority_of(r.get("priority")),
            assignee: assignee_id.map(|id| Agent {
                id,
                name: r
                    .get::<Option<String>, _>("assignee_name")
                    .unwrap_or_default(),
            }),
            labels: labels_of(r.get("labels")),
            version: r.get("version"),
            sla: TicketSla {
                first_response_due: ts_opt(r.get("first_response_due")),
                resolution_due: ts_opt(r.get("resolution_due")),
                first_response_at: ts_opt(r.get("first_response_at")),
                resolved_at: ts_opt(r.get("resolved_at")),
                due_at: ts_opt(sla_due),
                state: sla_state(sla_due, now, policy.due_soon_minutes),
            },
            history,
            member,
        }))
    }

    async fn member_context(
        &self,
        member_id: i64,
        ticket_id: i64,
        policy: &SlaPolicy,
    ) -> Result<MemberContext, sqlx::Error> {
        let m = sqlx::query(
            "SELECT m.id, m.name, m.email, m.card_number, m.status, m.joined_at, t.name AS tier, t.rank,
                    (SELECT COALESCE(SUM(points), 0) FROM ledger_entries WHERE member_id = m.id) AS balance,
                    (SELECT COALESCE(SUM(amount_minor), 0) FROM purchases WHERE member_id = m.id) AS spend,
                    (SELECT COUNT(*) FROM purchases WHERE member_id = m.id) AS purchases,
                    (SELECT MAX(purchased_at) FROM purchases WHERE member_id = m.id) AS last_purchase
             FROM members m LEFT JOIN tiers t ON t.id = m.tier_id WHERE m.id = ?",
        )
        .bind(member_id)
        .fetch_one(&self.pool)
        .await?;
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT purchased_at FROM purchases WHERE member_id = ? ORDER BY purchased_at",
        )
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        let mut gaps: Vec<i64> = times.windows(2).map(|w| (w[1] - w[0]) / 86_400).collect();
        gaps.sort_unstable();
        let usual_gap_days = (!gaps.is_empty()).then(|| gaps[gaps.len() / 2]);
        let other_tickets = self
            .tickets_of(member_id)
            .await?
            .into_iter()
            .filter(|t| t.id != ticket_id)
            .take(10)
            .collect();
        let recent_orders = sqlx::query(
            "SELECT order_ref, amount_minor, category, purchased_at FROM purchases
             WHERE member_id = ? ORDER BY purchased_at DESC, id DESC LIMIT 5",
        )
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|o| OrderSummary {
            order_ref: o.get("order_ref"),
            amount_minor: o.get("amount_minor"),
            category: o.get("category"),
            purchased_at: ts(o.get("purchased_at")),
        })
        .collect();
        let rank: Option<i64> = m.get("rank");
        let currency: String = sqlx::query_scalar("SELECT currency FROM programme WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?
            .unwrap_or_else(|| "CNY".into());
        Ok(MemberContext {
            currency,
            id: m.get("id"),
            name: m.get("name"),
            email: m.get("email"),
            card_number: m.get("card_number"),
            status: m.get("status"),
            tier: m.get("tier"),
            balance: m.get("balance"),
            lifetime_spend_minor: m.get("spend"),
            purchases: m.get("purchases"),
            joined_at: ts(m.get("joined_at")),
            last_purchase_at: ts_opt(m.get("last_purchase")),
            usual_gap_days,
            vip: matches!((policy.vip_min_rank, rank), (Some(min), Some(r)) if r >= min),
            other_tickets,
            recent_orders,
        })
    }

    /// The default priority for a new ticket from `member_id`.
    pub async fn default_priority(&self, member_id: i64) -> Result<Priority, sqlx::Error> {
        let policy = self.sla_policy().await?;
        let rank: Option<i64> = sqlx::query_scalar(
            "SELECT t.rank FROM members m JOIN tiers t ON t.id = m.tier_id WHERE m.id = ?",
        )
        .bind(member_id)
        .fetch_optional(&self.pool)
        .await?
        .flatten();
        Ok(policy.default_priority(rank))
    }

    /// Canned replies, by shortcut.
    pub async fn canned_replies(&self) -> Result<Vec<CannedReply>, sqlx::Error> {
        let rows =
            sqlx::query("SELECT id, shortcut, title, body FROM canned_replies ORDER BY shortcut")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .iter()
            .map(|r| CannedReply {
                id: r.get("id"),
                shortcut: r.get("shortcut"),
                title: r.get("title"),
                body: r.get("body"),
            })
            .collect())
    }

    /// Creates (`id` None) or changes a canned reply. `Ok(None)` when the
    /// shortcut is taken or the reply is missing.
    pub async fn save_canned_reply(
        &self,
        id: Option<i64>,
        input: &CannedReplyInput,
        actor: i64,
        now: i64,
    ) -> Result<Option<CannedReply>, sqlx::Error> {
        let shortcut = input.shortcut.trim().to_lowercase();
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM canned_replies WHERE shortcut = ?")
                .bind(&shortcut)
                .fetch_optional(&self.pool)
                .await?;
        if taken.is_some_and(|t| Some(t) != id) {
            return Ok(None);
        }
        let new_id: Option<i64> = match id {
            None => Some(
                sqlx::query_scalar(
                    "INSERT INTO canned_replies (shortcut, title, body, updated_by, updated_at)
                     VALUES (?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(&shortcut)
                .bind(input.title.trim())
                .bind(input.body.trim())
                .bind(actor)
                .bind(now)
                .fetch_one(&self.pool)
                .await?,
            ),
            Some(id) => sqlx::query_scalar(
                "UPDATE canned_replies SET shortcut = ?, title = ?, body = ?, updated_by = ?, updated_at = ?
                 WHERE id = ? RETURNING id",
            )
            .bind(&shortcut)
            .bind(input.title.trim())
            .bind(input.body.trim())
            .bind(actor)
            .bind(now)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?,
        };
        Ok(new_id.map(|id| CannedReply {
            id,
            shortcut,
            title: input.title.trim().into(),
            body: input.body.trim().into(),
        }))
    }

    /// Deletes a canned reply; false when there was none.
    pub async fn delete_canned_reply(&self, id: i64) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query("DELETE FROM canned_replies WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?
            .rows_affected()
            == 1)
    }

    /// The agent's saved views.
    pub async fn saved_views(&self, user_id: i64) -> Result<Vec<SavedView>, sqlx::Error> {
        let rows =
            sqlx::query("SELECT id, name, query FROM saved_views WHERE user_id = ? ORDER BY name")
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .iter()
            .map(|r| SavedView {
                id: r.get("id"),
                name: r.get("name"),
                query: r.get("query"),
            })
            .collect())
    }

    /// Saves (or replaces, by name) one of the agent's views.
    pub async fn save_view(
        &self,
        user_id: i64,
        name: &str,
        query: &str,
        now: i64,
    ) -> Result<SavedView, sqlx::Error> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO saved_views (user_id, name, query, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(query)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(SavedView {
            id,
            name: name.into(),
            query: query.into(),
        })
    }

    /// Deletes one of the agent's own views; false when it is not theirs.
    pub async fn delete_view(&self, user_id: i64, id: i64) -> Result<bool, sqlx::Error> {
        Ok(
            sqlx::query("DELETE FROM saved_views WHERE id = ? AND user_id = ?")
                .bind(id)
                .bind(user_id)
                .execute(&self.pool)
                .await?
                .rows_affected()
                == 1,
        )
    }

    /// Tickets created in `[from, to)` for the SLA report: (agent name,
    /// priority, created, first response due/at, resolution due/at).
    pub async fn sla_rows(&self, from: i64, to: i64) -> Result<Vec<SlaFacts>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT u.name AS agent, f.priority, f.created_at, f.first_response_due, f.first_response_at,
                    f.resolution_due, f.resolved_at
             FROM feedback f LEFT JOIN users u ON u.id = f.assignee_id
             WHERE f.created_at >= ? AND f.created_at < ? AND f.first_response_due IS NOT NULL",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| SlaFacts {
                agent: r.get("agent"),
                priority: priority_of(r.get("priority")),
                created_at: r.get("created_at"),
                first_response_due: r
                    .get::<Option<i64>, _>("first_response_due")
                    .unwrap_or_default(),
                first_response_at: r.get("first_response_at"),
                resolution_due: r
                    .get::<Option<i64>, _>("resolution_due")
                    .unwrap_or_default(),
                resolved_at: r.get("resolved_at"),
            })
            .collect())
    }

    /// Survey answers in `[from, to)`: (created, kind, score, tier name) and
    /// ticket ratings (rated at, csat, agent name).
    pub async fn survey_rows(&self, from: i64, to: i64) -> Result<Vec<SurveyFact>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT f.created_at AS at, f.kind, f.score, t.name AS tier, NULL AS agent
             FROM feedback f JOIN members m ON m.id = f.member_id LEFT JOIN tiers t ON t.id = m.tier_id
             WHERE f.kind IN ('nps', 'csat') AND f.score IS NOT NULL AND f.created_at >= ? AND f.created_at < ?
             UNION ALL
             SELECT COALESCE(f.resolved_at, f.updated_at) AS at, 'ticket' AS kind, f.csat_score AS score,
                    t.name AS tier, u.name AS agent
             FROM feedback f JOIN members m ON m.id = f.member_id LEFT JOIN tiers t ON t.id = m.tier_id
                LEFT JOIN users u ON u.id = f.assignee_id
             WHERE f.csat_score IS NOT NULL AND COALESCE(f.resolved_at, f.updated_at) >= ?
                AND COALESCE(f.resolved_at, f.updated_at) < ?",
        )
        .bind(from)
        .bind(to)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| SurveyFact {
                at: r.get("at"),
                kind: r.get("kind"),
                score: r.get("score"),
                tier: r.get("tier"),
                agent: r.get("agent"),
            })
            .collect())
    }
}

/// A ticket's SLA facts, for the report.
#[derive(Debug, Clone)]
pub struct SlaFacts {
    pub agent: Option<String>,
    pub priority: Priority,
    pub created_at: i64,
    pub first_response_due: i64,
    pub first_response_at: Option<i64>,
    pub resolution_due: i64,
    pub resolved_at: Option<i64>,
}

/// A survey answer or ticket rating, for the report.
#[derive(Debug, Clone)]
pub struct SurveyFact {
    pub at: i64,
    /// `nps`, `csat` (an order rating) or `ticket` (a rating of support).
    pub kind: String,
    pub score: i64,
    pub tier: Option<String>,
    pub agent: Option<String>,
}
