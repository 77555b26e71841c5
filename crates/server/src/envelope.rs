//! `/api` errors leave as the JSON envelope, in the language the client
//! asks for with `Accept-Language` (English when it asks for none of ours).
//! Handlers keep speaking English; this layer translates on the way out, so
//! every endpoint gets it. A small error that is not an envelope (a
//! framework rejection no extractor caught) is wrapped into one; bodies of
//! unknown or large size pass as they are. A handler that panics answers
//! 500 in the envelope too (and is logged), never a dropped connection.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use http_body::Body as _;
use patron_core::error::ErrorEnvelope;
use patron_core::messages::{localise, Lang};

use crate::error::ApiError;

/// The layer that turns a handler's panic into a logged 500 envelope.
pub type CatchPanics = tower_http::catch_panic::CatchPanicLayer<
    fn(Box<dyn std::any::Any + Send + 'static>) -> Response,
>;

/// See [`CatchPanics`]; goes inside [`finish_errors`] so the answer is
/// translated like any other.
pub fn catch_panics() -> CatchPanics {
    tower_http::catch_panic::CatchPanicLayer::custom(panic_response)
}

fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    axum::response::IntoResponse::into_response(ApiError::Internal(format!(
        "handler panicked: {what}"
    )))
}

/// Error bodies are a few hundred bytes; anything bigger is not ours.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Wraps stray errors in the envelope and translates the message and
/// field messages of every envelope.
pub async fn finish_errors(req: Request, next: Next) -> Response {
    let lang = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::En, Lang::from_accept_language);
    let res = next.run(req).await;
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if res.status().is_success() || res.status().is_redirection() {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept-language"));
    let small = body
        .size_hint()
        .upper()
        .is_some_and(|n| n <= MAX_ERROR_BODY as u64);
    if !small || (is_json && lang == Lang::En) {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        // The body broke off; say so rather than send half of it.
        parts.headers.remove(header::CONTENT_LENGTH);
        let e = ApiError::Internal("error body unreadable".into()).envelope();
        let json = serde_json::to_vec(&e).unwrap_or_default();
        return Response::from_parts(parts, Body::from(json));
    };
    let envelope = if is_json {
        serde_json::from_slice::<ErrorEnvelope>(&bytes).ok()
    } else {
        Some(wrap(parts.status, &String::from_utf8_lossy(&bytes)))
    };
    let Some(mut envelope) = envelope else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let mut translated = false;
    let mut say = |m: &mut String| {
        let t = localise(m, lang).into_owned();
        if t != *m {
            *m = t;
            translated = true;
        }
    };
    let e = &mut envelope.error;
    say(&mut e.message);
    e.fields.values_mut().for_each(&mut say);
    let Ok(json) = serde_json::to_vec(&envelope) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if translated {
        parts.headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.tag()),
        );
    }
    Response::from_parts(parts, Body::from(json))
}

/// The envelope for an error that came as plain text: the code its
/// status stands for, the text as the message (never for a server error).
fn wrap(status: StatusCode, text: &str) -> ErrorEnvelope {
    let text = text.trim();
    let message = if text.is_empty() {
        "The server cannot handle this request.".to_string()
    } else {
        format!("The server could not read this request: {text}")
    };
    let error = match status {
        StatusCode::UNAUTHORIZED => ApiError::Unauthorized,
        StatusCode::FORBIDDEN => ApiError::Forbidden(message),
        StatusCode::NOT_FOUND => ApiError::NotFound(message),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::CONFLICT => ApiError::Conflict(message),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType(message),
        StatusCode::UNPROCESSABLE_ENTITY => ApiError::Validation {
            message,
            fields: Default::default(),
        },
        s if s.is_client_error() => ApiError::BadRequest(message),
        s => {
            tracing::error!(status = %s, body = text, "plain-text server error");
            ApiError::Internal(text.to_string())
        }
    };
    error.envelope()
}

#[cfg(test)]
mod tests {
    use axum::http::Request;
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    use super::*;

    async fn call(status: StatusCode, text: &'static str, lang: &str) -> (Response, ErrorEnvelope) {
        let app = Router::new()
            .route("/x", get(move || async move { (status, text) }))
            .layer(axum::middleware::from_fn(finish_errors));
        let req = Request::get("/x")
            .header(header::ACCEPT_LANGUAGE, lang)
            .body(Body::empty())
            .unwrap();
        let res = app.oneshot(req).await.unwrap();
        let (parts, body) = res.into_parts();
        let bytes = to_bytes(body, MAX_ERROR_BODY).await.unwrap();
        let envelope = serde_json::from_slice(&bytes).expect("an envelope");
        (Response::from_parts(parts, Body::empty()), envelope)
    }

    #[tokio::test]
    async fn a_plain_text_error_leaves_as_an_envelope_in_the_clients_language() {
        let (res, e) = call(StatusCode::BAD_REQUEST, "Failed to parse `limit`", "zh-CN").await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(res.headers()[header::CONTENT_LANGUAGE], "zh");
        assert_eq!(e.error.code, "bad_request");
        assert_eq!(
            e.error.message,
            "服务器无法读取此请求：Failed to parse `limit`"
        );

        let (res, e) = call(StatusCode::METHOD_NOT_ALLOWED, "", "en").await;
        assert!(res.headers().get(header::CONTENT_LANGUAGE).is_none());
        assert_eq!(e.error.code, "method_not_allowed");
        assert_eq!(
            e.error.message,
            "This endpoint does not accept that method."
        );

        let (_, e) = call(
            StatusCode::BAD_GATEWAY,
            "upstream said: secret detail",
            "en",
        )
        .await;
        assert_eq!(e.error.code, "internal");
        assert!(
            !e.error.message.contains("secret"),
            "server errors do not leak text"
        );
    }
}
