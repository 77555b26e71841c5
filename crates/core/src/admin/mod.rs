//! The admin console's wire types: programme settings, the tier editor and
//! its impact preview, members, adjustments, rewards, audit log and staff.

use chrono::{DateTime, NaiveDate, Utc};

use crate::auth::Role;
use crate::earning::{BasketLine, EarningRule, Evaluation, RuleHit};
pub use crate::expiry::ExpiryRule;
use crate::summary::{LedgerEntry, MemberSummary, TierBasis, TierWindow};
use crate::support::encode;

// ---------------------------------------------------------------- settings

crate::__wire! {
    /// When tiers are recalculated (upgrades always show at once).
    #[derive(Copy, Eq)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    pub enum Recalculation {
        /// After every purchase or return of the member.
        OnActivity,
        /// Every night shortly after midnight (programme time zone).
        Nightly,
        /// Once a year on a fixed date.
        FixedDate { month: u32, day: u32 },
    }
}

crate::__wire! {
    /// How members who no longer qualify move down.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum DowngradeRule {
        /// One tier per recalculation.
        DropOne,
        /// Straight to where the member stands.
        Recalculate,
    }
}

crate::__wire! {
    /// The tier policy in full.
    #[derive(Copy, Eq)]
    pub struct TierPolicySettings {
        pub basis: TierBasis,
        pub window: TierWindow,
        pub recalculation: Recalculation,
        pub downgrade: DowngradeRule,
        /// Days a member keeps a tier after first falling below it (0: none).
        pub grace_days: u32,
    }
}

impl TierPolicySettings {
    /// Field → message for what is wrong.
    pub fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if let TierWindow::RollingMonths { months } = self.window {
            if !(1..=60).contains(&months) {
                out.push(("window", "A rolling window is between 1 and 60 months."));
            }
        }
        if let Recalculation::FixedDate { month, day } = self.recalculation {
            if NaiveDate::from_ymd_opt(2025, month, day).is_none() {
                out.push((
                    "recalculation",
                    "Pick a date that exists every year (not 29 February).",
                ));
            }
        }
        if self.grace_days > 366 {
            out.push(("grace_days", "A grace period is at most 366 days."));
        }
        out
    }
}

crate::__wire! {
    /// `GET`/`PUT /admin/programme`: the programme's settings.
    pub struct ProgrammeSettings {
        pub name: String,
        /// ISO 4217 code, e.g. CNY.
        pub currency: String,
        /// Money value of one point in 1/100 of a minor unit (100 = 1 fen).
        pub point_value_centi_minor: i64,
        /// IANA zone, e.g. Asia/Shanghai.
        pub time_zone: String,
        pub expiry: ExpiryRule,
        /// Days earned points stay pending (the return period).
        pub pending_days: i64,
        pub tier_policy: TierPolicySettings,
    }
}

impl ProgrammeSettings {
    /// Field → message for what is wrong (`valid_zone` says whether a zone
    /// name is known).
    pub fn problems(&self, valid_zone: impl Fn(&str) -> bool) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            out.push(("name", "The programme needs a name of up to 80 characters."));
        }
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            out.push((
                "currency",
                "Use a three-letter ISO currency code such as CNY.",
            ));
        }
        if !(1..=1_000_000).contains(&self.point_value_centi_minor) {
            out.push((
                "point_value_centi_minor",
                "A point's value must be between 1 and 1,000,000 hundredths of a minor unit.",
            ));
        }
        if !valid_zone(&self.time_zone) {
            out.push(("time_zone", "Use a time zone name such as Asia/Shanghai."));
        }
        if let ExpiryRule::MonthsAfterEarning { months } = self.expiry {
            if !(1..=120).contains(&months) {
                out.push((
                    "expiry",
                    "Points expire between 1 and 120 months after earning.",
                ));
            }
        }
        if !(0..=365).contains(&self.pending_days) {
            out.push(("pending_days", "Pending days must be between 0 and 365."));
        }
        out.extend(self.tier_policy.problems());
        out
    }
}

// ------------------------------------------------------------------- tiers

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

// ---------------------------------------------------------------- earning

crate::__wire! {
    /// `GET /admin/earning-rules`.
    pub struct RuleList {
        pub rules: Vec<EarningRule>,
        /// Categories seen in purchases, for the pickers.
        pub categories: Vec<String>,
    }
}

crate::__wire! {
    /// `POST /admin/earning-rules/simulate`: a member and a basket (or a
    /// past order), against the saved rules or a draft set.
    pub struct SimulateRequest {
        pub member_id: i64,
        #[serde(default)]
        pub lines: Vec<BasketLine>,
        /// Use this past order's lines instead of `lines`.
        pub order_ref: Option<String>,
        /// Evaluate as of this instant (default now).
        pub at: Option<DateTime<Utc>>,
        /// Unsaved rules to try instead of the saved ones.
        pub rules: Option<Vec<EarningRule>>,
    }
}

crate::__wire! {
    /// The simulator's answer.
    pub struct Simulation {
        pub member_name: String,
        pub tier: String,
        pub lines: Vec<BasketLine>,
        pub evaluation: Evaluation,
    }
}

crate::__wire! {
    /// `POST /transactions`: a purchase to earn points on. Name the member
    /// by id or card number. `order_ref` is unique: posting the same order
    /// again answers the first result and earns nothing more.
    pub struct TransactionRequest {
        pub member_id: Option<i64>,
        pub card_number: Option<String>,
        pub order_ref: String,
        pub lines: Vec<BasketLine>,
        /// Default now; at most 1 day ahead.
        pub purchased_at: Option<DateTime<Utc>>,
    }
}

crate::__wire! {
    /// What a recorded purchase earned.
    pub struct TransactionResult {
        pub purchase_id: i64,
        pub order_ref: String,
        pub member_id: i64,
        pub amount_minor: i64,
        pub points: i64,
        /// Pending until then (the return period).
        pub available_at: Option<DateTime<Utc>>,
        pub expires_at: Option<DateTime<Utc>>,
        pub hits: Vec<RuleHit>,
        /// True when this order was already recorded (a retry).
        pub replayed: bool,
    }
}

crate::__wire! {
    /// `POST /transactions/{order_ref}/returns`: money coming back.
    pub struct ReturnRequest {
        pub amount_minor: i64,
    }
}

crate::__wire! {
    /// What a return took back.
    pub struct ReturnResult {
        pub order_ref: String,
        /// Returned so far on this order, this return included.
        pub returned_minor: i64,
        pub points_reversed: i64,
        /// Points the order still holds.
        pub points_left: i64,
    }
}

crate::__wire! {
    /// An API key for `POST /transactions` (the key itself is shown once).
    pub struct ApiKeyInfo {
        pub id: i64,
        pub name: String,
        /// First characters, to recognise it.
        pub prefix: String,
        pub created_at: DateTime<Utc>,
        pub revoked_at: Option<DateTime<Utc>>,
        /// Only in the answer to creating it.
        pub key: Option<String>,
    }
}

crate::__wire! {
    /// `POST /admin/api-keys`.
    pub struct NewApiKey {
        pub name: String,
    }
}

// ----------------------------------------------------------------- members

crate::__wire! {
    /// Member list sort orders.
    #[derive(Copy, Eq, Default)]
    #[serde(rename_all = "snake_case")]
    pub enum MemberSort {
        #[default]
        Name,
        JoinedNewest,
        JoinedOldest,
        LastPurchaseNewest,
        LastPurchaseOldest,
    }
}

impl MemberSort {
    pub const ALL: [MemberSort; 5] = [
        MemberSort::Name,
        MemberSort::JoinedNewest,
        MemberSort::JoinedOldest,
        MemberSort::LastPurchaseNewest,
        MemberSort::LastPurchaseOldest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberSort::Name => "name",
            MemberSort::JoinedNewest => "joined_newest",
            MemberSort::JoinedOldest => "joined_oldest",
            MemberSort::LastPurchaseNewest => "last_purchase_newest",
            MemberSort::LastPurchaseOldest => "last_purchase_oldest",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Rows per page of the member list.
pub const MEMBER_PAGE: i64 = 100;

/// `GET /admin/members?…`: the member table's query. The SPA keeps the same
/// query string in its URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberQuery {
    /// Name (words' starts), email or card number.
    pub q: String,
    pub tier_id: Option<i64>,
    /// `active` or `blocked`.
    pub status: Option<String>,
    pub region: Option<String>,
    pub joined_from: Option<NaiveDate>,
    pub joined_to: Option<NaiveDate>,
    pub last_from: Option<NaiveDate>,
    pub last_to: Option<NaiveDate>,
    pub sort: MemberSort,
    pub offset: i64,
}

impl MemberQuery {
    /// The non-default parts as `key=value` pairs (offset excluded).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.q.trim().is_empty() {
            out.push(("q", self.q.trim().to_string()));
        }
        if let Some(t) = self.tier_id {
            out.push(("tier", t.to_string()));
        }
        if let Some(s) = &self.status {
            out.push(("status", s.clone()));
        }
        if let Some(r) = &self.region {
            out.push(("region", r.clone()));
        }
        for (k, v) in [
            ("joined_from", self.joined_from),
            ("joined_to", self.joined_to),
            ("last_from", self.last_from),
            ("last_to", self.last_to),
        ] {
            if let Some(d) = v {
                out.push((k, d.format("%Y-%m-%d").to_string()));
            }
        }
        if self.sort != MemberSort::default() {
            out.push(("sort", self.sort.as_str().to_string()));
        }
        out
    }

    /// The query string (no `?`), without the offset.
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
        let mut q = MemberQuery::default();
        let bad = |k: &str, m: &str| (k.to_string(), m.to_string());
        let date = |k: &str, v: &str| {
            crate::time::parse_day(v)
                .map(Some)
                .ok_or_else(|| bad(k, crate::time::DAY_HINT))
        };
        for (k, v) in pairs {
            if v.is_empty() {
                continue;
            }
            match k {
                "q" => {
                    if v.chars().count() > 100 {
                        return Err(bad(k, "Search for at most 100 characters."));
                    }
                    q.q = v.trim().to_string()
                }
                "tier" => q.tier_id = Some(v.parse().map_err(|_| bad(k, "Use a tier id."))?),
                "status" => {
                    if v != "active" && v != "blocked" {
                        return Err(bad(k, "Status is active or blocked."));
                    }
                    q.status = Some(v.to_string())
                }
                "region" => q.region = Some(v.to_string()),
                "joined_from" => q.joined_from = date(k, v)?,
                "joined_to" => q.joined_to = date(k, v)?,
                "last_from" => q.last_from = date(k, v)?,
                "last_to" => q.last_to = date(k, v)?,
                "sort" => {
                    q.sort = MemberSort::parse(v).ok_or_else(|| {
                        bad(k, "Sort by name, joined_newest, joined_oldest, last_purchase_newest or last_purchase_oldest.")
                    })?
                }
                "offset" => {
                    q.offset = v
                        .parse()
                        .ok()
                        .filter(|n: &i64| *n >= 0)
                        .ok_or_else(|| bad(k, "The offset is a whole number from 0."))?
                }
                _ => {}
            }
        }
        Ok(q)
    }
}

crate::__wire! {
    /// A row of the member table.
    pub struct MemberListItem {
        pub id: i64,
        pub card_number: String,
        pub name: String,
        pub email: String,
        pub tier: String,
        pub tier_colour: String,
        pub blocked: bool,
        pub tier_locked: bool,
        pub region: String,
        pub city: String,
        pub joined_at: DateTime<Utc>,
        pub last_purchase_at: Option<DateTime<Utc>>,
    }
}

crate::__wire! {
    /// A page of the member table.
    pub struct MemberPage {
        /// Members matching the filters.
        pub total: i64,
        pub offset: i64,
        pub items: Vec<MemberListItem>,
        /// Regions, for the filter.
        pub regions: Vec<String>,
    }
}

crate::__wire! {
    /// An admin's tier lock on a member.
    pub struct TierLock {
        pub tier: String,
        pub reason: String,
        pub until: Option<DateTime<Utc>>,
        pub by: Option<String>,
    }
}

crate::__wire! {
    /// A purchase on the member's profile.
    pub struct PurchaseRow {
        pub id: i64,
        pub order_ref: String,
        pub amount_minor: i64,
        pub returned_minor: i64,
        pub category: String,
        pub purchased_at: DateTime<Utc>,
        pub points: i64,
    }
}

crate::__wire! {
    /// A redemption as admins see it.
    pub struct AdminRedemption {
        pub id: i64,
        pub member_id: i64,
        pub member_name: String,
        pub reward_id: i64,
        pub reward: String,
        pub code: String,
        /// issued, used, expired or cancelled.
        pub status: String,
        pub cost_points: i64,
        pub created_at: DateTime<Utc>,
    }
}

crate::__wire! {
    /// A ticket on the member's profile.
    pub struct TicketBrief {
        pub id: i64,
        pub reference: String,
        pub subject: String,
        pub kind: String,
        pub status: String,
        pub created_at: DateTime<Utc>,
    }
}

crate::__wire! {
    /// A change of a member's recorded tier.
    pub struct TierChange {
        pub from: Option<String>,
        pub to: String,
        /// recalculation, tier_change, lock, unlock, …
        pub reason: String,
        pub at: DateTime<Utc>,
    }
}

crate::__wire! {
    /// `GET /admin/members/{id}`: the member's whole record.
    pub struct MemberProfileAdmin {
        /// What the member sees on their dashboard.
        pub summary: MemberSummary,
        pub email: String,
        pub region: String,
        pub city: String,
        pub age_band: String,
        pub joined_at: DateTime<Utc>,
        pub blocked: bool,
        pub block_reason: Option<String>,
        pub lock: Option<TierLock>,
        /// The newest 200 ledger entries, with who made manual ones.
        pub ledger: Vec<LedgerEntry>,
        pub purchases: Vec<PurchaseRow>,
        pub redemptions: Vec<AdminRedemption>,
        pub tickets: Vec<TicketBrief>,
        pub tier_history: Vec<TierChange>,
        /// RFM scores and churn risk as last computed (`None` before the
        /// first scoring run).
        #[serde(default)]
        pub scores: Option<crate::analytics::MemberScores>,
    }
}

crate::__wire! {
    /// `POST /admin/members/{id}/adjustments` (with an `Idempotency-Key`).
    pub struct AdjustmentRequest {
        /// Positive adds, negative takes away (never below zero available).
        pub points: i64,
        pub reason: String,
    }
}

crate::__wire! {
    /// The ledger entry an adjustment made.
    pub struct AdjustmentResult {
        pub entry_id: i64,
        pub points: i64,
        pub balance: i64,
    }
}

crate::__wire! {
    /// `PUT /admin/members/{id}/block`.
    pub struct BlockRequest {
        pub blocked: bool,
        pub reason: String,
    }
}

// ----------------------------------------------------------------- rewards

crate::__wire! {
    /// What a reward gives.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum RewardType {
        /// `value` percent off.
        DiscountPercent,
        /// `value` minor units off.
        DiscountAmount,
        FreeShipping,
        Gift,
        Custom,
    }
}

crate::__wire! {
    /// Where voucher codes come from.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum CodeSource {
        /// The server makes a random code per redemption.
        Generated,
        /// Codes uploaded by the admin, each used once.
        Pool,
    }
}

crate::__wire! {
    /// A reward as admins write it.
    pub struct RewardDraft {
        pub name: String,
        pub description: String,
        pub reward_type: RewardType,
        /// Percent for `discount_percent`, minor units for `discount_amount`.
        pub value: Option<i64>,
        pub cost_points: i64,
        /// `None`: unlimited.
        pub stock: Option<i64>,
        pub per_member_limit: Option<i64>,
        /// When members can see it in the catalogue.
        pub visible_from: Option<DateTime<Utc>>,
        pub visible_until: Option<DateTime<Utc>>,
        /// When it can be redeemed.
        pub valid_from: Option<DateTime<Utc>>,
        pub valid_until: Option<DateTime<Utc>>,
        pub min_tier_id: Option<i64>,
        /// Offered only to the members of this saved segment: others
        /// neither see nor redeem it.
        pub segment_id: Option<i64>,
        pub code_source: CodeSource,
        /// Codes to add to the pool.
        #[serde(default)]
        pub new_codes: Vec<String>,
        pub image_url: Option<String>,
        /// Archived rewards leave the members' catalogue; vouchers stay valid.
        #[serde(default)]
        pub archived: bool,
    }
}

impl RewardDraft {
    /// Field → message for what is wrong.
    pub fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            out.push(("name", "Give the reward a name of up to 80 characters."));
        }
        if self.description.chars().count() > 1_000 {
            out.push((
                "description",
                "Keep the description under 1,000 characters.",
            ));
        }
        let value_ok = match self.reward_type {
            RewardType::DiscountPercent => self.value.is_some_and(|v| (1..=100).contains(&v)),
            RewardType::DiscountAmount => self.value.is_some_and(|v| v >= 1),
            _ => true,
        };
        if !value_ok {
            out.push((
                "value",
                if self.reward_type == RewardType::DiscountPercent {
                    "A percentage discount is between 1 and 100 %."
                } else {
                    "Enter the amount off."
                },
            ));
        }
        if !(1..=10_000_000).contains(&self.cost_points) {
            out.push((
                "cost_points",
                "The cost is between 1 and 10,000,000 points.",
            ));
        }
        if self.stock.is_some_and(|s| s < 0) {
            out.push(("stock", "Stock cannot be negative."));
        }
        if self.per_member_limit.is_some_and(|s| s < 1) {
            out.push(("per_member_limit", "A limit is at least 1 per member."));
        }
        if let (Some(a), Some(b)) = (self.visible_from, self.visible_until) {
            if b <= a {
                out.push(("visible_until", "The end must be after the start."));
            }
        }
        if let (Some(a), Some(b)) = (self.valid_from, self.valid_until) {
            if b <= a {
                out.push(("valid_until", "The end must be after the start."));
            }
        }
        if let Some(u) = &self.image_url {
            let local_or_https = u.is_empty() || u.starts_with("https://") || u.starts_with('/');
            if !local_or_https || u.len() > 500 {
                out.push((
                    "image_url",
                    "Use an https:// address or a path on this site.",
                ));
            }
        }
        if self.new_codes.len() > 10_000
            || self
                .new_codes
                .iter()
                .any(|c| c.trim().is_empty() || c.len() > 64)
        {
            out.push((
                "new_codes",
                "Up to 10,000 codes of 1–64 characters, one per line.",
            ));
        }
        out
    }
}

crate::__wire! {
    /// A reward in the admin catalogue.
    pub struct AdminReward {
        pub id: i64,
        pub draft: RewardDraft,
        /// Redemptions not cancelled.
        pub redeemed: i64,
        /// Unused pool codes (pool rewards).
        pub codes_left: Option<i64>,
        /// The saved segment it is offered to, if any.
        #[serde(default)]
        pub segment_name: Option<String>,
    }
}

crate::__wire! {
    /// `PATCH /admin/redemptions/{id}`: mark used, or cancel (refunds).
    pub struct RedemptionStatusChange {
        /// `used` or `cancelled`.
        pub status: String,
    }
}

// ------------------------------------------------------------------- audit

crate::__wire! {
    /// One field that an admin write changed.
    pub struct FieldChange {
        pub field: String,
        pub before: Option<String>,
        pub after: Option<String>,
    }
}

crate::__wire! {
    /// A row of the audit log (append-only).
    pub struct AuditEntry {
        pub id: i64,
        pub actor_id: Option<i64>,
        pub actor: String,
        /// e.g. `tier.update`, `member.adjust`.
        pub action: String,
        /// e.g. `tier`, `member`, `reward`.
        pub entity: String,
        pub entity_id: Option<String>,
        pub changes: Vec<FieldChange>,
        pub at: DateTime<Utc>,
    }
}

crate::__wire! {
    /// A page of the audit log, newest first.
    pub struct AuditPage {
        pub total: i64,
        pub offset: i64,
        pub items: Vec<AuditEntry>,
        /// Entity names present, for the filter.
        pub entities: Vec<String>,
    }
}

// ------------------------------------------------------------------- staff

crate::__wire! {
    /// A staff account.
    pub struct StaffAccount {
        pub id: i64,
        pub email: String,
        pub name: String,
        pub role: Role,
        pub active: bool,
        pub created_at: DateTime<Utc>,
    }
}

crate::__wire! {
    /// `POST /admin/staff`.
    pub struct NewStaff {
        pub email: String,
        pub name: String,
        pub role: Role,
        pub password: String,
    }
}

crate::__wire! {
    /// `POST /admin/staff/{id}/password`.
    pub struct PasswordReset {
        pub password: String,
    }
}

crate::__wire! {
    /// `PUT /admin/staff/{id}/active`: deactivating ends every session.
    pub struct StaffActive {
        pub active: bool,
    }
}

crate::__wire! {
    /// What a role may do with one area.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum Access {
        None,
        Own,
        Read,
        Write,
    }
}

crate::__wire! {
    /// A row of the permission matrix.
    pub struct Permission {
        pub area: String,
        pub member: Access,
        pub support: Access,
        pub admin: Access,
    }
}

crate::__wire! {
    /// `GET /admin/staff`: accounts and the read-only permission matrix.
    pub struct StaffList {
        pub staff: Vec<StaffAccount>,
        pub permissions: Vec<Permission>,
    }
}

/// What each role may do, as the server enforces it (`tests/admin.rs`
/// checks a request per row).
pub fn permission_matrix() -> Vec<Permission> {
    use Access::*;
    [
        ("own points, rewards, profile, feedback", Own, None, None),
        ("member records and adjustments", None, None, Write),
        ("tiers and tier policy", Read, Read, Write),
        ("earning rules and transactions", None, None, Write),
        ("rewards catalogue and redemptions", Read, None, Write),
        ("support queue and tickets", Own, Write, Write),
        ("SLA policy and canned replies", None, Read, Write),
        ("staff accounts, settings, audit log", None, None, Write),
    ]
    .into_iter()
    .map(|(area, member, support, admin)| Permission {
        area: area.to_string(),
        member,
        support,
        admin,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier(name: &str, threshold: i64) -> AdminTier {
        AdminTier {
            id: None,
            name: name.into(),
            threshold,
            earn_multiplier_pct: 100,
            perks: vec![],
            colour: "#112233".into(),
            icon: String::new(),
            active: true,
            members: 0,
        }
    }

    fn policy() -> TierPolicySettings {
        TierPolicySettings {
            basis: TierBasis::PointsEarned,
            window: TierWindow::RollingMonths { months: 12 },
            recalculation: Recalculation::Nightly,
            downgrade: DowngradeRule::Recalculate,
            grace_days: 0,
        }
    }

    #[test]
    fn thresholds_must_strictly_increase_among_active_tiers() {
        let mut plan = TierPlan {
            tiers: vec![tier("A", 0), tier("B", 100), tier("C", 100)],
            policy: policy(),
        };
        let p = plan.problems();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, "tiers.2.threshold");
        assert!(p[0].1.contains("higher than B's"));
        plan.tiers[1].active = false;
        assert!(plan.problems().is_empty(), "an inactive tier is not ranked");
        plan.tiers[0].threshold = 5;
        assert_eq!(plan.problems()[0].0, "tiers.0.threshold");
    }

    #[test]
    fn member_query_round_trips_through_the_url() {
        let q = MemberQuery {
            q: "Li Na".into(),
            tier_id: Some(3),
            status: Some("blocked".into()),
            region: Some("East".into()),
            joined_from: NaiveDate::from_ymd_opt(2025, 1, 2),
            sort: MemberSort::JoinedNewest,
            ..Default::default()
        };
        let s = q.to_query();
        assert_eq!(
            s,
            "q=Li%20Na&tier=3&status=blocked&region=East&joined_from=2025-01-02&sort=joined_newest"
        );
        let pairs: Vec<(String, String)> = s
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), v.replace("%20", " "))
            })
            .collect();
        let back =
            MemberQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap();
        assert_eq!(back, q);
        assert_eq!(
            MemberQuery::from_pairs([("sort", "age")]).unwrap_err().0,
            "sort"
        );
    }

    #[test]
    fn settings_name_each_problem() {
        let s = ProgrammeSettings {
            name: "".into(),
            currency: "yuan".into(),
            point_value_centi_minor: 0,
            time_zone: "Mars/Base".into(),
            expiry: ExpiryRule::MonthsAfterEarning { months: 0 },
            pending_days: -1,
            tier_policy: TierPolicySettings {
                recalculation: Recalculation::FixedDate { month: 2, day: 29 },
                ..policy()
            },
        };
        let fields: Vec<&str> = s.problems(|z| z == "UTC").iter().map(|p| p.0).collect();
        assert_eq!(
            fields,
            vec![
                "name",
                "currency",
                "point_value_centi_minor",
                "time_zone",
                "expiry",
                "pending_days",
                "recalculation"
            ]
        );
    }
}
