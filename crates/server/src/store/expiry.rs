//! Points expiry in SQL: starting a run (one at a time, by a unique index),
//! finding lapsed lots with points left, writing one `expire` entry per lot
//! in batches, and finishing or failing the run. The schema (migration
//! 0012) refuses a second expiry of a lot and an expiry of less than all
//! that is left of it. The "expiring in the next N days" list is
//! `expiring.rs`.

use crate::store::db;
use crate::store::dialect::lock_member;
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use patron_core::expiry::{abandoned, ExpiryOverview, ExpiryRun, ExpiryRunStatus, OVERVIEW_DAYS};
use sqlx::Row;

use super::{ts, ts_opt, Store};

/// What the history shows for an expiry (translated like other reasons).
pub const EXPIRED_REASON: &str = "Points expired";

/// A run that was started: what it must look at.
#[derive(Debug, Clone)]
pub struct RunPlan {
    pub run_id: i64,
    pub through: i64,
    /// Lots lapsing after this instant were not seen by an earlier run...
    pub from_at: i64,
    /// ...nor lots written after this entry id.
    pub from_id: i64,
}

/// Why no new run started.
#[derive(Debug, Clone)]
pub enum StartOutcome {
    Started(RunPlan),
    /// Another run is going: this one.
    Running(ExpiryRun),
}

/// What one batch did.
#[derive(Debug, Default, Clone, Copy)]
pub struct BatchDone {
    pub lots: i64,
    pub points: i64,
}

const RUN_COLUMNS: &str = "r.id, r.trigger, r.status, u.name AS actor, r.started_at, r.finished_at,
    r.through_at, r.lots, r.members, r.points, r.error
    FROM expiry_runs r LEFT JOIN users u ON u.id = r.actor_user_id";

fn run_of(r: &db::DbRow) -> ExpiryRun {
    ExpiryRun {
        id: r.get("id"),
        trigger: r.get("trigger"),
        status: match r.get::<&str, _>("status") {
            "running" => ExpiryRunStatus::Running,
            "succeeded" => ExpiryRunStatus::Succeeded,
            _ => ExpiryRunStatus::Failed,
        },
        actor: r.get("actor"),
        started_at: ts(r.get("started_at")),
        finished_at: ts_opt(r.get("finished_at")),
        through: ts(r.get("through_at")),
        lots: r.get("lots"),
        members: r.get("members"),
        points: r.get("points"),
        error: r.get("error"),
    }
}

/// Lots (positive entries) with an expiry, and what is left of them.
pub(super) const LEFT: &str =
    "e.points - COALESCE((SELECT CAST(SUM(a.points) AS BIGINT) FROM lot_allocations a WHERE a.lot_id = e.id), 0)";

/// Lots lapsed after `from_at` (bound 1) through `through` (2), or written
/// after `from_id` (3) and lapsed by `through` (4), with points left: what
/// a run must look at (the two halves of the watermark, each on an index).
fn lapsed_sql() -> String {
    format!(
        "SELECT e.id FROM ledger_entries e
           WHERE e.points > 0 AND e.expires_at IS NOT NULL AND e.expires_at > ? AND e.expires_at <= ?
             AND {LEFT} > 0
         UNION
         SELECT e.id FROM ledger_entries e
           WHERE e.id > ? AND e.points > 0 AND e.expires_at IS NOT NULL AND e.expires_at <= ?
             AND {LEFT} > 0"
    )
}

impl Store {
    /// One run by id.
    pub async fn expiry_run(&self, id: i64) -> Result<Option<ExpiryRun>, sqlx::Error> {
        let sql = format!("SELECT {RUN_COLUMNS} WHERE r.id = ?");
        let r = db::query(&sql).bind(id).fetch_optional(&self.pool).await?;
        Ok(r.as_ref().map(run_of))
    }

    async fn newest_run(&self, only_succeeded: bool) -> Result<Option<ExpiryRun>, sqlx::Error> {
        let filter = if only_succeeded {
            "WHERE r.status = 'succeeded'"
        } else {
            ""
        };
        let sql = format!("SELECT {RUN_COLUMNS} {filter} ORDER BY r.id DESC LIMIT 1");
        let r = db::query(&sql).fetch_optional(&self.pool).await?;
        Ok(r.as_ref().map(run_of))
    }

    /// Where the last good run left off: lots lapsing after `from_at` or
    /// written after `from_id` are new to the job. Before any run: all.
    async fn watermark<'e, E>(ex: E) -> Result<(i64, i64), sqlx::Error>
    where
        E: sqlx::Executor<'e, Database = db::Db>,
    {
        let r = db::query(
            "SELECT through_at, scanned_to_id FROM expiry_runs WHERE status = 'succeeded'
             ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(ex)
        .await?;
        Ok(match r {
            Some(r) => (r.get("through_at"), r.get("scanned_to_id")),
            None => (i64::MIN, i64::MAX),
        })
    }

    /// Lapsed lots with points left that the job has not seen, as of `now`.
    async fn lapsed_count(&self, now: i64, limit: i64) -> Result<i64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let (from_at, from_id) = Self::watermark(&mut *tx).await?;
        let sql = format!("SELECT COUNT(*) FROM ({} LIMIT ?) lapsed", lapsed_sql());
        let n = db::query_scalar(&sql)
            .bind(from_at)
            .bind(now)
            .bind(from_id)
            .bind(now)
            .bind(limit)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Whether the scheduler should run expiry now: lots lapsed since the
    /// last good run, or the newest run failed (it is retried) or stopped
    /// reporting (it is marked failed and run again).
    pub async fn expiry_due(&self, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
        if let Some(r) = self.newest_run(false).await? {
            let heartbeat: i64 =
                db::query_scalar("SELECT heartbeat_at FROM expiry_runs WHERE id = ?")
                    .bind(r.id)
                    .fetch_one(&self.pool)
                    .await?;
            match r.status {
                ExpiryRunStatus::Failed => return Ok(true),
                ExpiryRunStatus::Running if abandoned(ts(heartbeat), now) => return Ok(true),
                _ => {}
            }
        }
        Ok(self.lapsed_count(now.timestamp(), 1).await? > 0)
    }

    /// Starts a run through `now`, unless one is going (then that one is
    /// returned). A run silent for too long is marked failed first. Manual
    /// runs are audited with the run they started.
    pub async fn start_expiry_run(
        &self,
        trigger: &str,
        actor: Option<&super::users::UserRow>,
        now: DateTime<Utc>,
    ) -> Result<StartOutcome, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        // Two replicas (or two admins) starting at once: one starts.
        super::dialect::lock_named(&mut tx, "expiry_runs").await?;
        let running =
            db::query("SELECT id, heartbeat_at FROM expiry_runs WHERE status = 'running'")
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(r) = running {
            let id: i64 = r.get("id");
            if abandoned(ts(r.get("heartbeat_at")), now) {
                db::query(
                    "UPDATE expiry_runs SET status = 'failed', finished_at = ?,
                     error = 'interrupted: the run stopped reporting (server stopped?)' WHERE id = ?",
                )
                .bind(now.timestamp())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            } else {
                tx.commit().await?;
                return Ok(StartOutcome::Running(
                    self.expiry_run(id).await?.ok_or(sqlx::Error::RowNotFound)?,
                ));
            }
        }
        let (from_at, from_id) = Self::watermark(&mut *tx).await?;
        let scanned_to: i64 = db::query_scalar("SELECT COALESCE(MAX(id), 0) FROM ledger_entries")
            .fetch_one(&mut *tx)
            .await?;
        let at = now.timestamp();
        let run_id: i64 = db::query_scalar(
            "INSERT INTO expiry_runs (trigger, actor_user_id, status, started_at, heartbeat_at, through_at, scanned_to_id)
             VALUES (?, ?, 'running', ?, ?, ?, ?) RETURNING id",
        )
        .bind(trigger)
        .bind(actor.map(|a| a.id))
        .bind(at)
        .bind(at)
        .bind(at)
        .bind(scanned_to)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(actor) = actor {
            self.audit(
                &mut tx,
                super::audit::AuditRecord {
                    actor,
                    action: "expiry.run",
                    entity: "expiry_run",
                    entity_id: Some(run_id.to_string()),
                    before: None,
                    after: Some(serde_json::json!({ "through": at })),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(StartOutcome::Started(RunPlan {
            run_id,
            through: at,
            from_at,
            from_id,
        }))
    }

    /// The ids of the lots `plan` must look at, oldest first.
    pub async fn lapsed_lots(&self, plan: &RunPlan) -> Result<Vec<i64>, sqlx::Error> {
        let sql = format!("{} ORDER BY 1", lapsed_sql());
        db::query_scalar(&sql)
            .bind(plan.from_at)
            .bind(plan.through)
            .bind(plan.from_id)
            .bind(plan.through)
            .fetch_all(&self.pool)
            .await
    }

    /// Expires what is left of each of `lots` (read again under the write
    /// lock, so a spend that got there first is respected), in one
    /// transaction, and reports progress on the run. `members` collects who
    /// lost points.
    pub async fn expire_lots(
        &self,
        plan: &RunPlan,
        lots: &[i64],
        members: &mut HashSet<i64>,
    ) -> Result<BatchDone, sqlx::Error> {
        let mut done = BatchDone::default();
        let mut tx = self.begin_write().await?;
        if !lots.is_empty() {
            // The lots' members, in id order (so two writers never wait on
            // each other in a circle), before their balances are read.
            let mut owners: Vec<i64> = Vec::new();
            for chunk in lots.chunks(500) {
                let mut qb =
                    db::Builder::new("SELECT DISTINCT member_id FROM ledger_entries WHERE id IN (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                sep.push_unseparated(")");
                owners.extend(qb.build_query_scalar::<i64>().fetch_all(&mut *tx).await?);
            }
            owners.sort_unstable();
            owners.dedup();
            for m in owners {
                lock_member(&mut tx, m).await?;
            }
            let mut qb: db::Builder = db::Builder::new(format!(
                "SELECT e.id, e.member_id, e.expires_at, {LEFT} AS left_points
                 FROM ledger_entries e WHERE e.points > 0 AND e.expires_at <= "
            ));
            qb.push_bind(plan.through).push(" AND e.id IN (");
            let mut sep = qb.separated(", ");
            for id in lots {
                sep.push_bind(*id);
            }
            sep.push_unseparated(") ORDER BY e.id");
            let rows = qb.build().fetch_all(&mut *tx).await?;
            // (lot, member, expires_at, left) of the lots with points left.
            let due: Vec<(i64, i64, i64, i64)> = rows
                .iter()
                .map(|r| {
                    (
                        r.get("id"),
                        r.get("member_id"),
                        r.get("expires_at"),
                        r.get("left_points"),
                    )
                })
                .filter(|d: &(i64, i64, i64, i64)| d.3 > 0)
                .collect();
            // Many rows per statement: the per-statement cost was most of a
            // large catch-up run.
            for part in due.chunks(1_000) {
                let mut qb: db::Builder = db::Builder::new(
                    "INSERT INTO ledger_entries (member_id, kind, points, created_at, ref_entry_id, reason) ",
                );
                qb.push_values(part, |mut b, (lot, member, at, left)| {
                    b.push_bind(*member)
                        .push_bind("expire")
                        .push_bind(-*left)
                        .push_bind(*at)
                        .push_bind(*lot)
                        .push_bind(EXPIRED_REASON);
                });
                qb.push(" RETURNING id, ref_entry_id");
                // RETURNING's order is not promised: match entries by lot.
                let made: std::collections::HashMap<i64, i64> = qb
                    .build_query_as::<(i64, i64)>()
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .map(|(entry, lot)| (lot, entry))
                    .collect();
                let mut qa: db::Builder =
                    db::Builder::new("INSERT INTO lot_allocations (entry_id, lot_id, points) ");
                qa.push_values(part, |mut b, (lot, _, _, left)| {
                    b.push_bind(made.get(lot).copied().unwrap_or_default())
                        .push_bind(*lot)
                        .push_bind(*left);
                });
                qa.build().execute(&mut *tx).await?;
                for (_, member, _, left) in part {
                    members.insert(*member);
                    done.lots += 1;
                    done.points += left;
                }
            }
        }
        db::query(
            "UPDATE expiry_runs SET heartbeat_at = ?, lots = lots + ?, points = points + ?, members = ?
             WHERE id = ?",
        )
        .bind(self.now().timestamp())
        .bind(done.lots)
        .bind(done.points)
        .bind(members.len() as i64)
        .bind(plan.run_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Ends a run: succeeded, or failed with `error`.
    pub async fn finish_expiry_run(
        &self,
        run_id: i64,
        error: Option<&str>,
    ) -> Result<ExpiryRun, sqlx::Error> {
        db::query(
            "UPDATE expiry_runs SET status = ?, finished_at = ?, heartbeat_at = ?, error = ? WHERE id = ?",
        )
        .bind(if error.is_some() { "failed" } else { "succeeded" })
        .bind(self.now().timestamp())
        .bind(self.now().timestamp())
        .bind(error)
        .bind(run_id)
        .execute(&self.pool)
        .await?;
        self.expiry_run(run_id)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// The settings page's view of the job.
    pub async fn expiry_overview(&self, now: DateTime<Utc>) -> Result<ExpiryOverview, sqlx::Error> {
        Ok(ExpiryOverview {
            last_run: self.newest_run(false).await?,
            last_success: self.newest_run(true).await?,
            due_lots: self.lapsed_count(now.timestamp(), i64::MAX).await?,
            upcoming: self.expiring_totals(now, OVERVIEW_DAYS).await?,
        })
    }
}
