//! `/wallet`: redeemed rewards with their voucher codes.

use leptos::prelude::*;
use patron_core::rewards::RedemptionStatus;

use crate::api;
use crate::components::copy_button::CopyButton;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::format::{date, number};
use crate::i18n::*;
use crate::state::session::Session;

/// Vouchers, newest first: code (copyable), status, expiry.
#[component]
pub fn WalletPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let list = LocalResource::new(api::member::redemptions);
    view! {
        <div class="page wallet">
            <h1>{t!(i18n, wallet.title)}</h1>
            <Suspense fallback=|| view! { <Skeleton lines=5 /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(w) if w.items.is_empty() => {
                            view! { <p class="empty card" data-testid="wallet-empty">{t!(i18n, wallet.empty)}</p> }.into_any()
                        }
                        Ok(w) => {
                            let tz = session.time_zone();
                            view! {
                                <ul class="voucher-list">
                                    {w.items.into_iter().map(|v| {
                                        let l = move || i18n.get_locale();
                                        let tz1 = tz.clone();
                                        let tz2 = tz.clone();
                                        let created = v.created_at;
                                        let points = v.points;
                                        let status = match v.status {
                                            RedemptionStatus::Issued => t_string!(i18n, wallet.status_issued).to_string(),
                                            RedemptionStatus::Used => t_string!(i18n, wallet.status_used).to_string(),
                                            RedemptionStatus::Expired => t_string!(i18n, wallet.status_expired).to_string(),
                                            RedemptionStatus::Cancelled => t_string!(i18n, wallet.status_cancelled).to_string(),
                                        };
                                        let usable = v.status == RedemptionStatus::Issued;
                                        view! {
                                            <li class="card voucher" class:inactive=!usable data-testid="voucher">
                                                <h2>{v.reward_name.clone()}</h2>
                                                <p class="voucher-code">
                                                    <span class="visually-hidden">{t!(i18n, wallet.code)}</span>
                                                    <code data-testid="voucher-code">{v.code.clone()}</code>
                                                    " "
                                                    {usable.then(|| view! { <CopyButton text=v.code.clone() /> })}
                                                </p>
                                                <p class="badge" data-testid="voucher-status">{status}</p>
                                                <p class="hint">
                                                    {t!(i18n, wallet.redeemed_on, date = move || date(l(), created, &tz1), points = move || number(l(), points))}
                                                </p>
                                                {v.expires_at.filter(|_| usable).map(|x| view! {
                                                    <p class="hint">{t!(i18n, wallet.valid_until, date = move || date(l(), x, &tz2))}</p>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || list.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
