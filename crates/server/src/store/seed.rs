//! Writing the demo data in one transaction with multi-row inserts.

use crate::store::db;
use chrono::{DateTime, Utc};

use super::users::role_str;
use super::{Store, WriteTx};
use crate::demo_feedback::generate;
use crate::seed::{
    generate_member, Batch, Ids, EXPIRY_MONTHS, PENDING_DAYS, PROGRAMME_NAME, REWARDS, TIERS,
    TIME_ZONE,
};

/// Rows per INSERT: stays below SQLite's bound-variable limit.
const ROWS_PER_INSERT: usize = 2_000;
/// Members generated and written per step.
const MEMBERS_PER_BATCH: i64 = 1_000;

/// What seeding wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeedReport {
    pub members: i64,
    pub purchases: i64,
    pub entries: i64,
    pub feedback: i64,
}

async fn insert_rows<T>(
    tx: &mut WriteTx<'_>,
    head: &str,
    rows: &[T],
    bind: impl Fn(db::Separated<'_, '_>, &T) + Copy,
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut qb: db::Builder = db::Builder::new(head);
        qb.push_values(chunk, bind);
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

async fn write_batch(tx: &mut WriteTx<'_>, b: &Batch) -> Result<(), sqlx::Error> {
    insert_rows(
        tx,
        "INSERT INTO members (id, card_number, name, email, region, city, age_band, gender, occupation, education, joined_at, status, tier_id, last_purchase_at) ",
        &b.members,
        |mut q, m| {
            q.push_bind(m.id)
                .push_bind(m.card_number.clone())
                .push_bind(m.name.clone())
                .push_bind(m.email.clone())
                .push_bind(m.region)
                .push_bind(m.city)
                .push_bind(m.age_band)
                .push_bind(m.gender)
                .push_bind(m.occupation)
                .push_bind(m.education)
                .push_bind(m.joined_at)
                .push_bind("active")
                .push_bind(m.tier_id)
                .push_bind(m.last_purchase_at);
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO purchases (id, member_id, order_ref, amount_minor, category, purchased_at) ",
        &b.purchases,
        |mut q, p| {
            q.push_bind(p.id)
                .push_bind(p.member_id)
                .push_bind(p.order_ref.clone())
                .push_bind(p.amount_minor)
                .push_bind(p.category)
                .push_bind(p.purchased_at);
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO ledger_entries (id, member_id, kind, points, created_at, available_at, expires_at, purchase_id, ref_entry_id, reason) ",
        &b.entries,
        |mut q, e| {
            q.push_bind(e.id)
                .push_bind(e.member_id)
                .push_bind(e.kind)
                .push_bind(e.points)
                .push_bind(e.created_at)
                .push_bind(e.available_at)
                .push_bind(e.expires_at)
                .push_bind(e.purchase_id)
                .push_bind(e.ref_entry_id)
                .push_bind(e.reason.clone());
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO lot_allocations (entry_id, lot_id, points) ",
        &b.allocs,
        |mut q, a| {
            q.push_bind(a.entry_id)
                .push_bind(a.lot_id)
                .push_bind(a.points);
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO redemptions (id, member_id, reward_id, entry_id, code, status, created_at, cost_points, expires_at) ",
        &b.redemptions,
        |mut q, r| {
            q.push_bind(r.id)
                .push_bind(r.member_id)
                .push_bind(r.reward_id)
                .push_bind(r.entry_id)
                .push_bind(r.code.clone())
                .push_bind(r.status)
                .push_bind(r.created_at)
                .push_bind(r.cost_points)
                .push_bind(r.expires_at);
        },
    )
    .await?;
    Ok(())
}

async fn write_feedback(
    tx: &mut WriteTx<'_>,
    members: i64,
    n: i64,
    seed: u64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let agents: Vec<(i64, String)> =
        db::query_as("SELECT id, name FROM users WHERE role IN ('support', 'admin') ORDER BY id")
            .fetch_all(&mut **tx)
            .await?;
    if agents.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = agents.iter().map(|a| a.0).collect();
    let name = |id: i64| agents.iter().find(|a| a.0 == id).map(|a| a.1.clone());
    let all = generate(n, members, &ids, seed, now);
    // 20 columns: 1,000 rows per statement stays under SQLite's variable limit.
    for tickets in all.chunks(1_000) {
        insert_rows(
            tx,
            "INSERT INTO feedback (id, reference, member_id, kind, score, category, subject, desired_resolution,
                status, priority, priority_rank, assignee_id, csat_score, created_at, updated_at, resolved_at,
                first_response_at, first_response_due, resolution_due, sla_due) ",
            tickets,
            |mut q, t| {
                q.push_bind(t.id)
                    .push_bind(format!("FB-{:06}", t.id))
                    .push_bind(t.member_id)
                    .push_bind(t.kind)
                    .push_bind(t.score)
                    .push_bind(t.category)
                    .push_bind(t.subject.clone())
                    .push_bind(t.desired_resolution)
                    .push_bind(t.status.as_str())
                    .push_bind(t.priority.as_str())
                    .push_bind(t.priority.rank())
                    .push_bind(t.assignee)
                    .push_bind(t.csat_score)
                    .push_bind(t.created_at)
                    .push_bind(t.updated_at)
                    .push_bind(t.resolved_at)
                    .push_bind(t.first_response_at)
                    .push_bind(t.first_response_due)
                    .push_bind(t.resolution_due)
                    .push_bind(t.sla_due);
            },
        )
        .await?;
        let messages: Vec<_> = tickets
            .iter()
            .flat_map(|t| t.messages.iter().map(move |m| (t.id, m)))
            .collect();
        insert_rows(
            tx,
            "INSERT INTO feedback_messages (feedback_id, author_id, from_staff, internal, body, created_at) ",
            &messages,
            |mut q, (id, (author, internal, body, at))| {
                q.push_bind(*id)
                    .push_bind(*author)
                    .push_bind(author.is_some())
                    .push_bind(*internal)
                    .push_bind(body.clone())
                    .push_bind(*at);
            },
        )
        .await?;
        let events: Vec<_> = tickets
            .iter()
            .flat_map(|t| t.events.iter().map(move |e| (t.id, e)))
            .collect();
        insert_rows(
            tx,
            "INSERT INTO feedback_events (feedback_id, actor_id, action, from_value, to_value, at) ",
            &events,
            |mut q, (id, (actor, action, from, to, at))| {
                let to = match (*action, actor) {
                    ("assigned", Some(a)) => name(*a),
                    _ => to.clone(),
                };
                q.push_bind(*id)
                    .push_bind(*actor)
                    .push_bind(*action)
                    .push_bind(from.clone())
                    .push_bind(to)
                    .push_bind(*at);
            },
        )
        .await?;
    }
    Ok(())
}

impl Store {
    /// Seeds an empty database. `accounts` are (email, name, role, password
    /// hash, is the demo member); all rows commit together or not at all.
    #[allow(clippy::too_many_arguments)]
    pub async fn seed(
        &self,
        members: i64,
        feedback: i64,
        seed: u64,
        now: DateTime<Utc>,
        accounts: &[(String, String, patron_core::auth::Role, String, bool)],
    ) -> Result<SeedReport, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        for (i, (name, threshold, colour)) in TIERS.iter().enumerate() {
            let multiplier = 100 + 25 * i as i64;
            db::query(
                "INSERT INTO tiers (id, name, rank, threshold, earn_multiplier_pct, colour, active, perks)
                 VALUES (?, ?, ?, ?, ?, ?, TRUE, ?)",
            )
            .bind(i as i64 + 1)
            .bind(*name)
            .bind(i as i64)
            .bind(*threshold)
            .bind(multiplier)
            .bind(*colour)
            .bind(crate::seed::TIER_PERKS[i].join("\n"))
            .execute(&mut *tx)
            .await?;
        }
        for (i, (name, description, category, cost, stock, limit, min_tier)) in
            REWARDS.iter().enumerate()
        {
            db::query(
                "INSERT INTO rewards (id, name, description, category, cost_points, stock, per_member_limit, min_tier_id, active)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, TRUE)",
            )
            .bind(i as i64 + 1)
            .bind(*name)
            .bind(*description)
            .bind(*category)
            .bind(*cost)
            .bind(*stock)
            .bind(*limit)
            .bind(min_tier.map(|t| t as i64 + 1))
            .execute(&mut *tx)
            .await?;
        }

        let mut ids = Ids::default();
        let mut report = SeedReport::default();
        let mut next = 1;
        while next <= members {
            let last = (next + MEMBERS_PER_BATCH - 1).min(members);
            let mut batch = Batch::default();
            for id in next..=last {
                generate_member(id, seed, now, &mut ids, &mut batch);
            }
            write_batch(&mut tx, &batch).await?;
            report.members += batch.members.len() as i64;
            report.purchases += batch.purchases.len() as i64;
            report.entries += batch.entries.len() as i64;
            next = last + 1;
        }

        for (email, name, role, hash, is_demo_member) in accounts {
            db::query(
                "INSERT INTO users (email, name, role, password_hash, member_id, active, created_at)
                 VALUES (?, ?, ?, ?, ?, TRUE, ?)",
            )
            .bind(email)
            .bind(name)
            .bind(role_str(*role))
            .bind(hash)
            .bind(is_demo_member.then_some(1i64).filter(|_| members >= 1))
            .bind(now.timestamp())
            .execute(&mut *tx)
            .await?;
        }

        if feedback > 0 && members > 1 {
            write_feedback(&mut tx, members, feedback, seed, now.timestamp()).await?;
            report.feedback = feedback;
        }

        // Written last: a database with a programme row is completely seeded.
        db::query(
            "INSERT INTO programme (id, name, currency, point_value_centi_minor, time_zone, tier_basis,
                                    tier_window, tier_window_months, pending_days, expiry_months)
             VALUES (1, ?, 'CNY', 100, ?, 'points_earned', 'rolling_months', 12, ?, ?)",
        )
        .bind(PROGRAMME_NAME)
        .bind(TIME_ZONE)
        .bind(PENDING_DAYS)
        .bind(EXPIRY_MONTHS)
        .execute(&mut *tx)
        .await?;
        self.dialect().after_explicit_ids(&mut tx).await?;
        tx.commit().await?;
        // Fresh statistics let the planner pick the queue's indexes.
        db::query("ANALYZE").execute(&self.pool).await?;
        Ok(report)
    }
}
