//! Earning rules as admins manage them: the rule list, the simulator,
//! recorded purchases and returns, and API keys for `POST /transactions`.

use chrono::{DateTime, Utc};

use crate::earning::{BasketLine, EarningRule, Evaluation, RuleHit};

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
