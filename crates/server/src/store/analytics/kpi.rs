//! KPI figures for a period `[from, to)` (unix seconds). Distinct-member
//! counts come from the activity index and point sums from the hourly
//! ledger roll-up, so the dashboard stays fast at 100,000 members.

use crate::store::db;
use sqlx::Row;

use crate::store::Store;

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
    /// Members with two or more purchases in the week.
    pub repeat_buyers: Vec<i64>,
    /// Members active in the week before, and of those, active again.
    pub previous_active: Vec<i64>,
    pub retained: Vec<i64>,
    pub new_members: Vec<i64>,
    pub issued: Vec<i64>,
    pub redeemed: Vec<i64>,
    pub expired: Vec<i64>,
    /// Every point moved in the week (adjustments and reversals too).
    pub net: Vec<i64>,
    /// Survey answers per bucket.
    pub surveys: Vec<Answers>,
}

const WEEK: i64 = 7 * 86_400;

/// Every survey answer in `[?1, ?2)` as (at, kind, score): NPS and CSAT
/// answers, and ticket ratings, which count as CSAT when the ticket was
/// resolved (as in the support desk's survey report).
const SURVEY_ANSWERS: &str = "SELECT created_at AS at, kind, score FROM feedback
     WHERE kind IN ('nps', 'csat') AND score IS NOT NULL AND created_at >= ?1 AND created_at < ?2
     UNION ALL
     SELECT COALESCE(resolved_at, updated_at), 'csat', csat_score FROM feedback
     WHERE csat_score IS NOT NULL
       AND COALESCE(resolved_at, updated_at) >= ?1 AND COALESCE(resolved_at, updated_at) < ?2";

/// Survey answers counted by (kind, score): NPS and CSAT.
pub type Answers = Vec<(String, i64, i64)>;

/// Points moved in a span, by kind (spend and expire are negative).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moved {
    pub earn: i64,
    pub spend: i64,
    pub expire: i64,
    /// Every kind, adjustments and reversals too.
    pub all: i64,
}

impl Moved {
    fn add(&mut self, kind: &str, points: i64) {
        self.all += points;
        match kind {
            "earn" => self.earn += points,
            "spend" => self.spend += points,
            "expire" => self.expire += points,
            _ => {}
        }
    }
}

/// Spans sorted, clipped to `[start, end)` and overlaps joined.
fn merge(mut spans: Vec<(i64, i64)>, start: i64, end: i64) -> Vec<(i64, i64)> {
    spans.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for (a, b) in spans {
        let (a, b) = (a.max(start), b.min(end));
        if a >= b {
            continue;
        }
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

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
            db::query(
                "SELECT COUNT(*) AS members, COALESCE(SUM(CASE WHEN joined_at >= ?1 THEN 1 ELSE 0 END), 0) AS new_members
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
        fn add(x: &mut PeriodFigures, before: u32, now: u32) {
            x.active += (now > 0) as i64;
            x.repeat_buyers += (now >= 2) as i64;
            x.previous_active += (before > 0) as i64;
            x.retained += (before > 0 && now > 0) as i64;
        }
        self.activity()
            .await?
            .each_member_counts(&[ppf, pf, f, t], |_, c| {
                add(&mut cur, c[1], c[2]);
                add(&mut prev, c[0], c[1]);
            });
        // Points moved in each period, and what is outstanding at t.
        let moved = self.ledger_moves(&[pf, f, t]).await?;
        for (x, m) in [(&mut prev, moved[0]), (&mut cur, moved[1])] {
            x.issued = m.earn;
            x.redeemed = -m.spend;
            x.expired = -m.expire;
        }
        // Every entry ever, from the trigger-kept per-member sums, less the
        // (normally no) entries from `t` on: no scan of the whole ledger.
        cur.outstanding = db::query_scalar(
            "SELECT (SELECT COALESCE(CAST(SUM(ledger_sum) AS BIGINT), 0) FROM members)
                  - (SELECT COALESCE(CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries WHERE created_at >= ?)",
        )
        .bind(t)
        .fetch_one(&self.pool)
        .await?;
        prev.outstanding = cur.outstanding - moved[1].all;
        Ok((cur, prev))
    }

    /// Points moved in each `[bounds[i], bounds[i + 1])` (bounds ascending):
    /// whole hours from the `ledger_hours` roll-up, and the entries
    /// themselves only for an hour that a bound cuts (a half-hour time zone)
    /// and the part hours at either end.
    pub async fn ledger_moves(&self, bounds: &[i64]) -> Result<Vec<Moved>, sqlx::Error> {
        const H: i64 = 3600;
        let n = bounds.len().saturating_sub(1);
        let mut out = vec![Moved::default(); n];
        if n == 0 {
            return Ok(out);
        }
        let (start, end) = (bounds[0], bounds[n]);
        let bucket = |t: i64| bounds.partition_point(|b| *b <= t) - 1;
        let (lo, hi) = ((start + H - 1).div_euclid(H), end.div_euclid(H));
        let mut raw = Vec::new();
        if lo < hi {
            for r in db::query(
                "SELECT hour, kind, points FROM ledger_hours WHERE hour >= ? AND hour < ?",
            )
            .bind(lo)
            .bind(hi)
            .fetch_all(&self.pool)
            .await?
            {
                let s = r.get::<i64, _>("hour") * H;
                let i = bucket(s);
                // An hour that a bound cuts is read from the entries below.
                if s + H <= bounds[i + 1] {
                    out[i].add(r.get("kind"), r.get("points"));
                }
            }
            raw.push((start, lo * H));
            raw.push((hi * H, end));
            for b in &bounds[1..n] {
                let s = b.div_euclid(H) * H;
                if s != *b {
                    raw.push((s, s + H));
                }
            }
        } else {
            raw.push((start, end));
        }
        for (a, b) in merge(raw, start, end) {
            for r in db::query(
                "SELECT created_at, kind, points FROM ledger_entries WHERE created_at >= ? AND created_at < ?",
            )
            .bind(a)
            .bind(b)
            .fetch_all(&self.pool)
            .await?
            {
                out[bucket(r.get("created_at"))].add(r.get("kind"), r.get("points"));
            }
        }
        Ok(out)
    }

    /// NPS and CSAT answers in `[from, to)`, counted by score.
    pub async fn survey_scores(&self, from: i64, to: i64) -> Result<Answers, sqlx::Error> {
        let sql = format!(
            "SELECT kind, score, COUNT(*) FROM ({SURVEY_ANSWERS}) answers GROUP BY kind, score"
        );
        db::query_as(&sql)
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
            repeat_buyers: vec![0; n],
            previous_active: vec![0; n],
            retained: vec![0; n],
            new_members: vec![0; n],
            issued: vec![0; n],
            redeemed: vec![0; n],
            expired: vec![0; n],
            net: vec![0; n],
            surveys: vec![Vec::new(); n],
        };
        let at = |b: i64| (b.max(0) as usize).min(n - 1);
        let bounds: Vec<i64> = (0..=n as i64).map(|k| (from + k * WEEK).min(to)).collect();
        // Purchases per member per week, with the week before the first for
        // its retention: one pass over the activity index.
        let with_before: Vec<i64> = std::iter::once(from - WEEK)
            .chain(bounds.iter().copied())
            .collect();
        self.activity()
            .await?
            .each_member_counts(&with_before, |_, c| {
                for i in 0..n {
                    let (before, now) = (c[i], c[i + 1]);
                    w.active[i] += (now > 0) as i64;
                    w.repeat_buyers[i] += (now >= 2) as i64;
                    w.previous_active[i] += (before > 0) as i64;
                    w.retained[i] += (before > 0 && now > 0) as i64;
                }
            });
        for r in db::query(
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
        for (i, m) in self.ledger_moves(&bounds).await?.into_iter().enumerate() {
            w.issued[i] = m.earn;
            w.redeemed[i] = -m.spend;
            w.expired[i] = -m.expire;
            w.net[i] = m.all;
        }
        let sql = format!(
            "SELECT (at - ?1) / ?3 AS b, kind, score, COUNT(*) AS n FROM ({SURVEY_ANSWERS}) answers
             GROUP BY b, kind, score"
        );
        for r in db::query(&sql)
            .bind(from)
            .bind(to)
            .bind(WEEK)
            .fetch_all(&self.pool)
            .await?
        {
            w.surveys[at(r.get("b"))].push((r.get("kind"), r.get("score"), r.get("n")));
        }
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_clipped_and_joined() {
        let spans = vec![(50, 60), (0, 10), (5, 20), (20, 25), (90, 200), (30, 30)];
        assert_eq!(merge(spans, 2, 100), vec![(2, 25), (50, 60), (90, 100)]);
    }
}
