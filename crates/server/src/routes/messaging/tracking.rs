//! The tracking links in sent messages, at the root beside the SPA: an
//! open pixel (a 1×1 GIF; a privacy proxy's or prefetcher's load is
//! recorded as a machine open) and click redirects (only to the link the
//! signed token names, so they are no open redirect). An unknown token is
//! 404 and records nothing.

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::messaging::tokens::read_tracking;
use crate::messaging::tracking::machine_open;
use crate::state::AppState;

/// A transparent 1×1 GIF.
const PIXEL: [u8; 43] = [
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// The tracking route.
pub fn pages() -> Router<AppState> {
    Router::new().route("/t/{token}", get(follow))
}

async fn follow(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let Ok(key) = state.mailer.key(&state.store).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let Some((kind, id, link)) = read_tracking(key, &token) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let now = state.store.now().timestamp();
    let sent_at = state.store.message_sent_at(id).await.ok().flatten();
    let (event, detail) = if kind == 'c' {
        ("click", Some(link.as_str()))
    } else {
        let ua = headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let ip = crate::client_ip::client_ip(peer, &headers, &state.trusted_proxies);
        let machine = machine_open(sent_at.map(|s| now - s), ua, Some(ip));
        (if machine { "machine_open" } else { "open" }, None)
    };
    if sent_at.is_some() {
        if let Err(e) = state
            .store
            .record_message_event(id, event, detail, now)
            .await
        {
            tracing::warn!("tracking message {id}: {e}");
        }
    }
    if kind == 'c' {
        (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, link.as_str()),
                (header::CACHE_CONTROL, "no-store"),
            ],
        )
            .into_response()
    } else {
        (
            [
                (header::CONTENT_TYPE, "image/gif"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            PIXEL,
        )
            .into_response()
    }
}
