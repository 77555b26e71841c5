//! KPI figures for a period `[from, to)` (unix seconds): one aggregate query
//! per source, so the dashboard stays fast at 100,000 members.

use sqlx::Row;

use super::Store;

/// Raw figures for one period.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PeriodFigures {
    pub members: i64,
    pub active: i64,
    pub new_members: i64,
    /// Active in the period before and in this one.
    pub retained: i64,
    /// Active in the period before.
    pub previous_active: i64,
    pub repeat_buyers: i64,
    pub issued: i64,
    pub redeemed: i64,
    pub expired: i64,
    pub outstanding: i64,
}

/// Weekly sums in a period: bucket = (t − from) / 7 days.
#[derive(Debug, Clone, Default)]
pub struct Weekly {
    pub active: Vec<i64>,
    pub new_members: Vec<i64>,
    pub issued: Vec<i64>,
    pub redeemed: Vec<i64>,
    pub expired: Vec<i64>,
    /// Survey answers per bucket: (kind, score).
    pub surveys: Vec<Vec<(String, i64)>>,
}

const WEEK: i64 = 7 * 86_400;

impl Store {
    /// The figures of this period `[f, t)` and the one before `[pf, f)`
    /// (`ppf` starts the one before that, for the earlier retention): one
    /// pass over purchases for all three periods, range sums over the ledger,
    /// and one sum for the points outstanding.
    pub async fn kpi_figures(
        &self,
        ppf: i64,
        pf: i64,
        f: i64,
        t: i64,
    ) -> Result<(PeriodFigures, PeriodFigures), sqlx::Error> {
        let members = |from: i64, to: i64| {
            sqlx::query(
                "SELECT COUNT(*) AS members, COALESCE(SUM(joined_at >= ?1), 0) AS new_members
                 FROM members WHERE joined_at < ?2",
            )
            .bind(from)
            .bind(to)
            .fetch_one(&self.pool)
        };
        let (mc, mp) = (members(f, t).await?, members(pf, f).await?);
        let mut cur = PeriodFigures {
            members: mc.get("members"),
            new_members: mc.get("new_members"),
            ..Default::default()
        };
        let mut prev = PeriodFigures {
            members: mp.get("members"),
            new_members: mp.get("new_members"),
            ..Default::default()
        };
        // Purchases per member in each of the three periods.
        let rows = sqlx::query(
            "SELECT SUM(purchased_at < ?2) AS a, SUM(purchased_at >= ?2 AND purchased_at < ?3) AS b,
                    SUM(purchased_at >= ?3) AS c
             FROM purchases WHERE purchased_at >= ?1 AND purchased_at < ?4 GROUP BY member_id",
        )
        .bind(ppf)
        .bind(pf)
        .bind(f)
        .bind(t)
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            let (a, b, c): (i64, i64, i64) = (r.get("a"), r.get("b"), r.get("c"));
            let add = |x: &mut PeriodFigures, before: i64, now: i64| {
                x.active += (now > 0) as i64;
                x.repeat_buyers += (now >= 2) as i64;
                x.previous_active += (before > 0) as i64;
                x.retained += (before > 0 && now > 0) as i64;
            };
            add(&mut cur, b, c);
            add(&mut prev, a, b);
        }
        // Ledger sums per kind in each period, and what is outstanding at t.
        let sums = |from: i64, to: i64| {
            sqlx::query(
                "SELECT kind, SUM(points) AS p FROM ledger_entries
                 WHERE created_at >= ? AND created_at < ? GROUP BY kind",
            )
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
        };
        let apply = |x: &mut PeriodFigures, rows: Vec<sqlx::sqlite::SqliteRow>| -> i64 {
            let mut all = 0;
            for r in rows {
                let p: i64 = r.get("p");
                all += p;
                match r.get::<&str, _>("kind") {
                    "earn" => x.issued = p,
                    "spend" => x.redeemed = -p,
                    "expire" => x.expired = -p,
                    _ => {}
                }
            }
            all
        };
        let moved = apply(&mut cur, sums(f, t).await?);
        apply(&mut prev, sums(pf, f).await?);
        // Every entry ever, from the trigger-kept per-member sums, less the
        // (normally no) entries from `t` on: no scan of the whole ledger.
        cur.outstanding = sqlx::query_scalar(
            "SELECT (SELECT COALESCE(SUM(ledger_sum), 0) FROM members)
                  - (SELECT COALESCE(SUM(points), 0) FROM ledger_entries WHERE created_at >= ?)",
        )
        .bind(t)
        .fetch_one(&self.pool)
        .await?;
        prev.outstanding = cur.outstanding - moved;
        Ok((cur, prev))
    }

    /// Survey scores in `[from, to)`: (kind, score) for NPS and CSAT answers.
    pub async fn survey_scores(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(String, i64)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT kind, score FROM feedback
             WHERE kind IN ('nps', 'csat') AND score IS NOT NULL AND created_at >= ? AND created_at < ?",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
    }

    /// Weekly sums over `[from, to)`.
    pub async fn weekly(&self, from: i64, to: i64) -> Result<Weekly, sqlx::Error> {
        let n = ((to - from + WEEK - 1) / WEEK).max(1) as usize;
        let mut w = Weekly {
            active: vec![0; n],
            new_members: vec![0; n],
            issued: vec![0; n],
            redeemed: vec![0; n],
            expired: vec![0; n],
            surveys: vec![Vec::new(); n],
        };
        let at = |b: i64| (b.max(0) as usize).min(n - 1);
        for r in sqlx::query(
            "SELECT (purchased_at - ?1) / ?3 AS b, COUNT(DISTINCT member_id) AS n FROM purchases
             WHERE purchased_at >= ?1 AND purchased_at < ?2 GROUP BY b",
        )
        .bind(from)
        .bind(to)
        .bind(WEEK)
        .fetch_all(&self.pool)
        .await?
        {
            w.active[at(r.get("b"))] = r.get("n");
        }
        for r in sqlx::query(
            "SELECT (joined_at - ?1) / ?3 AS b, COUNT(*) AS n FROM members
             WHERE joined_at >= ?1 AND joined_at < ?2 GROUP BY b",
        )
        .bind(from)
        .bind(to)
        .bind(WEEK)
        .fetch_all(&self.pool)
        .await?
        {
            w.new_members[at(r.get("b"))] = r.get("n");
        }
        for r in sqlx::query(
            "SELECT (created_at - ?1) / ?3 AS b, kind, SUM(points) AS p FROM ledger_entries
             WHERE created_at >= ?1 AND created_at < ?2 AND kind IN ('earn', 'spend', 'expire') GROUP BY b, kind",
        )
        .bind(from)
        .bind(to)
        .bind(WEEK)
        .fetch_all(&self.pool)
        .await?
        {
            let (b, p): (i64, i64) = (r.get("b"), r.get("p"));
            match r.get::<&str, _>("kind") {
                "earn" => w.issued[at(b)] = p,
                "spend" => w.redeemed[at(b)] = -p,
                _ => w.expired[at(b)] = -p,
            }
        }
        for r in sqlx::query(
            "SELECT (created_at - ?1) / ?3 AS b, kind, score FROM feedback
             WHERE kind IN ('nps', 'csat') AND score IS NOT NULL AND created_at >= ?1 AND created_at < ?2",
        )
        .bind(from)
        .bind(to)
        .bind(WEEK)
        .fetch_all(&self.pool)
        .await?
        {
            w.surveys[at(r.get("b"))].push((r.get("kind"), r.get("score")));
        }
        Ok(w)
    }
}
