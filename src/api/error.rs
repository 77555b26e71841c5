//! The one error type of the client, made in one place from status + body.

use std::collections::BTreeMap;

use patron_core::error::ErrorEnvelope;

/// What went wrong with a request, in terms the UI can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 401: not signed in (or the session ended).
    Unauthorized { message: String },
    /// 401 on sign-in: wrong email or password.
    InvalidCredentials { message: String },
    /// 403: signed in, but not allowed.
    Forbidden { message: String },
    /// 404.
    NotFound { message: String },
    /// 409: the state changed underneath (e.g. not enough points).
    Conflict { message: String },
    /// 400/415/422: the input was refused; `fields` says where.
    Validation {
        message: String,
        fields: BTreeMap<String, String>,
    },
    /// 429.
    RateLimited { message: String },
    /// 5xx or an unexpected status.
    Server { status: u16, message: String },
    /// The request never got an answer (offline, server down).
    Network { message: String },
    /// An answer we could not read.
    Decode { message: String },
}

impl ApiError {
    /// Maps a non-2xx response to the error, using the envelope when the
    /// body has one.
    pub fn from_response(status: u16, body: &str) -> Self {
        let envelope = serde_json::from_str::<ErrorEnvelope>(body).ok();
        let code = envelope
            .as_ref()
            .map(|e| e.error.code.clone())
            .unwrap_or_default();
        let message = envelope
            .as_ref()
            .map(|e| e.error.message.clone())
            .unwrap_or_else(|| format!("The server answered {status}."));
        let fields = envelope.map(|e| e.error.fields).unwrap_or_default();
        match status {
            401 if code.as_str() == "invalid_credentials" => {
                ApiError::InvalidCredentials { message }
            }
            401 => ApiError::Unauthorized { message },
            403 => ApiError::Forbidden { message },
            404 => ApiError::NotFound { message },
            409 => ApiError::Conflict { message },
            400 | 415 | 422 => ApiError::Validation { message, fields },
            429 => ApiError::RateLimited { message },
            _ => ApiError::Server { status, message },
        }
    }

    /// The server's (or client's) sentence about it.
    pub fn message(&self) -> &str {
        match self {
            ApiError::Unauthorized { message }
            | ApiError::InvalidCredentials { message }
            | ApiError::Forbidden { message }
            | ApiError::NotFound { message }
            | ApiError::Conflict { message }
            | ApiError::Validation { message, .. }
            | ApiError::RateLimited { message }
            | ApiError::Server { message, .. }
            | ApiError::Network { message }
            | ApiError::Decode { message } => message,
        }
    }

    /// The message for one form field, if the server named it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            ApiError::Validation { fields, .. } => fields.get(name).cloned(),
            _ => None,
        }
    }

    /// Worth offering "try again" for.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::Network { .. } | ApiError::Server { .. } | ApiError::Decode { .. }
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for ApiError {}
