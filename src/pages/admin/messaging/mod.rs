//! `/admin/messaging`: what the programme sends its members — the outbox
//! (`outbox`: every message and where it stands, the backlog, the last
//! delivery error), the template editor with a live preview for a chosen
//! member (`templates`), the automations with their figures, sending rules
//! and holidays (`automations`), and suppressed addresses (`suppressions`).

pub mod automations;
pub mod outbox;
pub mod suppressions;
pub mod templates;

use leptos::prelude::*;

use crate::i18n::*;
use crate::pages::admin::nav::AdminHeader;

/// The messaging page: outbox and templates as two tabs.
#[component]
pub fn AdminMessagingPage() -> impl IntoView {
    let i18n = use_i18n();
    let tab = RwSignal::new(0_u8);
    let tabs = [
        ("tab-outbox", 0_u8),
        ("tab-templates", 1),
        ("tab-automations", 2),
        ("tab-suppressions", 3),
    ];
    let label = move |i: u8| match i {
        0 => t_string!(i18n, msg.outbox),
        1 => t_string!(i18n, msg.templates),
        2 => t_string!(i18n, msg.automations),
        _ => t_string!(i18n, msg.suppressions),
    };
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, nav.messaging).to_string()) />
            <div role="tablist" class="tabs">
                {tabs.into_iter().map(|(id, i)| view! {
                    <button type="button" role="tab" class="tab" data-testid=id
                        aria-selected=move || (tab.get() == i).to_string()
                        on:click=move |_| tab.set(i)>{move || label(i)}</button>
                }).collect_view()}
            </div>
            {move || match tab.get() {
                0 => view! { <outbox::Outbox /> }.into_any(),
                1 => view! { <templates::Templates /> }.into_any(),
                2 => view! { <automations::Automations /> }.into_any(),
                _ => view! { <suppressions::Suppressions /> }.into_any(),
            }}
        </div>
    }
}
