//! Starting a campaign and finishing its A/B test, both run by the job
//! (one replica at a time, and each guarded by the campaign's status so a
//! second run changes nothing). Starting freezes the audience — the
//! segment's active members now — into `campaign_members` with each
//! member's arm (held out, a variant, or waiting for the winner) and the
//! moment theirs goes (in their own zone for a local schedule), and queues
//! a message for everyone who is not held out or waiting, all in one
//! transaction. Consent, suppression, quiet hours and the cap apply when
//! each message is delivered. Picking the winner moves the waiting members
//! to it and queues theirs.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use patron_core::campaigns::{arm_of, Arm, Campaign, Schedule};
use patron_core::segments::SegmentDefinition;
use patron_core::time::zone;
use sqlx::Row;

use crate::store::db;
use crate::store::segments::{push_definition, Context, FROM};
use crate::store::{Store, WriteTx};

/// Rows per `INSERT` of the frozen audience.
const CHUNK: usize = 500;

/// What starting a campaign did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Started {
    pub audience: i64,
    pub held_out: i64,
    pub queued: i64,
}

/// The moment local time `at` comes in `tz` (the later side of a gap in
/// the clock, the earlier of a repeated hour).
pub fn local_moment(at: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    for shift in [0, 1, 2] {
        if let Some(t) = tz
            .from_local_datetime(&(at + chrono::Duration::hours(shift)))
            .earliest()
        {
            return t.with_timezone(&Utc);
        }
    }
    at.and_utc()
}

/// A member of a campaign's audience.
pub struct AudienceMember {
    pub id: i64,
    pub email: String,
    pub time_zone: Option<String>,
}

/// The active members `definition` matches now (every active member
/// without one), by id.
pub async fn audience<'e, E>(
    ex: E,
    definition: Option<&SegmentDefinition>,
    cx: Context,
) -> Result<Vec<AudienceMember>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = db::Db>,
{
    let mut qb = db::Builder::new("SELECT m.id, m.email, m.time_zone");
    qb.push(FROM).push(" WHERE m.status = 'active'");
    if let Some(def) = definition {
        qb.push(" AND ");
        push_definition(&mut qb, def, cx);
    }
    qb.push(" ORDER BY m.id");
    let rows = qb.build().fetch_all(ex).await?;
    Ok(rows
        .iter()
        .map(|r| AudienceMember {
            id: r.get("id"),
            email: r.get("email"),
            time_zone: r.get("time_zone"),
        })
        .collect())
}

impl Store {
    /// The definition of campaign `c`'s segment: `Ok(None)` for every
    /// member, `Err(())` when its segment is gone.
    pub async fn campaign_definition(
        &self,
        c: &Campaign,
    ) -> Result<Result<Option<SegmentDefinition>, ()>, sqlx::Error> {
        Ok(match c.draft.segment_id {
            Some(id) => match self.segment(id).await? {
                Some(s) => Ok(Some(s.definition)),
                None => Err(()),
            },
            None if c.segment_name.is_some() => Err(()),
            None => Ok(None),
        })
    }

    /// Whether any campaign is due to start, or to have its A/B test
    /// decided, at `now`.
    pub async fn campaign_work_due(&self, now: i64) -> Result<bool, sqlx::Error> {
        let n: Option<i64> = db::query_scalar(
            "SELECT id FROM campaigns WHERE (status = 'scheduled' AND starts_at <= ?)
                OR (status = 'sending' AND started_at + winner_after_hours * 3600 <= ?) LIMIT 1",
        )
        .bind(now)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(n.is_some())
    }

    /// Campaigns due to start at `now` (scheduled, their time come).
    pub async fn campaigns_due(&self, now: i64) -> Result<Vec<i64>, sqlx::Error> {
        db::query_scalar(
            "SELECT id FROM campaigns WHERE status = 'scheduled' AND starts_at <= ? ORDER BY starts_at, id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
    }

    /// Starts campaign `c` (scheduled) at `now`; `None` when it was not
    /// scheduled any more (another run started it, or it was cancelled), or
    /// its segment is gone (it is cancelled rather than sent to everyone).
    pub async fn start_campaign(
        &self,
        c: &Campaign,
        now: DateTime<Utc>,
    ) -> Result<Option<Started>, sqlx::Error> {
        let at = now.timestamp();
        let programme = self.programme().await?;
        let programme_zone = zone(&programme.time_zone);
        let found = self.campaign_definition(c).await?;
        let lost_segment = found.is_err();
        let definition = found.ok().flatten();
        let mut tx = self.begin_write().await?;
        let claimed = db::query(
            "UPDATE campaigns SET status = ?, started_at = ?, updated_at = ? WHERE id = ? AND status = 'scheduled'",
        )
        .bind(if lost_segment { "cancelled" } else { "sending" })
        .bind(at)
        .bind(at)
        .bind(c.id)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 || lost_segment {
            tx.commit().await?;
            return Ok(None);
        }
        let cx = Context {
            now,
            tz: programme_zone,
        };
        let members: Vec<(i64, Option<String>)> = audience(&mut *tx, definition.as_ref(), cx)
            .await?
            .into_iter()
            .map(|m| (m.id, m.time_zone))
            .collect();
        let variants = c.draft.variants.len().clamp(1, 4) as u8;
        let mut zones: HashMap<String, Tz> = HashMap::new();
        let rows: Vec<(i64, Arm, i64)> = members
            .iter()
            .map(|(id, tz)| {
                let arm = arm_of(
                    c.id,
                    *id,
                    c.draft.holdout_percent,
                    c.draft.test_percent,
                    variants,
                );
                let due = match c.draft.schedule {
                    Schedule::Local { at: local } => {
                        let tz = match tz {
                            Some(name) => *zones.entry(name.clone()).or_insert_with(|| zone(name)),
                            None => programme_zone,
                        };
                        local_moment(local, tz).timestamp().max(at)
                    }
                    _ => at,
                };
                (*id, arm, due)
            })
            .collect();
        for chunk in rows.chunks(CHUNK) {
            let mut qb = db::Builder::new(
                "INSERT INTO campaign_members (campaign_id, member_id, arm, due_at)",
            );
            qb.push_values(chunk, |mut row, (member, arm, due)| {
                row.push_bind(c.id)
                    .push_bind(*member)
                    .push_bind(arm.code())
                    .push_bind(*due);
            });
            qb.build().execute(&mut *tx).await?;
        }
        let queued = queue_arm(&mut tx, c, None, at).await?;
        let held_out = rows.iter().filter(|r| r.1 == Arm::Holdout).count() as i64;
        let waiting = rows.iter().any(|r| r.1 == Arm::Rest);
        db::query("UPDATE campaigns SET status = ?, audience = ?, held_out = ? WHERE id = ?")
            .bind(if waiting { "sending" } else { "sent" })
            .bind(rows.len() as i64)
            .bind(held_out)
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(Started {
            audience: rows.len() as i64,
            held_out,
            queued,
        }))
    }

    /// Campaigns whose A/B test has run its time at `now`.
    pub async fn campaigns_to_decide(&self, now: i64) -> Result<Vec<i64>, sqlx::Error> {
        db::query_scalar(
            "SELECT id FROM campaigns WHERE status = 'sending' AND started_at + winner_after_hours * 3600 <= ?
             ORDER BY id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
    }

    /// Makes variant `winner` campaign `c`'s winner: the members waiting
    /// for it get it, queued now (or at their local time if that is still
    /// to come). Returns how many were queued; `None` when it was decided
    /// already.
    pub async fn finish_ab_test(
        &self,
        c: &Campaign,
        winner: u8,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, sqlx::Error> {
        let at = now.timestamp();
        let mut tx = self.begin_write().await?;
        let claimed = db::query(
            "UPDATE campaigns SET status = 'sent', winner = ?, updated_at = ? WHERE id = ? AND status = 'sending'",
        )
        .bind(i64::from(winner))
        .bind(at)
        .bind(c.id)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            return Ok(None);
        }
        let queued = queue_arm(&mut tx, c, Some(winner), at).await?;
        tx.commit().await?;
        Ok(Some(queued))
    }
}

/// Queues the messages of campaign `c`: for every member with a variant
/// (`winner` None), or for the members waiting for `winner` (who are moved
/// to it). Each goes at its member's moment, or now if that has passed.
async fn queue_arm(
    tx: &mut WriteTx<'_>,
    c: &Campaign,
    winner: Option<u8>,
    at: i64,
) -> Result<i64, sqlx::Error> {
    if let Some(w) = winner {
        db::query("UPDATE campaign_members SET arm = ? WHERE campaign_id = ? AND arm = ?")
            .bind(i64::from(w))
            .bind(c.id)
            .bind(Arm::Rest.code())
            .execute(&mut **tx)
            .await?;
    }
    let mut qb = db::Builder::new(
        "INSERT INTO messages (member_id, template, topic, fields, dedupe_key, status, created_at,
            next_attempt_at, campaign_id)
         SELECT cm.member_id, 'campaign', ",
    );
    qb.push_bind(c.draft.topic.as_str())
        .push(", '{\"variant\": ' || CAST(cm.arm AS TEXT) || '}', 'campaign:' || CAST(cm.campaign_id AS TEXT) || ':' || CAST(cm.member_id AS TEXT), 'queued', ")
        .push_bind(at)
        .push(", CASE WHEN cm.due_at > ")
        .push_bind(at)
        .push(" THEN cm.due_at ELSE ")
        .push_bind(at)
        .push(" END, cm.campaign_id FROM campaign_members cm WHERE cm.campaign_id = ")
        .push_bind(c.id);
    match winner {
        Some(w) => qb.push(" AND cm.arm = ").push_bind(i64::from(w)),
        None => qb.push(" AND cm.arm >= 0"),
    };
    qb.push(" ON CONFLICT (dedupe_key) DO NOTHING");
    let done = qb.build().execute(&mut **tx).await?;
    Ok(done.rows_affected() as i64)
}
