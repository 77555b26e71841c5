//! The points history: filters and pages.

use chrono::NaiveDate;

use crate::summary::{EntryKind, LedgerEntry, LotState};

crate::__wire! {
    /// A page of the history, newest first.
    pub struct LedgerPage {
        pub items: Vec<LedgerEntry>,
        /// Entries matching the filter, over all pages.
        pub total: i64,
        /// Pass as `cursor` for the next page; `None` on the last page.
        pub next_cursor: Option<String>,
    }
}

/// What the history can be filtered by. Lives in the URL in the SPA.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct LedgerFilter {
    /// earn, spend, adjust, expire or reverse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<EntryKind>,
    /// pending, active, spent or expired (earned lots only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<LotState>,
    /// First day included (programme time zone), YYYY-MM-DD, 1970–9999.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::time::de_opt_day"
    )]
    pub from: Option<NaiveDate>,
    /// Last day included (programme time zone), YYYY-MM-DD, 1970–9999.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::time::de_opt_day"
    )]
    pub to: Option<NaiveDate>,
}

impl LedgerFilter {
    /// `kind=earn&from=2026-01-01` (no leading `?`; empty when unfiltered).
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(k) = self.kind {
            parts.push(format!("kind={}", k.as_str()));
        }
        if let Some(s) = self.state {
            parts.push(format!("state={}", lot_state_str(s)));
        }
        if let Some(d) = self.from {
            parts.push(format!("from={d}"));
        }
        if let Some(d) = self.to {
            parts.push(format!("to={d}"));
        }
        parts.join("&")
    }

    /// Reads a filter from query pairs, ignoring values it does not know
    /// (a hand-edited URL should not break the page).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut f = LedgerFilter::default();
        for (k, v) in pairs {
            match k {
                "kind" => f.kind = EntryKind::parse(v),
                "state" => f.state = parse_lot_state(v),
                "from" => f.from = crate::time::parse_day(v),
                "to" => f.to = crate::time::parse_day(v),
                _ => {}
            }
        }
        f
    }
}

/// The wire name of a lot state.
pub fn lot_state_str(s: LotState) -> &'static str {
    match s {
        LotState::Pending => "pending",
        LotState::Active => "active",
        LotState::Spent => "spent",
        LotState::Expired => "expired",
    }
}

/// Parses a lot state's wire name.
pub fn parse_lot_state(s: &str) -> Option<LotState> {
    Some(match s {
        "pending" => LotState::Pending,
        "active" => LotState::Active,
        "spent" => LotState::Spent,
        "expired" => LotState::Expired,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_round_trips_through_the_query() {
        let f = LedgerFilter {
            kind: Some(EntryKind::Earn),
            state: Some(LotState::Pending),
            from: NaiveDate::from_ymd_opt(2026, 1, 1),
            to: NaiveDate::from_ymd_opt(2026, 3, 31),
        };
        let q = f.to_query();
        assert_eq!(q, "kind=earn&state=pending&from=2026-01-01&to=2026-03-31");
        let pairs: Vec<(&str, &str)> = q.split('&').filter_map(|p| p.split_once('=')).collect();
        assert_eq!(LedgerFilter::from_pairs(pairs), f);
    }

    #[test]
    fn unknown_values_are_ignored() {
        let f = LedgerFilter::from_pairs([("kind", "bogus"), ("from", "yesterday"), ("x", "1")]);
        assert_eq!(f, LedgerFilter::default());
        assert_eq!(f.to_query(), "");
    }
}
