//! The member behind a ticket, as support needs them: tier, balance,
//! spend, habits, contact, recent orders and other tickets.

use leptos::prelude::*;
use leptos_router::components::A;
use patron_core::support::StaffTicket;

use crate::format::{date, money_minor, number};
use crate::i18n::*;
use crate::labels;
use crate::routes::support_ticket_href;
use crate::state::session::Session;

/// The member's loyalty context, beside the ticket.
pub(super) fn member_card(ticket: RwSignal<Option<StaffTicket>>) -> impl IntoView {
    let i18n = use_i18n();
    let tz3 = Session::expect().time_zone();
    let tz4 = tz3.clone();
    let t = move || ticket.get().expect("loaded");
    let l = move || i18n.get_locale();
    view! {
        <section class="member-context card" data-testid="member-context" aria-labelledby="member-h">
            <h2 id="member-h">{move || t().member.name}{move || t().member.vip.then(|| view! { " "<span class="badge vip">"VIP"</span> })}</h2>
            <dl class="facts">
                <dt>{t!(i18n, desk.tier)}</dt><dd data-testid="context-tier">{move || t().member.tier.unwrap_or_else(|| "—".into())}</dd>
                <dt>{t!(i18n, desk.balance)}</dt><dd data-testid="context-balance">{move || number(l(), t().member.balance)}</dd>
                <dt>{t!(i18n, desk.lifetime)}</dt><dd>{move || money_minor(l(), t().member.lifetime_spend_minor, &t().member.currency)}" · "{move || number(l(), t().member.purchases)}" "{t!(i18n, desk.orders)}</dd>
                <dt>{t!(i18n, desk.last_purchase)}</dt>
                <dd>{move || { let tz = tz3.clone(); t().member.last_purchase_at.map(|d| date(l(), d, &tz)).unwrap_or_else(|| "—".into()) }}
                    {move || t().member.usual_gap_days.map(|g| format!(" · {}", t_string!(i18n, desk.usual_gap).to_string().replace("{n}", &g.to_string())))}
                </dd>
                <dt>{t!(i18n, desk.member_since)}</dt><dd>{move || { let tz = tz4.clone(); date(l(), t().member.joined_at, &tz) }}</dd>
                <dt>{t!(i18n, desk.contact)}</dt><dd>{move || t().member.email}" · "{move || t().member.card_number}</dd>
            </dl>
            <h3>{t!(i18n, desk.recent_orders)}</h3>
            <ul class="plain-list small">
                {move || {
                    let m = t().member;
                    let currency = m.currency.clone();
                    m.recent_orders.into_iter().map(|o| view! {
                        <li>{o.order_ref}" · "{money_minor(i18n.get_locale(), o.amount_minor, &currency)}" · "{o.category}</li>
                    }).collect_view()
                }}
            </ul>
            <h3>{t!(i18n, desk.other_tickets)}</h3>
            {move || {
                let others = t().member.other_tickets;
                if others.is_empty() {
                    view! { <p class="muted">{t!(i18n, desk.none)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list small">
                            {others.into_iter().map(|o| view! {
                                <li><A href=support_ticket_href(o.id)>{o.reference.clone()}" "{o.subject.clone()}</A>" · "{labels::status(i18n, o.status)}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}
