//! Segments, the at-risk list and the scoring job's controls. Admin only:
//! these list members with their contact details.
//!
//! Files: `definition` (the context a definition runs in, the builder's
//! count, charts and options), `saved` (saved segments), `members` (a
//! segment's members and their export), `csv` (streamed CSV), `at_risk`
//! (the at-risk list), `scores` (the scoring job).

mod at_risk;
mod csv;
mod definition;
mod members;
mod saved;
mod scores;

pub use at_risk::*;
pub use csv::*;
pub use definition::*;
pub use members::*;
pub use saved::*;
pub use scores::*;
