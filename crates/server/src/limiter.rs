//! Sign-in throttling: every attempt for one email or one client address is
//! counted *before* its password is checked, under one lock, so a burst of
//! concurrent attempts cannot all get through; after [`MAX_FAILURES`]
//! within [`WINDOW`] further attempts get 429 until the window passes. A
//! successful attempt is not held against anyone. Password hashing itself
//! is bounded by [`Hashing`]: at most one argon2 run (19 MiB) per core at a
//! time; a request waits briefly for a slot and gets 429 when the wait
//! would be long, instead of piling up hashes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Attempts allowed per key within [`WINDOW`].
pub const MAX_FAILURES: u32 = 8;
/// Attempts in flight or failed allowed per client address: more than per
/// email, as many people may share one address (an office, a carrier NAT).
pub const MAX_PER_ADDRESS: u32 = 20;
/// Length of the counting window.
pub const WINDOW: Duration = Duration::from_secs(300);

/// Counts sign-in attempts per key (email, client address).
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    fn map(&self) -> MutexGuard<'_, HashMap<String, (u32, Instant)>> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn locked_in(map: &HashMap<String, (u32, Instant)>, key: &str, max: u32) -> Option<u64> {
        let (n, since) = map.get(key)?;
        let elapsed = since.elapsed();
        (*n >= max && elapsed < WINDOW).then(|| (WINDOW - elapsed).as_secs().max(1))
    }

    fn bump(map: &mut HashMap<String, (u32, Instant)>, key: &str) {
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
        let entry = map.entry(key.to_string()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    /// Seconds to wait if `key` is locked out now.
    pub fn locked_for(&self, key: &str) -> Option<u64> {
        Self::locked_in(&self.map(), key, MAX_FAILURES)
    }

    /// Records a failure for `key`.
    pub fn fail(&self, key: &str) {
        Self::bump(&mut self.map(), key);
    }

    /// Counts an attempt against every key at once — or, if any key is
    /// locked out, none, answering the seconds to wait.
    pub fn attempt(&self, keys: &[&str]) -> Result<(), u64> {
        self.attempt_max(keys, MAX_FAILURES)
    }

    /// The same with `max` attempts per window (for writes that are not
    /// sign-ins, such as feedback).
    pub fn attempt_max(&self, keys: &[&str], max: u32) -> Result<(), u64> {
        let limited: Vec<(&str, u32)> = keys.iter().map(|k| (*k, max)).collect();
        self.attempt_each(&limited)
    }

    /// The same with a limit per key.
    pub fn attempt_each(&self, keys: &[(&str, u32)]) -> Result<(), u64> {
        let mut map = self.map();
        if let Some(secs) = keys
            .iter()
            .filter_map(|(k, max)| Self::locked_in(&map, k, *max))
            .max()
        {
            return Err(secs);
        }
        for (k, _) in keys {
            Self::bump(&mut map, k);
        }
        Ok(())
    }

    /// Takes back an attempt that turned out right (the email's count is
    /// forgotten; the address keeps only its failures).
    pub fn succeeded(&self, email_key: &str, other_keys: &[&str]) {
        let mut map = self.map();
        map.remove(email_key);
        for k in other_keys {
            if let Some(e) = map.get_mut(*k) {
                e.0 = e.0.saturating_sub(1);
            }
        }
    }

    /// Forgets failures for `key` after a successful sign-in.
    pub fn clear(&self, key: &str) {
        self.map().remove(key);
    }
}

/// Slots for password hashing (argon2: ~19 MiB and tens of ms each).
#[derive(Clone)]
pub struct Hashing {
    slots: Arc<Semaphore>,
    /// How long a request may wait for a slot.
    wait: Duration,
}

impl Hashing {
    /// `slots` hashes may run at once; a request waits up to `wait`.
    pub fn new(slots: usize, wait: Duration) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            wait,
        }
    }

    /// As many as the machine has cores (at least two), waiting up to 5 s.
    pub fn for_this_machine() -> Self {
        Self::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .max(2),
            Duration::from_secs(5),
        )
    }

    /// Runs `f` (a hash or a verification) on a blocking thread once a slot
    /// is free; `None` when none frees up in time (answer 429).
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Option<Result<T, tokio::task::JoinError>> {
        let permit: OwnedSemaphorePermit =
            tokio::time::timeout(self.wait, self.slots.clone().acquire_owned())
                .await
                .ok()?
                .ok()?;
        Some(
            tokio::task::spawn_blocking(move || {
                let out = f();
                drop(permit);
                out
            })
            .await,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_count_before_the_check_and_lock_every_key_together() {
        let l = LoginLimiter::default();
        for _ in 0..MAX_FAILURES {
            assert!(l.attempt(&["email:a", "ip:1"]).is_ok());
        }
        assert!(l.attempt(&["email:a", "ip:2"]).is_err());
        // A locked key refuses without counting the other.
        assert!(l.attempt(&["email:b", "ip:1"]).is_err());
        assert!(l.locked_for("email:b").is_none());
        assert!(l.attempt(&["email:b", "ip:3"]).is_ok());
    }

    #[test]
    fn a_right_password_is_not_held_against_the_address() {
        let l = LoginLimiter::default();
        for _ in 0..20 {
            l.attempt(&["email:x", "ip:9"]).unwrap();
            l.succeeded("email:x", &["ip:9"]);
        }
        assert!(l.locked_for("ip:9").is_none());
    }

    #[tokio::test]
    async fn hashing_refuses_when_every_slot_stays_busy() {
        let h = Hashing::new(1, Duration::from_millis(50));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let busy = {
            let h = h.clone();
            tokio::spawn(async move { h.run(move || rx.recv().ok()).await })
        };
        // Wait until the first holds its slot.
        while h.slots.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        assert!(h.run(|| 1).await.is_none());
        tx.send(()).unwrap();
        assert!(busy.await.unwrap().is_some());
        assert_eq!(h.run(|| 2).await.unwrap().unwrap(), 2);
    }
}
