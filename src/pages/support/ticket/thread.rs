//! What a ticket is and what happened on it: the head (subject, badges,
//! the SLA clock), the thread with internal notes, and the history.

use leptos::prelude::*;
use patron_core::support::StaffTicket;

use crate::format::{date, date_time};
use crate::i18n::*;
use crate::labels;
use crate::state::session::Session;

fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Subject, reference, and the status, priority, SLA, assignee and label badges.
pub(super) fn ticket_head(ticket: RwSignal<Option<StaffTicket>>) -> impl IntoView {
    let i18n = use_i18n();
    let tz1 = Session::expect().time_zone();
    let t = move || ticket.get().expect("loaded");
    let l = move || i18n.get_locale();
    let sla_line = move || {
        let t = t();
        labels::sla_clock(
            i18n,
            t.sla.state,
            t.sla.due_at,
            now_secs(),
            t_string!(i18n, desk.sla_stopped),
        )
    };
    view! {
        <header class="ticket-head">
            <h1 data-testid="ticket-subject">{move || t().ticket.summary.subject}</h1>
            <p class="hint">
                {move || t().ticket.summary.reference}" · "{move || labels::kind(i18n, t().ticket.summary.kind)}
                {move || t().score.map(|s| format!(" · {s}"))}
                " · "{move || date(l(), t().ticket.summary.created_at, &tz1)}
            </p>
            <p class="ticket-badges">
                <span class="badge status" data-testid="staff-ticket-status">{move || labels::status(i18n, t().ticket.summary.status)}</span>
                <span class=move || format!("badge priority priority-{}", t().priority.as_str()) data-testid="ticket-priority">{move || labels::priority(i18n, t().priority)}</span>
                <span class=move || format!("badge sla sla-{}", t().sla.state.as_str()) data-testid="ticket-sla">{sla_line}</span>
                {move || t().assignee.map(|a| view! { <span class="badge" data-testid="ticket-assignee">{a.name}</span> })}
                {move || t().labels.into_iter().map(|l| view! { <span class="badge label">{l}</span> }).collect_view()}
            </p>
        </header>
    }
}

/// The ticket's facts and its messages, internal notes marked.
pub(super) fn ticket_thread(ticket: RwSignal<Option<StaffTicket>>) -> impl IntoView {
    let i18n = use_i18n();
    let tz2 = Session::expect().time_zone();
    let t = move || ticket.get().expect("loaded");
    view! {
        {move || {
            let tt = t().ticket;
            (tt.category.is_some() || tt.desired_resolution.is_some() || tt.order_ref.is_some()).then(|| view! {
                <dl class="facts card">
                    {tt.category.map(|c| view! { <dt>{t!(i18n, desk.category)}</dt><dd>{c}</dd> })}
                    {tt.order_ref.map(|c| view! { <dt>{t!(i18n, desk.order)}</dt><dd>{c}</dd> })}
                    {tt.desired_resolution.map(|c| view! { <dt>{t!(i18n, desk.wants)}</dt><dd>{c}</dd> })}
                    {tt.csat_score.map(|c| view! { <dt>{t!(i18n, desk.member_rating)}</dt><dd data-testid="ticket-csat">{format!("{c} / 5")}</dd> })}
                </dl>
            })
        }}
        <ol class="thread card" data-testid="staff-thread" aria-label=move || t_string!(i18n, desk.thread).to_string()>
            {move || {
                let tz = tz2.clone();
                t().ticket.messages.into_iter().map(|m| {
                    let class = if m.internal { "message note" } else if m.from_staff { "message staff" } else { "message member" };
                    let tz = tz.clone();
                    view! {
                        <li class=class data-testid=if m.internal { "note" } else { "message" }>
                            <p class="message-meta">
                                <strong>{m.author_name.clone()}</strong>
                                {m.internal.then(|| view! { " · "<span class="note-label">{t!(i18n, desk.internal_note)}</span> })}
                                " · "{date_time(i18n.get_locale(), m.created_at, &tz)}
                            </p>
                            <p class="message-body">{m.body.clone()}</p>
                        </li>
                    }
                }).collect_view()
            }}
        </ol>
    }
}

/// Who did what to the ticket, and when.
pub(super) fn ticket_history(ticket: RwSignal<Option<StaffTicket>>) -> impl IntoView {
    let i18n = use_i18n();
    let tz = Session::expect().time_zone();
    let t = move || ticket.get().expect("loaded");
    view! {
        <section class="history card" aria-labelledby="history-h">
            <h2 id="history-h">{t!(i18n, desk.history)}</h2>
            <ol class="plain-list small" data-testid="ticket-history">
                {move || {
                    let tz = tz.clone();
                    t().history.into_iter().map(|e| {
                        let what = labels::event(i18n, &e.action, e.from.as_deref(), e.to.as_deref());
                        view! {
                            <li>{e.actor.clone().unwrap_or_else(|| t_string!(i18n, desk.system).to_string())}" · "{what}" · "
                                <span class="hint">{date_time(i18n.get_locale(), e.at, &tz)}</span></li>
                        }
                    }).collect_view()
                }}
            </ol>
        </section>
    }
}
