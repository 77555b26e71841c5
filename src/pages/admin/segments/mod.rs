//! The segment pages, one folder as `segments` is in core, store and
//! routes: `list` (`/admin/segments`), `record` (one saved segment),
//! `builder` (new and edit) with its `conditions` (the group and condition
//! inputs), `charts` (a segment's charts), `words` (a definition in words,
//! the names of the builder's choices) and `model` (the plain Rust behind
//! the builder and the charts, tested natively).

#[cfg(feature = "console")]
pub mod builder;
#[cfg(feature = "console")]
pub mod charts;
#[cfg(feature = "console")]
pub mod conditions;
pub mod list;
pub mod model;
#[cfg(feature = "console")]
pub mod record;
pub mod words;

pub use list::*;
