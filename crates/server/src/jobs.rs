//! Background jobs: scheduled tier recalculation (nightly or on the fixed
//! date, programme time zone; each run is recorded in `tier_runs`), and the
//! RFM / churn-risk scores, refreshed when older than a day (so at start-up
//! on a new database, then daily; each run is recorded in `score_runs`). A
//! run that fails is logged and retried at the next check. At start-up the
//! dashboard's activity index is read once, so the first dashboard does not
//! wait for it.

use std::time::Duration;

use crate::store::Store;

/// How often the scheduler looks whether a run is due.
pub const CHECK_EVERY: Duration = Duration::from_secs(5 * 60);

/// Starts the scheduler on the current runtime.
pub fn spawn(store: Store) {
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
            let now = chrono::Utc::now();
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
            match store.scores_due(now).await {
                Ok(true) => match store.refresh_scores(chrono::Utc::now(), None).await {
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
            tokio::time::sleep(CHECK_EVERY).await;
        }
    });
}
