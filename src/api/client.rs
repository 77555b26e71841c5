//! The API client: base URL from `public/config.json`, JSON in and out,
//! in-flight requests aborted when their owner is cleaned up.

use std::cell::RefCell;

use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::ApiError;

const DEFAULT_BASE: &str = "/api/v1";

thread_local! {
    static BASE: RefCell<String> = RefCell::new(DEFAULT_BASE.to_string());
}

/// `public/config.json`: lets one build talk to another backend.
#[derive(Debug, Deserialize)]
struct RuntimeConfig {
    api_base: String,
}

/// Reads the runtime config; keeps the default when it is missing.
pub async fn init() {
    if let Ok(res) = Request::get("/config.json").send().await {
        if res.ok() {
            if let Ok(cfg) = res.json::<RuntimeConfig>().await {
                set_base(&cfg.api_base);
            }
        }
    }
}

/// Points the client at another API base URL.
pub fn set_base(base: &str) {
    BASE.with(|b| *b.borrow_mut() = base.trim_end_matches('/').to_string());
}

/// The full URL of an API path such as `/me/summary`.
pub fn url(path: &str) -> String {
    BASE.with(|b| format!("{}{}", b.borrow(), path))
}

/// An abort signal that fires when the current reactive owner is cleaned
/// up, so a page left before its data arrived does not keep the request.
fn abort_signal() -> Option<web_sys::AbortSignal> {
    let controller = web_sys::AbortController::new().ok()?;
    let signal = controller.signal();
    let controller = SendWrapper::new(controller);
    on_cleanup(move || controller.abort());
    Some(signal)
}

/// The language chosen for the page (remembered the moment it is
/// switched), so the server's messages come in the language on screen.
fn page_language() -> &'static str {
    crate::state::locale::tag(crate::state::locale::initial())
}

fn network(e: gloo_net::Error) -> ApiError {
    ApiError::Network {
        message: e.to_string(),
    }
}

async fn send(builder: RequestBuilder, body: Option<String>) -> Result<Response, ApiError> {
    send_with(builder, body, &[]).await
}

async fn send_with(
    builder: RequestBuilder,
    body: Option<String>,
    headers: &[(&str, &str)],
) -> Result<Response, ApiError> {
    let signal = abort_signal();
    let mut builder = builder
        .header("Accept", "application/json")
        .header("Accept-Language", page_language())
        .abort_signal(signal.as_ref());
    for (k, v) in headers {
        builder = builder.header(k, v);
    }
    let req = match body {
        Some(b) => builder
            .header("Content-Type", "application/json")
            .body(b)
            .map_err(network)?,
        None => builder.build().map_err(network)?,
    };
    req.send().await.map_err(network)
}

async fn read<T: DeserializeOwned>(res: Response) -> Result<T, ApiError> {
    if res.ok() {
        res.json::<T>().await.map_err(|e| ApiError::Decode {
            message: e.to_string(),
        })
    } else {
        Err(fail(res).await)
    }
}

async fn fail(res: Response) -> ApiError {
    let status = res.status();
    let body = res.text().await.unwrap_or_default();
    ApiError::from_response(status, &body)
}

/// `GET path` → JSON.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    read(send(Request::get(&url(path)), None).await?).await
}

/// `POST path` with a JSON body → JSON.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|e| ApiError::Decode {
        message: e.to_string(),
    })?;
    read(send(Request::post(&url(path)), Some(body)).await?).await
}

/// `POST path` with a JSON body and extra headers (e.g. `Idempotency-Key`).
pub async fn post_with<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
    headers: &[(&str, &str)],
) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|e| ApiError::Decode {
        message: e.to_string(),
    })?;
    read(send_with(Request::post(&url(path)), Some(body), headers).await?).await
}

/// `POST path` without a body, expecting no content back.
pub async fn post_empty(path: &str) -> Result<(), ApiError> {
    let res = send(Request::post(&url(path)), None).await?;
    if res.ok() {
        Ok(())
    } else {
        Err(fail(res).await)
    }
}

/// `PATCH path` with a JSON body → JSON.
pub async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|e| ApiError::Decode {
        message: e.to_string(),
    })?;
    read(send(Request::patch(&url(path)), Some(body)).await?).await
}

/// `POST path` with a JSON body, expecting no content back.
pub async fn post_no_content<B: Serialize>(path: &str, body: &B) -> Result<(), ApiError> {
    let body = serde_json::to_string(body).map_err(|e| ApiError::Decode {
        message: e.to_string(),
    })?;
    let res = send(Request::post(&url(path)), Some(body)).await?;
    if res.ok() {
        Ok(())
    } else {
        Err(fail(res).await)
    }
}

/// `PUT path` with a JSON body → JSON.
pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|e| ApiError::Decode {
        message: e.to_string(),
    })?;
    read(send(Request::put(&url(path)), Some(body)).await?).await
}

/// `DELETE path`, expecting no content back.
pub async fn delete(path: &str) -> Result<(), ApiError> {
    let res = send(Request::delete(&url(path)), None).await?;
    if res.ok() {
        Ok(())
    } else {
        Err(fail(res).await)
    }
}

/// `PATCH path` with a JSON body, expecting no content back.
pub async fn patch_no_content<B: Serialize>(path: &str, body: &B) -> Result<(), ApiError> {
    let body = serde_json::to_string(body).map_err(|e| ApiError::Decode {
        message: e.to_string(),
    })?;
    let res = send(Request::patch(&url(path)), Some(body)).await?;
    if res.ok() {
        Ok(())
    } else {
        Err(fail(res).await)
    }
}

/// `PUT path` with a JSON body, expecting no content back.
pub async fn put_no_content<B: Serialize>(path: &str, body: &B) -> Result<(), ApiError> {
    let body = serde_json::to_string(body).map_err(|e| ApiError::Decode {
        message: e.to_string(),
    })?;
    let res = send(Request::put(&url(path)), Some(body)).await?;
    if res.ok() {
        Ok(())
    } else {
        Err(fail(res).await)
    }
}

/// A fresh `Idempotency-Key` for one write intent (reuse it on retry).
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("k-{}", js_sys::Math::random().to_bits()))
}
