//! The chosen language: remembered in localStorage, else the browser's.

use crate::i18n::Locale;

const KEY: &str = "patron.locale";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Parses a stored or browser language tag.
pub fn from_tag(tag: &str) -> Option<Locale> {
    let t = tag.to_ascii_lowercase();
    if t.starts_with("zh") {
        Some(Locale::zh)
    } else if t.starts_with("en") {
        Some(Locale::en)
    } else {
        None
    }
}

/// The tag stored for a locale.
pub fn tag(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::zh => "zh",
    }
}

/// The locale to start with: remembered choice, then the browser's.
pub fn initial() -> Locale {
    if let Some(l) = storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|t| from_tag(&t))
    {
        return l;
    }
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .and_then(|t| from_tag(&t))
        .unwrap_or(Locale::en)
}

/// Remembers the choice.
pub fn remember(locale: Locale) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, tag(locale));
    }
}
