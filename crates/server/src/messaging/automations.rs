//! Scheduled automations: the points-expiry reminders, a job over the
//! "expiring within N days" list that queues one message per member,
//! horizon and expiry date, however often it runs. Messages caused by a
//! request (welcome, a ticket reply) are queued in that request's
//! transaction by `store::messaging::events`.

use chrono::{DateTime, Utc};
use patron_core::messaging::{reminder_window, TemplateKey, DEFAULT_REMINDER_DAYS};
use patron_core::time::{local_date, zone};
use serde_json::json;

use crate::store::messaging::outbox::NewMessage;
use crate::store::Store;

/// Members looked at per statement by the reminder job.
const REMINDER_PAGE: i64 = 1_000;

/// Queues the reminders due at `now` for every horizon; returns how many
/// were new (a member already reminded for a horizon and date is not
/// reminded again).
pub async fn queue_expiry_reminders(
    store: &Store,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let tz = zone(&store.programme().await?.time_zone);
    let at = now.timestamp();
    let mut queued = 0;
    for days in DEFAULT_REMINDER_DAYS {
        let Some((lo, hi)) = reminder_window(&DEFAULT_REMINDER_DAYS, days) else {
            continue;
        };
        let mut after = 0;
        loop {
            let due = store
                .reminders_due(at + lo * 86_400, at + hi * 86_400, after, REMINDER_PAGE)
                .await?;
            let Some(last) = due.last() else { break };
            after = last.member_id;
            let mut tx = store.begin_write().await?;
            for d in &due {
                let first = crate::store::ts(d.first_at);
                let date = local_date(first, tz);
                let days_left = ((d.first_at - at) as f64 / 86_400.0).ceil() as i64;
                let m = NewMessage {
                    member_id: d.member_id,
                    template: TemplateKey::PointsExpiring,
                    fields: json!({
                        "points_expiring": d.points,
                        "expiry_date": date.to_string(),
                        "days_left": days_left,
                    }),
                    dedupe_key: Some(format!("expiring:{days}:{}:{date}", d.member_id)),
                    not_before: at,
                };
                if Store::enqueue_message(&mut tx, &m, at).await? {
                    queued += 1;
                }
            }
            tx.commit().await?;
            if (due.len() as i64) < REMINDER_PAGE {
                break;
            }
        }
    }
    Ok(queued)
}
