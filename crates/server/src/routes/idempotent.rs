//! Writes a client may retry: one `Idempotency-Key` header per intent. The
//! same key with the same body answers the first result (and the work runs
//! once); with another body 422; while the first still runs 409.

use std::future::Future;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::idempotency::KeyState;

/// The request's `Idempotency-Key`, required.
pub fn key(headers: &HeaderMap, what: &str) -> ApiResult<String> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            ApiError::BadRequest(format!("Send an Idempotency-Key header with every {what}."))
        })?;
    if key.len() > 200 {
        return Err(ApiError::BadRequest(
            "The Idempotency-Key is too long.".into(),
        ));
    }
    Ok(key.to_string())
}

/// What identifies a request body under a key.
pub fn request_hash(scope: &str, body: &impl Serialize) -> ApiResult<String> {
    let body = serde_json::to_string(body).map_err(ApiError::internal)?;
    Ok(format!("{:x}", Sha256::digest(format!("{scope}\n{body}"))))
}

/// The stored form of an error answer: status and JSON body.
fn error_answer(e: &ApiError) -> (u16, String) {
    let (status, _) = e.status_and_code();
    (
        status.as_u16(),
        serde_json::to_string(&e.envelope()).unwrap_or_default(),
    )
}

fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        Body::from(body),
    )
        .into_response()
}

/// Runs `work` once per (`owner`, `key`). `work` must store its success
/// answer under the key in the transaction that does the work
/// (`Store::idempotency_finish_in`); refusals (4xx) are stored here, and
/// our own failures free the key so that the retry runs.
pub async fn once<Fut>(
    state: &AppState,
    owner: i64,
    key: &str,
    hash: &str,
    work: impl FnOnce() -> Fut,
) -> ApiResult<Response>
where
    Fut: Future<Output = ApiResult<Response>>,
{
    match state
        .store
        .idempotency_begin(owner, key, hash, state.store.now().timestamp())
        .await?
    {
        KeyState::Replay { status, body } => return Ok(replay(status, body)),
        KeyState::InFlight => {
            return Err(ApiError::Conflict(
                "A request with this Idempotency-Key is still being processed.".into(),
            ))
        }
        KeyState::Mismatch => {
            return Err(ApiError::Validation {
                message: "This Idempotency-Key was already used for a different request.".into(),
                fields: Default::default(),
            })
        }
        KeyState::Fresh => {}
    }
    match work().await {
        Ok(r) => Ok(r),
        Err(e) if e.status_and_code().0.is_client_error() => {
            let (status, body) = error_answer(&e);
            state
                .store
                .idempotency_finish(owner, key, status, &body)
                .await?;
            Err(e)
        }
        Err(e) => {
            let _ = state.store.idempotency_abandon(owner, key).await;
            Err(e)
        }
    }
}
