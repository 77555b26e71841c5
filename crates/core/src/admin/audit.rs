//! The audit log: what each admin write changed, append-only, newest first.

use chrono::{DateTime, Utc};

crate::__wire! {
    /// One field that an admin write changed.
    pub struct FieldChange {
        pub field: String,
        pub before: Option<String>,
        pub after: Option<String>,
    }
}

crate::__wire! {
    /// A row of the audit log (append-only).
    pub struct AuditEntry {
        pub id: i64,
        pub actor_id: Option<i64>,
        pub actor: String,
        /// e.g. `tier.update`, `member.adjust`.
        pub action: String,
        /// e.g. `tier`, `member`, `reward`.
        pub entity: String,
        pub entity_id: Option<String>,
        pub changes: Vec<FieldChange>,
        pub at: DateTime<Utc>,
    }
}

crate::__wire! {
    /// A page of the audit log, newest first.
    pub struct AuditPage {
        pub total: i64,
        pub offset: i64,
        pub items: Vec<AuditEntry>,
        /// Entity names present, for the filter.
        pub entities: Vec<String>,
    }
}
