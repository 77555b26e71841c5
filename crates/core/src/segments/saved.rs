//! Saved segments: a segment to save (with what is wrong with it) and a
//! saved one with its stored count.

use super::definition::SegmentDefinition;

crate::__wire! {
    /// A segment to save.
    pub struct SegmentDraft {
        pub name: String,
        #[serde(default)]
        pub description: String,
        pub definition: SegmentDefinition,
    }
}

impl SegmentDraft {
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let n = self.name.trim().chars().count();
        if n == 0 {
            out.push(("name".into(), "Give the segment a name.".into()));
        } else if n > 80 {
            out.push(("name".into(), "Use at most 80 characters.".into()));
        }
        if self.description.chars().count() > 500 {
            out.push(("description".into(), "Use at most 500 characters.".into()));
        }
        out.extend(
            self.definition
                .problems()
                .into_iter()
                .map(|(p, m)| (format!("definition.{p}"), m)),
        );
        out
    }
}

crate::__wire! {
    /// A saved segment.
    pub struct Segment {
        pub id: i64,
        pub name: String,
        pub description: String,
        pub definition: SegmentDefinition,
        pub member_count: i64,
        /// When `member_count` was computed (unix seconds).
        pub computed_at: i64,
        pub created_by: String,
        pub updated_at: i64,
    }
}
