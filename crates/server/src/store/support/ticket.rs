//! A ticket as staff see it: triage, SLA figures, history, and the
//! member's loyalty context.

use crate::store::db;
use patron_core::support::{
    sla_state, Agent, MemberContext, OrderSummary, SlaPolicy, StaffTicket, TicketEvent, TicketSla,
};
use sqlx::Row;

use super::rows::{labels_of, priority_of, LABEL_SEP};
use crate::store::{ts, ts_opt, Store};

impl Store {
    /// A ticket as staff see it, with its member's context.
    pub async fn staff_ticket(
        &self,
        id: i64,
        now: i64,
    ) -> Result<Option<StaffTicket>, sqlx::Error> {
        let Some((member_id, ticket)) = self.ticket(id, true).await? else {
            return Ok(None);
        };
        let policy = self.sla_policy().await?;
        let labels = self.dialect.string_agg("label", LABEL_SEP);
        let r = db::query(&format!(
            "SELECT f.score, f.priority, f.assignee_id, u.name AS assignee_name, f.version,
                    f.first_response_due, f.resolution_due, f.first_response_at, f.resolved_at, f.sla_due,
                    (SELECT {labels} FROM feedback_labels l WHERE l.feedback_id = f.id) AS labels
             FROM feedback f LEFT JOIN users u ON u.id = f.assignee_id WHERE f.id = ?"
        ))
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let sla_due: Option<i64> = r.get("sla_due");
        let assignee_id: Option<i64> = r.get("assignee_id");
        let history = db::query(
            "SELECT e.at, u.name, e.action, e.from_value, e.to_value FROM feedback_events e
             LEFT JOIN users u ON u.id = e.actor_id WHERE e.feedback_id = ? ORDER BY e.at, e.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|e| TicketEvent {
            at: ts(e.get("at")),
            actor: e.get("name"),
            action: e.get("action"),
            from: e.get("from_value"),
            to: e.get("to_value"),
        })
        .collect();
        let member = self.member_context(member_id, id, &policy).await?;
        Ok(Some(StaffTicket {
            ticket,
            score: r.get("score"),
            priority: priority_of(r.get("priority")),
            assignee: assignee_id.map(|id| Agent {
                id,
                name: r
                    .get::<Option<String>, _>("assignee_name")
                    .unwrap_or_default(),
            }),
            labels: labels_of(r.get("labels")),
            version: r.get("version"),
            sla: TicketSla {
                first_response_due: ts_opt(r.get("first_response_due")),
                resolution_due: ts_opt(r.get("resolution_due")),
                first_response_at: ts_opt(r.get("first_response_at")),
                resolved_at: ts_opt(r.get("resolved_at")),
                due_at: ts_opt(sla_due),
                state: sla_state(sla_due, now, policy.due_soon_minutes),
            },
            history,
            member,
        }))
    }

    async fn member_context(
        &self,
        member_id: i64,
        ticket_id: i64,
        policy: &SlaPolicy,
    ) -> Result<MemberContext, sqlx::Error> {
        let m = db::query(
            "SELECT m.id, m.name, m.email, m.card_number, m.status, m.joined_at, t.name AS tier, t.rank,
                    (SELECT COALESCE(CAST(SUM(points) AS BIGINT), 0) FROM ledger_entries WHERE member_id = m.id) AS balance,
                    (SELECT COALESCE(CAST(SUM(amount_minor) AS BIGINT), 0) FROM purchases WHERE member_id = m.id) AS spend,
                    (SELECT COUNT(*) FROM purchases WHERE member_id = m.id) AS purchases,
                    (SELECT MAX(purchased_at) FROM purchases WHERE member_id = m.id) AS last_purchase
             FROM members m LEFT JOIN tiers t ON t.id = m.tier_id WHERE m.id = ?",
        )
        .bind(member_id)
        .fetch_one(&self.pool)
        .await?;
        let times: Vec<i64> = db::query_scalar(
            "SELECT purchased_at FROM purchases WHERE member_id = ? ORDER BY purchased_at",
        )
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        let mut gaps: Vec<i64> = times.windows(2).map(|w| (w[1] - w[0]) / 86_400).collect();
        gaps.sort_unstable();
        let usual_gap_days = (!gaps.is_empty()).then(|| gaps[gaps.len() / 2]);
        let other_tickets = self
            .tickets_of(member_id)
            .await?
            .into_iter()
            .filter(|t| t.id != ticket_id)
            .take(10)
            .collect();
        let recent_orders = db::query(
            "SELECT order_ref, amount_minor, category, purchased_at FROM purchases
             WHERE member_id = ? ORDER BY purchased_at DESC, id DESC LIMIT 5",
        )
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|o| OrderSummary {
            order_ref: o.get("order_ref"),
            amount_minor: o.get("amount_minor"),
            category: o.get("category"),
            purchased_at: ts(o.get("purchased_at")),
        })
        .collect();
        let rank: Option<i64> = m.get("rank");
        let currency: String = db::query_scalar("SELECT currency FROM programme WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?
            .unwrap_or_else(|| "CNY".into());
        Ok(MemberContext {
            currency,
            id: m.get("id"),
            name: m.get("name"),
            email: m.get("email"),
            card_number: m.get("card_number"),
            status: m.get("status"),
            tier: m.get("tier"),
            balance: m.get("balance"),
            lifetime_spend_minor: m.get("spend"),
            purchases: m.get("purchases"),
            joined_at: ts(m.get("joined_at")),
            last_purchase_at: ts_opt(m.get("last_purchase")),
            usual_gap_days,
            vip: matches!((policy.vip_min_rank, rank), (Some(min), Some(r)) if r >= min),
            other_tickets,
            recent_orders,
        })
    }
}
