//! Reading the points ledger.

use patron_core::ledger::{KindTotals, Lot};
use patron_core::summary::{EntryKind, LedgerEntry, TierBasis};
use patron_core::tier::Activity;
use sqlx::Row;

use super::{ts, ts_opt, Store};

impl Store {
    /// The member's lots (positive entries) with what each has left.
    pub async fn member_lots(&self, member_id: i64) -> Result<Vec<Lot>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT e.id, e.points, COALESCE(e.available_at, e.created_at) AS available_at,
                    e.expires_at,
                    COALESCE((SELECT SUM(a.points) FROM lot_allocations a WHERE a.lot_id = e.id), 0) AS used
             FROM ledger_entries e
             WHERE e.member_id = ? AND e.points > 0",
        )
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Lot {
                id: r.get("id"),
                points: r.get("points"),
                used: r.get("used"),
                available_at: ts(r.get("available_at")),
                expires_at: ts_opt(r.get("expires_at")),
            })
            .collect())
    }

    /// Signed totals per entry kind for a member.
    pub async fn kind_totals(&self, member_id: i64) -> Result<KindTotals, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT kind, SUM(points) AS total FROM ledger_entries WHERE member_id = ? GROUP BY kind",
        )
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        let mut t = KindTotals::default();
        for r in rows {
            if let Some(kind) = EntryKind::parse(r.get::<&str, _>("kind")) {
                t.add(kind, r.get("total"));
            }
        }
        Ok(t)
    }

    /// The newest `limit` entries of a member, with lot state for lots.
    pub async fn recent_entries(
        &self,
        member_id: i64,
        limit: i64,
        now: i64,
    ) -> Result<Vec<LedgerEntry>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT e.id, e.kind, e.points, e.created_at, e.reason,
                    COALESCE(e.available_at, e.created_at) AS available_at, e.expires_at,
                    COALESCE((SELECT SUM(a.points) FROM lot_allocations a WHERE a.lot_id = e.id), 0) AS used
             FROM ledger_entries e
             WHERE e.member_id = ?
             ORDER BY e.created_at DESC, e.id DESC
             LIMIT ?",
        )
        .bind(member_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let now = ts(now);
        Ok(rows
            .iter()
            .filter_map(|r| {
                let kind = EntryKind::parse(r.get::<&str, _>("kind"))?;
                let points: i64 = r.get("points");
                let lot = (points > 0).then(|| Lot {
                    id: r.get("id"),
                    points,
                    used: r.get("used"),
                    available_at: ts(r.get("available_at")),
                    expires_at: ts_opt(r.get("expires_at")),
                });
                Some(LedgerEntry {
                    id: r.get("id"),
                    kind,
                    points,
                    created_at: ts(r.get("created_at")),
                    reason: r.get("reason"),
                    available_at: lot.as_ref().map(|l| l.available_at),
                    expires_at: lot.as_ref().and_then(|l| l.expires_at),
                    state: lot.as_ref().map(|l| l.state(now)),
                })
            })
            .collect())
    }

    /// What counts towards tiers for a member under `basis`.
    pub async fn tier_activity(
        &self,
        member_id: i64,
        basis: TierBasis,
    ) -> Result<Vec<Activity>, sqlx::Error> {
        let sql = match basis {
            TierBasis::PointsEarned => {
                "SELECT created_at AS at, points AS value FROM ledger_entries
                 WHERE member_id = ? AND kind IN ('earn', 'reverse')"
            }
            TierBasis::AmountSpent => {
                "SELECT purchased_at AS at, amount_minor AS value FROM purchases WHERE member_id = ?"
            }
        };
        let rows = sqlx::query(sql)
            .bind(member_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| Activity {
                at: ts(r.get("at")),
                value: r.get("value"),
            })
            .collect())
    }

    /// Points all members hold (sum of every entry).
    pub async fn outstanding_points(&self) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COALESCE(SUM(points), 0) FROM ledger_entries")
            .fetch_one(&self.pool)
            .await
    }
}
