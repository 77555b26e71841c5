//! Patron core: the wire types every Patron backend speaks and the pure
//! loyalty rules (ledger, lots, tiers, deadlines). No I/O, so the same code
//! runs in the server and in the browser.

pub mod admin;
pub mod analytics;
pub mod auth;
pub mod campaigns;
pub mod colour;
pub mod earning;
pub mod error;
pub mod expiry;
pub mod feedback;
pub mod history;
pub mod kpi;
pub mod ledger;
pub mod messages;
mod messages_zh;
mod messages_zh_messaging;
pub mod messaging;
pub mod overview;
pub mod profile;
pub mod programme;
pub mod referral;
pub mod rewards;
pub mod segments;
pub mod summary;
pub mod support;
pub mod tiers;
pub mod time;

/// Derive list shared by every wire type.
#[macro_export]
#[doc(hidden)]
macro_rules! __wire {
    ($item:item) => {
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        $item
    };
}
