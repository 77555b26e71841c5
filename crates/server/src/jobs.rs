//! Background jobs, in the order one check runs them:
//! 1. points expiry: lots past their date get one `expire` entry for what
//!    is left (each run recorded in `expiry_runs`; a failed run is retried
//!    at the next check);
//! 2. scheduled tier recalculation (nightly or on the fixed date, programme
//!    time zone; `tier_runs`) — after the expiry it may depend on;
//! 3. RFM / churn-risk scores, refreshed when older than a day (`score_runs`);
//! 4. messages of the dated automations — points-expiry reminders,
//!    birthdays, holidays, win-back — queued for members who asked for
//!    them (`messaging::automations`; each once, by its dedupe key).
//!
//! Apart from the check, every few seconds campaigns whose moment came are
//! started (and A/B tests decided, `campaigns`) and the delivery worker
//! looks for due messages in the outbox (`messaging::deliver`).
//!
//! Each job runs under a lease (`store::leases`): with several replicas,
//! one runs it and the others skip it; a replica that dies mid-job is
//! taken over when its lease runs out.
//!
//! Time comes from the store's clock, so a test moves the clock and calls
//! [`tick`] instead of waiting for the scheduler. At start-up the
//! dashboard's activity index is read once, so the first dashboard does not
//! wait for it.

use std::collections::HashSet;
use std::time::Duration;

use patron_core::expiry::{ExpiryRun, BATCH_LOTS};

use crate::messaging::Mailer;
use crate::store::expiry::{RunPlan, StartOutcome};
use crate::store::users::UserRow;
use crate::store::Store;

/// How often the scheduler looks whether a run is due.
pub const CHECK_EVERY: Duration = Duration::from_secs(5 * 60);

/// How long a job's lease lasts unless renewed (it is renewed every third
/// of that while the job runs).
pub const LEASE_SECS: i64 = 600;

/// Runs `job` if this replica gets the lease `name`; otherwise another
/// replica is running it and this one skips it.
async fn leased(store: &Store, name: &str, job: impl std::future::Future<Output = ()>) {
    match store.take_lease(name, LEASE_SECS).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::warn!("job {name}: could not take its lease: {e}");
            return;
        }
    }
    let renew = async {
        loop {
            tokio::time::sleep(Duration::from_secs(LEASE_SECS as u64 / 3)).await;
            if let Err(e) = store.take_lease(name, LEASE_SECS).await {
                tracing::warn!("job {name}: could not renew its lease: {e}");
            }
        }
    };
    tokio::select! {
        () = job => {}
        () = renew => {}
    }
    if let Err(e) = store.release_lease(name).await {
        tracing::warn!("job {name}: could not release its lease: {e}");
    }
}

/// How often the delivery worker looks for due messages.
pub const DELIVER_EVERY: Duration = Duration::from_secs(2);

/// Starts the scheduler and the delivery worker on the current runtime.
pub fn spawn(store: Store, mailer: Mailer) {
    let outbox = store.clone();
    tokio::spawn(async move {
        loop {
            campaigns(&outbox).await;
            deliver(&outbox, &mailer).await;
            tokio::time::sleep(DELIVER_EVERY).await;
        }
    });
    let warm = store.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match warm.activity().await {
            Ok(_) => tracing::info!("activity index read in {:?}", started.elapsed()),
            Err(e) => tracing::warn!("activity index: {e}"),
        }
    });
    tokio::spawn(async move {
        loop {
            tick(&store).await;
            tokio::time::sleep(CHECK_EVERY).await;
        }
    });
}

/// One check: runs every job that is due at the store's "now", in order.
/// Failures are logged (and recorded where the job records runs); the next
/// check tries again.
pub async fn tick(store: &Store) {
    let now = store.now();
    leased(store, "expiry", expiry_job(store, now)).await;
    leased(store, "tiers", tiers_job(store, now)).await;
    leased(store, "scores", scores_job(store, now)).await;
    leased(store, "reminders", async {
        match crate::messaging::automations::queue_expiry_reminders(store, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("queued {n} points-expiry reminders"),
            Err(e) => tracing::warn!("points-expiry reminders failed: {e}"),
        }
        match crate::messaging::automations::queue_dated(store, now).await {
            Ok(r) if r == Default::default() => {}
            Ok(r) => tracing::info!(
                "queued {} birthday, {} holiday and {} win-back messages",
                r.birthdays,
                r.holidays,
                r.win_back
            ),
            Err(e) => tracing::warn!("dated automations failed: {e}"),
        }
    })
    .await;
    leased(store, "throttle-sweep", async {
        if let Err(e) = store.throttle_sweep().await {
            tracing::warn!("throttle sweep failed: {e}");
        }
    })
    .await;
}

/// Starts campaigns whose moment came and decides A/B tests that have run
/// their time (`crate::campaigns`), looked for as often as the outbox;
/// one replica at a time.
pub async fn campaigns(store: &Store) {
    let now = store.now();
    match store.campaign_work_due(now.timestamp()).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::warn!("campaigns: {e}");
            return;
        }
    }
    leased(store, "campaigns", async {
        match crate::campaigns::run_due(store, now).await {
            Ok(r) => tracing::info!(
                "campaigns: started {}, decided {} A/B tests, queued {} messages",
                r.started,
                r.decided,
                r.queued
            ),
            Err(e) => tracing::warn!("campaigns failed: {e}"),
        }
    })
    .await;
}

/// Delivers due messages, batch after batch, until none is due or the
/// mail server cannot be reached; one replica at a time.
pub async fn deliver(store: &Store, mailer: &Mailer) {
    match store.any_message_due(store.now().timestamp()).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::warn!("outbox check failed: {e}");
            return;
        }
    }
    leased(store, "deliver", async {
        loop {
            match crate::messaging::deliver::deliver_due(store, mailer).await {
                Ok(r) if r.handled() == 0 => break,
                Ok(r) => {
                    if let Some(why) = r.stopped {
                        tracing::warn!("delivery paused: {why}");
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!("delivery failed: {e}");
                    break;
                }
            }
        }
    })
    .await;
}

async fn expiry_job(store: &Store, now: chrono::DateTime<chrono::Utc>) {
    match store.expiry_due(now).await {
        Ok(true) => match run_expiry(store, "scheduled", None).await {
            Ok(r) if r.error.is_none() => tracing::info!(
                "expiry run {}: {} lots of {} members, {} points",
                r.id,
                r.lots,
                r.members,
                r.points
            ),
            Ok(r) => tracing::warn!("expiry run {} failed: {:?}", r.id, r.error),
            Err(e) => tracing::warn!("expiry run could not start: {e}"),
        },
        Ok(false) => {}
        Err(e) => tracing::warn!("expiry check failed: {e}"),
    }
}

async fn tiers_job(store: &Store, now: chrono::DateTime<chrono::Utc>) {
    match store.scheduled_recalc_due(now).await {
        Ok(true) => {
            let trigger = match store
                .programme_settings()
                .await
                .map(|s| s.tier_policy.recalculation)
            {
                Ok(patron_core::admin::Recalculation::FixedDate { .. }) => "fixed_date",
                _ => "nightly",
            };
            if let Err(e) = store.recalculate_tiers(trigger, None, None, now).await {
                tracing::warn!("tier recalculation failed: {e}");
            }
        }
        Ok(false) => {}
        Err(e) => tracing::warn!("tier schedule check failed: {e}"),
    }
}

async fn scores_job(store: &Store, now: chrono::DateTime<chrono::Utc>) {
    match store.scores_due(now).await {
        Ok(true) => match store.refresh_scores(store.now(), None).await {
            Ok(r) => tracing::info!(
                "scores refreshed: {} members, {} at risk, {} s",
                r.members,
                r.at_risk,
                r.finished_at - r.started_at
            ),
            Err(e) => tracing::warn!("score refresh failed: {e}"),
        },
        Ok(false) => {}
        Err(e) => tracing::warn!("score check failed: {e}"),
    }
}

/// Runs expiry through the store's "now" to the end and returns the run
/// (failed runs carry their error) — or the run already going, untouched.
pub async fn run_expiry(
    store: &Store,
    trigger: &str,
    actor: Option<&UserRow>,
) -> Result<ExpiryRun, sqlx::Error> {
    match store.start_expiry_run(trigger, actor, store.now()).await? {
        StartOutcome::Running(run) => Ok(run),
        StartOutcome::Started(plan) => Ok(finish(store, &plan).await),
    }
}

/// `patron-server expire`: a scheduled-style run now.
pub async fn run_expiry_now(store: &Store) -> Result<ExpiryRun, sqlx::Error> {
    run_expiry(store, "scheduled", None).await
}

/// The "Run now" button: starts a run (or finds the one going) and waits
/// up to `wait` for it; a run still going after that carries on in the
/// background and is returned as running.
pub async fn run_expiry_for(
    store: &Store,
    actor: &UserRow,
    wait: Duration,
) -> Result<ExpiryRun, sqlx::Error> {
    let plan = match store
        .start_expiry_run("manual", Some(actor), store.now())
        .await?
    {
        StartOutcome::Running(run) => return Ok(run),
        StartOutcome::Started(plan) => plan,
    };
    let s = store.clone();
    let p = plan.clone();
    let job = tokio::spawn(async move { finish(&s, &p).await });
    match tokio::time::timeout(wait, job).await {
        Ok(Ok(run)) => Ok(run),
        // Still going (or the task died: its heartbeat stops and the next
        // check marks it failed): show where it stands.
        _ => store
            .expiry_run(plan.run_id)
            .await?
            .ok_or(sqlx::Error::RowNotFound),
    }
}

/// Works through a started run batch by batch and records how it ended.
async fn finish(store: &Store, plan: &RunPlan) -> ExpiryRun {
    let outcome = async {
        let lots = store.lapsed_lots(plan).await?;
        let mut members = HashSet::new();
        for chunk in lots.chunks(BATCH_LOTS) {
            store.expire_lots(plan, chunk, &mut members).await?;
        }
        if lots.is_empty() {
            store.expire_lots(plan, &[], &mut members).await?;
        }
        Ok::<(), sqlx::Error>(())
    }
    .await;
    let error = outcome.err().map(|e| e.to_string());
    match store.finish_expiry_run(plan.run_id, error.as_deref()).await {
        Ok(run) => run,
        Err(e) => {
            // Not even the failure could be written: the heartbeat stops and
            // the next check marks the run failed.
            tracing::warn!("expiry run {}: could not record its end: {e}", plan.run_id);
            patron_core::expiry::ExpiryRun {
                id: plan.run_id,
                trigger: String::new(),
                status: patron_core::expiry::ExpiryRunStatus::Failed,
                actor: None,
                started_at: store.now(),
                finished_at: None,
                through: crate::store::ts(plan.through),
                lots: 0,
                members: 0,
                points: 0,
                error: Some(error.unwrap_or_else(|| e.to_string())),
            }
        }
    }
}
