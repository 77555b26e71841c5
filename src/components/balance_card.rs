//! The member's points, bucketed.

use leptos::prelude::*;
use patron_core::summary::BalanceBuckets;

use crate::components::stat::Stat;
use crate::format::number;
use crate::i18n::*;
use leptos_i18n::I18nContext;

/// Available points large, the other buckets beside them.
#[component]
pub fn BalanceCard(
    /// The buckets from the summary.
    balance: BalanceBuckets,
) -> impl IntoView {
    let i18n = use_i18n();
    let b = balance;
    let n = move |v: i64| Signal::derive(move || number(i18n.get_locale(), v));
    let l = |f: fn(I18nContext<Locale>) -> String| Signal::derive(move || f(i18n));
    view! {
        <section class="card balance-card" aria-labelledby="balance-heading">
            <h2 id="balance-heading">{t!(i18n, dash.balance_heading)}</h2>
            <p class="balance-main">
                <span class="balance-figure" data-testid="available-points">
                    {move || number(i18n.get_locale(), b.available)}
                </span>
                " "
                <span class="balance-unit">{t!(i18n, dash.points)}</span>
            </p>
            <p class="balance-caption">{t!(i18n, dash.available)}</p>
            <dl class="stats">
                <Stat
                    label=l(|i| t_string!(i, dash.pending).to_string())
                    value=n(b.pending)
                    testid="pending-points"
                />
                <Stat
                    label=l(|i| t_string!(i, dash.expiring).to_string())
                    value=n(b.expiring_soon)
                    testid="expiring-points"
                />
                <Stat
                    label=l(|i| t_string!(i, dash.lifetime).to_string())
                    value=n(b.lifetime_earned)
                    testid="lifetime-points"
                />
                <Stat label=l(|i| t_string!(i, dash.spent).to_string()) value=n(b.spent) testid="spent-points" />
                <Stat label=l(|i| t_string!(i, dash.expired).to_string()) value=n(b.expired) testid="expired-points" />
            </dl>
            <p class="hint">{t!(i18n, dash.pending_hint)}</p>
        </section>
    }
}
