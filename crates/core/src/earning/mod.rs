//! Earning rules: which rules fire for a purchase and how many points each
//! gives. Pure, so the simulator (browser or server) and the transaction
//! endpoint use the very same evaluation.
//!
//! How a basket is scored:
//! 1. Rules are taken in ascending `priority` (ties by id). Inactive rules
//!    and rules outside their time box are skipped.
//! 2. **Base** gives `points_per_unit` for every whole `unit_minor` of each
//!    line (rounded down per line: a ¥9.99 line earns 9 points at 1 per ¥1).
//! 3. **Category**, **tier** and **promotion** multipliers add the extra
//!    part of the multiplier on the base points of the lines they cover:
//!    ×1.5 on 120 base points adds 60. Each is rounded down on its own.
//!    Multipliers stack additively (×1.5 and ×2 on 100 base add 50 + 100).
//! 4. **Sign-up** gives its points on the member's first purchase;
//!    **birthday** on the first purchase in the birthday month (once a year).
//!    **Referral** is not a basket rule: its points go to the friend and the
//!    referrer at the friend's first purchase (proof that a customer, not a
//!    script, joined with the referrer's code), the referrer's at most
//!    `referrer_daily_cap` times a day.
//! 5. A rule that fires with "stop further rules" ends the evaluation: no
//!    rule of a later priority fires.
//!
//! `rules`: the rule kinds, stored rules and drafts; `evaluation`: scoring a
//! basket; `lots`: the lot dates of earned points and the share a return
//! takes back.

mod evaluation;
mod lots;
mod rules;

#[cfg(test)]
mod tests;

pub use evaluation::{evaluate, BasketLine, EarnContext, Evaluation, RuleHit};
pub use lots::{lot_dates, return_points};
pub use rules::{
    referral_terms, EarningRule, ReferralTerms, RuleDraft, RuleKind, DEFAULT_REFERRER_DAILY_CAP,
};
