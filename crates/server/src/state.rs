//! What every handler can reach.

use std::net::IpAddr;
use std::sync::Arc;

use crate::error::{ApiError, ApiResult};
use crate::limiter::{Hashing, MAX_FAILURES};
use crate::store::Store;

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Delivers messages and signs their links.
    pub mailer: crate::messaging::Mailer,
    /// Bounded slots for password hashing.
    pub hashing: Hashing,
    /// Proxies whose `X-Forwarded-For` names the client (see `client_ip`).
    pub trusted_proxies: Arc<Vec<IpAddr>>,
    /// Mark cookies `Secure` (the default; off only for plain http in
    /// development).
    pub secure_cookies: bool,
}

impl AppState {
    /// Runs a password hash or check in a hashing slot: 429 (try again in a
    /// second) when every slot is busy.
    pub async fn hash<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> ApiResult<T> {
        match self.hashing.run(f).await {
            Some(r) => r.map_err(ApiError::internal),
            None => Err(ApiError::RateLimited {
                retry_after_secs: 1,
            }),
        }
    }

    /// Counts an attempt against every `(key, max)` (see
    /// `store::throttle`): 429 with the wait when any key is at its limit.
    pub async fn throttle(&self, keys: &[(&str, u32)]) -> ApiResult<()> {
        self.store
            .throttle_attempt(keys)
            .await?
            .map_err(|secs| ApiError::RateLimited {
                retry_after_secs: secs,
            })
    }

    /// 429 while `key` is at [`MAX_FAILURES`] (checked before work whose
    /// failure is counted afterwards with `store.throttle_fail`).
    pub async fn not_locked_out(&self, key: &str) -> ApiResult<()> {
        match self.store.throttle_locked_for(key, MAX_FAILURES).await? {
            Some(secs) => Err(ApiError::RateLimited {
                retry_after_secs: secs,
            }),
            None => Ok(()),
        }
    }

    /// The throttle key of the client behind `peer`.
    pub fn client_key(
        &self,
        peer: std::net::SocketAddr,
        headers: &axum::http::HeaderMap,
    ) -> String {
        crate::client_ip::throttle_key(crate::client_ip::client_ip(
            peer,
            headers,
            &self.trusted_proxies,
        ))
    }
}
