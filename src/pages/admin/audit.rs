//! `/admin/audit`: every admin write — who, what, which entity, the fields
//! changed (before → after), when — filtered by actor, entity and date.

use leptos::prelude::*;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::format::{date_time, number};
use crate::i18n::*;
use crate::pages::admin::nav::AdminHeader;
use crate::state::session::Session;

const PAGE: i64 = 100;

/// The audit log page.
#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let tz = Session::expect().time_zone();
    let actor = RwSignal::new(String::new());
    let entity = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let offset = RwSignal::new(0_i64);
    let query = Memo::new(move |_| {
        let mut q = vec![format!("offset={}", offset.get())];
        for (k, v) in [
            ("actor", actor.get()),
            ("entity", entity.get()),
            ("from", from.get()),
            ("to", to.get()),
        ] {
            if !v.is_empty() {
                q.push(format!("{k}={v}"));
            }
        }
        q.join("&")
    });
    let page = LocalResource::new(move || api::admin::audit(query.get()));
    let staff = LocalResource::new(api::admin::staff);
    let entities = RwSignal::new(Vec::<String>::new());
    let l = move || i18n.get_locale();
    let reset = move || offset.set(0);
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, nav.audit).to_string()) />
            <div class="filters card">
                <label class="field"><span>{t!(i18n, admin.actor)}</span>
                    <select data-testid="audit-actor" on:change=move |ev| { actor.set(event_target_value(&ev)); reset(); }>
                        <option value="">{t!(i18n, admin.anyone)}</option>
                        {move || staff.get().and_then(Result::ok).map(|s| s.staff.into_iter().map(|a| view! {
                            <option value=a.id.to_string()>{a.name}</option>
                        }).collect_view())}
                    </select></label>
                <label class="field"><span>{t!(i18n, admin.entity)}</span>
                    <select data-testid="audit-entity" on:change=move |ev| { entity.set(event_target_value(&ev)); reset(); }>
                        <option value="">{t!(i18n, admin.any)}</option>
                        {move || entities.get().into_iter().map(|e| view! { <option value=e.clone() selected=entity.get_untracked() == e>{e.clone()}</option> }).collect_view()}
                    </select></label>
                <label class="field"><span>{t!(i18n, admin.from)}</span>
                    <input type="date" on:change=move |ev| { from.set(event_target_value(&ev)); reset(); } /></label>
                <label class="field"><span>{t!(i18n, admin.to)}</span>
                    <input type="date" on:change=move |ev| { to.set(event_target_value(&ev)); reset(); } /></label>
            </div>
            <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
                {move || {
                    let tz = tz.clone();
                    Suspend::new(async move {
                    match page.await {
                        Ok(p) => {
                            if entities.with_untracked(|e| e.len() < p.entities.len()) {
                                entities.set(p.entities.clone());
                            }
                            let (total, off) = (p.total, p.offset);
                            view! {
                                <p class="result-count" role="status">{move || t_string!(i18n, admin.audit_count).to_string().replace("{n}", &number(l(), total))}</p>
                                <div class="card table-card"><div class="table-scroll"><table class="table audit-table" data-testid="audit-table">
                                    <thead><tr><th scope="col">{t!(i18n, admin.when)}</th><th scope="col">{t!(i18n, admin.actor)}</th>
                                        <th scope="col">{t!(i18n, admin.action)}</th><th scope="col">{t!(i18n, admin.entity)}</th><th scope="col">{t!(i18n, admin.changes)}</th></tr></thead>
                                    <tbody>{p.items.into_iter().map(|e| {
                                        let (at, tz) = (e.at, tz.clone());
                                        view! {
                                            <tr data-testid="audit-row">
                                                <td>{move || date_time(l(), at, &tz)}</td>
                                                <td>{e.actor.clone()}</td>
                                                <td><code>{e.action.clone()}</code></td>
                                                <td>{format!("{}{}", e.entity, e.entity_id.map(|i| format!(" #{i}")).unwrap_or_default())}</td>
                                                <td><ul class="plain-list diff">{e.changes.into_iter().map(|c| view! {
                                                    <li><strong>{c.field}</strong>": "<del>{c.before.unwrap_or_else(|| "—".into())}</del>" → "<ins>{c.after.unwrap_or_else(|| "—".into())}</ins></li>
                                                }).collect_view()}</ul></td>
                                            </tr>
                                        }
                                    }).collect_view()}</tbody>
                                </table></div></div>
                                <div class="pager">
                                    <button class="btn" type="button" disabled=off == 0 on:click=move |_| offset.set((off - PAGE).max(0))>{t!(i18n, admin.newer)}</button>
                                    <button class="btn" type="button" disabled=off + PAGE >= total on:click=move |_| offset.set(off + PAGE)>{t!(i18n, admin.older)}</button>
                                </div>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || page.refetch() /> }.into_any(),
                    }
                })}}
            </Suspense>
        </div>
    }
}
