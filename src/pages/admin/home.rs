//! `/admin`: the admin console's start page.

use leptos::prelude::*;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::components::stat::Stat;
use crate::format::{money_minor, number};
use crate::i18n::*;
use crate::pages::admin::nav::AdminHeader;

/// Who is signed in and the programme at a glance.
#[component]
pub fn AdminHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = LocalResource::new(api::staff::admin_overview);
    view! {
        <div class="page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, admin.title).to_string()) />
            <Suspense fallback=|| view! { <Skeleton lines=4 /> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => {
                            let l = move || i18n.get_locale();
                            let currency = o.currency.clone();
                            let rows = o.tiers.iter().map(|t| {
                                let n = t.members;
                                view! { <tr><th scope="row">{t.tier.clone()}</th><td>{move || number(l(), n)}</td></tr> }
                            }).collect_view();
                            view! {
                                <dl class="stats card">
                                    <Stat label=Signal::derive(move || t_string!(i18n, admin.members).to_string())
                                        value=Signal::derive(move || number(l(), o.members)) testid="admin-members" />
                                    <Stat label=Signal::derive(move || t_string!(i18n, admin.active_90d).to_string())
                                        value=Signal::derive(move || number(l(), o.active_members_90d)) />
                                    <Stat label=Signal::derive(move || t_string!(i18n, admin.outstanding).to_string())
                                        value=Signal::derive(move || number(l(), o.outstanding_points)) />
                                    <Stat label=Signal::derive(move || t_string!(i18n, admin.liability).to_string())
                                        value=Signal::derive(move || money_minor(l(), o.liability_minor, &currency)) />
                                </dl>
                                <section class="card" aria-labelledby="per-tier">
                                    <h2 id="per-tier">{t!(i18n, admin.per_tier)}</h2>
                                    <table class="table">
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, admin.tier_col)}</th>
                                            <th scope="col">{t!(i18n, admin.members_col)}</th>
                                        </tr></thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                </section>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || overview.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
