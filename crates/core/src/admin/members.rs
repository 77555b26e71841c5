//! The member table and a member's record as admins see it: the list query
//! (kept in the SPA's URL), the profile, adjustments and blocking.

use chrono::{DateTime, NaiveDate, Utc};

use crate::summary::{LedgerEntry, MemberSummary};
use crate::support::encode;

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
