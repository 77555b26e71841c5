//! `/tickets` and `/tickets/:id`: the member's complaints and suggestions.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use patron_core::feedback::{Ticket, TicketStatus};

use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::format::date;
use crate::i18n::*;
use crate::routes::{ticket_href, Route};
use crate::state::session::Session;
use leptos_i18n::I18nContext;

fn status_label(i18n: I18nContext<Locale>, s: TicketStatus) -> String {
    match s {
        TicketStatus::New => t_string!(i18n, tickets.status_new).to_string(),
        TicketStatus::Open => t_string!(i18n, tickets.status_open).to_string(),
        TicketStatus::Waiting => t_string!(i18n, tickets.status_waiting).to_string(),
        TicketStatus::Resolved => t_string!(i18n, tickets.status_resolved).to_string(),
        TicketStatus::Closed => t_string!(i18n, tickets.status_closed).to_string(),
    }
}

/// The list, newest activity first.
#[component]
pub fn TicketsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let list = LocalResource::new(api::feedback::tickets);
    view! {
        <div class="page tickets">
            <h1>{t!(i18n, tickets.title)}</h1>
            <Suspense fallback=|| view! { <Skeleton lines=4 /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(l) if l.items.is_empty() => view! {
                            <p class="empty card">{t!(i18n, tickets.empty)}" "<A href=Route::Feedback.href()>{t!(i18n, nav.feedback)}</A></p>
                        }.into_any(),
                        Ok(l) => {
                            let tz = session.time_zone();
                            view! {
                                <ul class="plain-list card" data-testid="ticket-list">
                                    {l.items.into_iter().map(|t| {
                                        let tz = tz.clone();
                                        let at = t.updated_at;
                                        let status = t.status;
                                        view! {
                                            <li class="ticket-row">
                                                <A href=ticket_href(t.id)>{t.subject.clone()}</A>
                                                <span class="badge" data-testid="ticket-status">{move || status_label(i18n, status)}</span>
                                                <span class="hint">{t.reference.clone()}" · "{t!(i18n, tickets.updated, date = move || date(i18n.get_locale(), at, &tz))}</span>
                                                {t.awaiting_csat.then(|| view! { <span class="badge badge-accent">"★"</span> })}
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

/// One ticket: the thread, a reply box, and the rating prompt once resolved.
#[component]
pub fn TicketPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .get()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let ticket = LocalResource::new(move || api::feedback::ticket(id.get()));
    let current = RwSignal::new(None::<Ticket>);
    let reply_text = RwSignal::new(String::new());
    let reply =
        Action::new_local(|(id, body): &(i64, String)| api::feedback::reply(*id, body.clone()));
    let rate = Action::new_local(|(id, score): &(i64, i64)| api::feedback::rate(*id, *score));
    Effect::new(move |_| {
        if let Some(Ok(t)) = reply.value().get() {
            reply_text.set(String::new());
            current.set(Some(t));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(t)) = rate.value().get() {
            current.set(Some(t));
        }
    });
    view! {
        <div class="page ticket">
            <p><A href=Route::Tickets.href()>{t!(i18n, tickets.back)}</A></p>
            <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
                {move || Suspend::new(async move {
                    match ticket.await {
                        Ok(t) => view! { <TicketView initial=t current reply_text reply rate /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || ticket.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn TicketView(
    initial: Ticket,
    current: RwSignal<Option<Ticket>>,
    reply_text: RwSignal<String>,
    reply: Action<(i64, String), Result<Ticket, ApiError>>,
    rate: Action<(i64, i64), Result<Ticket, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let id = initial.summary.id;
    current.set(Some(initial.clone()));
    let t = move || current.get().unwrap_or_else(|| initial.clone());
    let tz = session.time_zone();
    let err = move |e: ApiError| match e {
        ApiError::Network { .. } => format!(
            "{} {}",
            t_string!(i18n, errors.network_title),
            t_string!(i18n, errors.network_body)
        ),
        other => other
            .field("body")
            .unwrap_or_else(|| other.message().to_string()),
    };
    view! {
        {move || {
            let t = t();
            let status = t.summary.status;
            let tz = tz.clone();
            view! {
                <h1>{t.summary.subject.clone()}</h1>
                <p class="hint">
                    {t.summary.reference.clone()}" · "
                    <span class="badge" data-testid="ticket-status">{move || status_label(i18n, status)}</span>
                </p>
                <ol class="thread" data-testid="thread">
                    {t.messages.into_iter().map(|m| {
                        let tz = tz.clone();
                        let at = m.created_at;
                        view! {
                            <li class="message" class:from-staff=m.from_staff>
                                <p class="message-meta">
                                    <strong>{if m.from_staff { m.author_name.clone() } else { t_string!(i18n, tickets.you).to_string() }}</strong>
                                    " · "{move || date(i18n.get_locale(), at, &tz)}
                                </p>
                                <p class="message-body">{m.body.clone()}</p>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                {match (t.summary.awaiting_csat, t.csat_score) {
                    (true, _) => Some(view! {
                        <section class="card" data-testid="csat-prompt">
                            <p>{t!(i18n, tickets.rate_prompt)}</p>
                            <div class="scale">
                                {(1..=5).map(|n| view! {
                                    <button type="button" class="btn" disabled=move || rate.pending().get()
                                        aria-label=move || format!("{n} / 5")
                                        on:click=move |_| { rate.dispatch((id, n)); }>{n}</button>
                                }).collect_view()}
                            </div>
                        </section>
                    }.into_any()),
                    (false, Some(score)) => Some(view! { <p class="notice" data-testid="csat-done">{t!(i18n, tickets.rated, score = move || score)}</p> }.into_any()),
                    _ => None,
                }}
                {if status == TicketStatus::Closed {
                    view! { <p class="hint">{t!(i18n, tickets.closed)}</p> }.into_any()
                } else {
                    view! {
                        <form class="card form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            reply.dispatch((id, reply_text.get_untracked()));
                        }>
                            {move || reply.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{err(e)}</p> })}
                            <div class="field">
                                <label for="reply">{t!(i18n, tickets.reply)}</label>
                                <textarea id="reply" rows="4" bind:value=reply_text></textarea>
                            </div>
                            <button type="submit" class="btn btn-primary" disabled=move || reply.pending().get()>{t!(i18n, common.send)}</button>
                        </form>
                    }.into_any()
                }}
            }
        }}
    }
}
