//! Canned replies: the templates, their placeholders and the `/shortcut`
//! typed in the reply box.

use std::collections::BTreeMap;

/// Fills `{{member_name}}`, `{{member_first_name}}`, `{{agent_name}}`,
/// `{{reference}}` and `{{tier}}` in a canned reply. Unknown placeholders
/// are left as they are, so the agent sees them before sending.
pub fn fill_placeholders(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let key = after[..end].trim();
                match values.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Placeholder values for a ticket.
pub fn placeholder_values<'a>(
    member_name: &'a str,
    agent_name: &'a str,
    reference: &'a str,
    tier: &'a str,
) -> [(&'static str, &'a str); 5] {
    let first = member_name.split_whitespace().next().unwrap_or(member_name);
    [
        ("member_name", member_name),
        ("member_first_name", first),
        ("agent_name", agent_name),
        ("reference", reference),
        ("tier", tier),
    ]
}

/// The canned-reply shortcut being typed at the end of `text`: `/name`
/// at the start of a line. Returns (byte offset of the slash, name so far).
pub fn shortcut_at_end(text: &str) -> Option<(usize, &str)> {
    let line_start = text.rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let name = line.strip_prefix('/')?;
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        .then_some((line_start, name))
}

crate::__wire! {
    /// A reply template.
    pub struct CannedReply {
        pub id: i64,
        /// Typed as `/shortcut` in the reply box.
        pub shortcut: String,
        pub title: String,
        pub body: String,
    }
}

crate::__wire! {
    /// Create or change a canned reply.
    pub struct CannedReplyInput {
        pub shortcut: String,
        pub title: String,
        pub body: String,
    }
}

impl CannedReplyInput {
    /// Field → message for each problem.
    pub fn problems(&self) -> BTreeMap<String, String> {
        let mut e = BTreeMap::new();
        let s = self.shortcut.trim();
        if s.is_empty()
            || s.len() > 32
            || !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            e.insert(
                "shortcut".into(),
                "1 to 32 letters, digits, '-' or '_' (no spaces).".into(),
            );
        }
        if self.title.trim().is_empty() || self.title.chars().count() > 80 {
            e.insert(
                "title".into(),
                "Give a title of up to 80 characters.".into(),
            );
        }
        if self.body.trim().is_empty() || self.body.chars().count() > crate::feedback::MAX_MESSAGE {
            e.insert(
                "body".into(),
                "Write the reply (up to 5,000 characters).".into(),
            );
        }
        e
    }
}
