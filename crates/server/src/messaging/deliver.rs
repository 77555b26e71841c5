//! The delivery worker: takes due messages from the outbox, oldest first,
//! and for each decides — skipped (no consent for a marketing topic; an
//! address suppressed, except for account mail), later (quiet hours in the
//! member's zone; the weekly frequency cap: a message waits, it is never
//! dropped), or rendered and handed to the mail server at the configured
//! pace, several at once. A temporary failure is retried with backoff; a permanent one marks
//! the message failed with the server's reason and suppresses the address;
//! a mail server that cannot be reached ends the batch (the rest stay
//! queued, the outbox shows the error). Without a mail server messages are
//! captured. It runs under a lease, so one replica delivers at a time.

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use patron_core::messaging::{quiet_until, MessageStatus, MessagingSettings, Topic, CAP_DAYS};
use patron_core::time::zone;

use super::batch::{self, Facts};
use super::tokens::{self, Unsubscribe, UNSUBSCRIBE_DAYS};
use super::{render, Mailer};
use crate::store::messaging::outbox::{DueMessage, Outcome};
use crate::store::messaging::recipients::Recipient;
use crate::store::Store;

/// Attempts before a temporarily failing message is given up.
pub const MAX_ATTEMPTS: i64 = 8;

/// Wait before attempt n + 2 after n + 1 failed (1 min … 1 day).
const BACKOFF_SECS: [i64; 7] = [60, 300, 1_800, 7_200, 21_600, 43_200, 86_400];

/// Messages taken per batch.
pub const BATCH: i64 = 200;

/// What one batch did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub captured: usize,
    pub skipped: usize,
    pub failed: usize,
    /// Failed for now, to be tried again.
    pub retried: usize,
    /// Held for quiet hours or the frequency cap.
    pub deferred: usize,
    /// Why the batch stopped early (the mail server could not be reached).
    pub stopped: Option<String>,
}

impl DeliveryReport {
    /// Messages this batch dealt with.
    pub fn handled(&self) -> usize {
        self.sent + self.captured + self.skipped + self.failed + self.retried + self.deferred
    }
}

/// Delivers up to [`BATCH`] due messages, [`super::smtp::CONCURRENCY`] at a time, at
/// most one per member per batch (so the frequency cap counts exactly; the
/// rest wait for the next batch).
pub async fn deliver_due(store: &Store, mailer: &Mailer) -> Result<DeliveryReport, sqlx::Error> {
    use futures_util::StreamExt;
    let now = store.now();
    let mut due = store.due_messages(now.timestamp(), BATCH).await?;
    let mut report = DeliveryReport::default();
    if due.is_empty() {
        return Ok(report);
    }
    let mut members = std::collections::HashSet::new();
    due.retain(|m| members.insert(m.member_id));
    let facts = Facts::load(store, &due, now).await?;
    let rules = store.messaging_settings().await?;
    let pacer = super::smtp::Pacer::new(mailer.rate_per_minute());
    let stop = std::sync::atomic::AtomicBool::new(false);
    let ctx = Ctx {
        store,
        mailer,
        now,
        facts: &facts,
        rules: &rules,
        pacer: &pacer,
        stop: &stop,
    };
    let ctx = &ctx;
    let mut steps = futures_util::stream::iter(
        due.into_iter()
            .map(|m| async move { deliver_one(ctx, &m).await }),
    )
    .buffer_unordered(super::smtp::CONCURRENCY);
    // A database error ends the batch, but only after the messages in
    // flight have recorded how they went (a dropped one could be sent twice).
    let mut failed = None;
    while let Some(step) = steps.next().await {
        let step = match step {
            Ok(s) => s,
            Err(e) => {
                ctx.stop.store(true, std::sync::atomic::Ordering::Relaxed);
                failed.get_or_insert(e);
                continue;
            }
        };
        match step {
            Step::Sent => report.sent += 1,
            Step::Captured => report.captured += 1,
            Step::Skipped => report.skipped += 1,
            Step::Failed => report.failed += 1,
            Step::Retried => report.retried += 1,
            Step::Deferred => report.deferred += 1,
            Step::NotTried => {}
            Step::Stop(why) => {
                report.retried += 1;
                report.stopped.get_or_insert(why);
            }
        }
    }
    match failed {
        Some(e) => Err(e),
        None => Ok(report),
    }
}

/// What every message of a batch shares.
struct Ctx<'a> {
    store: &'a Store,
    mailer: &'a Mailer,
    now: DateTime<Utc>,
    facts: &'a Facts,
    rules: &'a MessagingSettings,
    pacer: &'a super::smtp::Pacer,
    /// Set when the mail server cannot be reached: the rest are not tried.
    stop: &'a std::sync::atomic::AtomicBool,
}

enum Step {
    Sent,
    Captured,
    Skipped,
    Failed,
    Retried,
    Deferred,
    /// Left queued untouched (the batch was stopping).
    NotTried,
    /// Retried, and the batch ends here.
    Stop(String),
}

async fn deliver_one(ctx: &Ctx<'_>, m: &DueMessage) -> Result<Step, sqlx::Error> {
    use std::sync::atomic::Ordering;
    let Ctx {
        store,
        mailer,
        now,
        facts,
        rules,
        ..
    } = *ctx;
    if ctx.stop.load(Ordering::Relaxed) {
        return Ok(Step::NotTried);
    }
    let at = now.timestamp();
    let end = |status, to, reason| end(store, m.id, status, to, reason, at);
    let Some(r) = facts.recipient(m.member_id) else {
        end(MessageStatus::Failed, None, "The member no longer exists.").await?;
        return Ok(Step::Failed);
    };
    if let Some(channel) = m.topic.consent() {
        if !facts.consented(r.member_id, channel) {
            let why = format!("No consent for {}.", m.topic.as_str());
            end(MessageStatus::Skipped, Some(&r.email), &why).await?;
            return Ok(Step::Skipped);
        }
    }
    if m.topic != Topic::Account {
        if let Some(reason) = facts.suppression(&r.email) {
            let why = format!("The address is suppressed ({reason}).");
            end(MessageStatus::Skipped, Some(&r.email), &why).await?;
            return Ok(Step::Skipped);
        }
    }
    if m.topic.is_marketing() {
        if let Some(later) = held(facts, r, now, rules) {
            let outcome = Outcome::Later {
                at: later.timestamp(),
                reason: None,
                attempted: false,
            };
            store.record_delivery(m.id, outcome, at).await?;
            return Ok(Step::Deferred);
        }
    }
    let language = batch::language(r);
    let texts = facts.text(m, language);
    let Some(standing) = facts.standing(r.member_id) else {
        let why = "member figures: the programme has no tiers";
        return retry(store, m, at, why, true).await;
    };
    let fields = super::compose::member_fields(mailer, r, standing, &m.fields);
    let unsubscribe = match m.topic.is_marketing() {
        true => {
            let token = tokens::sign(
                mailer.key(store).await?,
                &Unsubscribe {
                    message_id: m.id,
                    member_id: r.member_id,
                    topic: m.topic,
                    expires_at: at + UNSUBSCRIBE_DAYS * 86_400,
                },
            );
            Some(mailer.unsubscribe_url(&token))
        }
        false => None,
    };
    let rendered = match render::render(&texts, language, &fields, unsubscribe.as_deref()) {
        Ok(mut x) => {
            let key = mailer.key(store).await?;
            let link = |url: &str| {
                (!url.contains("/unsubscribe/"))
                    .then(|| mailer.tracking_url(&tokens::tracking(key, 'c', m.id, url)))
            };
            let pixel = mailer.tracking_url(&tokens::tracking(key, 'o', m.id, ""));
            x.html = render::with_tracking(&x.html, link, &pixel);
            x
        }
        Err(e) => {
            end(
                MessageStatus::Failed,
                Some(&r.email),
                &format!("Template error: {e}"),
            )
            .await?;
            return Ok(Step::Failed);
        }
    };
    let done = |status| Outcome::Done {
        status,
        to: &r.email,
        language,
        subject: &rendered.subject,
        text: &rendered.text,
        html: &rendered.html,
    };
    let to: Mailbox = match r.email.parse() {
        Ok(a) => a,
        Err(e) => {
            let why = format!("Invalid address {:?}: {e}", r.email);
            end(MessageStatus::Failed, Some(&r.email), &why).await?;
            return Ok(Step::Failed);
        }
    };
    let Some(smtp) = mailer.smtp() else {
        store
            .record_delivery(m.id, done(MessageStatus::Captured), at)
            .await?;
        return Ok(Step::Captured);
    };
    let email = match super::compose::envelope(mailer, m.id, to, &rendered, unsubscribe.as_deref())
    {
        Ok(e) => e,
        Err(e) => {
            end(
                MessageStatus::Failed,
                Some(&r.email),
                &format!("Cannot build the message: {e}"),
            )
            .await?;
            return Ok(Step::Failed);
        }
    };
    ctx.pacer.wait().await;
    if ctx.stop.load(Ordering::Relaxed) {
        return Ok(Step::NotTried);
    }
    match smtp.send(&email).await {
        Ok(_) => {
            store
                .record_delivery(m.id, done(MessageStatus::Sent), at)
                .await?;
            Ok(Step::Sent)
        }
        Err(e) if e.is_permanent() => {
            let why = e.to_string();
            store.suppress(&r.email, "bounce", &why, at).await?;
            end(MessageStatus::Failed, Some(&r.email), &why).await?;
            Ok(Step::Failed)
        }
        // A refusal for now (4xx) is this message's; anything else (no
        // connection, TLS, a timeout) is the server's, and ends the batch.
        Err(e) => {
            let server_down = !e.is_transient();
            if server_down {
                ctx.stop.store(true, Ordering::Relaxed);
            }
            retry(store, m, at, &e.to_string(), server_down).await
        }
    }
}

/// Records that message `id` ended unsent (skipped or failed).
async fn end(
    store: &Store,
    id: i64,
    status: MessageStatus,
    to: Option<&str>,
    reason: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    let outcome = Outcome::Ended { status, to, reason };
    store.record_delivery(id, outcome, at).await
}

/// Schedules the next attempt with backoff, or gives up after
/// [`MAX_ATTEMPTS`].
async fn retry(
    store: &Store,
    m: &DueMessage,
    at: i64,
    why: &str,
    stop: bool,
) -> Result<Step, sqlx::Error> {
    let attempts = m.attempts + 1;
    if attempts >= MAX_ATTEMPTS {
        let why = format!("Gave up after {attempts} attempts: {why}");
        let outcome = Outcome::Ended {
            status: MessageStatus::Failed,
            to: None,
            reason: &why,
        };
        store.record_delivery(m.id, outcome, at).await?;
        return Ok(Step::Failed);
    }
    let wait = BACKOFF_SECS[(attempts as usize - 1).min(BACKOFF_SECS.len() - 1)];
    let outcome = Outcome::Later {
        at: at + wait,
        reason: Some(why),
        attempted: true,
    };
    store.record_delivery(m.id, outcome, at).await?;
    Ok(if stop {
        Step::Stop(why.to_string())
    } else {
        Step::Retried
    })
}

/// When a marketing message to `r` must wait until: the end of quiet hours
/// in their zone, or the day the oldest message in their cap window leaves
/// it.
fn held(
    facts: &Facts,
    r: &Recipient,
    now: DateTime<Utc>,
    rules: &MessagingSettings,
) -> Option<DateTime<Utc>> {
    let tz = zone(r.time_zone.as_deref().unwrap_or(&facts.programme.time_zone));
    if let Some(until) = quiet_until(now, tz, (rules.quiet_start, rules.quiet_end)) {
        return Some(until);
    }
    match facts.marketing_sent(r.member_id) {
        (count, Some(first)) if count >= rules.frequency_cap => {
            crate::store::ts_opt(Some(first + CAP_DAYS * 86_400 + 1))
        }
        _ => None,
    }
}
