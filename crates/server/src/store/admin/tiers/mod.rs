//! Programme settings, the tier editor, impact preview, tier locks and the
//! tier recalculation job.

use chrono::{DateTime, Utc};
use patron_core::admin::{
    AdminTier, DowngradeRule, ExpiryRule, ImpactTier, Mover, ProgrammeSettings, RecalcRun,
    Recalculation, TierImpact, TierPlan, TierPolicySettings, TierSetup,
};
use patron_core::summary::{TierBasis, TierRef, TierWindow};
use patron_core::tiers::{earned_index, recalculated, window_bounds, Downgrade};
use patron_core::time::zone;
use serde_json::json;
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::users::UserRow;
use crate::store::{ts, ts_opt, Store, WriteTx};

/// One member's standing as recalculation sees it.
#[derive(Debug, Clone)]
struct Standing {
    id: i64,
    name: String,
    card_number: String,
    tier_id: i64,
    locked: bool,
    downgrade_due: Option<DateTime<Utc>>,
    this: i64,
    last_year: Option<i64>,
}

fn basis_str(b: TierBasis) -> &'static str {
    match b {
        TierBasis::PointsEarned => "points_earned",
        TierBasis::AmountSpent => "amount_spent",
    }
}

fn downgrade_of(d: DowngradeRule) -> Downgrade {
    match d {
        DowngradeRule::DropOne => Downgrade::DropOne,
        DowngradeRule::Recalculate => Downgrade::Recalculate,
    }
}

/// A tier as an audit document.
fn tier_json(t: &AdminTier) -> serde_json::Value {
    json!({
        "name": t.name, "threshold": t.threshold, "earn_multiplier_pct": t.earn_multiplier_pct,
        "perks": t.perks, "colour": t.colour, "icon": t.icon, "active": t.active,
    })
}

/// Settings as an audit document.
pub fn settings_json(s: &ProgrammeSettings) -> serde_json::Value {
    serde_json::to_value(s).unwrap_or_default()
}

impl Store {
    /// The programme's settings in full.
    pub async fn programme_settings(&self) -> Result<ProgrammeSettings, sqlx::Error> {
        let p = self.programme().await?;
        let r = sqlx::query(
            "SELECT tier_recalc, tier_recalc_date, tier_downgrade, tier_grace_days, expiry_rule
             FROM programme WHERE id = 1",
        )
        .fetch_one(&self.pool)
        .await?;
        let recalculation = match r.get::<&str, _>("tier_recalc") {
            "on_activity" => Recalculation::OnActivity,
            "fixed_date" => {
                let d: Option<String> = r.get("tier_recalc_date");
                let (m, day) = d
                    .as_deref()
                    .and_then(|s| s.split_once('-'))
                    .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)))
                    .unwrap_or((1, 1));
                Recalculation::FixedDate { month: m, day }
            }
            _ => Recalculation::Nightly,
        };
        let downgrade = match r.get::<&str, _>("tier_downgrade") {
            "drop_one" => DowngradeRule::DropOne,
            _ => DowngradeRule::Recalculate,
        };
        Ok(ProgrammeSettings {
            name: p.name,
            currency: p.currency,
            point_value_centi_minor: p.point_value_centi_minor,
            time_zone: p.time_zone,
            expiry: p.expiry,
            pending_days: p.pending_days,
            tier_policy: TierPolicySettings {
                basis: p.policy.basis,
                window: p.policy.window,
                recalculation,
                downgrade,
                grace_days: r.get::<i64, _>("tier_grace_days") as u32,
            },
        })
    }

    async fn write_policy(tx: &mut WriteTx<'_>, p: &TierPolicySettings) -> Result<(), sqlx::Error> {
        let (window, months) = match p.window {
            TierWindow::RollingMonths { months } => ("rolling_months", Some(months as i64)),
            TierWindow::CalendarYear => ("calendar_year", None),
            TierWindow::Lifetime => ("lifetime", None),
        };
        let (recalc, date) = match p.recalculation {
            Recalculation::OnActivity => ("on_activity", None),
            Recalculation::Nightly => ("nightly", None),
            Recalculation::FixedDate { month, day } => {
                ("fixed_date", Some(format!("{month:02}-{day:02}")))
            }
        };
        sqlx::query(
            "UPDATE programme SET tier_basis = ?, tier_window = ?, tier_window_months = ?,
                tier_recalc = ?, tier_recalc_date = ?, tier_downgrade = ?, tier_grace_days = ?
             WHERE id = 1",
        )
        .bind(basis_str(p.basis))
        .bind(window)
        .bind(months)
        .bind(recalc)
        .bind(date)
        .bind(match p.downgrade {
            DowngradeRule::DropOne => "drop_one",
            DowngradeRule::Recalculate => "recalculate",
        })
        .bind(p.grace_days as i64)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Saves the programme settings (and their audit row). The tier policy
    /// is not written here: it changes with the tier editor, after a preview.
    pub async fn save_settings(
        &self,
        s: &ProgrammeSettings,
        actor: &UserRow,
    ) -> Result<(), sqlx::Error> {
        let before = self.programme_settings().await?;
        let mut tx = self.begin_write().await?;
        let (rule, months) = match s.expiry {
            ExpiryRule::Never => ("never", None),
            ExpiryRule::MonthsAfterEarning { months } => ("months", Some(months as i64)),
            ExpiryRule::EndOfNextYear => ("end_of_next_year", None),
        };
        sqlx::query(
            "UPDATE programme SET name = ?, currency = ?, point_value_centi_minor = ?, time_zone = ?,
                expiry_rule = ?, expiry_months = ?, pending_days = ? WHERE id = 1",
        )
        .bind(s.name.trim())
        .bind(&s.currency)
        .bind(s.point_value_centi_minor)
        .bind(&s.time_zone)
        .bind(rule)
        .bind(months)
        .bind(s.pending_days)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: "programme.update",
                entity: "programme",
                entity_id: Some("1".into()),
                before: Some(settings_json(&before)),
                after: Some(settings_json(s)),
            },
        )
        .await?;
        tx.commit().await
    }

    /// Every tier (inactive too) in rank order, with member counts.
    pub async fn admin_tiers(&self) -> Result<Vec<AdminTier>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT t.id, t.name, t.threshold, t.earn_multiplier_pct, t.perks, t.colour, t.icon, t.active,
                    (SELECT COUNT(*) FROM members m WHERE m.tier_id = t.id) AS members
             FROM tiers t ORDER BY t.rank",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| AdminTier {
                id: Some(r.get("id")),
                name: r.get("name"),
                threshold: r.get("threshold"),
                earn_multiplier_pct: r.get("earn_multiplier_pct"),
                perks: r
                    .get::<&str, _>("perks")
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect(),
                colour: r.get("colour"),
                icon: r.get("icon"),
                active: r.get("active"),
                members: r.get("members"),
            })
            .collect())
    }

    /// The tier editor's data.
    pub async fn tier_setup(&self) -> Result<TierSetup, sqlx::Error> {
        Ok(TierSetup {
            plan: TierPlan {
                tiers: self.admin_tiers().await?,
                policy: self.programme_settings().await?.tier_policy,
            },
            last_run: self.last_tier_run().await?,
        })
    }

    /// The newest recalculation run.
    pub async fn last_tier_run(&self) -> Result<Option<RecalcRun>, sqlx::Error> {
        let r = sqlx::query("SELECT * FROM tier_runs ORDER BY id DESC LIMIT 1")
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

    /// Whether `id` names an existing tier.
    pub async fn tier_exists(&self, id: i64) -> Result<bool, sqlx::Error> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tiers WHERE id = ?")
                .bind(id)
                .fetch_one(&self.pool)
                .await?
                > 0,
        )
    }

    /// Saves a validated tier plan (ids must exist) and its audit rows.
    /// Returns nothing moved yet: the caller runs the recalculation.
    pub async fn save_tier_plan(
        &self,
        plan: &TierPlan,
        actor: &UserRow,
    ) -> Result<(), sqlx::Error> {
        let before = self.tier_setup().await?;
        let mut tx = self.begin_write().await?;
        // Ranks are unique: move every tier out of the way first.
        sqlx::query("UPDATE tiers SET rank = rank + 100000")
            .execute(&mut *tx)
            .await?;
        for (rank, t) in plan.tiers.iter().enumerate() {
            let perks = t
                .perks
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            let (action, id, old) = match t.id {
                Some(id) => {
                    sqlx::query(
                        "UPDATE tiers SET name = ?, rank = ?, threshold = ?, earn_multiplier_pct = ?,
                            colour = ?, icon = ?, active = ?, perks = ? WHERE id = ?",
                    )
                    .bind(t.name.trim())
                    .bind(rank as i64)
                    .bind(t.threshold)
                    .bind(t.earn_multiplier_pct)
                    .bind(&t.colour)
                    .bind(t.icon.trim())
                    .bind(t.active)
                    .bind(&perks)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    let old = before.plan.tiers.iter().find(|o| o.id == Some(id));
                    ("tier.update", id, old.map(tier_json))
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO tiers (name, rank, threshold, earn_multiplier_pct, colour, icon, active, perks)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    )
                    .bind(t.name.trim())
                    .bind(rank as i64)
                    .bind(t.threshold)
                    .bind(t.earn_multiplier_pct)
                    .bind(&t.colour)
                    .bind(t.icon.trim())
                    .bind(t.active)
                    .bind(&perks)
                    .fetch_one(&mut *tx)
                    .await?;
                    ("tier.create", id, None)
                }
            };
            let new = tier_json(t);
            if old.as_ref() != Some(&new) {
                self.audit(
                    &mut tx,
                    AuditRecord {
                        actor,
                        action,
                        entity: "tier",
                        entity_id: Some(id.to_string()),
                        before: old,
                        after: Some(new),
                    },
                )
                .await?;
            }
        }
        if before.plan.policy != plan.policy {
            Self::write_policy(&mut tx, &plan.policy).await?;
            self.audit(
                &mut tx,
                AuditRecord {
                    actor,
                    action: "tier_policy.update",
                    entity: "programme",
                    entity_id: Some("1".into()),
                    before: serde_json::to_value(before.plan.policy).ok(),
                    after: serde_json::to_value(plan.policy).ok(),
                },
            )
            .await?;
        }
        tx.commit().await
    }

    /// Every member's (or one member's) qualifying sums under `policy` now.
    async fn standings(
        &self,
        basis: TierBasis,
        window: TierWindow,
        tz: &str,
        now: DateTime<Utc>,
        only: Option<i64>,
    ) -> Result<Vec<Standing>, sqlx::Error> {
        let b = window_bounds(window, now, zone(tz));
        let from = b.from.map_or(i64::MIN, |t| t.timestamp());
        let (ly_from, ly_to) = b
            .last_year
            .map_or((0, 0), |(a, z)| (a.timestamp(), z.timestamp()));
        let (source, member_filter) = match basis {
            TierBasis::PointsEarned => (crate::store::ledger::TIER_POINTS, " AND e.member_id = ?4"),
            TierBasis::AmountSpent => (crate::store::ledger::TIER_SPEND, " AND p.member_id = ?4"),
        };
        let member_filter = if only.is_some() { member_filter } else { "" };
        let m_filter = if only.is_some() {
            " WHERE m.id = ?4"
        } else {
            ""
        };
        let sql = format!(
            "WITH a AS ({source}{member_filter}),
                  s AS (SELECT member_id,
                           SUM(CASE WHEN at >= ?1 AND at <= ?5 THEN v ELSE 0 END) AS this,
                           SUM(CASE WHEN at >= ?2 AND at < ?3 THEN v ELSE 0 END) AS last
                        FROM a GROUP BY member_id)
             SELECT m.id, m.name, m.card_number, m.tier_id,
                    (m.tier_locked_id IS NOT NULL AND (m.tier_lock_until IS NULL OR m.tier_lock_until > ?5)) AS locked,
                    m.downgrade_due_at, COALESCE(s.this, 0) AS this, COALESCE(s.last, 0) AS last
             FROM members m LEFT JOIN s ON s.member_id = m.id{m_filter} ORDER BY m.id"
        );
        let rows = sqlx::query(&sql)
            .bind(from)
            .bind(ly_from)
            .bind(ly_to)
            .bind(only.unwrap_or(0))
            .bind(now.timestamp())
            .fetch_all(&self.pool)
            .await?;
        let has_last = b.last_year.is_some();
        Ok(rows
            .iter()
            .map(|r| Standing {
                id: r.get("id"),
                name: r.get("name"),
                card_number: r.get("card_number"),
                tier_id: r.get("tier_id"),
                locked: r.get("locked"),
                downgrade_due: ts_opt(r.get("downgrade_due_at")),
                this: r.get("this"),
                last_year: has_last.then(|| r.get("last")),
            })
            .collect())
    }

    /// What saving `plan` would do now (nothing is written).
    pub async fn tier_impact(
        &self,
        plan: &TierPlan,
        now: DateTime<Utc>,
    ) -> Result<TierImpact, sqlx::Error> {
        let settings = self.programme_settings().await?;
        let old_tiers = self.tiers().await?;
        let new_tiers: Vec<TierRef> = plan
            .tiers
            .iter()
            .filter(|t| t.active)
            .enumerate()
            .map(|(i, t)| TierRef {
                // New tiers get negative ids so they never match old ones.
                id: t.id.unwrap_or(-(i as i64) - 1),
                name: t.name.trim().to_string(),
                threshold: t.threshold,
                colour: t.colour.clone(),
            })
            .collect();
        let old_policy = settings.tier_policy;
        let same_sums =
            old_policy.basis == plan.policy.basis && old_policy.window == plan.policy.window;
        let before = self
            .standings(
                old_policy.basis,
                old_policy.window,
                &settings.time_zone,
                now,
                None,
            )
            .await?;
        let after = if same_sums {
            before.clone()
        } else {
            self.standings(
                plan.policy.basis,
                plan.policy.window,
                &settings.time_zone,
                now,
                None,
            )
            .await?
        };
        let mut per_tier: Vec<ImpactTier> = old_tiers
            .iter()
            .map(|t| ImpactTier {
                tier: t.name.clone(),
                colour: t.colour.clone(),
                before: 0,
                after: 0,
            })
            .collect();
        for t in &new_tiers {
            if !per_tier.iter().any(|p| p.tier == t.name) {
                per_tier.push(ImpactTier {
                    tier: t.name.clone(),
                    colour: t.colour.clone(),
                    before: 0,
                    after: 0,
                });
            }
        }
        let mut out = TierImpact {
            members: before.len() as i64,
            up: 0,
            down: 0,
            stay: 0,
            locked: 0,
            per_tier: Vec::new(),
            sample_up: Vec::new(),
            sample_down: Vec::new(),
        };
        for (b, a) in before.iter().zip(after.iter()) {
            debug_assert_eq!(a.id, b.id, "both standings are ordered by member id");
            // Moves are counted from the recorded tier, as the run counts them.
            let old_idx = old_tiers
                .iter()
                .position(|t| t.id == b.tier_id)
                .unwrap_or_else(|| earned_index(&old_tiers, b.this, b.last_year));
            let old_name = &old_tiers[old_idx.min(old_tiers.len() - 1)].name;
            let new_held = new_tiers.iter().position(|t| t.id == a.tier_id);
            let new_idx = if a.locked {
                new_held.unwrap_or_else(|| earned_index(&new_tiers, a.this, a.last_year))
            } else {
                let earned = earned_index(&new_tiers, a.this, a.last_year);
                let held = new_held.unwrap_or(earned);
                recalculated(
                    held,
                    earned,
                    downgrade_of(plan.policy.downgrade),
                    plan.policy.grace_days as i64,
                    a.downgrade_due,
                    now,
                )
                .0
            };
            let new_t = &new_tiers[new_idx];
            if let Some(p) = per_tier.iter_mut().find(|p| &p.tier == old_name) {
                p.before += 1;
            }
            if let Some(p) = per_tier.iter_mut().find(|p| p.tier == new_t.name) {
                p.after += 1;
            }
            if a.locked {
                out.locked += 1;
            }
            let old_threshold = old_tiers[old_idx.min(old_tiers.len() - 1)].threshold;
            let mover = || Mover {
                member_id: a.id,
                name: a.name.clone(),
                card_number: a.card_number.clone(),
                from: old_name.clone(),
                to: new_t.name.clone(),
                qualifying: a.this.max(a.last_year.unwrap_or(0)),
            };
            // Rank moves are judged by position in the ranking: compare the
            // member's new tier with where their old tier sits now.
            let old_rank_now = new_tiers.iter().position(|t| t.name == *old_name);
            let up = match old_rank_now {
                Some(r) => new_idx > r,
                None => new_t.threshold > old_threshold,
            };
            let down = match old_rank_now {
                Some(r) => new_idx < r,
                None => new_t.threshold < old_threshold,
            };
            if up {
                out.up += 1;
                if out.sample_up.len() < 10 {
                    out.sample_up.push(mover());
                }
            } else if down {
                out.down += 1;
                if out.sample_down.len() < 10 {
                    out.sample_down.push(mover());
                }
            } else {
                out.stay += 1;
            }
        }
        out.per_tier = per_tier;
        Ok(out)
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
        // Every tier's threshold, inactive ones too (a member may be recorded in one).
        let thresholds: std::collections::HashMap<i64, i64> = self
            .admin_tiers()
            .await?
            .into_iter()
            .filter_map(|t| Some((t.id?, t.threshold)))
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
        let ended = sqlx::query(
            "SELECT id, tier_id FROM members WHERE tier_locked_id IS NOT NULL AND tier_lock_until <= ?",
        )
        .bind(now.timestamp())
        .fetch_all(&mut *tx)
        .await?;
        let finished = self.now().max(now);
        let run_id: i64 = sqlx::query_scalar(
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
            sqlx::query("UPDATE members SET tier_locked_id = NULL, tier_lock_reason = NULL, tier_lock_until = NULL, tier_lock_by = NULL WHERE id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO tier_history (member_id, from_tier_id, to_tier_id, reason, run_id, at) VALUES (?, ?, ?, 'lock ended', ?, ?)")
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
            let done = sqlx::query(
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
                sqlx::query(
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

    /// Locks (or with `tier_id = None` unlocks) a member's tier.
    pub async fn set_tier_lock(
        &self,
        member_id: i64,
        tier_id: Option<i64>,
        reason: &str,
        until: Option<i64>,
        actor: &UserRow,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let old = sqlx::query(
            "SELECT m.tier_id, m.tier_locked_id, m.tier_lock_reason, m.tier_lock_until, t.name AS locked_name
             FROM members m LEFT JOIN tiers t ON t.id = m.tier_locked_id WHERE m.id = ?",
        )
        .bind(member_id)
        .fetch_one(&mut *tx)
        .await?;
        let new_name: Option<String> = match tier_id {
            Some(t) => {
                sqlx::query_scalar("SELECT name FROM tiers WHERE id = ?")
                    .bind(t)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            None => None,
        };
        sqlx::query(
            "UPDATE members SET tier_locked_id = ?, tier_lock_reason = ?, tier_lock_until = ?, tier_lock_by = ?,
                tier_id = COALESCE(?, tier_id), downgrade_due_at = NULL WHERE id = ?",
        )
        .bind(tier_id)
        .bind(tier_id.map(|_| reason.trim().to_string()))
        .bind(tier_id.and(until))
        .bind(tier_id.map(|_| actor.id))
        .bind(tier_id)
        .bind(member_id)
        .execute(&mut *tx)
        .await?;
        let from: i64 = old.get("tier_id");
        sqlx::query(
            "INSERT INTO tier_history (member_id, from_tier_id, to_tier_id, reason, at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(member_id)
        .bind(from)
        .bind(tier_id.unwrap_or(from))
        .bind(if tier_id.is_some() {
            format!("locked by {}: {}", actor.name, reason.trim())
        } else {
            format!("unlocked by {}: {}", actor.name, reason.trim())
        })
        .bind(now)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            AuditRecord {
                actor,
                action: if tier_id.is_some() {
                    "member.tier_lock"
                } else {
                    "member.tier_unlock"
                },
                entity: "member",
                entity_id: Some(member_id.to_string()),
                before: Some(json!({
                    "tier_lock": old.get::<Option<String>, _>("locked_name"),
                    "lock_reason": old.get::<Option<String>, _>("tier_lock_reason"),
                    "lock_until": old.get::<Option<i64>, _>("tier_lock_until"),
                })),
                after: Some(json!({
                    "tier_lock": new_name,
                    "lock_reason": tier_id.map(|_| reason.trim()),
                    "lock_until": tier_id.and(until),
                })),
            },
        )
        .await?;
        tx.commit().await
    }

    /// Whether a scheduled recalculation is due now under `r`, given the
    /// local date of the last scheduled run.
    pub async fn scheduled_recalc_due(&self, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
        let s = self.programme_settings().await?;
        let tz = zone(&s.time_zone);
        let today = patron_core::time::local_date(now, tz);
        let start = patron_core::time::start_of_day(today, tz).timestamp();
        let ran_today: i64 = sqlx::query_scalar(
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
