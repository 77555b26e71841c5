//! Campaigns as the admin edits them (issue 19): the list, one campaign,
//! saving a draft, scheduling it (with the moment the job starts it) and
//! cancelling it while scheduled — every change audited. Starting one
//! (freezing the audience, holding out, queueing) and the A/B winner are in
//! `start`; who it would reach in `preview`; the figures in `report`.

pub mod preview;
pub mod report;
pub mod start;

use chrono::{DateTime, Duration, Utc};
use patron_core::campaigns::{
    Campaign, CampaignDraft, CampaignStatus, CampaignVariant, Schedule, WinnerMetric,
};
use patron_core::messaging::Topic;
use sqlx::Row;

use crate::store::audit::AuditRecord;
use crate::store::db;
use crate::store::users::UserRow;
use crate::store::{ts, ts_opt, Store};

/// The zone furthest ahead of UTC (UTC+14): a schedule in members' own
/// zones starts when it reaches the local time.
pub const EARLIEST_OFFSET_HOURS: i64 = 14;

const COLUMNS: &str = "SELECT id, name, goal, segment_id, segment_name, topic, variants, holdout_percent,
        test_percent, winner_metric, winner_after_hours, schedule, status, audience, held_out, winner,
        created_at, updated_at, started_at
     FROM campaigns";

fn campaign_row(r: &db::DbRow) -> Campaign {
    let draft = CampaignDraft {
        name: r.get("name"),
        goal: r.get("goal"),
        segment_id: r.get("segment_id"),
        topic: Topic::parse(r.get::<&str, _>("topic")).unwrap_or(Topic::EmailOffers),
        variants: serde_json::from_str(r.get("variants")).unwrap_or_default(),
        holdout_percent: r.get::<i64, _>("holdout_percent") as u32,
        test_percent: r.get::<i64, _>("test_percent") as u32,
        winner_metric: WinnerMetric::parse(r.get::<&str, _>("winner_metric"))
            .unwrap_or(WinnerMetric::ClickRate),
        winner_after_hours: r.get::<i64, _>("winner_after_hours") as u32,
        schedule: serde_json::from_str(r.get("schedule")).unwrap_or(Schedule::Now),
    };
    Campaign {
        id: r.get("id"),
        draft,
        status: CampaignStatus::parse(r.get::<&str, _>("status")).unwrap_or(CampaignStatus::Draft),
        segment_name: r.get("segment_name"),
        audience: r.get("audience"),
        held_out: r.get("held_out"),
        winner: r.get::<Option<i64>, _>("winner").map(|w| w as u8),
        created_at: ts(r.get("created_at")),
        updated_at: ts(r.get("updated_at")),
        started_at: ts_opt(r.get("started_at")),
    }
}

/// When a campaign scheduled at `now` starts.
pub fn starts_at(schedule: Schedule, now: DateTime<Utc>) -> DateTime<Utc> {
    match schedule {
        Schedule::Now => now,
        Schedule::At { at } => at,
        Schedule::Local { at } => at.and_utc() - Duration::hours(EARLIEST_OFFSET_HOURS),
    }
}

/// Why a campaign could not change as asked.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    NotFound,
    /// It is not in a state that allows this (the current state).
    State(CampaignStatus),
}

impl Store {
    /// Every campaign, newest first.
    pub async fn campaigns(&self) -> Result<Vec<Campaign>, sqlx::Error> {
        let rows = db::query(&format!("{COLUMNS} ORDER BY id DESC"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(campaign_row).collect())
    }

    /// One campaign.
    pub async fn campaign(&self, id: i64) -> Result<Option<Campaign>, sqlx::Error> {
        let r = db::query(&format!("{COLUMNS} WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.as_ref().map(campaign_row))
    }

    /// Campaign `id`'s variants (none if it is gone).
    pub async fn campaign_variants(&self, id: i64) -> Result<Vec<CampaignVariant>, sqlx::Error> {
        let v: Option<String> = db::query_scalar("SELECT variants FROM campaigns WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(v.and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default())
    }

    /// Saves a new draft (`id` None) or replaces a draft's content, audited;
    /// the segment's name is kept with it.
    pub async fn save_campaign(
        &self,
        id: Option<i64>,
        d: &CampaignDraft,
        segment_name: Option<&str>,
        actor: &UserRow,
    ) -> Result<Result<i64, Refused>, sqlx::Error> {
        let now = self.now().timestamp();
        let variants = serde_json::to_string(&d.variants).unwrap_or_else(|_| "[]".into());
        let schedule = serde_json::to_string(&d.schedule).unwrap_or_else(|_| "{}".into());
        let mut tx = self.begin_write().await?;
        let before = match id {
            Some(id) => {
                let status: Option<String> =
                    db::query_scalar("SELECT status FROM campaigns WHERE id = ?")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                match status.as_deref().and_then(CampaignStatus::parse) {
                    None => return Ok(Err(Refused::NotFound)),
                    Some(CampaignStatus::Draft) => {}
                    Some(s) => return Ok(Err(Refused::State(s))),
                }
                Some(id)
            }
            None => None,
        };
        let fields = |q: db::Query<'static>| {
            q.bind(d.name.trim().to_string())
                .bind(d.goal.clone())
                .bind(d.segment_id)
                .bind(segment_name.map(str::to_string))
                .bind(d.topic.as_str())
                .bind(variants.clone())
                .bind(i64::from(d.holdout_percent))
                .bind(i64::from(d.test_percent))
                .bind(d.winner_metric.as_str())
                .bind(i64::from(d.winner_after_hours))
                .bind(schedule.clone())
        };
        let saved = match before {
            None => {
                fields(db::query(
                    "INSERT INTO campaigns (name, goal, segment_id, segment_name, topic, variants,
                        holdout_percent, test_percent, winner_metric, winner_after_hours, schedule, status,
                        created_by, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id",
                ))
                .bind(actor.id)
                .bind(now)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                .get("id")
            }
            Some(id) => {
                fields(db::query(
                    "UPDATE campaigns SET name = ?, goal = ?, segment_id = ?, segment_name = ?, topic = ?,
                        variants = ?, holdout_percent = ?, test_percent = ?, winner_metric = ?,
                        winner_after_hours = ?, schedule = ?, updated_at = ?
                     WHERE id = ? AND status = 'draft'",
                ))
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        let rec = AuditRecord {
            actor,
            action: "campaign.save",
            entity: "campaign",
            entity_id: Some(saved.to_string()),
            before: None,
            after: serde_json::to_value(d).ok(),
        };
        Store::audit_at(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(Ok(saved))
    }

    /// Moves campaign `id` from `from` to `to` (scheduling sets when it
    /// starts), audited.
    pub async fn move_campaign(
        &self,
        id: i64,
        from: CampaignStatus,
        to: CampaignStatus,
        starts: Option<DateTime<Utc>>,
        actor: &UserRow,
    ) -> Result<Result<(), Refused>, sqlx::Error> {
        let now = self.now().timestamp();
        let mut tx = self.begin_write().await?;
        let done = db::query(
            "UPDATE campaigns SET status = ?, starts_at = ?, updated_at = ? WHERE id = ? AND status = ?",
        )
        .bind(to.as_str())
        .bind(starts.map(|s| s.timestamp()))
        .bind(now)
        .bind(id)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let status: Option<String> =
                db::query_scalar("SELECT status FROM campaigns WHERE id = ?")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Ok(Err(
                match status.as_deref().and_then(CampaignStatus::parse) {
                    Some(s) => Refused::State(s),
                    None => Refused::NotFound,
                },
            ));
        }
        let rec = AuditRecord {
            actor,
            action: match to {
                CampaignStatus::Scheduled => "campaign.schedule",
                CampaignStatus::Cancelled => "campaign.cancel",
                _ => "campaign.status",
            },
            entity: "campaign",
            entity_id: Some(id.to_string()),
            before: Some(serde_json::json!({ "status": from.as_str() })),
            after: Some(serde_json::json!({
                "status": to.as_str(),
                "starts_at": starts.map(|s| s.to_rfc3339()),
            })),
        };
        Store::audit_at(&mut tx, rec, now).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}
