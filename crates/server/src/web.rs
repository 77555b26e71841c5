//! Serving the built SPA: pre-compressed assets, cache headers, SPA
//! fallback, and the security headers (with a CSP hash for Trunk's inline
//! loader script) on every response.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::handler::Handler;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine;
use patron_core::auth::Role;
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;

/// Content-Security-Policy for pages whose inline scripts hash to `hashes`.
pub fn csp(hashes: &[String]) -> String {
    let extra: String = hashes.iter().map(|h| format!(" '{h}'")).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{extra}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// `sha256-…` of every inline `<script>` (no `src`) in an HTML page.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let open_tag = &after[..open_end];
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !open_tag.contains("src=") {
            let digest = Sha256::digest(&body.as_bytes()[..close]);
            out.push(format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body[close + "</script>".len()..];
    }
    out
}

/// Headers every response carries.
pub async fn security_headers(csp: Arc<HeaderValue>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        HeaderName::from_static("content-security-policy"),
        (*csp).clone(),
    );
    h.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        HeaderName::from_static("referrer-policy"),
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        HeaderName::from_static("x-frame-options"),
        HeaderValue::from_static("DENY"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    res
}

/// Whether a file name carries Trunk's content hash (`name-0123456789abcdef…`).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((_, tail)) = name.rsplit_once('-') else {
        return false;
    };
    // Trunk writes a 64-bit hash in hex, without leading zeros.
    let hash = tail.split(['.', '_']).next().unwrap_or("");
    hash.len() >= 12 && hash.chars().all(|c| c.is_ascii_hexdigit())
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let hashed = is_hashed(req.uri().path());
    let mut res = next.run(req).await;
    let value = if hashed && res.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// The SPA: files from `dir` (their `.br`/`.gz` siblings when the client
/// accepts them), and `index.html` for every other path so client-side
/// routes survive a reload. Paths under `/admin` (admins) and `/analytics`
/// (staff) get `console/index.html`, the console's own bundle, when it was
/// built and the caller may open them; everyone else gets the main bundle, whose route
/// guard shows sign-in or "no access" without downloading the console.
pub fn spa(
    dir: &Path,
    index_html: Arc<String>,
    console_html: Option<Arc<String>>,
    state: crate::state::AppState,
) -> Router<crate::state::AppState> {
    let index = move |axum::extract::State(state): axum::extract::State<crate::state::AppState>,
                      headers: axum::http::HeaderMap,
                      uri: axum::http::Uri| {
        let index_html = index_html.clone();
        let console_html = console_html.clone();
        async move {
            let path = uri.path();
            let console_page = if path == "/admin" || path.starts_with("/admin/") {
                Some(&[Role::Admin][..])
            } else if path == "/analytics" {
                Some(&[Role::Admin, Role::Support][..])
            } else {
                None
            };
            let html = match (&console_html, console_page) {
                (Some(c), Some(roles)) if caller_is(&state, &headers, roles).await => c.clone(),
                _ => index_html,
            };
            (
                StatusCode::OK,
                [(CONTENT_TYPE, "text/html; charset=utf-8")],
                Body::from(html.as_bytes().to_vec()),
            )
                .into_response()
        }
    };
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index.with_state(state));
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_headers))
}

/// Whether the request carries a live session of one of `roles`.
async fn caller_is(
    state: &crate::state::AppState,
    headers: &axum::http::HeaderMap,
    roles: &[Role],
) -> bool {
    let Some(token) = crate::auth::cookie_token(headers) else {
        return false;
    };
    let now = state.store.now().timestamp();
    matches!(
        state.store.session_user(&crate::auth::token_hash(&token), now).await,
        Ok(Some(u)) if roles.contains(&u.role)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<script src="/a.js"></script><script type="module">init()</script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        // printf 'init()' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            hashes[0],
            "sha256-w4ujnOpjBoH2vcasx+reJRUwYivG8Q3afx/XevGJod8="
        );
    }

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed("/patron-3f1c2a9b8d7e6f50_bg.wasm"));
        assert!(is_hashed("/style-3f1c2a9b8d7e6f50.css"));
        assert!(is_hashed("/tokens-933c27baf841aa2.css"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/config.json"));
    }
}
