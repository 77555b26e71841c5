//! Who a definition matches: the count, whether one member matches, a page
//! of members, the export's query, and the values the builder offers.

use crate::store::db;
use patron_core::segments::{SegmentDefinition, SegmentMember, SegmentMemberPage, SegmentOptions};
use sqlx::Row;

use super::definition::{push_definition, Context, FROM};
use crate::store::Store;

/// The segment member list's query, by member id, after the member id
/// `after` when given (no LIMIT).
pub fn members_query(
    def: &SegmentDefinition,
    cx: Context,
    after: Option<i64>,
) -> db::Builder<'static> {
    let mut qb = db::Builder::new(
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
pub fn member_row(r: &db::DbRow) -> SegmentMember {
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

impl Store {
    /// Members matching `def`.
    pub async fn segment_count(
        &self,
        def: &SegmentDefinition,
        cx: Context,
    ) -> Result<i64, sqlx::Error> {
        let mut qb = db::Builder::new("SELECT COUNT(*)");
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
        E: sqlx::Executor<'e, Database = db::Db>,
    {
        let mut qb = db::Builder::new("SELECT EXISTS (SELECT 1");
        qb.push(FROM)
            .push(" WHERE m.id = ")
            .push_bind(member_id)
            .push(" AND ");
        push_definition(&mut qb, def, cx);
        qb.push(")");
        qb.build_query_scalar::<db::Flag>()
            .fetch_one(ex)
            .await
            .map(|f| f.0)
    }

    /// All members.
    pub async fn member_total(&self) -> Result<i64, sqlx::Error> {
        db::query_scalar("SELECT COUNT(*) FROM members")
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
        let tiers = db::query("SELECT id, name FROM tiers ORDER BY rank")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| (r.get("id"), r.get("name")))
            .collect();
        let distinct = |col: &'static str, table: &'static str| {
            let pool = self.pool.clone();
            async move {
                db::query_scalar::<String>(&format!(
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
}
