//! A JSON body extractor whose rejections use the error envelope.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
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
    email.len() <= 254 && email.contains('@') && !email.starts_with('@') && !email.ends_with('@')
}
