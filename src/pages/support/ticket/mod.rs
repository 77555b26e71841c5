//! `/support/tickets/:id`: one ticket for staff — the thread with internal
//! notes, triage with a version check, a reply box with canned replies, the
//! SLA clock, the history and the member's loyalty context.
//!
//! `thread` holds the head, the thread and the history; `member` the
//! member's context. Triage and the reply box are here.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use patron_core::feedback::TicketStatus;
use patron_core::support::{
    fill_placeholders, normalise_label, placeholder_values, shortcut_at_end, CannedReply, Priority,
    StaffTicket, TicketUpdate,
};

use crate::api::{self, ApiError};
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::skeleton::Skeleton;
use crate::i18n::*;
use crate::labels;
use crate::routes::Route;
use crate::state::session::Session;
use member::member_card;
use thread::{ticket_head, ticket_history, ticket_thread};

mod member;
mod thread;

/// What to say when a change failed: a version conflict in our words (the
/// server's are English only), anything else as usual.
pub fn change_error(i18n: leptos_i18n::I18nContext<Locale>, e: &ApiError) -> String {
    match e {
        ApiError::Conflict { .. } => t_string!(i18n, desk.changed_elsewhere).to_string(),
        other => error_text(i18n, other),
    }
}

/// The ticket page.
#[component]
pub fn SupportTicketPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let ticket = RwSignal::new(None::<StaffTicket>);
    let load = Action::new_local(|id: &i64| {
        let id = *id;
        async move { (id, api::support::ticket(id).await) }
    });
    Effect::new(move |_| {
        if let Some(id) = id.get() {
            // Another ticket: never show (or write to) the previous one.
            if ticket.with_untracked(|t| t.as_ref().is_some_and(|t| t.ticket.summary.id != id)) {
                ticket.set(None);
            }
            load.dispatch(id);
        }
    });
    Effect::new(move |_| {
        if let Some((for_id, Ok(t))) = load.value().get() {
            if Some(for_id) == id.get_untracked() {
                ticket.set(Some(t));
            }
        }
    });
    let error = Memo::new(move |_| match load.value().get() {
        Some((for_id, Err(e))) if Some(for_id) == id.get() => Some(e),
        _ => None,
    });
    let reload = move || {
        if let Some(id) = id.get_untracked() {
            load.dispatch(id);
        }
    };
    // Decided through a memo: saving or reloading the same ticket replaces
    // its data but never re-creates the view (which would drop a draft).
    let shown = Memo::new(move |_| ticket.with(|t| t.as_ref().map(|t| t.ticket.summary.id)));
    view! {
        <div class="page desk-ticket">
            <p class="back"><A href=Route::Support.href()>{t!(i18n, desk.back_to_queue)}</A></p>
            {move || match (shown.get(), error.get(), id.get()) {
                (_, _, None) => view! { <p class="form-error">{t!(i18n, desk.no_such_ticket)}</p> }.into_any(),
                (Some(_), _, _) => view! { <TicketView ticket=ticket on_reload=move || reload() /> }.into_any(),
                (None, Some(e), _) => view! { <ErrorPanel error=e on_retry=move || reload() /> }.into_any(),
                (None, None, _) => view! { <Skeleton lines=8 /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn TicketView(
    ticket: RwSignal<Option<StaffTicket>>,
    #[prop(into)] on_reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let agents = LocalResource::new(api::support::agents);

    // Triage: local choices, saved together with the version seen.
    let assignee = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let priority = RwSignal::new(String::new());
    let labels_text = RwSignal::new(String::new());
    let reset_triage = move || {
        let t = ticket.get_untracked().expect("loaded");
        assignee.set(t.assignee.map(|a| a.id.to_string()).unwrap_or_default());
        status.set(t.ticket.summary.status.as_str().into());
        priority.set(t.priority.as_str().into());
        labels_text.set(t.labels.join(", "));
    };
    reset_triage();
    let triage_error = RwSignal::new(None::<String>);
    let conflict = RwSignal::new(false);
    let saved = RwSignal::new(false);
    // A newer version (saved here or reloaded after a conflict) resets the form.
    Effect::new(move |prev: Option<i64>| {
        let v = ticket.with(|t| t.as_ref().map_or(0, |t| t.version));
        if prev.is_some_and(|p| p != v) {
            reset_triage();
            if conflict.get_untracked() {
                conflict.set(false);
                triage_error.set(None);
            }
        }
        v
    });
    let save_triage = Action::new_local(|(id, u): &(i64, TicketUpdate)| {
        let (id, u) = (*id, u.clone());
        async move { api::support::update(id, u).await }
    });
    Effect::new(move |_| match save_triage.value().get() {
        Some(Ok(updated)) => {
            ticket.set(Some(updated));
            reset_triage();
            triage_error.set(None);
            conflict.set(false);
            saved.set(true);
        }
        Some(Err(e)) => {
            conflict.set(matches!(e, ApiError::Conflict { .. }));
            triage_error.set(Some(change_error(i18n, &e)));
            saved.set(false);
        }
        None => {}
    });
    let submit_triage = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = ticket.get_untracked().expect("loaded");
        let mut labels = Vec::new();
        for l in labels_text
            .get_untracked()
            .split(',')
            .filter(|l| !l.trim().is_empty())
        {
            match normalise_label(l) {
                Ok(l) => labels.push(l),
                Err(m) => {
                    triage_error.set(Some(m.to_string()));
                    return;
                }
            }
        }
        let chosen: Option<i64> = assignee.get_untracked().parse().ok();
        let u = TicketUpdate {
            version: t.version,
            // Only a change is sent (a departed agent's tickets stay editable).
            assignee_id: (chosen != t.assignee.as_ref().map(|a| a.id)).then_some(chosen),
            status: TicketStatus::parse(&status.get_untracked()),
            priority: Priority::parse(&priority.get_untracked()),
            labels: Some(labels),
        };
        saved.set(false);
        save_triage.dispatch((t.ticket.summary.id, u));
    };

    // Reply box.
    let body = RwSignal::new(String::new());
    let internal = RwSignal::new(false);
    let canned = LocalResource::new(api::support::canned);
    let reply_error = RwSignal::new(None::<String>);
    let reply_conflict = RwSignal::new(false);
    let send = Action::new_local(
        |(id, body, internal, status, version): &(i64, String, bool, Option<TicketStatus>, i64)| {
            let (id, body, internal, status, version) =
                (*id, body.clone(), *internal, *status, *version);
            async move { api::support::reply(id, body, internal, status, version).await }
        },
    );
    Effect::new(move |_| match send.value().get() {
        Some(Ok(updated)) => {
            ticket.set(Some(updated));
            reset_triage();
            body.set(String::new());
            internal.set(false);
            reply_error.set(None);
            reply_conflict.set(false);
        }
        Some(Err(e)) => {
            reply_conflict.set(matches!(e, ApiError::Conflict { .. }));
            reply_error.set(Some(change_error(i18n, &e)));
        }
        None => {}
    });
    let do_send = move |s: Option<TicketStatus>| {
        let text = body.get_untracked();
        if text.trim().is_empty() {
            reply_error.set(Some(t_string!(i18n, desk.write_first).to_string()));
            return;
        }
        let t = ticket.get_untracked().expect("loaded");
        send.dispatch((
            t.ticket.summary.id,
            text,
            internal.get_untracked(),
            s,
            t.version,
        ));
    };
    let fill = move |c: &CannedReply| {
        let t = ticket.get_untracked().expect("loaded");
        let me = session.me().map(|m| m.name).unwrap_or_default();
        let tier = t.member.tier.clone().unwrap_or_default();
        let values = placeholder_values(&t.member.name, &me, &t.ticket.summary.reference, &tier);
        fill_placeholders(&c.body, &values)
    };
    // `/name` at the start of the last line offers matching canned replies.
    let suggestions = Memo::new(move |_| {
        let text = body.get();
        let Some((_, typed)) = shortcut_at_end(&text) else {
            return Vec::new();
        };
        canned
            .get()
            .and_then(Result::ok)
            .map(|list| {
                list.into_iter()
                    .filter(|c| c.shortcut.starts_with(&typed.to_lowercase()))
                    .take(6)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let insert = move |c: CannedReply| {
        let filled = fill(&c);
        body.update(|text| match shortcut_at_end(text) {
            Some((at, _)) => {
                text.truncate(at);
                text.push_str(&filled);
            }
            None => {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&filled);
            }
        });
    };

    view! {
        {ticket_head(ticket)}
        <div class="ticket-layout">
            <section class="ticket-main">
                {ticket_thread(ticket)}
                <form class="reply card" on:submit=move |ev| { ev.prevent_default(); do_send(None); }>
                    <label class="field">
                        <span>{move || if internal.get() { t_string!(i18n, desk.note_label).to_string() } else { t_string!(i18n, desk.reply_label).to_string() }}</span>
                        <textarea
                            rows="6"
                            data-testid="reply-body"
                            class:note-input=move || internal.get()
                            prop:value=move || body.get()
                            on:input=move |ev| body.set(event_target_value(&ev))
                            on:keydown=move |ev| {
                                let s = suggestions.get_untracked();
                                if (ev.key() == "Tab" || ev.key() == "Enter") && !s.is_empty() {
                                    ev.prevent_default();
                                    insert(s[0].clone());
                                }
                            }
                            aria-describedby="reply-hint"
                        ></textarea>
                    </label>
                    <p class="hint" id="reply-hint">{t!(i18n, desk.canned_hint)}</p>
                    {move || {
                        let s = suggestions.get();
                        (!s.is_empty()).then(|| view! {
                            <ul class="suggestions card" data-testid="canned-suggestions" aria-label=move || t_string!(i18n, desk.canned).to_string()>
                                {s.into_iter().map(|c| {
                                    let c2 = c.clone();
                                    view! {
                                        <li><button type="button" class="link-button" on:click=move |_| insert(c2.clone())>
                                            <code>{format!("/{}", c.shortcut)}</code>" "{c.title.clone()}
                                        </button></li>
                                    }
                                }).collect_view()}
                            </ul>
                        })
                    }}
                    <div class="reply-tools">
                        <label class="field inline">
                            <span>{t!(i18n, desk.canned)}</span>
                            <select data-testid="canned-select" on:change=move |ev| {
                                let id: Option<i64> = event_target_value(&ev).parse().ok();
                                if let Some(c) = id.and_then(|id| canned.get_untracked().and_then(Result::ok).and_then(|l| l.into_iter().find(|c| c.id == id))) {
                                    insert(c);
                                }
                            } prop:value="">
                                <option value="">"…"</option>
                                {move || canned.get().and_then(Result::ok).map(|l| l.into_iter().map(|c| view! {
                                    <option value=c.id.to_string()>{format!("/{} — {}", c.shortcut, c.title)}</option>
                                }).collect_view())}
                            </select>
                        </label>
                        <label class="check">
                            <input type="checkbox" data-testid="internal-toggle" prop:checked=move || internal.get() on:change=move |ev| internal.set(event_target_checked(&ev)) />
                            {t!(i18n, desk.internal_toggle)}
                        </label>
                    </div>
                    {move || reply_error.get().map(|e| view! {
                        <p class="form-error" role="alert" data-testid="reply-error">{e}
                            {reply_conflict.get().then(|| view! { " "<button type="button" class="btn btn-small" on:click=move |_| on_reload.run(())>{t!(i18n, desk.reload)}</button> })}
                        </p>
                    })}
                    <div class="reply-actions">
                        {move || if internal.get() {
                            view! { <button class="btn btn-primary" type="submit" disabled=move || send.pending().get()>{t!(i18n, desk.add_note)}</button> }.into_any()
                        } else {
                            view! {
                                <button class="btn btn-primary" type="submit" disabled=move || send.pending().get()>{t!(i18n, desk.send)}</button>
                                <button class="btn" type="button" disabled=move || send.pending().get() on:click=move |_| do_send(Some(TicketStatus::Waiting))>{t!(i18n, desk.send_wait)}</button>
                                <button class="btn" type="button" disabled=move || send.pending().get() on:click=move |_| do_send(Some(TicketStatus::Resolved))>{t!(i18n, desk.send_resolve)}</button>
                            }.into_any()
                        }}
                    </div>
                </form>
            </section>
            <aside class="ticket-side">
                <form class="triage card" on:submit=submit_triage aria-label=move || t_string!(i18n, desk.triage).to_string()>
                    <h2>{t!(i18n, desk.triage)}</h2>
                    <label class="field">
                        <span>{t!(i18n, desk.assignee)}</span>
                        <select data-testid="triage-assignee" prop:value=move || assignee.get() on:change=move |ev| assignee.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, desk.unassigned)}</option>
                            {move || agents.get().and_then(Result::ok).map(|l| l.into_iter().map(|a| view! {
                                <option value=a.id.to_string() selected=assignee.get_untracked() == a.id.to_string()>{a.name}</option>
                            }).collect_view())}
                        </select>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, desk.status)}</span>
                        <select data-testid="triage-status" prop:value=move || status.get() on:change=move |ev| status.set(event_target_value(&ev))>
                            {TicketStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || labels::status(i18n, s)}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, desk.priority)}</span>
                        <select data-testid="triage-priority" prop:value=move || priority.get() on:change=move |ev| priority.set(event_target_value(&ev))>
                            {Priority::ALL.into_iter().rev().map(|p| view! { <option value=p.as_str()>{move || labels::priority(i18n, p)}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, desk.labels)}</span>
                        <input type="text" data-testid="triage-labels" prop:value=move || labels_text.get() on:input=move |ev| labels_text.set(event_target_value(&ev)) />
                    </label>
                    {move || triage_error.get().map(|e| view! {
                        <p class="form-error" role="alert" data-testid="triage-error">{e}
                            {conflict.get().then(|| view! { " "<button type="button" class="btn btn-small" on:click=move |_| on_reload.run(())>{t!(i18n, desk.reload)}</button> })}
                        </p>
                    })}
                    {move || saved.get().then(|| view! { <p class="notice" role="status" data-testid="triage-saved">{t!(i18n, desk.saved)}</p> })}
                    <button class="btn btn-primary" type="submit" disabled=move || save_triage.pending().get()>{t!(i18n, desk.save)}</button>
                </form>
                {member_card(ticket)}
                {ticket_history(ticket)}
            </aside>
        </div>
    }
}
