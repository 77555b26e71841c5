//! Reusable UI. Components know no endpoint: data and callbacks in,
//! events out.

pub mod activity_list;
pub mod app_header;
pub mod balance_card;
#[cfg(feature = "console")]
pub mod chart;
pub mod copy_button;
pub mod dialog;
pub mod error_panel;
pub mod expiring_notice;
pub mod field_error;
pub mod forbidden;
pub mod guard;
pub mod language_select;
pub mod pager;
pub mod signed_in_as;
pub mod skeleton;
pub mod stat;
pub mod tier_progress;
pub mod toast;
pub mod trend_chart;
pub mod unsaved;
pub mod virtual_list;
