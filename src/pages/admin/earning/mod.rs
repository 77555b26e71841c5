//! `/admin/rules`: earning rules in evaluation order, an editor, and the
//! simulator (a member and a basket → which rules fire, points each).
//!
//! `rules` holds the rule table and its editor; `simulator` the simulator.

use leptos::prelude::*;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::i18n::*;
use crate::pages::admin::nav::AdminHeader;
use rules::Rules;

mod rules;
mod simulator;

pub use simulator::to_minor;

/// The rules page.
#[component]
pub fn AdminRulesPage() -> impl IntoView {
    let i18n = use_i18n();
    let rules = LocalResource::new(api::admin::rules);
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, nav.rules).to_string()) />
            <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
                {move || Suspend::new(async move {
                    match rules.await {
                        Ok(list) => view! { <Rules list=list on_changed=move || rules.refetch() /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || rules.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
