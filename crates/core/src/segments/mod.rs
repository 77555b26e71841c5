//! Member segments: a definition (groups of conditions joined by AND/OR)
//! that any backend can evaluate, with its validation, and the wire types
//! of saved segments, their member lists and charts.
//!
//! A definition is `groups` joined by `join`; each group's `conditions` are
//! joined by the group's own `join`. An empty definition (or empty group)
//! matches every member. Days and windows count back from now; money is in
//! minor units; "spend" is net of returns.
//!
//! Files: `definition` (conditions, groups and what is wrong with them),
//! `saved` (a segment to save, a saved one), `members` (counts, member pages
//! and the builder's options), `charts` (distributions, RFM cells, spend bins).

mod charts;
mod definition;
mod members;
mod saved;

pub use charts::*;
pub use definition::*;
pub use members::*;
pub use saved::*;
