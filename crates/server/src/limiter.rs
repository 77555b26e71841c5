//! Limits on costly or abusable work. Attempt counts (sign-in, password
//! checks, sign-ups, feedback) live in the database so every replica sees
//! them (`store::throttle`); this module holds their limits. Password
//! hashing itself is bounded per process by [`Hashing`]: at most one argon2
//! run (19 MiB) per core at a time; a request waits briefly for a slot and
//! gets 429 when the wait would be long, instead of piling up hashes.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Attempts allowed per key within the window (`store::throttle::WINDOW_SECS`).
pub const MAX_FAILURES: u32 = 8;
/// Attempts in flight or failed allowed per client address: more than per
/// email, as many people may share one address (an office, a carrier NAT).
pub const MAX_PER_ADDRESS: u32 = 20;
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
