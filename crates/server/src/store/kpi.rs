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
    /// The figures of `[from, to)`, with `prev_from` the start of the period
    /// before (for retention).
    pub async fn period_figures(
        &self,
        prev_from: i64,
        from: i64,
        to: i64,
    ) -> Result<PeriodFigures, sqlx::Error> {
        let m = sqlx::query(
            "SELECT COUNT(*) AS members, COALESCE(SUM(joined_at >= ?1 AND joined_at < ?2), 0) AS new_members
             FROM members WHERE joined_at < ?2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        let p = sqlx::query(
            "WITH cur AS (SELECT member_id, COUNT(*) AS n FROM purchases
                          WHERE purchased_at >= ?2 AND purchased_at < ?3 GROUP BY member_id),
                  prev AS (SELECT DISTINCT member_id FROM purchases WHERE purchased_at >= ?1 AND purchased_at < ?2)
             SELECT (SELECT COUNT(*) FROM cur) AS active,
                    (SELECT COUNT(*) FROM cur WHERE n >= 2) AS repeat_buyers,
                    (SELECT COUNT(*) FROM prev) AS previous_active,
                    (SELECT COUNT(*) FROM prev JOIN cur USING (member_id)) AS retained",
        )
        .bind(prev_from)
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        let l = sqlx::query(
            "SELECT COALESCE(SUM(CASE WHEN kind = 'earn' AND created_at >= ?1 THEN points END), 0) AS issued,
                    COALESCE(-SUM(CASE WHEN kind = 'spend' AND created_at >= ?1 THEN points END), 0) AS redeemed,
                    COALESCE(-SUM(CASE WHEN kind = 'expire' AND created_at >= ?1 THEN points END), 0) AS expired,
                    COALESCE(SUM(points), 0) AS outstanding
             FROM ledger_entries WHERE created_at < ?2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        Ok(PeriodFigures {
            members: m.get("members"),
            active: p.get("active"),
            new_members: m.get("new_members"),
            retained: p.get("retained"),
            previous_active: p.get("previous_active"),
            repeat_buyers: p.get("repeat_buyers"),
            issued: l.get("issued"),
            redeemed: l.get("redeemed"),
            expired: l.get("expired"),
            outstanding: l.get("outstanding"),
        })
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
