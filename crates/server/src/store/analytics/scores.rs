//! Stored RFM scores and churn risk per member: computed in Rust with the
//! pure rules of `patron_core::analytics` from purchases, open complaints
//! and NPS answers, then written as a whole in one transaction.

use crate::store::db;
use crate::store::dialect::Dialect;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use patron_core::analytics::{
    churn_risk, rfm, AtRiskMember, AtRiskPage, ChurnInput, ChurnReason, MemberScores, RfmInput,
    RfmSegment, ScoreRun,
};
use sqlx::Row;

use crate::store::Store;

const DAY: i64 = 86_400;

/// Stored name of a segment (its serde name).
pub fn segment_name(s: RfmSegment) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn parse_segment(s: &str) -> RfmSegment {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).unwrap_or(RfmSegment::Lost)
}

fn parse_reasons(s: &str) -> Vec<(i64, ChurnReason)> {
    serde_json::from_str(s).unwrap_or_default()
}

#[derive(Default)]
struct Facts {
    days: Vec<i64>,
    minor: Vec<i64>,
    nps: Vec<i64>,
    open_complaints: i64,
}

impl Store {
    /// The RFM window in days (programme setting).
    pub async fn rfm_window_days(&self) -> Result<i64, sqlx::Error> {
        db::query_scalar("SELECT rfm_window_days FROM programme WHERE id = 1")
            .fetch_one(&self.pool)
            .await
    }

    /// Recomputes every member's scores as of `now` (and stores a new RFM
    /// window first when given).
    pub async fn refresh_scores(
        &self,
        now: DateTime<Utc>,
        window_days: Option<i64>,
    ) -> Result<ScoreRun, sqlx::Error> {
        let started = self.now().timestamp();
        let window = match window_days {
            Some(w) => w,
            None => self.rfm_window_days().await?,
        };
        let now_s = now.timestamp();
        let today = now_s.div_euclid(DAY);
        let since = now_s - window * DAY;

        let ids: Vec<i64> = db::query_scalar("SELECT id FROM members ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let mut facts: HashMap<i64, Facts> = HashMap::with_capacity(ids.len());
        let rows = db::query(
            "SELECT member_id, purchased_at, amount_minor - returned_minor AS net
             FROM purchases WHERE purchased_at <= ?",
        )
        .bind(now_s)
        .fetch_all(&self.pool)
        .await?;
        let mut rfm_in: HashMap<i64, RfmInput> = HashMap::new();
        for r in &rows {
            let (id, at, net): (i64, i64, i64) =
                (r.get("member_id"), r.get("purchased_at"), r.get("net"));
            let f = facts.entry(id).or_default();
            f.days.push(at.div_euclid(DAY));
            f.minor.push(net);
            if at >= since {
                let e = rfm_in.entry(id).or_insert(RfmInput {
                    member_id: id,
                    recency_days: Some(i64::MAX),
                    frequency: 0,
                    monetary_minor: 0,
                });
                e.recency_days = e.recency_days.map(|d| d.min((now_s - at).div_euclid(DAY)));
                e.frequency += 1;
                e.monetary_minor += net;
            }
        }
        drop(rows);
        for r in db::query(
            "SELECT member_id, COUNT(*) AS n FROM feedback
             WHERE kind = 'complaint' AND status IN ('new', 'open', 'waiting') GROUP BY member_id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            facts.entry(r.get("member_id")).or_default().open_complaints = r.get("n");
        }
        for r in db::query(
            "SELECT member_id, score FROM feedback
             WHERE kind = 'nps' AND score IS NOT NULL AND created_at <= ?
             ORDER BY member_id, created_at, id",
        )
        .bind(now_s)
        .fetch_all(&self.pool)
        .await?
        {
            facts
                .entry(r.get("member_id"))
                .or_default()
                .nps
                .push(r.get("score"));
        }

        let inputs: Vec<RfmInput> = ids
            .iter()
            .map(|id| {
                rfm_in.get(id).copied().unwrap_or(RfmInput {
                    member_id: *id,
                    recency_days: None,
                    frequency: 0,
                    monetary_minor: 0,
                })
            })
            .collect();
        let scores = rfm(&inputs);
        let empty = Facts::default();
        let mut at_risk = 0i64;
        let mut tx = self.begin_write().await?;
        // The window is stored with the scores it produced, or not at all.
        db::query("UPDATE programme SET rfm_window_days = ? WHERE id = 1")
            .bind(window)
            .execute(&mut *tx)
            .await?;
        db::query("DELETE FROM member_scores")
            .execute(&mut *tx)
            .await?;
        for chunk in scores.chunks(800).zip(inputs.chunks(800)) {
            let mut qb: db::Builder = db::Builder::new(
                "INSERT INTO member_scores (member_id, r, f, m, segment, frequency, monetary_minor, churn_score, at_risk, reasons) ",
            );
            qb.push_values(chunk.0.iter().zip(chunk.1), |mut b, (s, inp)| {
                let f = facts.get(&s.member_id).unwrap_or(&empty);
                let risk = churn_risk(&ChurnInput {
                    purchase_days: f.days.clone(),
                    purchase_minor: f.minor.clone(),
                    today,
                    open_complaints: f.open_complaints,
                    nps: f.nps.clone(),
                });
                if risk.as_ref().is_some_and(|r| r.at_risk) {
                    at_risk += 1;
                }
                b.push_bind(s.member_id)
                    .push_bind(s.r as i64)
                    .push_bind(s.f as i64)
                    .push_bind(s.m as i64)
                    .push_bind(segment_name(s.segment))
                    .push_bind(inp.frequency)
                    .push_bind(inp.monetary_minor)
                    .push_bind(risk.as_ref().map(|r| r.score))
                    .push_bind(risk.as_ref().is_some_and(|r| r.at_risk))
                    .push_bind(
                        serde_json::to_string(
                            &risk.as_ref().map(|r| r.reasons.clone()).unwrap_or_default(),
                        )
                        .unwrap_or_else(|_| "[]".into()),
                    );
            });
            qb.build().execute(&mut *tx).await?;
        }
        let finished = self.now().timestamp();
        db::query(
            "INSERT INTO score_runs (started_at, finished_at, window_days, members, at_risk)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(started)
        .bind(finished)
        .bind(window)
        .bind(ids.len() as i64)
        .bind(at_risk)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(ScoreRun {
            started_at: started,
            finished_at: finished,
            window_days: window,
            members: ids.len() as i64,
            at_risk,
        })
    }

    /// The last scoring run, if any.
    pub async fn last_score_run(&self) -> Result<Option<ScoreRun>, sqlx::Error> {
        let r = db::query(
            "SELECT started_at, finished_at, window_days, members, at_risk
             FROM score_runs ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.map(|r| ScoreRun {
            started_at: r.get("started_at"),
            finished_at: r.get("finished_at"),
            window_days: r.get("window_days"),
            members: r.get("members"),
            at_risk: r.get("at_risk"),
        }))
    }

    /// Whether the scores are older than a day (or were never computed).
    pub async fn scores_due(&self, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
        Ok(self
            .last_score_run()
            .await?
            .is_none_or(|r| now.timestamp() - r.finished_at >= DAY))
    }

    /// One member's stored scores.
    pub async fn member_scores(&self, member_id: i64) -> Result<Option<MemberScores>, sqlx::Error> {
        let Some(run) = self.last_score_run().await? else {
            return Ok(None);
        };
        let r = db::query(
            "SELECT r, f, m, segment, frequency, monetary_minor, churn_score, at_risk, reasons
             FROM member_scores WHERE member_id = ?",
        )
        .bind(member_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.map(|r| MemberScores {
            r: r.get::<i64, _>("r") as u8,
            f: r.get::<i64, _>("f") as u8,
            m: r.get::<i64, _>("m") as u8,
            segment: parse_segment(r.get("segment")),
            frequency: r.get("frequency"),
            monetary_minor: r.get("monetary_minor"),
            churn_score: r.get("churn_score"),
            at_risk: r.get::<db::Flag, _>("at_risk").0,
            reasons: parse_reasons(r.get("reasons")),
            window_days: run.window_days,
            computed_at: run.finished_at,
        }))
    }

    /// A page of at-risk members, sorted by `sort` (one of
    /// `AT_RISK_SORTS`; checked by the caller).
    pub async fn at_risk_page(
        &self,
        sort: &str,
        desc: bool,
        offset: i64,
        limit: i64,
    ) -> Result<AtRiskPage, sqlx::Error> {
        let total: i64 = db::query_scalar("SELECT COUNT(*) FROM member_scores WHERE at_risk")
            .fetch_one(&self.pool)
            .await?;
        let mut qb = at_risk_query(self.dialect, sort, desc);
        qb.push(" LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        let rows = qb.build().fetch_all(&self.pool).await?;
        Ok(AtRiskPage {
            members: rows.iter().map(at_risk_row).collect(),
            total,
            offset,
            computed_at: self.last_score_run().await?.map(|r| r.finished_at),
        })
    }
}

/// The at-risk list's query, without paging.
pub fn at_risk_query(dialect: Dialect, sort: &str, desc: bool) -> db::Builder<'static> {
    let dir = if desc { "DESC" } else { "ASC" };
    let order = match sort {
        "last_purchase" => format!("m.last_purchase_at {dir}, m.id"),
        "spend" => format!("s.monetary_minor {dir}, m.id"),
        "name" => format!("{} {dir}, m.id", dialect.fold("m.name")),
        _ => format!("s.churn_score {dir}, m.id"),
    };
    db::Builder::new(format!(
        "SELECT m.id, m.name, m.email, t.name AS tier, s.churn_score, s.reasons, s.segment,
                m.last_purchase_at, s.monetary_minor
         FROM member_scores s JOIN members m ON m.id = s.member_id JOIN tiers t ON t.id = m.tier_id
         WHERE s.at_risk ORDER BY {order}"
    ))
}

/// One row of [`at_risk_query`].
pub fn at_risk_row(r: &db::DbRow) -> AtRiskMember {
    AtRiskMember {
        id: r.get("id"),
        name: r.get("name"),
        email: r.get("email"),
        tier: r.get("tier"),
        churn_score: r.get::<Option<i64>, _>("churn_score").unwrap_or(0),
        reasons: parse_reasons(r.get("reasons")),
        segment: parse_segment(r.get("segment")),
        last_purchase_at: r.get("last_purchase_at"),
        monetary_minor: r.get("monetary_minor"),
    }
}
