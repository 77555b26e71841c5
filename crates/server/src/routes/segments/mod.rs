//! Segments. Admin only: these list members with their contact details.
//!
//! Files: `definition` (the context a definition runs in, the builder's
//! count, charts and options), `saved` (saved segments), `members` (a
//! segment's members and their export).

mod definition;
mod members;
mod saved;

pub use definition::*;
pub use members::*;
pub use saved::*;
