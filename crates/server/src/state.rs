//! What every handler can reach.

use std::sync::Arc;

use crate::limiter::LoginLimiter;
use crate::store::Store;

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub limiter: Arc<LoginLimiter>,
    /// Mark cookies `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
}
