//! Reading the points ledger.

use std::collections::HashMap;

use crate::store::db;
use patron_core::ledger::{KindTotals, Lot};
use patron_core::summary::{EntryKind, LedgerEntry, TierBasis};
use patron_core::tiers::Activity;
use sqlx::Row;

use super::{ts, ts_opt, Store};

/// Lots (positive entries) with what each has used and lost to expiry;
/// the member condition follows.
const LOTS: &str = "SELECT e.member_id, e.id, e.points, COALESCE(e.available_at, e.created_at) AS available_at,
        e.expires_at,
        COALESCE((SELECT CAST(SUM(a.points) AS BIGINT) FROM lot_allocations a WHERE a.lot_id = e.id), 0) AS used,
        COALESCE((SELECT CAST(SUM(a.points) AS BIGINT) FROM lot_allocations a JOIN ledger_entries x ON x.id = a.entry_id
                  WHERE a.lot_id = e.id AND x.kind = 'expire'), 0) AS expired
     FROM ledger_entries e
     WHERE e.points > 0 AND e.member_id";

fn lots_query(member_id: i64) -> db::Query<'static> {
    db::query(&format!("{LOTS} = ?")).bind(member_id)
}

fn lot(r: &db::DbRow) -> Lot {
    Lot {
        id: r.get("id"),
        points: r.get("points"),
        used: r.get("used"),
        expired: r.get("expired"),
        available_at: ts(r.get("available_at")),
        expires_at: ts_opt(r.get("expires_at")),
    }
}

fn rows_to_lots(rows: Vec<db::DbRow>) -> Vec<Lot> {
    rows.iter().map(lot).collect()
}

/// What counts towards tiers on the points basis: earned points, less
/// points taken back by returns — dated by the purchase they belong to (the
/// earn entry they reference), so a return never shifts credit between
/// windows. Refunds of cancelled vouchers (positive `reverse`) never count.
pub(crate) const TIER_POINTS: &str = "SELECT e.member_id AS member_id,
        CASE WHEN e.kind = 'reverse' THEN COALESCE(r.created_at, e.created_at) ELSE e.created_at END AS at,
        e.points AS v
     FROM ledger_entries e LEFT JOIN ledger_entries r ON r.id = e.ref_entry_id
     WHERE (e.kind = 'earn' OR (e.kind = 'reverse' AND e.points < 0))";

/// The same on the spend basis: each purchase net of what came back.
pub(crate) const TIER_SPEND: &str = "SELECT p.member_id AS member_id, p.purchased_at AS at,
        p.amount_minor - p.returned_minor AS v FROM purchases p WHERE 1 = 1";

impl Store {
    /// The member's lots (positive entries) with what each has left.
    pub async fn member_lots(&self, member_id: i64) -> Result<Vec<Lot>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        lots_query(member_id)
            .fetch_all(&mut *conn)
            .await
            .map(rows_to_lots)
    }

    /// The same inside a write transaction (the lots a debit plans against).
    pub async fn member_lots_in(
        tx: &mut super::WriteTx<'_>,
        member_id: i64,
    ) -> Result<Vec<Lot>, sqlx::Error> {
        lots_query(member_id)
            .fetch_all(&mut **tx)
            .await
            .map(rows_to_lots)
    }

    /// Signed totals per entry kind for a member.
    pub async fn kind_totals(&self, member_id: i64) -> Result<KindTotals, sqlx::Error> {
        let rows = db::query(
            "SELECT kind, CAST(SUM(points) AS BIGINT) AS total FROM ledger_entries WHERE member_id = ? GROUP BY kind",
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
        self.ledger_page(
            member_id,
            &Default::default(),
            None,
            limit,
            now,
            chrono_tz::Tz::UTC,
        )
        .await
    }

    /// What counts towards tiers for a member under `basis`.
    pub async fn tier_activity(
        &self,
        member_id: i64,
        basis: TierBasis,
    ) -> Result<Vec<Activity>, sqlx::Error> {
        let sql = match basis {
            TierBasis::PointsEarned => format!("{TIER_POINTS} AND e.member_id = ?"),
            TierBasis::AmountSpent => format!("{TIER_SPEND} AND p.member_id = ?"),
        };
        let rows = db::query(&sql)
            .bind(member_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| Activity {
                at: ts(r.get("at")),
                value: r.get("v"),
            })
            .collect())
    }

    /// [`Self::member_lots`] for members `ids` (not empty), in one statement.
    pub async fn lots_of(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<Lot>>, sqlx::Error> {
        let mut qb = db::Builder::new(LOTS);
        qb.push_in(ids.iter().copied());
        let mut by = HashMap::<i64, Vec<Lot>>::new();
        for r in qb.build().fetch_all(&self.pool).await? {
            by.entry(r.get("member_id")).or_default().push(lot(&r));
        }
        Ok(by)
    }

    /// [`Self::kind_totals`] for members `ids` (not empty), in one statement.
    pub async fn kind_totals_of(
        &self,
        ids: &[i64],
    ) -> Result<HashMap<i64, KindTotals>, sqlx::Error> {
        let mut qb = db::Builder::new(
            "SELECT member_id, kind, CAST(SUM(points) AS BIGINT) AS total FROM ledger_entries WHERE member_id",
        );
        qb.push_in(ids.iter().copied())
            .push(" GROUP BY member_id, kind");
        let mut by = HashMap::<i64, KindTotals>::new();
        for r in qb.build().fetch_all(&self.pool).await? {
            if let Some(kind) = EntryKind::parse(r.get::<&str, _>("kind")) {
                by.entry(r.get("member_id"))
                    .or_default()
                    .add(kind, r.get("total"));
            }
        }
        Ok(by)
    }

    /// [`Self::tier_activity`] for members `ids` (not empty), in one
    /// statement.
    pub async fn tier_activity_of(
        &self,
        ids: &[i64],
        basis: TierBasis,
    ) -> Result<HashMap<i64, Vec<Activity>>, sqlx::Error> {
        let mut qb = match basis {
            TierBasis::PointsEarned => db::Builder::new(format!("{TIER_POINTS} AND e.member_id")),
            TierBasis::AmountSpent => db::Builder::new(format!("{TIER_SPEND} AND p.member_id")),
        };
        qb.push_in(ids.iter().copied());
        let mut by = HashMap::<i64, Vec<Activity>>::new();
        for r in qb.build().fetch_all(&self.pool).await? {
            by.entry(r.get("member_id")).or_default().push(Activity {
                at: ts(r.get("at")),
                value: r.get("v"),
            });
        }
        Ok(by)
    }

    /// Points all members hold (sum of every entry).
    pub async fn outstanding_points(&self) -> Result<i64, sqlx::Error> {
        db::query_scalar("SELECT COALESCE(CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries")
            .fetch_one(&self.pool)
            .await
    }
}
