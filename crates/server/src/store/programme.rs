//! Programme settings and tiers.

use crate::store::db;
use patron_core::summary::{TierBasis, TierRef, TierWindow};
use patron_core::tiers::TierPolicy;
use sqlx::Row;

use super::Store;

/// The programme's settings.
#[derive(Debug, Clone)]
pub struct Programme {
    pub name: String,
    pub currency: String,
    pub point_value_centi_minor: i64,
    pub time_zone: String,
    pub policy: TierPolicy,
    pub pending_days: i64,
    pub expiry_months: Option<i64>,
    pub expiry: patron_core::admin::ExpiryRule,
}

impl Store {
    /// The programme (there is exactly one).
    pub async fn programme(&self) -> Result<Programme, sqlx::Error> {
        let r = db::query(
            "SELECT name, currency, point_value_centi_minor, time_zone, tier_basis, tier_window,
                    tier_window_months, pending_days, expiry_months, expiry_rule
             FROM programme WHERE id = 1",
        )
        .fetch_one(&self.pool)
        .await?;
        let basis = match r.get::<&str, _>("tier_basis") {
            "amount_spent" => TierBasis::AmountSpent,
            _ => TierBasis::PointsEarned,
        };
        let window = match r.get::<&str, _>("tier_window") {
            "calendar_year" => TierWindow::CalendarYear,
            "lifetime" => TierWindow::Lifetime,
            _ => TierWindow::RollingMonths {
                months: r.get::<Option<i64>, _>("tier_window_months").unwrap_or(12) as u32,
            },
        };
        Ok(Programme {
            name: r.get("name"),
            currency: r.get("currency"),
            point_value_centi_minor: r.get("point_value_centi_minor"),
            time_zone: r.get("time_zone"),
            policy: TierPolicy { basis, window },
            pending_days: r.get("pending_days"),
            expiry_months: r.get("expiry_months"),
            expiry: match r.get::<&str, _>("expiry_rule") {
                "never" => patron_core::admin::ExpiryRule::Never,
                "end_of_next_year" => patron_core::admin::ExpiryRule::EndOfNextYear,
                _ => patron_core::admin::ExpiryRule::MonthsAfterEarning {
                    months: r.get::<Option<i64>, _>("expiry_months").unwrap_or(12) as u32,
                },
            },
        })
    }

    /// Active tiers, lowest threshold first.
    pub async fn tiers(&self) -> Result<Vec<TierRef>, sqlx::Error> {
        let rows = db::query(
            "SELECT id, name, threshold, colour FROM tiers WHERE active ORDER BY threshold, rank",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| TierRef {
                id: r.get("id"),
                name: r.get("name"),
                threshold: r.get("threshold"),
                colour: r.get("colour"),
            })
            .collect())
    }

    /// Whether the database holds a programme yet (seeding is needed if not).
    pub async fn is_seeded(&self) -> Result<bool, sqlx::Error> {
        let n: i64 = db::query_scalar("SELECT COUNT(*) FROM programme")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }
}

impl Store {
    /// Active tiers with multipliers and perks, lowest first.
    pub async fn tiers_detailed(
        &self,
    ) -> Result<Vec<patron_core::programme::TierInfo>, sqlx::Error> {
        let rows = db::query(
            "SELECT id, name, threshold, colour, earn_multiplier_pct, perks
             FROM tiers WHERE active ORDER BY threshold, rank",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| patron_core::programme::TierInfo {
                tier: TierRef {
                    id: r.get("id"),
                    name: r.get("name"),
                    threshold: r.get("threshold"),
                    colour: r.get("colour"),
                },
                earn_multiplier_pct: r.get("earn_multiplier_pct"),
                perks: r
                    .get::<&str, _>("perks")
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect(),
            })
            .collect())
    }
}
