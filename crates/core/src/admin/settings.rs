//! Programme settings and the tier policy (`GET`/`PUT /admin/programme`):
//! when tiers are recalculated, how members move down, the grace period.

use chrono::NaiveDate;

use crate::expiry::ExpiryRule;
use crate::summary::{TierBasis, TierWindow};

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
