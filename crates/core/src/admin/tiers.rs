//! The tier editor: a whole tier plan and its checks, the impact preview
//! of saving it, recalculation runs and a member's tier lock.

use chrono::{DateTime, Utc};

use super::settings::TierPolicySettings;

crate::__wire! {
    /// A tier as the editor shows and saves it.
    pub struct AdminTier {
        /// `None` for a tier to create.
        pub id: Option<i64>,
        pub name: String,
        pub threshold: i64,
        /// Earn multiplier in percent (150 = ×1.5).
        pub earn_multiplier_pct: i64,
        pub perks: Vec<String>,
        /// `#rrggbb`.
        pub colour: String,
        /// A short emoji or symbol shown on the badge (may be empty).
        pub icon: String,
        pub active: bool,
        /// Members recorded in this tier (read only).
        #[serde(default)]
        pub members: i64,
    }
}

crate::__wire! {
    /// A whole tier setup: tiers in rank order (lowest first) and the policy.
    /// `POST /admin/tiers/preview` answers its impact; `PUT /admin/tiers`
    /// saves it and recalculates.
    pub struct TierPlan {
        pub tiers: Vec<AdminTier>,
        pub policy: TierPolicySettings,
    }
}

fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

impl TierPlan {
    /// Field → message for what is wrong. Field names are `tiers.N.field`.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let active: Vec<(usize, &AdminTier)> = self
            .tiers
            .iter()
            .enumerate()
            .filter(|(_, t)| t.active)
            .collect();
        if active.is_empty() {
            out.push(("tiers".into(), "Keep at least one tier active.".into()));
        }
        if self.tiers.len() > 20 {
            out.push(("tiers".into(), "A programme has at most 20 tiers.".into()));
        }
        if let Some((i, t)) = active.first() {
            if t.threshold != 0 {
                out.push((
                    format!("tiers.{i}.threshold"),
                    format!(
                        "The first active tier ({}) must start at 0 so every member has a tier.",
                        t.name.trim()
                    ),
                ));
            }
        }
        for w in active.windows(2) {
            let ((_, a), (j, b)) = (w[0], w[1]);
            if b.threshold <= a.threshold {
                out.push((
                    format!("tiers.{j}.threshold"),
                    format!(
                        "{}'s threshold must be higher than {}'s ({}): thresholds strictly increase with rank.",
                        b.name.trim(),
                        a.name.trim(),
                        a.threshold
                    ),
                ));
            }
        }
        let mut names: Vec<String> = Vec::new();
        for (i, t) in self.tiers.iter().enumerate() {
            let name = t.name.trim();
            if name.is_empty() || name.chars().count() > 40 {
                out.push((
                    format!("tiers.{i}.name"),
                    "Give the tier a name of up to 40 characters.".into(),
                ));
            } else if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                out.push((
                    format!("tiers.{i}.name"),
                    format!("There is already a tier called {name}."),
                ));
            }
            names.push(name.to_string());
            if t.threshold < 0 || t.threshold > 1_000_000_000 {
                out.push((
                    format!("tiers.{i}.threshold"),
                    "A threshold is between 0 and 1,000,000,000.".into(),
                ));
            }
            if !(100..=1_000).contains(&t.earn_multiplier_pct) {
                out.push((
                    format!("tiers.{i}.earn_multiplier_pct"),
                    "The earn multiplier is between 100 % (×1) and 1,000 % (×10).".into(),
                ));
            }
            if !is_colour(&t.colour) {
                out.push((
                    format!("tiers.{i}.colour"),
                    "Use a colour like #c79a2b.".into(),
                ));
            }
            if t.icon.chars().count() > 4 {
                out.push((
                    format!("tiers.{i}.icon"),
                    "An icon is at most 4 characters.".into(),
                ));
            }
            if t.perks.len() > 20 || t.perks.iter().any(|p| p.chars().count() > 120) {
                out.push((
                    format!("tiers.{i}.perks"),
                    "Up to 20 perks of up to 120 characters each.".into(),
                ));
            }
        }
        for (k, v) in self.policy.problems() {
            out.push((format!("policy.{k}"), v.to_string()));
        }
        out
    }
}

crate::__wire! {
    /// A finished tier recalculation.
    pub struct RecalcRun {
        pub id: i64,
        /// `nightly`, `fixed_date`, `tier_change`, `manual`, `activity`.
        pub trigger: String,
        pub started_at: DateTime<Utc>,
        pub finished_at: DateTime<Utc>,
        pub members: i64,
        pub up: i64,
        pub down: i64,
        pub unchanged: i64,
        /// Below their tier but inside the grace period.
        pub in_grace: i64,
        /// Skipped because an admin locked their tier.
        pub locked: i64,
    }
}

crate::__wire! {
    /// `GET /admin/tiers`: every tier (inactive too) and the policy.
    pub struct TierSetup {
        pub plan: TierPlan,
        pub last_run: Option<RecalcRun>,
    }
}

crate::__wire! {
    /// Members per tier before and after a proposed change.
    pub struct ImpactTier {
        pub tier: String,
        pub colour: String,
        pub before: i64,
        pub after: i64,
    }
}

crate::__wire! {
    /// A member who would move.
    pub struct Mover {
        pub member_id: i64,
        pub name: String,
        pub card_number: String,
        pub from: String,
        pub to: String,
        pub qualifying: i64,
    }
}

crate::__wire! {
    /// `POST /admin/tiers/preview`: what saving the plan would do now.
    pub struct TierImpact {
        pub members: i64,
        pub up: i64,
        pub down: i64,
        pub stay: i64,
        /// Locked members (they stay where they are).
        pub locked: i64,
        pub per_tier: Vec<ImpactTier>,
        /// Up to 10 members moving up and 10 moving down.
        pub sample_up: Vec<Mover>,
        pub sample_down: Vec<Mover>,
    }
}

crate::__wire! {
    /// `PUT /admin/members/{id}/tier-lock`: lock (tier set) or unlock.
    pub struct TierLockRequest {
        pub tier_id: Option<i64>,
        pub reason: String,
        /// The lock ends at this instant; `None` keeps it until removed.
        pub until: Option<DateTime<Utc>>,
    }
}
