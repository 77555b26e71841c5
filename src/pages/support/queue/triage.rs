//! Triage from the queue: one change (assign, status, priority, a label)
//! to the selected rows, from the bulk bar.

use std::collections::BTreeMap;

use leptos::prelude::*;
use patron_core::feedback::TicketStatus;
use patron_core::support::{Agent, BulkRequest, Priority, VersionedId};

use crate::api::{self, ApiError};
use crate::components::error_panel::error_text;
use crate::i18n::*;
use crate::labels;

/// The bulk bar, shown while rows are selected; reports what changed (and
/// what someone else changed first) and reloads the queue.
pub(super) fn bulk_bar(
    selected: RwSignal<BTreeMap<i64, i64>>,
    agents: LocalResource<Result<Vec<Agent>, ApiError>>,
    notice: RwSignal<Option<String>>,
    action_error: RwSignal<Option<String>>,
    me_id: impl Fn() -> Option<i64> + Copy + Send + 'static,
    reload: impl Fn() + Copy + Send + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    // Bulk changes on the selected rows.
    let bulk = Action::new_local(|req: &BulkRequest| {
        let req = req.clone();
        async move { api::support::bulk(req).await }
    });
    Effect::new(move |_| {
        let Some(res) = bulk.value().get() else {
            return;
        };
        match res {
            Ok(r) => {
                let mut msg = t_string!(i18n, desk.bulk_done)
                    .to_string()
                    .replace("{n}", &r.updated.len().to_string());
                if !r.conflicts.is_empty() {
                    msg.push(' ');
                    msg.push_str(
                        &t_string!(i18n, desk.bulk_conflicts)
                            .to_string()
                            .replace("{n}", &r.conflicts.len().to_string()),
                    );
                }
                notice.set(Some(msg));
                action_error.set(None);
                selected.set(BTreeMap::new());
                reload();
            }
            Err(e) => action_error.set(Some(error_text(i18n, &e))),
        }
    });
    let run_bulk = move |f: &dyn Fn(&mut BulkRequest)| {
        let tickets: Vec<VersionedId> = selected
            .get_untracked()
            .into_iter()
            .map(|(id, version)| VersionedId { id, version })
            .collect();
        if tickets.is_empty() {
            return;
        }
        let mut req = BulkRequest {
            tickets,
            assignee_id: None,
            status: None,
            priority: None,
            add_label: None,
        };
        f(&mut req);
        bulk.dispatch(req);
    };
    let selection_count = move || selected.with(BTreeMap::len);
    let bulk_label = RwSignal::new(String::new());

    view! {
        {move || (selection_count() > 0).then(|| view! {
            <div class="bulk-bar card" role="region" aria-label=move || t_string!(i18n, desk.bulk).to_string() data-testid="bulk-bar">
                <strong>{move || t_string!(i18n, desk.selected).to_string().replace("{n}", &selection_count().to_string())}</strong>
                <label class="field inline">
                    <span>{t!(i18n, desk.assign_to)}</span>
                    <select data-testid="bulk-assign" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let target = match v.as_str() {
                            "" => return,
                            "none" => None,
                            "me" => me_id(),
                            n => n.parse().ok(),
                        };
                        run_bulk(&|r| r.assignee_id = Some(target));
                    }>
                        <option value="">"…"</option>
                        <option value="me">{t!(i18n, desk.me)}</option>
                        <option value="none">{t!(i18n, desk.unassign)}</option>
                        {move || agents.get().and_then(Result::ok).map(|list| list.into_iter().map(|a| {
                            view! { <option value=a.id.to_string()>{a.name}</option> }
                        }).collect_view())}
                    </select>
                </label>
                <label class="field inline">
                    <span>{t!(i18n, desk.status)}</span>
                    <select data-testid="bulk-status" on:change=move |ev| {
                        if let Some(s) = TicketStatus::parse(&event_target_value(&ev)) {
                            run_bulk(&|r| r.status = Some(s));
                        }
                    }>
                        <option value="">"…"</option>
                        {TicketStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || labels::status(i18n, s)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field inline">
                    <span>{t!(i18n, desk.priority)}</span>
                    <select data-testid="bulk-priority" on:change=move |ev| {
                        if let Some(p) = Priority::parse(&event_target_value(&ev)) {
                            run_bulk(&|r| r.priority = Some(p));
                        }
                    }>
                        <option value="">"…"</option>
                        {Priority::ALL.into_iter().rev().map(|p| view! { <option value=p.as_str()>{move || labels::priority(i18n, p)}</option> }).collect_view()}
                    </select>
                </label>
                <form class="inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let l = bulk_label.get_untracked();
                    if !l.trim().is_empty() {
                        run_bulk(&|r| r.add_label = Some(l.clone()));
                        bulk_label.set(String::new());
                    }
                }>
                    <label class="field inline">
                        <span>{t!(i18n, desk.add_label)}</span>
                        <input type="text" maxlength="32" prop:value=move || bulk_label.get() on:input=move |ev| bulk_label.set(event_target_value(&ev)) />
                    </label>
                    <button class="btn btn-small" type="submit">{t!(i18n, desk.add)}</button>
                </form>
                <button class="btn btn-quiet btn-small" type="button" on:click=move |_| selected.set(BTreeMap::new())>{t!(i18n, desk.clear_selection)}</button>
            </div>
        })}
    }
}
