//! `/support/settings`: the SLA policy and canned replies. Admins edit;
//! support agents read (the server enforces it either way).

use leptos::prelude::*;
use patron_core::auth::Role;
use patron_core::support::{BusinessHours, CannedReply, CannedReplyInput, Priority, SlaPolicy};

use crate::api::{self, ApiError};
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::skeleton::Skeleton;
use crate::i18n::*;
use crate::labels;
use crate::pages::support::desk_header::DeskHeader;
use crate::state::session::Session;

/// The settings page.
#[component]
pub fn SupportSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let admin = session.role() == Some(Role::Admin);
    let policy = LocalResource::new(api::support::sla_policy);
    let canned = LocalResource::new(api::support::canned);
    let tiers = LocalResource::new(api::member::tiers);
    view! {
        <div class="page desk-settings">
            <DeskHeader />
            {(!admin).then(|| view! { <p class="notice notice-warn">{t!(i18n, desk.read_only)}</p> })}
            <section class="card" aria-labelledby="policy-h">
                <h2 id="policy-h">{t!(i18n, desk.sla_policy)}</h2>
                <Suspense fallback=|| view! { <Skeleton lines=5 /> }>
                    {move || Suspend::new(async move {
                        match policy.await {
                            Ok(p) => view! { <PolicyForm policy=p admin=admin tiers=tiers /> }.into_any(),
                            Err(e) => view! { <ErrorPanel error=e on_retry=move || policy.refetch() /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <section class="card" aria-labelledby="canned-h">
                <h2 id="canned-h">{t!(i18n, desk.canned)}</h2>
                <p class="hint">{t!(i18n, desk.placeholders)}" "<code>"{{member_name}} {{member_first_name}} {{agent_name}} {{reference}} {{tier}}"</code></p>
                <Suspense fallback=|| view! { <Skeleton lines=4 /> }>
                    {move || Suspend::new(async move {
                        match canned.await {
                            Ok(list) => view! {
                                <ul class="plain-list canned-list" data-testid="canned-list">
                                    {list.into_iter().map(|c| view! { <CannedEditor reply=Some(c) admin=admin on_saved=move || canned.refetch() /> }).collect_view()}
                                </ul>
                                {admin.then(|| view! {
                                    <h3>{t!(i18n, desk.canned_new)}</h3>
                                    <CannedEditor reply=None admin=admin on_saved=move || canned.refetch() />
                                })}
                            }.into_any(),
                            Err(e) => view! { <ErrorPanel error=e on_retry=move || canned.refetch() /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </div>
    }
}

#[component]
fn PolicyForm(
    policy: SlaPolicy,
    admin: bool,
    tiers: LocalResource<Result<patron_core::programme::TierList, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(policy);
    let result = RwSignal::new(None::<Result<(), ApiError>>);
    let save = Action::new_local(|p: &SlaPolicy| {
        let p = p.clone();
        async move { api::support::set_sla_policy(p).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(p)) => {
            draft.set(p);
            result.set(Some(Ok(())));
        }
        Some(Err(e)) => result.set(Some(Err(e))),
        None => {}
    });
    let field_error = move |name: String| {
        result.with(|r| match r {
            Some(Err(e)) => e.field(&name),
            _ => None,
        })
    };
    let minutes_input = move |p: Priority, first: bool| {
        let name = format!("targets.{}", p.as_str());
        view! {
            <input type="number" min="1" step="1" disabled=!admin
                aria-label=move || format!("{}: {}", labels::priority(i18n, p),
                    if first { t_string!(i18n, desk.first_response_minutes) } else { t_string!(i18n, desk.resolution_minutes) })
                data-testid=format!("sla-{}-{}", p.as_str(), if first { "first" } else { "resolve" })
                aria-invalid=move || field_error(name.clone()).is_some().to_string()
                prop:value=move || draft.with(|d| { let t = d.target(p); if first { t.first_response_minutes } else { t.resolution_minutes } }.to_string())
                on:change=move |ev| {
                    let v: i64 = event_target_value(&ev).parse().unwrap_or(0);
                    draft.update(|d| {
                        if let Some(t) = d.targets.iter_mut().find(|t| t.priority == p) {
                            if first { t.first_response_minutes = v } else { t.resolution_minutes = v }
                        }
                    });
                } />
        }
    };
    view! {
        <form class="form" on:submit=move |ev| { ev.prevent_default(); if admin { save.dispatch(draft.get_untracked()); } }>
            <table class="table">
                <thead><tr>
                    <th scope="col">{t!(i18n, desk.priority)}</th>
                    <th scope="col">{t!(i18n, desk.first_response_minutes)}</th>
                    <th scope="col">{t!(i18n, desk.resolution_minutes)}</th>
                </tr></thead>
                <tbody>
                    {Priority::ALL.into_iter().rev().map(|p| view! {
                        <tr>
                            <th scope="row">{move || labels::priority(i18n, p)}</th>
                            <td>{minutes_input(p, true)}</td>
                            <td>{minutes_input(p, false)}
                                {move || field_error(format!("targets.{}", p.as_str())).map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="field-row">
                <label class="field"><span>{t!(i18n, desk.due_soon_minutes)}</span>
                    <input type="number" min="0" disabled=!admin prop:value=move || draft.with(|d| d.due_soon_minutes.to_string())
                        on:change=move |ev| draft.update(|d| d.due_soon_minutes = event_target_value(&ev).parse().unwrap_or(0)) />
                    {move || field_error("due_soon_minutes".into()).map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                </label>
                <label class="field"><span>{t!(i18n, desk.vip_tier)}</span>
                    <select disabled=!admin prop:value=move || draft.with(|d| d.vip_min_rank.map(|r| r.to_string()).unwrap_or_default())
                        on:change=move |ev| draft.update(|d| d.vip_min_rank = event_target_value(&ev).parse().ok())>
                        <option value="">{t!(i18n, desk.no_vip)}</option>
                        {move || tiers.get().and_then(Result::ok).map(|l| l.tiers.into_iter().enumerate().map(|(rank, t)| view! {
                            <option value=rank.to_string() selected=draft.with_untracked(|d| d.vip_min_rank == Some(rank as i64))>{t.tier.name}</option>
                        }).collect_view())}
                    </select>
                </label>
                <label class="field"><span>{t!(i18n, desk.vip_priority)}</span>
                    <select disabled=!admin prop:value=move || draft.with(|d| d.vip_priority.as_str().to_string())
                        on:change=move |ev| draft.update(|d| d.vip_priority = Priority::parse(&event_target_value(&ev)).unwrap_or(Priority::High))>
                        {Priority::ALL.into_iter().rev().map(|p| view! { <option value=p.as_str()>{move || labels::priority(i18n, p)}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <fieldset class="business-hours">
                <legend>{t!(i18n, desk.business_hours)}</legend>
                <label class="check">
                    <input type="checkbox" disabled=!admin data-testid="bh-on"
                        prop:checked=move || draft.with(|d| d.business_hours.is_some())
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            draft.update(|d| d.business_hours = on.then(|| BusinessHours { start_minute: 540, end_minute: 1_080, days: vec![1, 2, 3, 4, 5] }));
                        } />
                    {t!(i18n, desk.business_hours_only)}
                </label>
                {move || draft.with(|d| d.business_hours.clone()).map(|h| {
                    let hhmm = |m: i64| format!("{:02}:{:02}", m / 60, m % 60);
                    let parse = |v: &str| v.split_once(':').and_then(|(h, m)| Some(h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?));
                    view! {
                        <div class="field-row">
                            <label class="field"><span>{t!(i18n, desk.opens)}</span>
                                <input type="time" disabled=!admin value=hhmm(h.start_minute)
                                    on:change=move |ev| { if let Some(m) = parse(&event_target_value(&ev)) { draft.update(|d| if let Some(b) = d.business_hours.as_mut() { b.start_minute = m }) } } /></label>
                            <label class="field"><span>{t!(i18n, desk.closes)}</span>
                                <input type="time" disabled=!admin value=hhmm(h.end_minute)
                                    on:change=move |ev| { if let Some(m) = parse(&event_target_value(&ev)) { draft.update(|d| if let Some(b) = d.business_hours.as_mut() { b.end_minute = if m == 0 { 1_440 } else { m } }) } } /></label>
                        </div>
                        <div class="days" role="group" aria-label=move || t_string!(i18n, desk.open_days).to_string()>
                            {(1u8..=7).map(|day| {
                                let name = match day {
                                    1 => t_string!(i18n, desk.mon), 2 => t_string!(i18n, desk.tue), 3 => t_string!(i18n, desk.wed),
                                    4 => t_string!(i18n, desk.thu), 5 => t_string!(i18n, desk.fri), 6 => t_string!(i18n, desk.sat),
                                    _ => t_string!(i18n, desk.sun),
                                }.to_string();
                                view! {
                                    <label class="check">
                                        <input type="checkbox" disabled=!admin prop:checked=h.days.contains(&day)
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                draft.update(|d| if let Some(b) = d.business_hours.as_mut() {
                                                    b.days.retain(|x| *x != day);
                                                    if on { b.days.push(day); b.days.sort_unstable(); }
                                                });
                                            } />
                                        {name}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                    }
                })}
                {move || field_error("business_hours".into()).map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </fieldset>
            {move || match result.get() {
                Some(Ok(())) => Some(view! { <p class="notice" role="status" data-testid="policy-saved">{t!(i18n, desk.saved)}</p> }.into_any()),
                Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any()),
                None => None,
            }}
            {admin.then(|| view! { <button class="btn btn-primary" type="submit" disabled=move || save.pending().get()>{t!(i18n, desk.save)}</button> })}
        </form>
    }
}

#[component]
fn CannedEditor(
    reply: Option<CannedReply>,
    admin: bool,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = reply.as_ref().map(|r| r.id);
    let shortcut = RwSignal::new(
        reply
            .as_ref()
            .map(|r| r.shortcut.clone())
            .unwrap_or_default(),
    );
    let title = RwSignal::new(reply.as_ref().map(|r| r.title.clone()).unwrap_or_default());
    let body = RwSignal::new(reply.as_ref().map(|r| r.body.clone()).unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(move |input: &CannedReplyInput| {
        let input = input.clone();
        async move { api::support::save_canned(id, input).await.map(|_| ()) }
    });
    let remove = Action::new_local(move |_: &()| async move {
        match id {
            Some(id) => api::support::delete_canned(id).await,
            None => Ok(()),
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            error.set(None);
            if id.is_none() {
                shortcut.set(String::new());
                title.set(String::new());
                body.set(String::new());
            }
            on_saved.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => on_saved.run(()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let fe = move |name: &'static str| error.with(|e| e.as_ref().and_then(|e| e.field(name)));
    view! {
        <li class="canned-item">
            <form class="form" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(CannedReplyInput { shortcut: shortcut.get_untracked(), title: title.get_untracked(), body: body.get_untracked() });
            }>
                <div class="field-row">
                    <label class="field"><span>{t!(i18n, desk.shortcut)}</span>
                        <input type="text" disabled=!admin prop:value=move || shortcut.get() on:input=move |ev| shortcut.set(event_target_value(&ev))
                            aria-invalid=move || fe("shortcut").is_some().to_string() />
                        <p class="field-error">{move || fe("shortcut")}</p>
                    </label>
                    <label class="field"><span>{t!(i18n, desk.canned_title)}</span>
                        <input type="text" disabled=!admin prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))
                            aria-invalid=move || fe("title").is_some().to_string() />
                        <p class="field-error">{move || fe("title")}</p>
                    </label>
                </div>
                <label class="field"><span>{t!(i18n, desk.canned_body)}</span>
                    <textarea rows="4" disabled=!admin prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                    <p class="field-error">{move || fe("body")}</p>
                </label>
                {move || error.get().filter(|e| e.field("shortcut").is_none() && e.field("title").is_none() && e.field("body").is_none())
                    .map(|e| view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> })}
                {admin.then(|| view! {
                    <div class="dialog-actions">
                        {id.is_some().then(|| view! { <button class="btn btn-quiet" type="button" on:click=move |_| { remove.dispatch(()); }>{t!(i18n, desk.delete)}</button> })}
                        <button class="btn btn-primary" type="submit" disabled=move || save.pending().get()>{t!(i18n, desk.save)}</button>
                    </div>
                })}
            </form>
        </li>
    }
}
