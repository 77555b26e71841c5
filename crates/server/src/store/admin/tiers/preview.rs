//! The impact preview: what saving a tier plan would do now, counted as
//! the recalculation run counts (nothing is written).

use chrono::{DateTime, Utc};
use patron_core::admin::{ImpactTier, Mover, TierImpact, TierPlan};
use patron_core::summary::TierRef;
use patron_core::tiers::{earned_index, recalculated};

use super::standings::downgrade_of;
use crate::store::Store;

impl Store {
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
}
