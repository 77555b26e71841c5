//! Copies a text to the clipboard and says so.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::*;

/// A button that copies `text`; its label turns to "Copied" briefly.
#[component]
pub fn CopyButton(
    /// What to copy.
    text: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move {
            if let Some(w) = web_sys::window() {
                let p = w.navigator().clipboard().write_text(&text);
                if JsFuture::from(p).await.is_ok() {
                    copied.set(true);
                    set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
                }
            }
        });
    };
    view! {
        <button type="button" class="btn btn-small" on:click=on_click aria-live="polite">
            {move || if copied.get() {
                t_string!(i18n, wallet.copied).to_string()
            } else {
                t_string!(i18n, wallet.copy).to_string()
            }}
        </button>
    }
}
