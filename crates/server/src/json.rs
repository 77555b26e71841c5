//! JSON body and query string extractors whose rejections use the error
//! envelope.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Like `axum::Json`, but malformed bodies answer with the envelope:
/// 400 for broken JSON, 422 for the wrong shape, 415 for a non-JSON body.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(ApiError::BadRequest(format!(
                "The request body is not valid JSON: {}",
                e.body_text()
            ))),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::Validation {
                message: format!("The request body has the wrong shape: {}", e.body_text()),
                fields: Default::default(),
            }),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::UnsupportedMediaType(
                "Send the body as application/json.".into(),
            )),
            Err(other) => Err(ApiError::BadRequest(other.body_text())),
        }
    }
}

/// Whether `email` looks like an address we can send to (one place for
/// sign-up, invitations and email changes).
pub fn plausible_email(email: &str) -> bool {
    email.chars().count() <= 254
        && email.contains('@')
        && !email.starts_with('@')
        && !email.ends_with('@')
}

/// Like `axum::extract::Query`, but a query string of the wrong shape
/// answers 400 with the envelope (axum's own answer is plain text).
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| ApiQuery(v))
            .map_err(|e| {
                ApiError::BadRequest(format!("The query string is not valid: {}", e.body_text()))
            })
    }
}

/// A path id as a number, or a 400 naming `what` it should have been.
pub fn parse_id(id: &str, what: &str) -> Result<i64, ApiError> {
    id.parse()
        .map_err(|_| ApiError::BadRequest(format!("The {what} id must be a number.")))
}
