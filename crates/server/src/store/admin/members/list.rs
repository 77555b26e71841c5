//! The admin member table: its filters (name, email or card number, tier,
//! status, region, dates) and one sorted page.

use crate::store::db;
use crate::store::dialect::Dialect;
use patron_core::admin::{MemberListItem, MemberPage, MemberQuery, MemberSort, MEMBER_PAGE};
use patron_core::time::{end_of_day, start_of_day, zone};
use sqlx::Row;

use crate::store::{ts, ts_opt, Store};

fn push_filters(qb: &mut db::Builder, dialect: Dialect, q: &MemberQuery, tz: chrono_tz::Tz) {
    qb.push(" WHERE 1 = 1");
    let term = q.q.trim();
    if !term.is_empty() {
        // Email and card number: a prefix as a range, so the unique index
        // answers (LIKE is case-insensitive and cannot use it). Emails are
        // looked up as typed and in lower case (how most are stored).
        let range = |qb: &mut db::Builder, column: &str, p: String| {
            qb.push(format!("({column} >= "))
                .push_bind(p.clone())
                .push(format!(" AND {column} < "))
                .push_bind(format!("{p}\u{10FFFF}"))
                .push(")");
        };
        if term.contains('@') {
            qb.push(" AND (");
            range(qb, "m.email", term.to_lowercase());
            if term != term.to_lowercase() {
                qb.push(" OR ");
                range(qb, "m.email", term.to_string());
            }
            qb.push(")");
        } else if term.chars().all(|c| c.is_ascii_digit()) && term.len() >= 4 {
            qb.push(" AND ");
            range(qb, "m.card_number", term.to_string());
        } else {
            // A word start anywhere in the name, case-insensitive.
            let (like, term) = (dialect.like_nocase("m.name"), term.to_lowercase());
            qb.push(format!(" AND ({like}"))
                .push_bind(format!("{term}%"))
                .push(format!(" OR {like}"))
                .push_bind(format!("% {term}%"))
                .push(")");
        }
    }
    if let Some(t) = q.tier_id {
        qb.push(" AND m.tier_id = ").push_bind(t);
    }
    if let Some(s) = &q.status {
        qb.push(" AND m.status = ").push_bind(s.clone());
    }
    if let Some(r) = &q.region {
        qb.push(" AND m.region = ").push_bind(r.clone());
    }
    if let Some(d) = q.joined_from {
        qb.push(" AND m.joined_at >= ")
            .push_bind(start_of_day(d, tz).timestamp());
    }
    if let Some(d) = q.joined_to {
        qb.push(" AND m.joined_at <= ")
            .push_bind(end_of_day(d, tz).timestamp());
    }
    if let Some(d) = q.last_from {
        qb.push(" AND m.last_purchase_at >= ")
            .push_bind(start_of_day(d, tz).timestamp());
    }
    if let Some(d) = q.last_to {
        qb.push(" AND m.last_purchase_at <= ")
            .push_bind(end_of_day(d, tz).timestamp());
    }
}

impl Store {
    /// A page of the member table.
    pub async fn member_page(&self, q: &MemberQuery, tz: &str) -> Result<MemberPage, sqlx::Error> {
        let tz = zone(tz);
        let mut qb = db::Builder::new("SELECT COUNT(*) FROM members m");
        push_filters(&mut qb, self.dialect, q, tz);
        let total: i64 = qb.build_query_scalar().fetch_one(&self.pool).await?;
        let mut qb = db::Builder::new(
            "SELECT m.id, m.card_number, m.name, m.email, t.name AS tier, t.colour, m.status = 'blocked' AS blocked,
                    m.tier_locked_id IS NOT NULL AS locked, m.region, m.city, m.joined_at, m.last_purchase_at
             FROM members m JOIN tiers t ON t.id = m.tier_id",
        );
        push_filters(&mut qb, self.dialect, q, tz);
        let by_name = format!(" ORDER BY {}, m.id", self.dialect.fold("m.name"));
        qb.push(match q.sort {
            MemberSort::Name => by_name.as_str(),
            MemberSort::JoinedNewest => " ORDER BY m.joined_at DESC, m.id DESC",
            MemberSort::JoinedOldest => " ORDER BY m.joined_at, m.id",
            MemberSort::LastPurchaseNewest => {
                " ORDER BY m.last_purchase_at DESC NULLS LAST, m.id DESC"
            }
            MemberSort::LastPurchaseOldest => " ORDER BY m.last_purchase_at NULLS LAST, m.id",
        });
        qb.push(" LIMIT ")
            .push_bind(MEMBER_PAGE)
            .push(" OFFSET ")
            .push_bind(q.offset);
        let rows = qb.build().fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(|r| MemberListItem {
                id: r.get("id"),
                card_number: r.get("card_number"),
                name: r.get("name"),
                email: r.get("email"),
                tier: r.get("tier"),
                tier_colour: r.get("colour"),
                blocked: r.get::<db::Flag, _>("blocked").0,
                tier_locked: r.get::<db::Flag, _>("locked").0,
                region: r.get("region"),
                city: r.get("city"),
                joined_at: ts(r.get("joined_at")),
                last_purchase_at: ts_opt(r.get("last_purchase_at")),
            })
            .collect();
        let regions = db::query_scalar("SELECT DISTINCT region FROM members ORDER BY region")
            .fetch_all(&self.pool)
            .await?;
        Ok(MemberPage {
            total,
            offset: q.offset,
            items,
            regions,
        })
    }
}
