//! Segments: a definition becomes one SQL condition over `members m LEFT
//! JOIN member_scores s`; counts, member lists, exports and charts read
//! through it. Saved segments keep their definition as JSON.
//!
//! Files: `definition` (a definition as SQL), `members` (counts, member
//! pages, the export's query and the builder's options), `charts` (a
//! segment's charts), `saved` (saved segments: list, save, recount, delete).

mod charts;
mod definition;
mod members;
mod saved;

pub use definition::*;
pub use members::*;
pub use saved::*;
