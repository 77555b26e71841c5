//! `/referral`: the member's code and link, and who joined with it.

use leptos::prelude::*;
use patron_core::referral::ReferralStatus;

use crate::api;
use crate::components::copy_button::CopyButton;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::format::{date, number};
use crate::i18n::*;
use crate::state::session::Session;

/// Code and link to share (copyable), invitees with status and points.
#[component]
pub fn ReferralPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let data = LocalResource::new(api::account::referrals);
    view! {
        <div class="page referral">
            <h1>{t!(i18n, referral.title)}</h1>
            <Suspense fallback=|| view! { <Skeleton lines=4 /> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(r) => {
                            let l = move || i18n.get_locale();
                            let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
                            let link = format!("{origin}{}", r.link);
                            let bonus = r.bonus_points;
                            let earned = r.points_earned;
                            let tz = session.time_zone();
                            view! {
                                <section class="card">
                                    <p>{t!(i18n, referral.intro, points = move || number(l(), bonus))}</p>
                                    <dl class="share">
                                        <dt>{t!(i18n, referral.code)}</dt>
                                        <dd><code data-testid="referral-code">{r.code.clone()}</code>" "<CopyButton text=r.code.clone() /></dd>
                                        <dt>{t!(i18n, referral.link)}</dt>
                                        <dd><code class="wrap" data-testid="referral-link">{link.clone()}</code>" "<CopyButton text=link /></dd>
                                    </dl>
                                </section>
                                <section class="card">
                                    <p class="hint">{t!(i18n, referral.earned, points = move || number(l(), earned))}</p>
                                    {if r.referees.is_empty() {
                                        view! { <p class="empty">{t!(i18n, referral.none)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="plain-list" data-testid="referees">
                                                {r.referees.into_iter().map(|p| {
                                                    let tz = tz.clone();
                                                    let at = p.joined_at;
                                                    let pts = p.points_awarded;
                                                    view! {
                                                        <li>
                                                            <strong>{p.display_name.clone()}</strong>" · "
                                                            {match p.status {
                                                                ReferralStatus::Joined => view! { {t!(i18n, referral.status_joined)} }.into_any(),
                                                                ReferralStatus::Purchased => view! { {t!(i18n, referral.status_purchased)} }.into_any(),
                                                            }}
                                                            " · "{t!(i18n, referral.joined_on, date = move || date(l(), at, &tz))}
                                                            <span class="points positive">{move || format!("+{}", number(l(), pts))}</span>
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || data.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
