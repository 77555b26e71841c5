//! The SLA policy and a ticket's clock: the policy as stored, the
//! deadlines recomputed on every change, and the default priority of a new
//! ticket (the VIP rule).

use crate::store::db;
use patron_core::support::{deadlines, next_due, BusinessHours, Priority, SlaPolicy, SlaTarget};
use sqlx::Row;

use super::rows::{priority_of, status_of};
use crate::store::{Store, WriteTx};

async fn policy_in(conn: &mut sqlx::AnyConnection) -> Result<SlaPolicy, sqlx::Error> {
    let rows =
        db::query("SELECT priority, first_response_minutes, resolution_minutes FROM sla_policy")
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
    let s = db::query(
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

async fn zone_in(conn: &mut sqlx::AnyConnection) -> Result<chrono_tz::Tz, sqlx::Error> {
    let name: Option<String> = db::query_scalar("SELECT time_zone FROM programme WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?;
    Ok(patron_core::time::zone(name.as_deref().unwrap_or("UTC")))
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
    let r = db::query(
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
    db::query(
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
            db::query(
                "UPDATE sla_policy SET first_response_minutes = ?, resolution_minutes = ? WHERE priority = ?",
            )
            .bind(t.first_response_minutes)
            .bind(t.resolution_minutes)
            .bind(t.priority.as_str())
            .execute(&mut *tx)
            .await?;
        }
        db::query(
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
        db::query(
            "UPDATE support_settings SET bh_start_minute = ?, bh_end_minute = ?, bh_days = ? WHERE id = 1",
        )
        .bind(start)
        .bind(end)
        .bind(days)
        .execute(&mut *tx)
        .await?;
        // Open work follows the new policy; handled tickets keep the
        // deadlines they were measured against.
        let open: Vec<i64> = db::query_scalar(
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

    /// The default priority for a new ticket from `member_id`.
    pub async fn default_priority(&self, member_id: i64) -> Result<Priority, sqlx::Error> {
        let policy = self.sla_policy().await?;
        let rank: Option<i64> = db::query_scalar(
            "SELECT t.rank FROM members m JOIN tiers t ON t.id = m.tier_id WHERE m.id = ?",
        )
        .bind(member_id)
        .fetch_optional(&self.pool)
        .await?
        .flatten();
        Ok(policy.default_priority(rank))
    }
}
