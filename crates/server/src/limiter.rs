//! Sign-in throttling: after repeated failures for one email or one client
//! address, further attempts get 429 until the window passes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per key within [`WINDOW`].
pub const MAX_FAILURES: u32 = 8;
/// Length of the counting window.
pub const WINDOW: Duration = Duration::from_secs(300);

/// Counts failed sign-ins per key (email, client address).
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    /// Seconds to wait if `key` is locked out now.
    pub fn locked_for(&self, key: &str) -> Option<u64> {
        let map = self.failures.lock().expect("limiter lock");
        let (n, since) = map.get(key)?;
        let elapsed = since.elapsed();
        (*n >= MAX_FAILURES && elapsed < WINDOW).then(|| (WINDOW - elapsed).as_secs().max(1))
    }

    /// Records a failure for `key`.
    pub fn fail(&self, key: &str) {
        let mut map = self.failures.lock().expect("limiter lock");
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
        let entry = map.entry(key.to_string()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    /// Forgets failures for `key` after a successful sign-in.
    pub fn clear(&self, key: &str) {
        self.failures.lock().expect("limiter lock").remove(key);
    }
}
