//! `/tiers`: all tiers side by side, the member's own highlighted.

use leptos::prelude::*;
use patron_core::colour::ink_on;
use patron_core::summary::TierWindow;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::components::tier_progress::TierProgressCard;
use crate::format::number;
use crate::i18n::*;
use crate::state::session::Session;

/// Threshold, earn rate and perks of every tier; progress to next / to keep.
#[component]
pub fn TiersPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let data = LocalResource::new(|| async {
        let (tiers, summary) = futures_join(api::member::tiers(), api::member::summary()).await;
        Ok::<_, api::ApiError>((tiers?, summary?))
    });
    view! {
        <div class="page tiers">
            <h1>{t!(i18n, tiers.title)}</h1>
            <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((list, summary)) => {
                            let mine = summary.tier.current.id;
                            let window = match list.window {
                                TierWindow::RollingMonths { months } => view! { {t!(i18n, tiers.window_rolling, months = move || months)} }.into_any(),
                                TierWindow::CalendarYear => view! { {t!(i18n, tiers.window_year)} }.into_any(),
                                TierWindow::Lifetime => view! { {t!(i18n, tiers.window_lifetime)} }.into_any(),
                            };
                            view! {
                                <TierProgressCard progress=summary.tier.clone() time_zone=session.time_zone() />
                                <p class="hint">{window}</p>
                                <ul class="tier-compare" data-testid="tier-compare">
                                    {list.tiers.into_iter().map(|t| {
                                        let own = t.tier.id == mine;
                                        let threshold = t.tier.threshold;
                                        let mult = format!("{:.2}×", t.earn_multiplier_pct as f64 / 100.0);
                                        view! {
                                            <li class="card tier-column" class:own=own aria-current=own.then_some("true") data-testid="tier-column">
                                                <h2 class="tier-badge" style:--tier-colour=t.tier.colour.clone() style:--tier-ink=ink_on(&t.tier.colour)>{t.tier.name.clone()}</h2>
                                                {own.then(|| view! { <p class="badge" data-testid="own-tier">{t!(i18n, tiers.yours)}</p> })}
                                                <dl>
                                                    <dt>{t!(i18n, tiers.threshold)}</dt>
                                                    <dd>{move || number(i18n.get_locale(), threshold)}</dd>
                                                    <dt>{t!(i18n, tiers.multiplier)}</dt>
                                                    <dd>{mult}</dd>
                                                    <dt>{t!(i18n, tiers.perks)}</dt>
                                                    <dd><ul class="perks">{t.perks.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul></dd>
                                                </dl>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || data.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// Runs two requests at once.
async fn futures_join<A, B>(
    a: impl std::future::Future<Output = A>,
    b: impl std::future::Future<Output = B>,
) -> (A, B) {
    futures::future::join(a, b).await
}
