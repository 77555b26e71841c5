//! The translations (`locales/*.json`) compiled in by leptos_i18n: `Locale`,
//! `use_i18n`, `t!`, `t_string!` and the keys. A module of its own, so pages
//! import it from here and not from the crate root (which only assembles).

#[allow(deprecated)]
mod generated {
    leptos_i18n::load_locales!();
}
pub use generated::i18n::*;
