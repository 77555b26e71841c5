//! The admin console is its own, larger bundle (`console.html`, built with
//! the `console` feature), so members and agents never download it. In the
//! main bundle every `/admin/*` route lands here (behind the same role
//! guard) and loads the page from the server, which answers `/admin/*` with
//! the console.

use leptos::prelude::*;

use crate::i18n::*;

/// Reloads the current address so the server hands over the console.
#[component]
pub fn ToConsole() -> impl IntoView {
    let i18n = use_i18n();
    let Some(window) = web_sys::window() else {
        return ().into_any();
    };
    let here = window.location().pathname().unwrap_or_default()
        + &window.location().search().unwrap_or_default();
    // If the server answered with this bundle again (no console built), stop
    // instead of reloading for ever.
    let storage = window.session_storage().ok().flatten();
    let now = js_sys::Date::now();
    let last: Option<(String, f64)> = storage
        .as_ref()
        .and_then(|s| s.get_item("patron.console").ok().flatten())
        .and_then(|v| {
            v.split_once('|')
                .map(|(t, p)| (p.to_string(), t.parse().unwrap_or(0.0)))
        });
    if last.is_some_and(|(p, t)| p == here && now - t < 10_000.0) {
        return view! {
            <section class="panel" data-testid="console-missing">
                <h1>{t!(i18n, admin.console_missing)}</h1>
            </section>
        }
        .into_any();
    }
    if let Some(s) = storage {
        let _ = s.set_item("patron.console", &format!("{now}|{here}"));
    }
    let _ = window.location().assign(&here);
    view! { <p class="muted" role="status">{t!(i18n, loading)}</p> }.into_any()
}
