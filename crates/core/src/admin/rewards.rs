//! The rewards catalogue as admins write it: a reward draft and its checks,
//! the admin catalogue row and redemption status changes.

use chrono::{DateTime, Utc};

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
