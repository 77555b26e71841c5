//! The one error type of the API and its JSON envelope.

use std::collections::BTreeMap;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use patron_core::error::{ErrorBody, ErrorEnvelope};

/// Everything a handler can fail with; each maps to one status and code.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("Sign in to continue.")]
    Unauthorized,
    #[error("The email or password is not right.")]
    InvalidCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("This endpoint does not accept that method.")]
    MethodNotAllowed,
    #[error("{message}")]
    Validation {
        message: String,
        fields: BTreeMap<String, String>,
    },
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    RateLimited { retry_after_secs: u64 },
    /// The database could not be reached or asked for a retry (a lost
    /// connection, a full pool, a deadlock): nothing was changed, and the
    /// same request may be sent again.
    #[error("The service is briefly unavailable. Please try again in a moment.")]
    Unavailable(String),
    #[error("internal error")]
    Internal(String),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        if retryable(&e) {
            ApiError::Unavailable(format!("database: {e}"))
        } else {
            ApiError::Internal(format!("database: {e}"))
        }
    }
}

/// Whether a database error leaves nothing changed and may pass on a retry:
/// the connection or pool failed, or the database aborted the transaction
/// for a serialization failure or deadlock (SQLSTATE 40001 / 40P01), a
/// lost connection or a shutdown (classes 08 and 57P0x), or SQLite's
/// "database is locked".
pub fn retryable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) => {
            let code = d.code().unwrap_or_default();
            matches!(code.as_ref(), "40001" | "40P01" | "5" | "6")
                || code.starts_with("08")
                || code.starts_with("57P0")
        }
        _ => false,
    }
}

impl ApiError {
    /// A validation error with one field message.
    pub fn field(field: &str, message: &str) -> Self {
        let mut fields = BTreeMap::new();
        fields.insert(field.to_string(), message.to_string());
        ApiError::Validation {
            message: message.to_string(),
            fields,
        }
    }

    /// `Ok` when there are no problems, else a validation error naming
    /// each field (the first problem is the message when `message` is empty).
    pub fn check<K: ToString, V: ToString>(
        message: &str,
        problems: impl IntoIterator<Item = (K, V)>,
    ) -> Result<(), Self> {
        let fields: BTreeMap<String, String> = problems
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if fields.is_empty() {
            return Ok(());
        }
        let message = if message.is_empty() {
            fields.values().next().cloned().unwrap_or_default()
        } else {
            message.to_string()
        };
        Err(ApiError::Validation { message, fields })
    }

    /// An internal error from anything printable.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        ApiError::Internal(e.to_string())
    }

    /// The HTTP status and machine code of this error.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::Validation { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
            ApiError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ApiError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl ApiError {
    /// The JSON envelope this error answers with.
    pub fn envelope(&self) -> ErrorEnvelope {
        let (_, code) = self.status_and_code();
        let message = match self {
            ApiError::Internal(_) => {
                "Something went wrong on our side. Please try again.".to_string()
            }
            ApiError::Unavailable(_) => self.to_string(),
            other => other.to_string(),
        };
        let fields = match self {
            ApiError::Validation { fields, .. } => fields.clone(),
            _ => BTreeMap::new(),
        };
        ErrorEnvelope {
            error: ErrorBody {
                code: code.to_string(),
                message,
                fields,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, _) = self.status_and_code();
        match &self {
            ApiError::Internal(e) => tracing::error!(error = %e, "internal error"),
            ApiError::Unavailable(e) => tracing::warn!(error = %e, "unavailable"),
            _ => {}
        }
        let mut res = (status, axum::Json(self.envelope())).into_response();
        let retry_after = match self {
            ApiError::RateLimited { retry_after_secs } => Some(retry_after_secs),
            ApiError::Unavailable(_) => Some(1),
            _ => None,
        };
        if let Some(secs) = retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
