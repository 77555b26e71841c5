//! Triage: the agents tickets go to, a change to one ticket (with the
//! version the agent saw) or to many at once, and labels.

use crate::feedback::TicketStatus;

use super::sla::Priority;

crate::__wire! {
    /// A person who can be assigned tickets.
    pub struct Agent {
        pub id: i64,
        pub name: String,
    }
}

crate::__wire! {
    /// A triage change to one ticket. `version` is the one the agent saw:
    /// when someone else changed the ticket since, nothing is saved (409).
    pub struct TicketUpdate {
        pub version: i64,
        /// `Some(None)`: unassign. Absent: leave as is.
        #[serde(default, with = "double_option", skip_serializing_if = "Option::is_none")]
        pub assignee_id: Option<Option<i64>>,
        #[serde(default)]
        pub status: Option<TicketStatus>,
        #[serde(default)]
        pub priority: Option<Priority>,
        /// Replaces the labels.
        #[serde(default)]
        pub labels: Option<Vec<String>>,
    }
}

/// Serde helper telling "absent" from "null".
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            None => s.serialize_none(),
            Some(inner) => inner.serialize(s),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

crate::__wire! {
    /// A ticket and the version the agent saw.
    #[derive(Copy, Eq)]
    pub struct VersionedId {
        pub id: i64,
        pub version: i64,
    }
}

crate::__wire! {
    /// `POST /support/tickets/bulk`: one change to many tickets. Tickets
    /// changed by someone else since they were listed are left alone and
    /// reported back.
    pub struct BulkRequest {
        pub tickets: Vec<VersionedId>,
        #[serde(default, with = "double_option", skip_serializing_if = "Option::is_none")]
        pub assignee_id: Option<Option<i64>>,
        #[serde(default)]
        pub status: Option<TicketStatus>,
        #[serde(default)]
        pub priority: Option<Priority>,
        #[serde(default)]
        pub add_label: Option<String>,
    }
}

crate::__wire! {
    /// What a bulk change did.
    pub struct BulkResult {
        pub updated: Vec<i64>,
        /// Changed by someone else since listed: not touched.
        pub conflicts: Vec<i64>,
        pub missing: Vec<i64>,
    }
}

/// Most tickets one bulk change may touch.
pub const MAX_BULK: usize = 500;

/// A label as stored: trimmed, lower case, 1–32 of letters, digits, `-`, `_`
/// and spaces.
pub fn normalise_label(raw: &str) -> Result<String, &'static str> {
    let l = raw.trim().to_lowercase();
    if l.is_empty() || l.chars().count() > 32 {
        return Err("Labels are 1 to 32 characters.");
    }
    if !l
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == ' ')
    {
        return Err("Labels use letters, digits, spaces, '-' and '_'.");
    }
    Ok(l)
}
