//! Points expiry as a job: the wire types of its runs, of the admin's
//! overview, and of the "expiring in the next N days" list, plus the pure
//! rules the job and its callers share (when a run counts as abandoned,
//! which horizons may be asked for). The per-lot rule itself — what is left
//! of a lot past its date expires — is [`crate::ledger::plan_expiry`]; the
//! programme setting of when earned points expire is [`ExpiryRule`].

use chrono::{DateTime, Duration, Utc};

crate::__wire! {
    /// When earned points expire.
    #[derive(Copy, Eq)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    pub enum ExpiryRule {
        Never,
        /// N months after the points were earned.
        MonthsAfterEarning { months: u32 },
        /// 31 December (programme time zone) of the year after earning.
        EndOfNextYear,
    }
}

crate::__wire! {
    /// Where a run stands.
    #[derive(Copy, Eq)]
    #[serde(rename_all = "snake_case")]
    pub enum ExpiryRunStatus {
        Running,
        Succeeded,
        Failed,
    }
}

crate::__wire! {
    /// One run of the expiry job: every lot past its date with points left
    /// gets one `expire` entry for what is left, dated at the lot's expiry.
    pub struct ExpiryRun {
        pub id: i64,
        /// `scheduled` or `manual`.
        pub trigger: String,
        pub status: ExpiryRunStatus,
        /// Who pressed "Run now" (manual runs).
        pub actor: Option<String>,
        pub started_at: DateTime<Utc>,
        /// `None` while running.
        pub finished_at: Option<DateTime<Utc>>,
        /// Lots whose expiry is at or before this instant were due.
        pub through: DateTime<Utc>,
        /// Lots expired by this run.
        pub lots: i64,
        /// Members who lost points.
        pub members: i64,
        /// Points expired (a positive number).
        pub points: i64,
        /// Why it failed (the job tries again at its next check).
        pub error: Option<String>,
    }
}

crate::__wire! {
    /// Members and points expiring within a horizon.
    #[derive(Copy, Eq, Default)]
    pub struct ExpiringTotals {
        pub days: i64,
        pub members: i64,
        pub points: i64,
    }
}

crate::__wire! {
    /// `GET /admin/expiry`: the latest run and what lapses next.
    pub struct ExpiryOverview {
        /// The newest run (running, succeeded or failed); `None` before any.
        pub last_run: Option<ExpiryRun>,
        /// The newest run that finished well (what the figures mean now).
        pub last_success: Option<ExpiryRun>,
        /// Lots past their date that no run has expired yet.
        pub due_lots: i64,
        /// What expires in the next [`OVERVIEW_DAYS`] days.
        pub upcoming: ExpiringTotals,
    }
}

crate::__wire! {
    /// A member with points that expire within the horizon.
    pub struct ExpiringMember {
        pub member_id: i64,
        pub name: String,
        pub email: String,
        /// Points that will expire within the horizon (pending ones too).
        pub points: i64,
        /// The first of those lots' expiry.
        pub first_expires_at: DateTime<Utc>,
    }
}

crate::__wire! {
    /// `GET /admin/expiring`: one page, by member id.
    pub struct ExpiringPage {
        pub items: Vec<ExpiringMember>,
        /// Pass as `after` for the next page; `None` on the last.
        pub next_after: Option<i64>,
        pub totals: ExpiringTotals,
    }
}

/// The horizon of the overview's "expiring soon" figure.
pub const OVERVIEW_DAYS: i64 = 30;

/// Horizons the list accepts, in days.
pub const MAX_DAYS: i64 = 366;

/// Lots expired per transaction: small enough that a redemption waiting
/// for the write lock waits only briefly.
pub const BATCH_LOTS: usize = 2_000;

/// A running run that has not reported for this long was interrupted
/// (process killed, machine lost) and is marked failed, so the next check
/// can start again.
pub const STALE_AFTER: Duration = Duration::minutes(10);

/// Whether a run last heard of at `heartbeat` is abandoned at `now`.
pub fn abandoned(heartbeat: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - heartbeat > STALE_AFTER
}

/// Whether `days` is a horizon the list answers.
pub fn days_problem(days: i64) -> Option<&'static str> {
    (!(1..=MAX_DAYS).contains(&days)).then_some("Give a number of days from 1 to 366.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_run_is_abandoned_only_after_its_silence_outlasts_the_limit() {
        let t = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        assert!(!abandoned(t, t));
        assert!(!abandoned(t, t + STALE_AFTER));
        assert!(abandoned(t, t + STALE_AFTER + Duration::seconds(1)));
    }

    #[test]
    fn horizons_from_one_day_to_a_year() {
        assert!(days_problem(0).is_some());
        assert!(days_problem(1).is_none());
        assert!(days_problem(366).is_none());
        assert!(days_problem(367).is_some());
        assert!(days_problem(-5).is_some());
    }
}
