//! The message under a form field, from the client's own checks or the
//! server's answer.

use leptos::prelude::*;

use crate::i18n::*;
use crate::labels::sentence;

/// Shows `message` (if any) as an alert tied to its field by `id`.
#[component]
pub fn FieldError(
    /// The message, if the field has a problem.
    #[prop(into)]
    message: Signal<Option<String>>,
    /// Id for `aria-describedby` on the field.
    #[prop(optional)]
    id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        message.get().map(|m| {
            let m = sentence(i18n, &m);
            view! { <p class="field-error" id=id role="alert">{m}</p> }
        })
    }
}
