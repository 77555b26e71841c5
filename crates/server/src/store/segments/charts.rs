//! A segment's charts, read through a temporary table of its members.

use crate::store::db;
use patron_core::segments::{
    spend_bins, Distribution, RfmCell, SegmentCharts, SegmentDefinition, SpendBin, SCATTER_MAX,
};
use sqlx::Row;

use super::definition::{push_definition, Context, FROM};
use crate::store::Store;

impl Store {
    /// The charts of the members matching `def` (one connection: the
    /// matching ids go to a temporary table first).
    pub async fn segment_charts(
        &self,
        def: &SegmentDefinition,
        cx: Context,
    ) -> Result<SegmentCharts, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        db::query("DROP TABLE IF EXISTS seg")
            .execute(&mut *conn)
            .await?;
        let mut qb = db::Builder::new("CREATE TEMP TABLE seg AS SELECT m.id AS id");
        qb.push(FROM).push(" WHERE ");
        push_definition(&mut qb, def, cx);
        qb.build().execute(&mut *conn).await?;
        let count: i64 = db::query_scalar("SELECT COUNT(*) FROM seg")
            .fetch_one(&mut *conn)
            .await?;
        let total: i64 = db::query_scalar("SELECT COUNT(*) FROM members")
            .fetch_one(&mut *conn)
            .await?;
        let mut dist = Vec::new();
        for (label, order) in [
            ("t.name", "MIN(t.rank)"),
            ("m.region", "m.region"),
            ("m.age_band", "m.age_band"),
            ("m.gender", "m.gender"),
        ] {
            let q = format!(
                "SELECT {label} AS v, SUM(CASE WHEN m.id IN (SELECT id FROM seg) THEN 1 ELSE 0 END) AS seg, COUNT(*) AS n
                 FROM members m JOIN tiers t ON t.id = m.tier_id GROUP BY {label} ORDER BY {order}"
            );
            let rows = db::query(&q).fetch_all(&mut *conn).await?;
            dist.push(Distribution {
                rows: rows
                    .iter()
                    .map(|r| (r.get("v"), r.get("seg"), r.get("n")))
                    .collect(),
            });
        }
        let cells = db::query(
            "SELECT s.r, s.f, COUNT(*) AS n, CAST(SUM(s.monetary_minor) AS BIGINT) / COUNT(*) AS avg
             FROM seg g JOIN member_scores s ON s.member_id = g.id
             WHERE s.frequency > 0 GROUP BY s.r, s.f",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut rfm = Vec::with_capacity(25);
        for r in 1..=5u8 {
            for f in 1..=5u8 {
                let cell = cells
                    .iter()
                    .find(|c| c.get::<i64, _>("r") == r as i64 && c.get::<i64, _>("f") == f as i64);
                rfm.push(RfmCell {
                    r,
                    f,
                    members: cell.map_or(0, |c| c.get("n")),
                    avg_spend_minor: cell.map_or(0, |c| c.get("avg")),
                });
            }
        }
        let max: Option<i64> = db::query_scalar(
            "SELECT MAX(s.monetary_minor) FROM seg g JOIN member_scores s ON s.member_id = g.id
             WHERE s.frequency > 0",
        )
        .fetch_one(&mut *conn)
        .await?;
        let mut spend = Vec::new();
        if let Some(max) = max {
            let (w, n) = spend_bins(max.max(0), 12);
            let (least, greatest) = (self.dialect.least(), self.dialect.greatest());
            let q = format!(
                "SELECT {least}({greatest}(s.monetary_minor, 0) / ?, ? - 1) AS b, COUNT(*) AS n
                 FROM seg g JOIN member_scores s ON s.member_id = g.id
                 WHERE s.frequency > 0 GROUP BY b"
            );
            let rows = db::query(&q).bind(w).bind(n).fetch_all(&mut *conn).await?;
            for b in 0..n {
                spend.push(SpendBin {
                    from_minor: b * w,
                    to_minor: (b + 1) * w,
                    members: rows
                        .iter()
                        .find(|r| r.get::<i64, _>("b") == b)
                        .map_or(0, |r| r.get("n")),
                });
            }
        }
        let buyers: i64 = db::query_scalar(
            "SELECT COUNT(*) FROM seg g JOIN member_scores s ON s.member_id = g.id WHERE s.frequency > 0",
        )
        .fetch_one(&mut *conn)
        .await?;
        let stride = (buyers + SCATTER_MAX - 1) / SCATTER_MAX;
        let scatter = db::query(
            "SELECT (? - m.last_purchase_at) / 86400 AS days, s.monetary_minor AS spend
             FROM seg g JOIN member_scores s ON s.member_id = g.id JOIN members m ON m.id = g.id
             WHERE s.frequency > 0 AND m.last_purchase_at IS NOT NULL AND g.id % ? = 0 LIMIT ?",
        )
        .bind(cx.now.timestamp())
        .bind(stride.max(1))
        .bind(SCATTER_MAX)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| (r.get("days"), r.get("spend")))
        .collect();
        db::query("DROP TABLE seg").execute(&mut *conn).await?;
        let mut d = dist.into_iter();
        let mut next = || d.next().unwrap_or(Distribution { rows: vec![] });
        Ok(SegmentCharts {
            count,
            total,
            by_tier: next(),
            by_region: next(),
            by_age_band: next(),
            by_gender: next(),
            rfm,
            spend,
            scatter,
            rfm_window_days: self.rfm_window_days().await?,
        })
    }
}
