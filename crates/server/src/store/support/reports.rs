//! The facts behind the reports: tickets' SLA figures and survey answers
//! in a period (the figures are computed by the caller).

use crate::store::db;
use patron_core::support::Priority;
use sqlx::Row;

use super::rows::priority_of;
use crate::store::Store;

impl Store {
    /// Tickets created in `[from, to)` for the SLA report: (agent name,
    /// priority, created, first response due/at, resolution due/at).
    pub async fn sla_rows(&self, from: i64, to: i64) -> Result<Vec<SlaFacts>, sqlx::Error> {
        let rows = db::query(
            "SELECT u.name AS agent, f.priority, f.created_at, f.first_response_due, f.first_response_at,
                    f.resolution_due, f.resolved_at
             FROM feedback f LEFT JOIN users u ON u.id = f.assignee_id
             WHERE f.created_at >= ? AND f.created_at < ? AND f.first_response_due IS NOT NULL",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| SlaFacts {
                agent: r.get("agent"),
                priority: priority_of(r.get("priority")),
                created_at: r.get("created_at"),
                first_response_due: r
                    .get::<Option<i64>, _>("first_response_due")
                    .unwrap_or_default(),
                first_response_at: r.get("first_response_at"),
                resolution_due: r
                    .get::<Option<i64>, _>("resolution_due")
                    .unwrap_or_default(),
                resolved_at: r.get("resolved_at"),
            })
            .collect())
    }

    /// Survey answers in `[from, to)`: (created, kind, score, tier name) and
    /// ticket ratings (rated at, csat, agent name).
    pub async fn survey_rows(&self, from: i64, to: i64) -> Result<Vec<SurveyFact>, sqlx::Error> {
        let rows = db::query(
            "SELECT f.created_at AS at, f.kind, f.score, t.name AS tier, NULL AS agent
             FROM feedback f JOIN members m ON m.id = f.member_id LEFT JOIN tiers t ON t.id = m.tier_id
             WHERE f.kind IN ('nps', 'csat') AND f.score IS NOT NULL AND f.created_at >= ? AND f.created_at < ?
             UNION ALL
             SELECT COALESCE(f.resolved_at, f.updated_at) AS at, 'ticket' AS kind, f.csat_score AS score,
                    t.name AS tier, u.name AS agent
             FROM feedback f JOIN members m ON m.id = f.member_id LEFT JOIN tiers t ON t.id = m.tier_id
                LEFT JOIN users u ON u.id = f.assignee_id
             WHERE f.csat_score IS NOT NULL AND COALESCE(f.resolved_at, f.updated_at) >= ?
                AND COALESCE(f.resolved_at, f.updated_at) < ?",
        )
        .bind(from)
        .bind(to)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| SurveyFact {
                at: r.get("at"),
                kind: r.get("kind"),
                score: r.get("score"),
                tier: r.get("tier"),
                agent: r.get("agent"),
            })
            .collect())
    }
}

/// A ticket's SLA facts, for the report.
#[derive(Debug, Clone)]
pub struct SlaFacts {
    pub agent: Option<String>,
    pub priority: Priority,
    pub created_at: i64,
    pub first_response_due: i64,
    pub first_response_at: Option<i64>,
    pub resolution_due: i64,
    pub resolved_at: Option<i64>,
}

/// A survey answer or ticket rating, for the report.
#[derive(Debug, Clone)]
pub struct SurveyFact {
    pub at: i64,
    /// `nps`, `csat` (an order rating) or `ticket` (a rating of support).
    pub kind: String,
    pub score: i64,
    pub tier: Option<String>,
    pub agent: Option<String>,
}
