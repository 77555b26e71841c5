//! Segments: a definition becomes one SQL condition over `members m LEFT
//! JOIN member_scores s`; counts, member lists, exports and charts read
//! through it. Saved segments keep their definition as JSON.

use chrono::{DateTime, Days, Utc};
use chrono_tz::Tz;
use patron_core::segments::{
    spend_bins, Attribute, Condition, Distribution, Join, Range, RfmCell, RfmPart, Segment,
    SegmentCharts, SegmentDefinition, SegmentDraft, SegmentMember, SegmentMemberPage,
    SegmentOptions, SpendBin, SCATTER_MAX,
};
use patron_core::time::start_of_day;
use sqlx::{QueryBuilder, Row, Sqlite};

use super::audit::{AuditRecord, SoftDelete};
use super::scores::segment_name;
use super::Store;
use crate::store::users::UserRow;

const DAY: i64 = 86_400;

/// What a definition is evaluated against.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

/// The FROM clause every segment query uses.
pub const FROM: &str = " FROM members m LEFT JOIN member_scores s ON s.member_id = m.id ";

fn push_range(qb: &mut QueryBuilder<'static, Sqlite>, expr: &str, r: &Range) {
    qb.push("(1 = 1");
    if let Some(v) = r.min {
        qb.push(format!(" AND {expr} >= ")).push_bind(v);
    }
    if let Some(v) = r.max {
        qb.push(format!(" AND {expr} <= ")).push_bind(v);
    }
    qb.push(")");
}

fn push_list<T>(qb: &mut QueryBuilder<'static, Sqlite>, expr: &str, values: &[T])
where
    T: Clone + Send + sqlx::Encode<'static, Sqlite> + sqlx::Type<Sqlite> + 'static,
{
    qb.push(format!("{expr} IN ("));
    let mut sep = qb.separated(", ");
    for v in values {
        sep.push_bind(v.clone());
    }
    qb.push(")");
}

/// `m.id [NOT] IN (members whose purchases in the window satisfy `agg` in
/// `r`)`; members without purchases in the window count as 0 when
/// `absent_is_zero`.
fn push_window_agg(
    qb: &mut QueryBuilder<'static, Sqlite>,
    since: i64,
    agg: &str,
    r: &Range,
    absent_is_zero: bool,
) {
    let zero_matches = absent_is_zero && r.contains(0);
    qb.push(if zero_matches {
        "m.id NOT IN (SELECT member_id FROM purchases WHERE purchased_at >= "
    } else {
        "m.id IN (SELECT member_id FROM purchases WHERE purchased_at >= "
    });
    qb.push_bind(since);
    qb.push(" GROUP BY member_id HAVING ");
    if zero_matches {
        qb.push("NOT ");
    }
    push_range(qb, agg, r);
    qb.push(")");
}

fn push_condition(qb: &mut QueryBuilder<'static, Sqlite>, c: &Condition, cx: Context) {
    let now = cx.now.timestamp();
    let since = |d: i64| now - d * DAY;
    match c {
        Condition::Recency { days } => {
            qb.push("(m.last_purchase_at IS NOT NULL");
            if let Some(min) = days.min {
                qb.push(" AND m.last_purchase_at <= ")
                    .push_bind(now - min * DAY);
            }
            if let Some(max) = days.max {
                qb.push(" AND m.last_purchase_at > ")
                    .push_bind(now - (max + 1) * DAY);
            }
            qb.push(")");
        }
        Condition::Frequency { window_days, count } => {
            push_window_agg(qb, since(*window_days), "COUNT(*)", count, true)
        }
        Condition::Spend { window_days, minor } => push_window_agg(
            qb,
            since(*window_days),
            "SUM(amount_minor - returned_minor)",
            minor,
            true,
        ),
        Condition::AverageOrder { window_days, minor } => push_window_agg(
            qb,
            since(*window_days),
            "AVG(amount_minor - returned_minor)",
            minor,
            false,
        ),
        Condition::Category {
            window_days,
            any_of,
        } => {
            qb.push("m.id IN (SELECT member_id FROM purchases WHERE ");
            push_list(qb, "category", any_of);
            qb.push(" AND purchased_at >= ")
                .push_bind(since(*window_days))
                .push(")");
        }
        Condition::RfmScore { part, score } => {
            let col = match part {
                RfmPart::R => "s.r",
                RfmPart::F => "s.f",
                RfmPart::M => "s.m",
            };
            qb.push(format!("({col} IS NOT NULL AND "));
            push_range(qb, col, score);
            qb.push(")");
        }
        Condition::RfmSegment { any_of } => {
            let names: Vec<String> = any_of.iter().map(|s| segment_name(*s)).collect();
            push_list(qb, "s.segment", &names);
        }
        Condition::ChurnRisk { score } => {
            qb.push("(s.churn_score IS NOT NULL AND ");
            push_range(qb, "s.churn_score", score);
            qb.push(")");
        }
        Condition::AtRisk { value: true } => {
            qb.push("s.at_risk = 1");
        }
        Condition::AtRisk { value: false } => {
            qb.push("COALESCE(s.at_risk, 0) = 0");
        }
        Condition::Tier { any_of } => push_list(qb, "m.tier_id", any_of),
        Condition::Attribute { attribute, any_of } => {
            let col = match attribute {
                Attribute::Region => "m.region",
                Attribute::City => "m.city",
                Attribute::AgeBand => "m.age_band",
                Attribute::Gender => "m.gender",
                Attribute::Occupation => "m.occupation",
            };
            let v: Vec<String> = any_of.iter().map(|s| s.trim().to_owned()).collect();
            push_list(qb, col, &v);
        }
        Condition::Joined { from, to } => {
            qb.push("(1 = 1");
            if let Some(d) = from {
                qb.push(" AND m.joined_at >= ")
                    .push_bind(start_of_day(*d, cx.tz).timestamp());
            }
            if let Some(d) = to.and_then(|d| d.checked_add_days(Days::new(1))) {
                qb.push(" AND m.joined_at < ")
                    .push_bind(start_of_day(d, cx.tz).timestamp());
            }
            qb.push(")");
        }
        Condition::BirthdayMonth { any_of } => {
            let v: Vec<i64> = any_of.iter().map(|m| *m as i64).collect();
            push_list(qb, "CAST(substr(m.birthday, 6, 2) AS INTEGER)", &v);
        }
        Condition::OptIn { channel, value } => {
            qb.push(
                "COALESCE((SELECT c.granted FROM consents c WHERE c.member_id = m.id AND c.channel = ",
            )
            .push_bind(channel.as_str())
            .push(" ORDER BY c.id DESC LIMIT 1), 0) = ")
            .push_bind(*value);
        }
        Condition::Balance { points } => {
            // Available = every entry's points (the trigger-kept running
            // sum) less what is left of lots not yet available: members with
            // no pending lot compare the sum; the few with one are worked
            // out apart.
            let (lo, hi) = (
                points.min.unwrap_or(i64::MIN),
                points.max.unwrap_or(i64::MAX),
            );
            qb.push("((m.ledger_sum BETWEEN ")
                .push_bind(lo)
                .push(" AND ")
                .push_bind(hi)
                .push(
                    " AND m.id NOT IN (SELECT member_id FROM ledger_entries
                     WHERE available_at IS NOT NULL AND available_at > ",
                )
                .push_bind(now)
                .push(
                    " AND points > 0)) OR m.id IN (SELECT e.member_id FROM ledger_entries e
                     JOIN members x ON x.id = e.member_id
                     WHERE e.available_at IS NOT NULL AND e.available_at > ",
                )
                .push_bind(now)
                .push(
                    " AND e.points > 0 GROUP BY e.member_id HAVING x.ledger_sum - SUM(e.points
                      - COALESCE((SELECT SUM(a.points) FROM lot_allocations a WHERE a.lot_id = e.id), 0))
                     BETWEEN ",
                )
                .push_bind(lo)
                .push(" AND ")
                .push_bind(hi)
                .push("))");
        }
    }
}

/// Pushes the definition as one parenthesised condition (a valid
/// definition: check `problems()` first).
pub fn push_definition(
    qb: &mut QueryBuilder<'static, Sqlite>,
    def: &SegmentDefinition,
    cx: Context,
) {
    let joiner = |j: Join| if j == Join::All { " AND " } else { " OR " };
    let groups: Vec<_> = def
        .groups
        .iter()
        .filter(|g| !g.conditions.is_empty())
        .collect();
    if groups.is_empty() {
        qb.push("(1 = 1)");
        return;
    }
    qb.push("(");
    for (gi, g) in groups.iter().enumerate() {
        if gi > 0 {
            qb.push(joiner(def.join));
        }
        qb.push("(");
        for (ci, c) in g.conditions.iter().enumerate() {
            if ci > 0 {
                qb.push(joiner(g.join));
            }
            push_condition(qb, c, cx);
        }
        qb.push(")");
    }
    qb.push(")");
}

/// The segment member list's query, by member id, after the member id
/// `after` when given (no LIMIT).
pub fn members_query(
    def: &SegmentDefinition,
    cx: Context,
    after: Option<i64>,
) -> QueryBuilder<'static, Sqlite> {
    let mut qb = QueryBuilder::new(
        "SELECT m.id, m.name, m.email, m.card_number, t.name AS tier, m.region, m.joined_at,
                m.last_purchase_at, s.segment, s.churn_score
         FROM members m JOIN tiers t ON t.id = m.tier_id
         LEFT JOIN member_scores s ON s.member_id = m.id WHERE ",
    );
    push_definition(&mut qb, def, cx);
    if let Some(a) = after {
        qb.push(" AND m.id > ").push_bind(a);
    }
    qb.push(" ORDER BY m.id");
    qb
}

/// One row of [`members_query`].
pub fn member_row(r: &sqlx::sqlite::SqliteRow) -> SegmentMember {
    SegmentMember {
        id: r.get("id"),
        name: r.get("name"),
        email: r.get("email"),
        card_number: r.get("card_number"),
        tier: r.get("tier"),
        region: r.get("region"),
        joined_at: r.get("joined_at"),
        last_purchase_at: r.get("last_purchase_at"),
        rfm_segment: r
            .get::<Option<String>, _>("segment")
            .and_then(|s| serde_json::from_value(serde_json::Value::String(s)).ok()),
        churn_score: r.get("churn_score"),
    }
}

fn segment_row(r: &sqlx::sqlite::SqliteRow) -> Segment {
    Segment {
        id: r.get("id"),
        name: r.get("name"),
        description: r.get("description"),
        definition: serde_json::from_str(r.get("definition")).unwrap_or_default(),
        member_count: r.get("member_count"),
        computed_at: r.get("computed_at"),
        created_by: r.get("created_by"),
        updated_at: r.get("updated_at"),
    }
}

const SEGMENT_COLS: &str = "SELECT g.id, g.name, g.description, g.definition, g.member_count,
        g.computed_at, u.name AS created_by, g.updated_at
     FROM segments g JOIN users u ON u.id = g.created_by";

impl Store {
    /// Members matching `def`.
    pub async fn segment_count(
        &self,
        def: &SegmentDefinition,
        cx: Context,
    ) -> Result<i64, sqlx::Error> {
        let mut qb = QueryBuilder::new("SELECT COUNT(*)");
        qb.push(FROM).push(" WHERE ");
        push_definition(&mut qb, def, cx);
        qb.build_query_scalar().fetch_one(&self.pool).await
    }

    /// Whether one member matches `def` (on the pool or in a transaction).
    pub async fn in_segment<'e, E>(
        ex: E,
        def: &SegmentDefinition,
        cx: Context,
        member_id: i64,
    ) -> Result<bool, sqlx::Error>
    where
        E: sqlx::Executor<'e, Database = Sqlite>,
    {
        let mut qb = QueryBuilder::new("SELECT EXISTS (SELECT 1");
        qb.push(FROM)
            .push(" WHERE m.id = ")
            .push_bind(member_id)
            .push(" AND ");
        push_definition(&mut qb, def, cx);
        qb.push(")");
        qb.build_query_scalar().fetch_one(ex).await
    }

    /// All members.
    pub async fn member_total(&self) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COUNT(*) FROM members")
            .fetch_one(&self.pool)
            .await
    }

    /// A page of the members matching `def`.
    pub async fn segment_members(
        &self,
        def: &SegmentDefinition,
        cx: Context,
        offset: i64,
        limit: i64,
    ) -> Result<SegmentMemberPage, sqlx::Error> {
        let total = self.segment_count(def, cx).await?;
        let mut qb = members_query(def, cx, None);
        qb.push(" LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        let rows = qb.build().fetch_all(&self.pool).await?;
        Ok(SegmentMemberPage {
            members: rows.iter().map(member_row).collect(),
            total,
            offset,
        })
    }

    /// The values the builder offers.
    pub async fn segment_options(&self) -> Result<SegmentOptions, sqlx::Error> {
        let tiers = sqlx::query("SELECT id, name FROM tiers ORDER BY rank")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| (r.get("id"), r.get("name")))
            .collect();
        let distinct = |col: &'static str, table: &'static str| {
            let pool = self.pool.clone();
            async move {
                sqlx::query_scalar::<_, String>(&format!(
                    "SELECT DISTINCT {col} FROM {table} ORDER BY {col} LIMIT 500"
                ))
                .fetch_all(&pool)
                .await
            }
        };
        Ok(SegmentOptions {
            tiers,
            regions: distinct("region", "members").await?,
            cities: distinct("city", "members").await?,
            age_bands: distinct("age_band", "members").await?,
            genders: distinct("gender", "members").await?,
            occupations: distinct("occupation", "members").await?,
            categories: distinct("category", "purchases").await?,
            rfm_window_days: self.rfm_window_days().await?,
        })
    }

    /// The charts of the members matching `def` (one connection: the
    /// matching ids go to a temporary table first).
    pub async fn segment_charts(
        &self,
        def: &SegmentDefinition,
        cx: Context,
    ) -> Result<SegmentCharts, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("DROP TABLE IF EXISTS temp.seg")
            .execute(&mut *conn)
            .await?;
        let mut qb = QueryBuilder::new("CREATE TEMP TABLE seg AS SELECT m.id AS id");
        qb.push(FROM).push(" WHERE ");
        push_definition(&mut qb, def, cx);
        qb.build().execute(&mut *conn).await?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM temp.seg")
            .fetch_one(&mut *conn)
            .await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members")
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
                "SELECT {label} AS v, SUM(m.id IN (SELECT id FROM temp.seg)) AS seg, COUNT(*) AS n
                 FROM members m JOIN tiers t ON t.id = m.tier_id GROUP BY {label} ORDER BY {order}"
            );
            let rows = sqlx::query(&q).fetch_all(&mut *conn).await?;
            dist.push(Distribution {
                rows: rows
                    .iter()
                    .map(|r| (r.get("v"), r.get("seg"), r.get("n")))
                    .collect(),
            });
        }
        let cells = sqlx::query(
            "SELECT s.r, s.f, COUNT(*) AS n, CAST(AVG(s.monetary_minor) AS INTEGER) AS avg
             FROM temp.seg g JOIN member_scores s ON s.member_id = g.id
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
        let max: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(s.monetary_minor) FROM temp.seg g JOIN member_scores s ON s.member_id = g.id
             WHERE s.frequency > 0",
        )
        .fetch_one(&mut *conn)
        .await?;
        let mut spend = Vec::new();
        if let Some(max) = max {
            let (w, n) = spend_bins(max.max(0), 12);
            let rows = sqlx::query(
                "SELECT MIN(MAX(s.monetary_minor, 0) / ?, ? - 1) AS b, COUNT(*) AS n
                 FROM temp.seg g JOIN member_scores s ON s.member_id = g.id
                 WHERE s.frequency > 0 GROUP BY b",
            )
            .bind(w)
            .bind(n)
            .fetch_all(&mut *conn)
            .await?;
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
        let buyers: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM temp.seg g JOIN member_scores s ON s.member_id = g.id WHERE s.frequency > 0",
        )
        .fetch_one(&mut *conn)
        .await?;
        let stride = (buyers + SCATTER_MAX - 1) / SCATTER_MAX;
        let scatter = sqlx::query(
            "SELECT (? - m.last_purchase_at) / 86400 AS days, s.monetary_minor AS spend
             FROM temp.seg g JOIN member_scores s ON s.member_id = g.id JOIN members m ON m.id = g.id
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
        sqlx::query("DROP TABLE temp.seg")
            .execute(&mut *conn)
            .await?;
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

    /// Saved segments, newest first.
    pub async fn segments(&self) -> Result<Vec<Segment>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{SEGMENT_COLS} WHERE g.deleted_at IS NULL ORDER BY g.updated_at DESC, g.id DESC"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(segment_row).collect())
    }

    /// One saved segment.
    pub async fn segment(&self, id: i64) -> Result<Option<Segment>, sqlx::Error> {
        let r = sqlx::query(&format!(
            "{SEGMENT_COLS} WHERE g.id = ? AND g.deleted_at IS NULL"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.as_ref().map(segment_row))
    }

    /// Saves a new segment (or replaces `id`'s definition) with its count.
    pub async fn save_segment(
        &self,
        id: Option<i64>,
        d: &SegmentDraft,
        count: i64,
        actor: &UserRow,
        now: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let def = serde_json::to_string(&d.definition).unwrap_or_else(|_| "{}".into());
        let mut tx = self.begin_write().await?;
        let id = match id {
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO segments (name, description, definition, member_count, computed_at,
                        created_by, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(d.name.trim())
                .bind(d.description.trim())
                .bind(&def)
                .bind(count)
                .bind(now)
                .bind(actor.id)
                .bind(now)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                Store::audit_at(
                    &mut tx,
                    AuditRecord {
                        actor,
                        action: "segment.create",
                        entity: "segment",
                        entity_id: Some(id.to_string()),
                        before: None,
                        after: Some(serde_json::json!({ "name": d.name.trim(), "definition": d.definition })),
                    }, now)
                .await?;
                id
            }
            Some(id) => {
                let before = sqlx::query(
                    "SELECT name, definition FROM segments WHERE id = ? AND deleted_at IS NULL",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(before) = before else {
                    return Ok(None);
                };
                sqlx::query(
                    "UPDATE segments SET name = ?, description = ?, definition = ?, member_count = ?,
                        computed_at = ?, updated_at = ? WHERE id = ?",
                )
                .bind(d.name.trim())
                .bind(d.description.trim())
                .bind(&def)
                .bind(count)
                .bind(now)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                let old: serde_json::Value =
                    serde_json::from_str(before.get("definition")).unwrap_or_default();
                Store::audit_at(
                    &mut tx,
                    AuditRecord {
                        actor,
                        action: "segment.update",
                        entity: "segment",
                        entity_id: Some(id.to_string()),
                        before: Some(serde_json::json!({ "name": before.get::<String, _>("name"), "definition": old })),
                        after: Some(serde_json::json!({ "name": d.name.trim(), "definition": d.definition })),
                    }, now)
                .await?;
                id
            }
        };
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Stores a fresh count.
    pub async fn set_segment_count(
        &self,
        id: i64,
        count: i64,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE segments SET member_count = ?, computed_at = ? WHERE id = ?")
            .bind(count)
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes a segment (kept for the audit trail), unless a reward in the
    /// catalogue is still offered to it.
    pub async fn delete_segment(
        &self,
        id: i64,
        actor: &UserRow,
        now: i64,
    ) -> Result<SegmentDelete, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let rewards: Vec<String> = sqlx::query_scalar(
            "SELECT r.name FROM rewards r JOIN segments g ON g.id = r.segment_id
             WHERE g.id = ? AND g.deleted_at IS NULL AND r.active ORDER BY r.name",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        if !rewards.is_empty() {
            return Ok(SegmentDelete::OfferedRewards(rewards));
        }
        if !SEGMENTS.run(&mut tx, id, actor, now).await? {
            return Ok(SegmentDelete::NotFound);
        }
        tx.commit().await?;
        Ok(SegmentDelete::Deleted)
    }
}

const SEGMENTS: SoftDelete = SoftDelete {
    table: "segments",
    label: "name",
    entity: "segment",
};

/// What deleting a segment did.
#[derive(Debug, PartialEq)]
pub enum SegmentDelete {
    Deleted,
    NotFound,
    /// Kept: these rewards are still offered only to its members.
    OfferedRewards(Vec<String>),
}
