//! Who the dated automations reach today, among members who consented to
//! the topic: birthdays (with when the birthday was set, for the 30-day
//! rule), a holiday's greeting (queued for all of them in one statement,
//! in each member's language), and members drifting away (no purchase for
//! the win-back factor times their usual interval).

use chrono::NaiveDate;
use patron_core::profile::Channel;
use sqlx::Row;

use crate::store::db;
use crate::store::Store;

/// The newest consent of member `m.id` for `channel` is a yes.
fn consented(channel: Channel) -> String {
    format!(
        "COALESCE((SELECT c.granted FROM consents c WHERE c.member_id = m.id AND c.channel = '{}'
             ORDER BY c.id DESC LIMIT 1), FALSE) = TRUE",
        channel.as_str()
    )
}

/// A member with a birthday today.
#[derive(Debug, Clone)]
pub struct BirthdayDue {
    pub member_id: i64,
    pub birthday: NaiveDate,
    /// When the member set it (unix seconds; `None`: by staff or import).
    pub set_at: Option<i64>,
}

/// A member to win back.
#[derive(Debug, Clone)]
pub struct WinBackDue {
    pub member_id: i64,
    pub last_purchase_at: i64,
}

impl Store {
    /// Consenting members whose birthday (`MM-DD`) is one of `days`.
    pub async fn birthdays_on(&self, days: &[String]) -> Result<Vec<BirthdayDue>, sqlx::Error> {
        let mut out = Vec::new();
        for day in days {
            let rows = db::query(&format!(
                "SELECT m.id, m.birthday, m.birthday_set_at FROM members m
                 WHERE m.birthday IS NOT NULL AND substr(m.birthday, 6, 5) = ? AND m.status = 'active'
                   AND {}",
                consented(Channel::BirthdayGreetings)
            ))
            .bind(day.as_str())
            .fetch_all(&self.pool)
            .await?;
            out.extend(rows.iter().filter_map(|r| {
                Some(BirthdayDue {
                    member_id: r.get("id"),
                    birthday: NaiveDate::parse_from_str(r.get::<&str, _>("birthday"), "%Y-%m-%d")
                        .ok()?,
                    set_at: r.get("birthday_set_at"),
                })
            }));
        }
        Ok(out)
    }

    /// The points of the active birthday earning rule at `now`, if any.
    pub async fn birthday_bonus_points(&self, now: i64) -> Result<Option<i64>, sqlx::Error> {
        let params: Option<String> = db::query_scalar(
            "SELECT params FROM earning_rules WHERE kind = 'birthday' AND active = TRUE
               AND (starts_at IS NULL OR starts_at <= ?) AND (ends_at IS NULL OR ends_at > ?)
             ORDER BY priority LIMIT 1",
        )
        .bind(now)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(params
            .and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok())
            .and_then(|v| v["points"].as_i64()))
    }

    /// Queues holiday `id`'s greeting on `date` for every consenting member
    /// not greeted for it yet, in one statement; how many were queued.
    pub async fn queue_holiday(
        &self,
        id: i64,
        date: NaiveDate,
        names: (&str, &str),
        now: i64,
        not_before: i64,
    ) -> Result<u64, sqlx::Error> {
        let fields = |name: &str| serde_json::json!({ "holiday_name": name }).to_string();
        let mut tx = self.begin_write().await?;
        let done = db::query(&format!(
            "INSERT INTO messages (member_id, template, topic, fields, dedupe_key, status, created_at, next_attempt_at)
             SELECT m.id, 'holiday', 'news', CASE WHEN m.language = 'zh' THEN ? ELSE ? END,
                    'holiday:' || ? || ':' || m.id, 'queued', ?, ?
             FROM members m WHERE m.status = 'active' AND {}
             ON CONFLICT (dedupe_key) DO NOTHING",
            consented(Channel::News)
        ))
        .bind(fields(names.1))
        .bind(fields(names.0))
        .bind(format!("{id}:{date}"))
        .bind(now)
        .bind(not_before)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Consenting members with at least two purchases whose last one is
    /// older than `factor` times their average interval (of at least a
    /// day), at `now`.
    pub async fn win_back_due(
        &self,
        now: i64,
        factor: i64,
    ) -> Result<Vec<WinBackDue>, sqlx::Error> {
        let rows = db::query(&format!(
            "SELECT m.id, x.last_at FROM (
                SELECT member_id, MAX(purchased_at) AS last_at,
                       (MAX(purchased_at) - MIN(purchased_at)) / (COUNT(*) - 1) AS interval_secs
                FROM purchases GROUP BY member_id HAVING COUNT(*) >= 2
             ) x JOIN members m ON m.id = x.member_id
             WHERE x.interval_secs >= 86400 AND ? - x.last_at > ? * x.interval_secs
               AND m.status = 'active' AND {}
             ORDER BY m.id",
            consented(Channel::WinBack)
        ))
        .bind(now)
        .bind(factor)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| WinBackDue {
                member_id: r.get("id"),
                last_purchase_at: r.get("last_at"),
            })
            .collect())
    }
}
