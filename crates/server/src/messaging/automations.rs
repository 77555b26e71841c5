//! Scheduled automations, run at every scheduler check and once-only by
//! their dedupe keys: the points-expiry reminders (one message per member,
//! horizon and expiry date), birthday greetings (once a year, not for a
//! birthday set in the 30 days before it), holiday greetings (lunar dates
//! computed), and win-back (once per lapse). Messages caused by a request
//! or a recalculation (welcome, a ticket reply, a tier change) are queued
//! in that transaction by `store::messaging::events`.

use chrono::Datelike;
use chrono::{DateTime, Utc};
use patron_core::messaging::{reminder_window, TemplateKey};
use patron_core::profile::birthday_bonus_allowed;
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
    let horizons = store.messaging_settings().await?.reminder_days;
    let at = now.timestamp();
    let mut queued = 0;
    for &days in &horizons {
        let Some((lo, hi)) = reminder_window(&horizons, days) else {
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

/// What one run of the dated automations queued.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DatedReport {
    pub birthdays: usize,
    pub holidays: u64,
    pub win_back: usize,
}

/// Queues today's birthday, holiday and win-back messages (programme time
/// zone), skipping automations that are off.
pub async fn queue_dated(store: &Store, now: DateTime<Utc>) -> Result<DatedReport, sqlx::Error> {
    let switches = store.automation_switches().await?;
    let on = |k: TemplateKey| switches.get(&k).copied().unwrap_or((true, 0));
    let tz = zone(&store.programme().await?.time_zone);
    let today = local_date(now, tz);
    let at = now.timestamp();
    let mut report = DatedReport::default();
    if on(TemplateKey::Birthday).0 {
        let mut days = vec![today.format("%m-%d").to_string()];
        // 29 February birthdays are kept on the 28th in other years.
        if today.month() == 2
            && today.day() == 28
            && chrono::NaiveDate::from_ymd_opt(today.year(), 2, 29).is_none()
        {
            days.push("02-29".into());
        }
        let bonus = store.birthday_bonus_points(at).await?;
        let due = store.birthdays_on(&days).await?;
        let mut tx = store.begin_write().await?;
        for b in due {
            let honoured = b.set_at.is_none_or(|set| {
                birthday_bonus_allowed(b.birthday, local_date(crate::store::ts(set), tz), today)
            });
            if !honoured {
                continue;
            }
            let m = NewMessage {
                member_id: b.member_id,
                template: TemplateKey::Birthday,
                fields: json!({ "birthday_bonus": bonus }),
                dedupe_key: Some(format!("birthday:{}:{}", b.member_id, today.year())),
                not_before: at,
            };
            if Store::enqueue_message(&mut tx, &m, at).await? {
                report.birthdays += 1;
            }
        }
        tx.commit().await?;
    }
    let (holidays_on, delay) = on(TemplateKey::Holiday);
    if holidays_on {
        for (id, h) in store.holidays().await? {
            if h.enabled && super::calendar::date_in(&h, today.year()) == Some(today) {
                report.holidays += store
                    .queue_holiday(id, today, (&h.name_en, &h.name_zh), at, at + delay * 3_600)
                    .await?;
            }
        }
    }
    if on(TemplateKey::WinBack).0 {
        let factor = store.messaging_settings().await?.win_back_factor;
        let due = store.win_back_due(at, factor).await?;
        for chunk in due.chunks(REMINDER_PAGE as usize) {
            let mut tx = store.begin_write().await?;
            for w in chunk {
                let m = NewMessage {
                    member_id: w.member_id,
                    template: TemplateKey::WinBack,
                    fields: json!({ "days_since_purchase": (at - w.last_purchase_at) / 86_400 }),
                    dedupe_key: Some(format!("win_back:{}:{}", w.member_id, w.last_purchase_at)),
                    not_before: at,
                };
                if Store::enqueue_message(&mut tx, &m, at).await? {
                    report.win_back += 1;
                }
            }
            tx.commit().await?;
        }
    }
    Ok(report)
}

/// `patron-server deliver`: queues what is due now and delivers the
/// outbox until nothing is due (or the mail server cannot be reached), and
/// says how long each part took.
pub async fn run_once(store: &Store, mailer: &super::Mailer) -> Result<String, sqlx::Error> {
    let started = std::time::Instant::now();
    let now = store.now();
    let reminders = queue_expiry_reminders(store, now).await?;
    let dated = queue_dated(store, now).await?;
    let queued_in = started.elapsed().as_secs_f64();
    let started = std::time::Instant::now();
    let mut total = super::deliver::DeliveryReport::default();
    loop {
        let r = super::deliver::deliver_due(store, mailer).await?;
        if r.handled() == 0 {
            break;
        }
        total.sent += r.sent;
        total.captured += r.captured;
        total.skipped += r.skipped;
        total.failed += r.failed;
        total.retried += r.retried;
        total.deferred += r.deferred;
        if r.stopped.is_some() {
            total.stopped = r.stopped;
            break;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let done = total.sent + total.captured;
    Ok(format!(
        "queued {reminders} reminders, {} birthday, {} holiday, {} win-back messages in {queued_in:.2} s; \
         delivered {} sent + {} captured in {secs:.2} s ({:.0}/s); {} skipped, {} failed, {} retried, {} deferred{}",
        dated.birthdays,
        dated.holidays,
        dated.win_back,
        total.sent,
        total.captured,
        done as f64 / secs.max(0.001),
        total.skipped,
        total.failed,
        total.retried,
        total.deferred,
        total
            .stopped
            .map(|s| format!("; stopped: {s}"))
            .unwrap_or_default()
    ))
}
