//! The top of every support desk page: who is working and what the desk
//! looks after.

use leptos::prelude::*;
use patron_core::auth::Role;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::stat::Stat;
use crate::format::number;
use crate::i18n::*;
use crate::state::session::Session;

/// Title, "signed in as", and the desk's facts.
#[component]
pub fn DeskHeader() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let overview = LocalResource::new(api::staff::support_overview);
    let who = move || {
        session.me().map(|me| {
            let name = me.name.clone();
            let role = move || match me.role {
                Role::Admin => t_string!(i18n, role.admin).to_string(),
                Role::Support => t_string!(i18n, role.support).to_string(),
                Role::Member => t_string!(i18n, role.member).to_string(),
            };
            view! { {t!(i18n, nav.signed_in_as, name = move || name.clone())} " (" {role} ")" }
        })
    };
    view! {
        <header class="desk-header">
            <div>
                <h1>{t!(i18n, support.title)}</h1>
                <p class="greeting" data-testid="who">{who}</p>
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
