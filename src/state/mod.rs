//! App-wide state, each a `Copy` context with `provide()` / `expect()`.

pub mod locale;
pub mod session;
