//! Campaigns over time (issue 19): the job starts scheduled campaigns whose
//! moment has come and, once an A/B test has run its hours, picks the
//! winner by the campaign's metric (the report's leader) and sends it to
//! the members who were waiting. A campaign scheduled "now" is started by
//! the request itself. Runs under the job's lease; each step is guarded by
//! the campaign's status, so running it twice changes nothing.

use chrono::{DateTime, Utc};

use crate::store::campaigns::start::Started;
use crate::store::Store;

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CampaignRun {
    pub started: usize,
    pub queued: i64,
    pub decided: usize,
}

/// Starts campaign `id` now if it is scheduled.
pub async fn start(
    store: &Store,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Started>, sqlx::Error> {
    match store.campaign(id).await? {
        Some(c) => store.start_campaign(&c, now).await,
        None => Ok(None),
    }
}

/// Starts what is due and decides what has been tested long enough.
pub async fn run_due(store: &Store, now: DateTime<Utc>) -> Result<CampaignRun, sqlx::Error> {
    let mut run = CampaignRun::default();
    for id in store.campaigns_due(now.timestamp()).await? {
        if let Some(s) = start(store, id, now).await? {
            run.started += 1;
            run.queued += s.queued;
        }
    }
    for id in store.campaigns_to_decide(now.timestamp()).await? {
        let Some(c) = store.campaign(id).await? else {
            continue;
        };
        let report = store.campaign_report(&c).await?;
        let winner = report.leader.unwrap_or(0);
        if let Some(n) = store.finish_ab_test(&c, winner, now).await? {
            run.decided += 1;
            run.queued += n;
        }
    }
    Ok(run)
}
