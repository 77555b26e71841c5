//! The points history: filtered, keyset-paginated, newest first.

use crate::store::db;
use chrono_tz::Tz;
use patron_core::history::LedgerFilter;
use patron_core::ledger::Lot;
use patron_core::summary::{EntryKind, LedgerEntry, LotState};
use patron_core::time::{end_of_day, start_of_day};
use sqlx::Row;

use super::{ts, ts_opt, Store};

/// Position after which the next page starts: (created_at, id) of the last row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: i64,
    pub id: i64,
}

impl Cursor {
    /// `1700000000.42`
    pub fn encode(&self) -> String {
        format!("{}.{}", self.created_at, self.id)
    }

    /// Parses [`Cursor::encode`]'s output.
    pub fn decode(s: &str) -> Option<Self> {
        let (a, b) = s.split_once('.')?;
        Some(Self {
            created_at: a.parse().ok()?,
            id: b.parse().ok()?,
        })
    }
}

const ENTRIES_WITH_LOT_USE: &str = "WITH x AS (
    SELECT e.id, e.kind, e.points, e.created_at, e.reason,
           (SELECT u.name FROM users u WHERE u.id = e.actor_user_id) AS actor,
           COALESCE(e.available_at, e.created_at) AS available_at, e.expires_at,
           COALESCE((SELECT CAST(SUM(a.points) AS BIGINT) FROM lot_allocations a WHERE a.lot_id = e.id), 0) AS used,
           COALESCE((SELECT CAST(SUM(a.points) AS BIGINT) FROM lot_allocations a JOIN ledger_entries y ON y.id = a.entry_id
                     WHERE a.lot_id = e.id AND y.kind = 'expire'), 0) AS expired
    FROM ledger_entries e WHERE e.member_id = ";

fn push_filter(qb: &mut db::Builder, f: &LedgerFilter, now: i64, tz: Tz) {
    if let Some(k) = f.kind {
        qb.push(" AND kind = ").push_bind(k.as_str());
    }
    if let Some(d) = f.from {
        qb.push(" AND created_at >= ")
            .push_bind(start_of_day(d, tz).timestamp());
    }
    if let Some(d) = f.to {
        qb.push(" AND created_at <= ")
            .push_bind(end_of_day(d, tz).timestamp());
    }
    match f.state {
        None => {}
        Some(LotState::Pending) => {
            qb.push(" AND points > 0 AND used < points AND available_at > ")
                .push_bind(now);
        }
        Some(LotState::Active) => {
            qb.push(" AND points > 0 AND used < points AND available_at <= ")
                .push_bind(now)
                .push(" AND (expires_at IS NULL OR expires_at > ")
                .push_bind(now)
                .push(")");
        }
        Some(LotState::Spent) => {
            qb.push(" AND points > 0 AND used >= points AND expired = 0");
        }
        Some(LotState::Expired) => {
            qb.push(" AND points > 0 AND (expired > 0 OR (used < points AND expires_at <= ")
                .push_bind(now)
                .push("))");
        }
    }
}

/// A ledger row (with its lot use) as the wire type.
pub(crate) fn entry_from_row(r: &db::DbRow, now: i64) -> Option<LedgerEntry> {
    let kind = EntryKind::parse(r.get::<&str, _>("kind"))?;
    let points: i64 = r.get("points");
    let lot = (points > 0).then(|| Lot {
        id: r.get("id"),
        points,
        used: r.get("used"),
        expired: r.get("expired"),
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
        state: lot.as_ref().map(|l| l.state(ts(now))),
        actor: r.get("actor"),
    })
}

impl Store {
    /// One page of a member's history after `cursor`, newest first.
    pub async fn ledger_page(
        &self,
        member_id: i64,
        filter: &LedgerFilter,
        cursor: Option<Cursor>,
        limit: i64,
        now: i64,
        tz: Tz,
    ) -> Result<Vec<LedgerEntry>, sqlx::Error> {
        let mut qb = db::Builder::new(ENTRIES_WITH_LOT_USE);
        qb.push_bind(member_id)
            .push(") SELECT * FROM x WHERE 1 = 1");
        push_filter(&mut qb, filter, now, tz);
        if let Some(c) = cursor {
            qb.push(" AND (created_at < ")
                .push_bind(c.created_at)
                .push(" OR (created_at = ")
                .push_bind(c.created_at)
                .push(" AND id < ")
                .push_bind(c.id)
                .push("))");
        }
        qb.push(" ORDER BY created_at DESC, id DESC LIMIT ")
            .push_bind(limit);
        let rows = qb.build().fetch_all(&self.pool).await?;
        Ok(rows.iter().filter_map(|r| entry_from_row(r, now)).collect())
    }

    /// How many of a member's entries match `filter`.
    pub async fn ledger_count(
        &self,
        member_id: i64,
        filter: &LedgerFilter,
        now: i64,
        tz: Tz,
    ) -> Result<i64, sqlx::Error> {
        let mut qb = db::Builder::new(ENTRIES_WITH_LOT_USE);
        qb.push_bind(member_id)
            .push(") SELECT COUNT(*) FROM x WHERE 1 = 1");
        push_filter(&mut qb, filter, now, tz);
        qb.build_query_scalar().fetch_one(&self.pool).await
    }
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let c = Cursor {
            created_at: 1_790_000_000,
            id: 42,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("nope"), None);
        assert_eq!(Cursor::decode("1.x"), None);
    }
}
