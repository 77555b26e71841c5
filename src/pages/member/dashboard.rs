//! `/dashboard`: the member's points at a glance.

use leptos::prelude::*;

use crate::api;
use crate::components::activity_list::ActivityList;
use crate::components::balance_card::BalanceCard;
use crate::components::error_panel::ErrorPanel;
use crate::components::expiring_notice::ExpiringNotice;
use crate::components::skeleton::Skeleton;
use crate::components::tier_progress::TierProgressCard;
use crate::i18n::*;
use crate::state::session::Session;

/// Balance, tier progress, expiring points and recent activity.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let summary = LocalResource::new(api::member::summary);
    view! {
        <div class="page dashboard">
            <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
                {move || Suspend::new(async move {
                    match summary.await {
                        Ok(s) => {
                            let tz = session.time_zone();
                            let name = s.name.clone();
                            let card = s.card_number.clone();
                            view! {
                                <h1>{t!(i18n, dash.title)}</h1>
                                <p class="greeting">
                                    {t!(i18n, dash.greeting, name = move || name.clone())}
                                    " · "
                                    <span data-testid="card-number">
                                        {t!(i18n, dash.card, number = move || card.clone())}
                                    </span>
                                </p>
                                <ExpiringNotice
                                    points=s.balance.expiring_soon
                                    at=s.balance.expiring_soon_at
                                    time_zone=tz.clone()
                                />
                                <div class="grid">
                                    <BalanceCard balance=s.balance.clone() />
                                    <TierProgressCard progress=s.tier.clone() time_zone=tz.clone() />
                                </div>
                                <section class="card" aria-labelledby="activity-heading">
                                    <h2 id="activity-heading">{t!(i18n, activity.heading)}</h2>
                                    <ActivityList entries=s.recent.clone() time_zone=tz />
                                </section>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! { <ErrorPanel error=e on_retry=move || summary.refetch() /> }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}
