//! The JSON error envelope every endpoint answers with on failure:
//! `{"error":{"code":"…","message":"…","fields":{…}}}`.

use std::collections::BTreeMap;

crate::__wire! {
    /// Body of every non-2xx response.
    pub struct ErrorEnvelope {
        pub error: ErrorBody,
    }
}

crate::__wire! {
    /// What went wrong, for machines (`code`) and for people (`message`).
    pub struct ErrorBody {
        /// Stable machine code, e.g. `validation`, `unauthorized`, `not_found`.
        pub code: String,
        /// A sentence a person can read.
        pub message: String,
        /// Per-field problems for validation errors (field name → message).
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub fields: BTreeMap<String, String>,
    }
}

impl ErrorEnvelope {
    /// Builds an envelope without field errors.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error: ErrorBody {
                code: code.into(),
                message: message.into(),
                fields: BTreeMap::new(),
            },
        }
    }
}
