//! The server's idea of "now", from one place. Every handler, store write
//! and job asks the store's `Clock`, so tests step time day by day without
//! sleeping, and a development flag (`--now`) starts the server at another
//! instant. By default it is the system clock.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, Utc};

/// Where the clock stands relative to the system clock.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// System time plus an offset (zero in production): time passes.
    Offset(Duration),
    /// Frozen at an instant until moved (tests).
    Fixed(DateTime<Utc>),
}

/// A shared, cheap-to-clone clock. Clones see the same time.
#[derive(Debug, Clone)]
pub struct Clock {
    mode: Arc<RwLock<Mode>>,
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self {
            mode: Arc::new(RwLock::new(Mode::Offset(Duration::zero()))),
        }
    }

    /// A clock that starts at `at` and then runs at the normal rate.
    pub fn starting_at(at: DateTime<Utc>) -> Self {
        Self {
            mode: Arc::new(RwLock::new(Mode::Offset(at - Utc::now()))),
        }
    }

    /// A clock frozen at `at` (it moves only by `set` / `advance`).
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self {
            mode: Arc::new(RwLock::new(Mode::Fixed(at))),
        }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match *self.mode.read().unwrap_or_else(|e| e.into_inner()) {
            Mode::Offset(d) => Utc::now() + d,
            Mode::Fixed(at) => at,
        }
    }

    /// The current instant in unix seconds.
    pub fn now_ts(&self) -> i64 {
        self.now().timestamp()
    }

    /// Freezes the clock at `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.mode.write().unwrap_or_else(|e| e.into_inner()) = Mode::Fixed(at);
    }

    /// Moves the clock by `by` (frozen or running alike).
    pub fn advance(&self, by: Duration) {
        let mut m = self.mode.write().unwrap_or_else(|e| e.into_inner());
        *m = match *m {
            Mode::Offset(d) => Mode::Offset(d + by),
            Mode::Fixed(at) => Mode::Fixed(at + by),
        };
    }
}

/// Parses the `--now` flag: an RFC 3339 instant (`2027-03-01T09:00:00Z`)
/// or days from the system time (`+30d`, `-7d`).
pub fn parse_start(s: &str) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Some(days) = s.strip_suffix('d') {
        let n: i64 = days
            .trim_start_matches('+')
            .parse()
            .map_err(|_| format!("{s:?}: expected e.g. +30d or an RFC 3339 instant"))?;
        if !(-36_500..=36_500).contains(&n) {
            return Err(format!("{s:?}: at most 100 years either way"));
        }
        return Ok(Utc::now() + Duration::days(n));
    }
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| format!("{s:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn fixed_clock_moves_only_when_told_and_clones_share_it() {
        let at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        let c = Clock::fixed(at);
        let other = c.clone();
        assert_eq!(c.now(), at);
        other.advance(Duration::days(2));
        assert_eq!(c.now(), at + Duration::days(2));
        c.set(at);
        assert_eq!(other.now(), at);
    }

    #[test]
    fn starting_clock_runs_from_its_start() {
        let at = Utc.with_ymd_and_hms(2030, 6, 1, 12, 0, 0).unwrap();
        let c = Clock::starting_at(at);
        let d = c.now() - at;
        assert!(d >= Duration::zero() && d < Duration::seconds(5));
    }

    #[test]
    fn start_flag_reads_instants_and_day_offsets() {
        assert_eq!(
            parse_start("2027-03-01T09:00:00Z").unwrap(),
            Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap()
        );
        let d = parse_start("+30d").unwrap() - Utc::now();
        assert!((d - Duration::days(30)).num_seconds().abs() < 5);
        assert!(parse_start("-7d").unwrap() < Utc::now());
        assert!(parse_start("soon").is_err());
        assert!(parse_start("+99999999d").is_err());
    }
}
