//! `/admin/tiers`: the tier editor and policy. A change is previewed on the
//! server's real data (who moves up or down) and saved only on confirm.
//!
//! `editor` holds the tiers and policy form, saving and recalculation;
//! `impact` the preview of what a change would do.

use leptos::prelude::*;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::i18n::*;
use crate::pages::admin::nav::AdminHeader;
use editor::TierEditor;

mod editor;
mod impact;

/// The tier editor page.
#[component]
pub fn AdminTiersPage() -> impl IntoView {
    let i18n = use_i18n();
    let setup = LocalResource::new(api::admin::tiers);
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, nav.admin_tiers).to_string()) />
            <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
                {move || Suspend::new(async move {
                    match setup.await {
                        Ok(s) => view! { <TierEditor setup=s /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || setup.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
