//! Switches the UI language; the choice is remembered.

use leptos::prelude::*;

use crate::i18n::*;
use crate::state::locale;

/// A labelled select: English / 简体中文.
#[component]
pub fn LanguageSelect() -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev| {
        if let Some(l) = locale::from_tag(&event_target_value(&ev)) {
            i18n.set_locale(l);
            locale::remember(l);
        }
    };
    view! {
        <label class="language">
            <span class="visually-hidden">{t!(i18n, nav.language)}</span>
            <select on:change=on_change data-testid="language">
                <option value="en" selected=move || i18n.get_locale() == Locale::en>"English"</option>
                <option value="zh" selected=move || i18n.get_locale() == Locale::zh>"简体中文"</option>
            </select>
        </label>
    }
}
