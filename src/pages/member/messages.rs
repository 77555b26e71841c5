//! The member's message centre on their profile: what the programme sent
//! them, newest first; a subject opens its text. Which topics they get is
//! chosen with the switches above it.

use leptos::prelude::*;

use crate::api;
use crate::format::date;
use crate::i18n::*;
use crate::state::session::Session;

/// "Messages we sent you".
#[component]
pub fn MessageCentre() -> impl IntoView {
    let i18n = use_i18n();
    let tz = Session::expect().time_zone();
    let l = move || i18n.get_locale();
    let list = LocalResource::new(api::messaging::my_messages);
    view! {
        <section class="card message-centre" data-testid="message-centre">
            <h2>{t!(i18n, profile.messages)}</h2>
            <Suspense fallback=|| ()>
                {move || {
                    let tz = tz.clone();
                    Suspend::new(async move {
                        match list.await {
                            Ok(items) if items.is_empty() => view! { <p class="muted">{t!(i18n, profile.no_messages)}</p> }.into_any(),
                            Ok(items) => view! {
                                <ul class="plain-list">{items.into_iter().map(|m| {
                                    let (at, tz) = (m.sent_at, tz.clone());
                                    view! {
                                        <li data-testid="my-message"><details>
                                            <summary><strong>{m.subject}</strong> " · " <span class="muted">{move || date(l(), at, &tz)}</span></summary>
                                            <pre class="message-text">{m.text}</pre>
                                        </details></li>
                                    }
                                }).collect_view()}</ul>
                            }.into_any(),
                            Err(_) => view! { <p class="muted">{t!(i18n, profile.messages_unavailable)}</p> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
