//! Members' standings as preview and recalculation see them: each
//! member's recorded tier, lock and window sums under a policy.

use crate::store::db;
use chrono::{DateTime, Utc};
use patron_core::admin::DowngradeRule;
use patron_core::summary::{TierBasis, TierWindow};
use patron_core::tiers::{window_bounds, Downgrade};
use patron_core::time::zone;
use sqlx::Row;

use crate::store::{ts_opt, Store};

/// One member's standing as recalculation sees it.
#[derive(Debug, Clone)]
pub(super) struct Standing {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) card_number: String,
    pub(super) tier_id: i64,
    pub(super) locked: bool,
    pub(super) downgrade_due: Option<DateTime<Utc>>,
    pub(super) this: i64,
    pub(super) last_year: Option<i64>,
}

pub(super) fn downgrade_of(d: DowngradeRule) -> Downgrade {
    match d {
        DowngradeRule::DropOne => Downgrade::DropOne,
        DowngradeRule::Recalculate => Downgrade::Recalculate,
    }
}

impl Store {
    /// Every member's (or one member's) qualifying sums under `policy` now.
    pub(super) async fn standings(
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
                           CAST(SUM(CASE WHEN at >= ?1 AND at <= ?5 THEN v ELSE 0 END) AS BIGINT) AS this,
                           CAST(SUM(CASE WHEN at >= ?2 AND at < ?3 THEN v ELSE 0 END) AS BIGINT) AS last
                        FROM a GROUP BY member_id)
             SELECT m.id, m.name, m.card_number, m.tier_id,
                    (m.tier_locked_id IS NOT NULL AND (m.tier_lock_until IS NULL OR m.tier_lock_until > ?5)) AS locked,
                    m.downgrade_due_at, COALESCE(s.this, 0) AS this, COALESCE(s.last, 0) AS last
             FROM members m LEFT JOIN s ON s.member_id = m.id{m_filter} ORDER BY m.id"
        );
        let rows = db::query(&sql)
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
                locked: r.get::<db::Flag, _>("locked").0,
                downgrade_due: ts_opt(r.get("downgrade_due_at")),
                this: r.get("this"),
                last_year: has_last.then(|| r.get("last")),
            })
            .collect())
    }
}
