//! The sentences of the server and of the shared rules in the reader's
//! language. The English sentence is the key, so a message needs no code
//! to be translated and an unknown one (another backend's) stays readable.
//!
//! A key may hold `{}` holes for what is filled in at run time ("Keep it
//! under {} characters."); the translation has the same holes in the same
//! order. When several keys fit, the one with the most fixed text wins, so
//! "Order rating {}/5" beats "Order {}".

use std::borrow::Cow;

use crate::messages_zh::ZH;
use crate::messages_zh_messaging::ZH_MESSAGING;

/// A language the messages come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English, the language of the keys.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// The BCP 47 tag (`en`, `zh`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// From a language tag such as `zh-CN` or `en-GB`; `None` when it is
    /// not one of ours.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The best of ours for an `Accept-Language` header: the highest
    /// weighted tag we have, earlier first on a tie; English otherwise.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut bits = part.split(';');
            let Some(lang) = bits.next().and_then(Lang::from_tag) else {
                continue;
            };
            let q = bits
                .filter_map(|b| {
                    let b = b.trim();
                    b.strip_prefix("q=").or_else(|| b.strip_prefix("Q="))
                })
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }
}

/// `english` in `lang`; unchanged when the catalogue does not know it.
pub fn localise(english: &str, lang: Lang) -> Cow<'_, str> {
    let tables: [&[(&str, &str)]; 2] = match lang {
        Lang::En => return Cow::Borrowed(english),
        Lang::Zh => [ZH, ZH_MESSAGING],
    };
    let mut best: Option<(usize, &str, Vec<&str>)> = None;
    for (key, translation) in tables.into_iter().flatten() {
        if let Some(holes) = fit(key, english) {
            let fixed = key.len() - 2 * holes.len();
            if holes.is_empty() {
                return Cow::Borrowed(translation);
            }
            if best.as_ref().is_none_or(|(f, ..)| fixed > *f) {
                best = Some((fixed, translation, holes));
            }
        }
    }
    match best {
        Some((_, translation, holes)) => Cow::Owned(fill(translation, &holes)),
        None => Cow::Borrowed(english),
    }
}

/// The text in each hole when `text` fits `key`, or `None`. Holes are
/// never empty; each takes the shortest text that lets the rest fit.
fn fit<'t>(key: &str, text: &'t str) -> Option<Vec<&'t str>> {
    if !key.contains("{}") {
        return (key == text).then(Vec::new);
    }
    let pieces: Vec<&str> = key.split("{}").collect();
    let rest = text.strip_prefix(pieces[0])?;
    let mut holes = Vec::with_capacity(pieces.len() - 1);
    fit_holes(&pieces[1..], rest, &mut holes).then_some(holes)
}

/// Fills the hole before each of `pieces` from `rest`, trying every place
/// the next piece occurs until the remainder fits too.
fn fit_holes<'t>(pieces: &[&str], rest: &'t str, holes: &mut Vec<&'t str>) -> bool {
    let Some((piece, more)) = pieces.split_first() else {
        return rest.is_empty();
    };
    if more.is_empty() {
        // The last piece ends the text.
        return match rest.strip_suffix(piece) {
            Some(hole) if !hole.is_empty() => {
                holes.push(hole);
                true
            }
            _ => false,
        };
    }
    if piece.is_empty() {
        return false;
    }
    for (at, _) in rest.match_indices(piece).filter(|(at, _)| *at > 0) {
        holes.push(&rest[..at]);
        if fit_holes(more, &rest[at + piece.len()..], holes) {
            return true;
        }
        holes.pop();
    }
    false
}

/// `template` with its holes filled in order.
fn fill(template: &str, holes: &[&str]) -> String {
    let mut out =
        String::with_capacity(template.len() + holes.iter().map(|h| h.len()).sum::<usize>());
    let mut holes = holes.iter();
    let mut pieces = template.split("{}").peekable();
    while let Some(piece) = pieces.next() {
        out.push_str(piece);
        if pieces.peek().is_some() {
            out.push_str(holes.next().copied().unwrap_or_default());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn accept_language_picks_the_best_weighted_language_we_have() {
        assert_eq!(
            Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Lang::Zh
        );
        assert_eq!(
            Lang::from_accept_language("fr-FR, en-GB;q=0.5, zh;q=0.7"),
            Lang::Zh
        );
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr, de"), Lang::En);
        assert_eq!(Lang::from_accept_language("zh;q=0"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("en;Q=0.2, zh-TW;Q=0.6"),
            Lang::Zh
        );
        assert_eq!(Lang::from_accept_language(""), Lang::En);
    }

    #[test]
    fn holes_are_carried_into_the_translation() {
        assert_eq!(
            fit(
                "Keep it under {} characters.",
                "Keep it under 80 characters."
            ),
            Some(vec!["80"])
        );
        assert_eq!(fit("From {} to {}.", "From a to b."), Some(vec!["a", "b"]));
        assert_eq!(fit("Order {}", "Order "), None, "a hole is never empty");
        assert_eq!(fit("Order {}", "Orders 12"), None);
        // A hole is never empty, so the first place the next piece occurs
        // may not be the one; the next is tried.
        assert_eq!(fit("{}-{}", "-a-b"), Some(vec!["-a", "b"]));
        assert_eq!(
            fit("{}: {}", "Ada: late: see note"),
            Some(vec!["Ada", "late: see note"])
        );
        assert_eq!(fill("从 {} 到 {}。", &["a", "b"]), "从 a 到 b。");
    }

    #[test]
    fn known_sentences_are_translated_and_unknown_ones_kept() {
        let sign_in = localise("Sign in to continue.", Lang::Zh);
        assert_ne!(sign_in, "Sign in to continue.");
        assert!(is_chinese(&sign_in));
        assert_eq!(
            localise("Sign in to continue.", Lang::En),
            "Sign in to continue."
        );
        assert_eq!(
            localise("Something no one wrote.", Lang::Zh),
            "Something no one wrote."
        );
        let long = localise("Keep it under 80 characters.", Lang::Zh);
        assert!(long.contains("80") && !long.contains("Keep"), "{long}");
    }

    #[test]
    fn every_translation_has_the_holes_of_its_key_and_no_key_twice() {
        let mut seen = std::collections::BTreeSet::new();
        for (en, zh) in ZH.iter().chain(ZH_MESSAGING) {
            assert!(seen.insert(*en), "{en} is in the table twice");
            assert_eq!(
                en.matches("{}").count(),
                zh.matches("{}").count(),
                "{en} → {zh}"
            );
            assert!(
                !en.contains("{}{}"),
                "{en}: two holes side by side cannot be told apart"
            );
            assert!(is_chinese(zh), "{en} → {zh} is not Chinese");
        }
    }
}
