//! `/admin/messaging`: what the programme sends its members — the outbox
//! (`outbox`: every message and where it stands, the backlog, the last
//! delivery error) and the template editor with a live preview for a
//! chosen member (`templates`).

pub mod outbox;
pub mod templates;

use leptos::prelude::*;

use crate::i18n::*;
use crate::pages::admin::nav::AdminHeader;

/// The messaging page: outbox and templates as two tabs.
#[component]
pub fn AdminMessagingPage() -> impl IntoView {
    let i18n = use_i18n();
    let on_templates = RwSignal::new(false);
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, nav.messaging).to_string()) />
            <div role="tablist" class="tabs">
                <button type="button" role="tab" class="tab" data-testid="tab-outbox"
                    aria-selected=move || (!on_templates.get()).to_string()
                    on:click=move |_| on_templates.set(false)>{t!(i18n, msg.outbox)}</button>
                <button type="button" role="tab" class="tab" data-testid="tab-templates"
                    aria-selected=move || on_templates.get().to_string()
                    on:click=move |_| on_templates.set(true)>{t!(i18n, msg.templates)}</button>
            </div>
            {move || if on_templates.get() {
                view! { <templates::Templates /> }.into_any()
            } else {
                view! { <outbox::Outbox /> }.into_any()
            }}
        </div>
    }
}
