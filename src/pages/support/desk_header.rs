//! The top of every support desk page: who is working and what the desk
//! looks after.

use leptos::prelude::*;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::signed_in_as::SignedInAs;
use crate::components::stat::Stat;
use crate::format::number;
use crate::i18n::*;

/// Title, "signed in as", and the desk's facts.
#[component]
pub fn DeskHeader() -> impl IntoView {
    let i18n = use_i18n();
    let overview = LocalResource::new(api::staff::support_overview);
    view! {
        <header class="desk-header">
            <div>
                <h1>{t!(i18n, support.title)}</h1>
                <SignedInAs />
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => {
                            let l = move || i18n.get_locale();
                            view! {
                                <dl class="stats desk-stats">
                                    <Stat label=Signal::derive(move || t_string!(i18n, support.members).to_string())
                                        value=Signal::derive(move || number(l(), o.members)) testid="support-members" />
                                    <Stat label=Signal::derive(move || t_string!(i18n, support.agents).to_string())
                                        value=Signal::derive(move || number(l(), o.staff_on_desk)) />
                                </dl>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || overview.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </header>
    }
}
