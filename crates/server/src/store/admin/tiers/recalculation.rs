//! Tier recalculation runs: the run itself (recorded in `tier_runs`, each
//! move in `tier_history`), the newest run, and whether a scheduled one is due.

use crate::store::db;
use chrono::{DateTime, Utc};
use patron_core::admin::{RecalcRun, Recalculation};
use patron_core::tiers::{earned_index, recalculated};
use patron_core::time::zone;
use sqlx::Row;

use super::standings::downgrade_of;
use crate::store::{ts, Store};

impl Store {
    /// The newest recalculation run.
    pub async fn last_tier_run(&self) -> Result<Option<RecalcRun>, sqlx::Error> {
        let r = db::query("SELECT * FROM tier_runs ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.map(|r| RecalcRun {
            id: r.get("id"),
            trigger: r.get("trigger"),
            started_at: ts(r.get("started_at")),
            finished_at: ts(r.get("finished_at")),
            members: r.get("members"),
            up: r.get("up"),
            down: r.get("down"),
            unchanged: r.get("unchanged"),
            in_grace: r.get("in_grace"),
            locked: r.get("locked"),
        }))
    }

    /// Runs tier recalculation for every member (or one) now: idempotent,
    /// recorded in `tier_runs` and each move in `tier_history`.
    pub async fn recalculate_tiers(
        &self,
        trigger: &str,
        actor: Option<i64>,
        only: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<RecalcRun, sqlx::Error> {
        let settings = self.programme_settings().await?;
        let tiers = self.tiers().await?;
        // Every tier's threshold and name, inactive ones too (a member may
        // be recorded in one).
        let all_tiers = self.admin_tiers().await?;
        let thresholds: std::collections::HashMap<i64, i64> = all_tiers
            .iter()
            .filter_map(|t| Some((t.id?, t.threshold)))
            .collect();
        let names: std::collections::HashMap<i64, String> = all_tiers
            .into_iter()
            .filter_map(|t| Some((t.id?, t.name)))
            .collect();
        let p = settings.tier_policy;
        let standings = self
            .standings(p.basis, p.window, &settings.time_zone, now, only)
            .await?;
        let mut run = RecalcRun {
            id: 0,
            trigger: trigger.to_string(),
            started_at: now,
            finished_at: now,
            members: standings.len() as i64,
            up: 0,
            down: 0,
            unchanged: 0,
            in_grace: 0,
            locked: 0,
        };
        // (member, from tier, to tier, downgrade_due)
        let mut changes: Vec<(i64, Option<i64>, i64, Option<i64>)> = Vec::new();
        for s in &standings {
            if s.locked {
                run.locked += 1;
                continue;
            }
            let earned = earned_index(&tiers, s.this, s.last_year);
            let held = tiers.iter().position(|t| t.id == s.tier_id);
            let (to, due) = match held {
                Some(h) => recalculated(
                    h,
                    earned,
                    downgrade_of(p.downgrade),
                    p.grace_days as i64,
                    s.downgrade_due,
                    now,
                ),
                // The recorded tier was deactivated: place them afresh.
                None => (earned, None),
            };
            let to_id = tiers[to].id;
            if due.is_some() {
                run.in_grace += 1;
            }
            let due_ts = due.map(|d| d.timestamp());
            if to_id == s.tier_id {
                run.unchanged += 1;
                if due_ts != s.downgrade_due.map(|d| d.timestamp()) {
                    changes.push((s.id, None, to_id, due_ts));
                }
                continue;
            }
            let from_threshold = thresholds.get(&s.tier_id).copied().unwrap_or(0);
            if tiers[to].threshold > from_threshold {
                run.up += 1;
            } else {
                run.down += 1;
            }
            changes.push((s.id, Some(s.tier_id), to_id, due_ts));
        }
        let mut tx = self.begin_write().await?;
        // Expired locks end here, with a history line.
        let ended = db::query(
            "SELECT id, tier_id FROM members WHERE tier_locked_id IS NOT NULL AND tier_lock_until <= ?",
        )
        .bind(now.timestamp())
        .fetch_all(&mut *tx)
        .await?;
        let finished = self.now().max(now);
        let run_id: i64 = db::query_scalar(
            "INSERT INTO tier_runs (trigger, actor_user_id, started_at, finished_at, members, up, down, unchanged, in_grace, locked)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(trigger)
        .bind(actor)
        .bind(now.timestamp())
        .bind(finished.timestamp())
        .bind(run.members)
        .bind(run.up)
        .bind(run.down)
        .bind(run.unchanged)
        .bind(run.in_grace)
        .bind(run.locked)
        .fetch_one(&mut *tx)
        .await?;
        for r in ended {
            let id: i64 = r.get("id");
            if only.is_some_and(|o| o != id) {
                continue;
            }
            db::query("UPDATE members SET tier_locked_id = NULL, tier_lock_reason = NULL, tier_lock_until = NULL, tier_lock_by = NULL WHERE id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            db::query("INSERT INTO tier_history (member_id, from_tier_id, to_tier_id, reason, run_id, at) VALUES (?, ?, ?, 'lock ended', ?, ?)")
                .bind(id)
                .bind(r.get::<i64, _>("tier_id"))
                .bind(r.get::<i64, _>("tier_id"))
                .bind(run_id)
                .bind(now.timestamp())
                .execute(&mut *tx)
                .await?;
        }
        for (id, from, to, due) in &changes {
            // Only if nothing changed the member meanwhile (a lock, another run).
            let expected = from.unwrap_or(*to);
            let done = db::query(
                "UPDATE members SET tier_id = ?, downgrade_due_at = ?
                 WHERE id = ? AND tier_id = ? AND tier_locked_id IS NULL",
            )
            .bind(to)
            .bind(due)
            .bind(id)
            .bind(expected)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                continue;
            }
            if let Some(from) = from {
                db::query(
                    "INSERT INTO tier_history (member_id, from_tier_id, to_tier_id, reason, run_id, at)
                     VALUES (?, ?, ?, ?, ?, ?)",
                )
                .bind(id)
                .bind(from)
                .bind(to)
                .bind(format!("recalculation ({trigger})"))
                .bind(run_id)
                .bind(now.timestamp())
                .execute(&mut *tx)
                .await?;
                // The member hears of it (the tier-up / tier-down automation).
                let up = thresholds.get(to) > thresholds.get(from);
                let left = names.get(from).map(String::as_str).unwrap_or_default();
                crate::store::messaging::events::tier_change(
                    &mut tx,
                    *id,
                    up,
                    left,
                    run_id,
                    now.timestamp(),
                )
                .await?;
            }
        }
        tx.commit().await?;
        run.id = run_id;
        run.finished_at = finished;
        tracing::info!(
            trigger,
            members = run.members,
            up = run.up,
            down = run.down,
            in_grace = run.in_grace,
            locked = run.locked,
            "tier recalculation"
        );
        Ok(run)
    }

    /// Whether a scheduled recalculation is due now under `r`, given the
    /// local date of the last scheduled run.
    pub async fn scheduled_recalc_due(&self, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
        let s = self.programme_settings().await?;
        let tz = zone(&s.time_zone);
        let today = patron_core::time::local_date(now, tz);
        let start = patron_core::time::start_of_day(today, tz).timestamp();
        let ran_today: i64 = db::query_scalar(
            "SELECT COUNT(*) FROM tier_runs WHERE trigger IN ('nightly', 'fixed_date') AND started_at >= ?",
        )
        .bind(start)
        .fetch_one(&self.pool)
        .await?;
        if ran_today > 0 {
            return Ok(false);
        }
        use chrono::Datelike;
        Ok(match s.tier_policy.recalculation {
            Recalculation::Nightly => true,
            Recalculation::FixedDate { month, day } => today.month() == month && today.day() == day,
            Recalculation::OnActivity => false,
        })
    }
}
