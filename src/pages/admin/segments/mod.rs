//! The segment pages, one folder as `segments` is in core, store and
//! routes: `list` (`/admin/segments`), `record` (one saved segment),
//! `builder` (new and edit), `charts` (a segment's charts) and `words` (a
//! definition in words, the names of the builder's choices).

#[cfg(feature = "console")]
pub mod builder;
#[cfg(feature = "console")]
pub mod charts;
pub mod list;
#[cfg(feature = "console")]
pub mod record;
pub mod words;

pub use list::*;
