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
    let email = RwSignal::new(String::new());
    let invite = Action::new_local(|e: &String| api::account::invite(e.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = invite.value().get() {
            email.set(String::new());
            data.refetch();
        }
    });
    let invite_error = Memo::new(move |_| invite.value().get().and_then(|r| r.err()));
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
                                <form class="card form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                                    ev.prevent_default();
                                    invite.dispatch(email.get_untracked());
                                }>
                                    <h2>{t!(i18n, referral.invite_title)}</h2>
                                    {move || matches!(invite.value().get(), Some(Ok(_))).then(|| view! { <p class="notice" role="status">{t!(i18n, referral.invited)}</p> })}
                                    <div class="field">
                                        <label for="invite-email">{t!(i18n, referral.invite_email)}</label>
                                        <input id="invite-email" type="email" autocomplete="off" bind:value=email aria-describedby="invite-err" />
                                        <p id="invite-err" class="field-error">
                                            {move || invite_error.get().map(|e| e.field("email").unwrap_or_else(|| e.message().to_string()))}
                                        </p>
                                    </div>
                                    <button type="submit" class="btn" disabled=move || invite.pending().get()>{t!(i18n, referral.invite)}</button>
                                </form>
                                <section class="card">
                                    <p class="hint">{t!(i18n, referral.earned, points = move || number(l(), earned))}</p>
                                    {if r.referees.is_empty() {
                                        view! { <p class="empty">{t!(i18n, referral.none)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="plain-list" data-testid="referees">
                                                {r.referees.into_iter().map(|p| {
                                                    let tz = tz.clone();
                                                    let at = p.since;
                                                    let pts = p.points_awarded;
                                                    view! {
                                                        <li>
                                                            <strong>{p.display_name.clone()}</strong>" · "
                                                            {match p.status {
                                                                ReferralStatus::Invited => view! { {t!(i18n, referral.status_invited)} }.into_any(),
                                                                ReferralStatus::Joined => view! { {t!(i18n, referral.status_joined)} }.into_any(),
                                                                ReferralStatus::Purchased => view! { {t!(i18n, referral.status_purchased)} }.into_any(),
                                                            }}
                                                            " · "{t!(i18n, referral.since, date = move || date(l(), at, &tz))}
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
