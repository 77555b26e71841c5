//! `/support`: the feedback queue. Filters live in the URL; the server
//! filters, sorts and pages; the browser renders only the visible rows.
//! Keyboard: j/k move, Enter opens, a assigns to me, e resolves, x selects,
//! / searches, ? shows the keys.

use std::collections::BTreeMap;

use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use patron_core::feedback::{FeedbackKind, TicketStatus};
use patron_core::support::{
    AssigneeFilter, BulkRequest, Priority, QueueItem, QueueQuery, QueueSort, SlaState, StaffTicket,
    TicketUpdate, VersionedId, OPEN_WORK,
};
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::components::dialog::Dialog;
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::skeleton::Skeleton;
use crate::components::virtual_list::VirtualList;
use crate::format::number;
use crate::i18n::*;
use crate::labels;
use crate::pages::support::desk_header::DeskHeader;
use crate::pages::support::ticket::change_error;
use crate::routes::{support_queue_href, support_ticket_href};
use crate::state::session::Session;

/// Height of a queue row in px (the virtual list needs it fixed).
pub const ROW_HEIGHT: f64 = 64.0;
const LIST_HEIGHT: f64 = 640.0;
const KEYS: [&str; 12] = [
    "status", "type", "priority", "assignee", "tier", "sla", "from", "to", "q", "label", "sort",
    "offset",
];

fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Copies what a ticket now is into its queue row.
fn refresh_row(row: &mut QueueItem, t: &StaffTicket) {
    row.status = t.ticket.summary.status;
    row.priority = t.priority;
    row.assignee = t.assignee.clone();
    row.labels = t.labels.clone();
    row.version = t.version;
    row.sla_state = t.sla.state;
    row.sla_due_at = t.sla.due_at;
    row.updated_at = t.ticket.summary.updated_at;
}

fn typing_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| {
            let tag = el.tag_name().to_ascii_uppercase();
            matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.has_attribute("contenteditable")
        })
        .unwrap_or(false)
}

/// What the list area shows.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Loading,
    Error(ApiError),
    Empty,
    /// The rows, with an error loading more of them, if any.
    List(Option<ApiError>),
}

/// The queue page.
#[component]
pub fn SupportQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let query = use_query_map();
    let navigate = use_navigate();
    let q = Memo::new(move |_| {
        let m = query.get();
        let pairs: Vec<(&str, String)> = KEYS
            .into_iter()
            .filter(|k| *k != "offset")
            .filter_map(|k| m.get(k).map(|v| (k, v)))
            .collect();
        QueueQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str()))).unwrap_or_default()
    });
    let me_id = move || session.me().map(|m| m.user_id);

    // Rows, pages and the answer to the current filters.
    let rows = RwSignal::new(Vec::<QueueItem>::new());
    let total = RwSignal::new(0_usize);
    let counts = RwSignal::new(BTreeMap::<&'static str, i64>::new());
    let next = RwSignal::new(None::<i64>);
    let first_loaded = RwSignal::new(false);
    let load = Action::new_local(|(q, offset): &(QueueQuery, i64)| {
        let q = QueueQuery {
            offset: *offset,
            ..q.clone()
        };
        async move {
            let page = api::support::queue(q.clone()).await;
            (
                QueueQuery {
                    offset: 0,
                    ..q.clone()
                },
                q.offset == 0,
                page,
            )
        }
    });
    let selected = RwSignal::new(BTreeMap::<i64, i64>::new());
    let cursor = RwSignal::new(None::<usize>);
    // The filters last asked for. A change made on this page asks at once
    // (before the URL round trip); Back, links and saved views arrive
    // through the URL and are asked for by the effect below.
    let asked = StoredValue::new(None::<QueueQuery>);
    let ask = move |f: QueueQuery| {
        asked.set_value(Some(f.clone()));
        first_loaded.set(false);
        next.set(None);
        selected.set(BTreeMap::new());
        cursor.set(None);
        load.dispatch((f, 0));
    };
    Effect::new(move |_| {
        let q = q.get();
        if asked.with_value(|a| a.as_ref() != Some(&q)) {
            ask(q);
        }
    });
    Effect::new(move |_| {
        let Some((for_q, first, Ok(page))) = load.value().get() else {
            return;
        };
        if asked.with_value(|a| a.as_ref() != Some(&for_q)) {
            return; // an answer for filters no longer shown
        }
        if first {
            rows.set(page.items);
        } else {
            // Offsets shift when tickets leave the view meanwhile: never twice.
            rows.update(|r| {
                let seen: std::collections::HashSet<i64> = r.iter().map(|x| x.id).collect();
                r.extend(page.items.into_iter().filter(|x| !seen.contains(&x.id)));
            });
        }
        total.set(page.total.max(0) as usize);
        counts.set(
            page.counts
                .iter()
                .map(|c| (c.status.as_str(), c.count))
                .collect(),
        );
        next.set(page.next_offset);
        first_loaded.set(true);
    });
    let load_error = Memo::new(move |_| match load.value().get() {
        Some((_, _, Err(e))) => Some(e),
        _ => None,
    });
    let current = move || asked.get_value().unwrap_or_else(|| q.get_untracked());
    let more = move || {
        if let (false, Some(o)) = (load.pending().get_untracked(), next.get_untracked()) {
            load.dispatch((current(), o));
        }
    };
    let reload = move || {
        load.dispatch((current(), 0));
    };

    let go = {
        let navigate = navigate.clone();
        move |f: QueueQuery| {
            // As the URL will give it back, so the effect sees no change.
            let f = QueueQuery {
                offset: 0,
                q: f.q.trim().to_string(),
                ..f
            };
            ask(f.clone());
            navigate(
                &support_queue_href(&f.to_query()),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    };

    // Lookups for the filter bar.
    let agents = LocalResource::new(api::support::agents);
    let tiers = LocalResource::new(api::member::tiers);
    let views = LocalResource::new(api::support::views);

    // Feedback for actions (bulk, keys).
    let notice = RwSignal::new(None::<String>);
    let action_error = RwSignal::new(None::<String>);

    // One-ticket changes from the keyboard, with the version the row shows.
    let change = Action::new_local(move |(id, u): &(i64, TicketUpdate)| {
        let (id, u) = (*id, u.clone());
        async move { (id, api::support::update(id, u).await) }
    });
    Effect::new(move |_| {
        let Some((id, res)) = change.value().get() else {
            return;
        };
        match res {
            Ok(t) => {
                rows.update(|r| {
                    if let Some(row) = r.iter_mut().find(|row| row.id == id) {
                        refresh_row(row, &t);
                    }
                });
                selected.update(|s| {
                    if let Some(v) = s.get_mut(&id) {
                        *v = t.version;
                    }
                });
                action_error.set(None);
                notice.set(Some(t_string!(i18n, desk.saved).to_string()));
            }
            Err(e) => action_error.set(Some(change_error(i18n, &e))),
        }
    });
    let change_cursor_row = move |make: &dyn Fn(&QueueItem) -> TicketUpdate| {
        let Some(i) = cursor.get_untracked() else {
            return;
        };
        if let Some(row) = rows.with_untracked(|r| r.get(i).cloned()) {
            change.dispatch((row.id, make(&row)));
        }
    };

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

    // Keyboard.
    let help_open = RwSignal::new(false);
    let search_ref = NodeRef::<leptos::html::Input>::new();
    let open_row = {
        let navigate = navigate.clone();
        move |id: i64| navigate(&support_ticket_href(id), Default::default())
    };
    let keys = window_event_listener(ev::keydown, move |ev| {
        if ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
            || typing_in_a_field(&ev)
            || help_open.get_untracked()
        {
            return;
        }
        let len = rows.with_untracked(Vec::len);
        match ev.key().as_str() {
            "j" | "ArrowDown" if len > 0 => {
                ev.prevent_default();
                cursor.update(|c| *c = Some(c.map_or(0, |i| (i + 1).min(len - 1))));
            }
            "k" | "ArrowUp" if len > 0 => {
                ev.prevent_default();
                cursor.update(|c| *c = Some(c.map_or(0, |i| i.saturating_sub(1))));
            }
            "Enter" => {
                if let Some(row) = cursor
                    .get_untracked()
                    .and_then(|i| rows.with_untracked(|r| r.get(i).cloned()))
                {
                    ev.prevent_default();
                    open_row(row.id);
                }
            }
            "x" => {
                if let Some(row) = cursor
                    .get_untracked()
                    .and_then(|i| rows.with_untracked(|r| r.get(i).cloned()))
                {
                    selected.update(|s| {
                        if s.remove(&row.id).is_none() {
                            s.insert(row.id, row.version);
                        }
                    });
                }
            }
            "a" => {
                if let Some(me) = me_id() {
                    change_cursor_row(&|row| TicketUpdate {
                        version: row.version,
                        assignee_id: Some(Some(me)),
                        status: None,
                        priority: None,
                        labels: None,
                    });
                }
            }
            "e" => change_cursor_row(&|row| TicketUpdate {
                version: row.version,
                assignee_id: None,
                status: Some(TicketStatus::Resolved),
                priority: None,
                labels: None,
            }),
            "/" => {
                ev.prevent_default();
                if let Some(input) = search_ref.get_untracked() {
                    let _ = input.focus();
                }
            }
            "?" => help_open.set(true),
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    // Search: typed text is kept here and sent after a pause.
    let search_text = RwSignal::new(q.get_untracked().q);
    let search_gen = StoredValue::new(0_u32);
    // A saved view, Back or a link changes the words: the box follows.
    Effect::new(move |_| {
        let words = q.get().q;
        if words != search_text.get_untracked().trim() {
            search_text.set(words);
        }
    });
    let go_search = go.clone();
    let on_search = move |text: String| {
        search_text.set(text);
        search_gen.update_value(|g| *g += 1);
        let gen = search_gen.get_value();
        let go = go_search.clone();
        // The queue may be gone when the timer fires: then nothing happens.
        set_timeout(
            move || {
                if search_gen.try_get_value() == Some(gen) {
                    let mut f = q.get_untracked();
                    f.q = search_text.get_untracked();
                    if f != q.get_untracked() {
                        go(f);
                    }
                }
            },
            std::time::Duration::from_millis(250),
        );
    };

    // Built once; only the pressed state and the counts change.
    let status_tabs = {
        let go = go.clone();
        let mut tabs: Vec<(Vec<TicketStatus>, &'static str)> = vec![(Vec::new(), "open-work")];
        tabs.extend(TicketStatus::ALL.into_iter().map(|s| (vec![s], s.as_str())));
        tabs.push((TicketStatus::ALL.to_vec(), "all"));
        tabs.into_iter()
            .map(|(statuses, key)| {
                let go = go.clone();
                let label = {
                    let statuses = statuses.clone();
                    move || match statuses.as_slice() {
                        [] => t_string!(i18n, desk.open_work).to_string(),
                        [one] => labels::status(i18n, *one),
                        _ => t_string!(i18n, desk.all).to_string(),
                    }
                };
                let n = {
                    let statuses = statuses.clone();
                    move || {
                        let wanted: &[TicketStatus] = if statuses.is_empty() {
                            &OPEN_WORK
                        } else {
                            &statuses
                        };
                        let sum: i64 = counts.with(|c| {
                            wanted
                                .iter()
                                .map(|s| c.get(s.as_str()).copied().unwrap_or(0))
                                .sum()
                        });
                        number(i18n.get_locale(), sum)
                    }
                };
                let pressed = {
                    let statuses = statuses.clone();
                    move || (q.with(|q| q.statuses == statuses)).to_string()
                };
                view! {
                    <button
                        type="button"
                        class="tab"
                        aria-pressed=pressed
                        data-testid=format!("tab-{key}")
                        on:click=move |_| {
                            let mut f = q.get_untracked();
                            f.statuses = statuses.clone();
                            go(f);
                        }
                    >
                        {label}" "<span class="count">{n}</span>
                    </button>
                }
            })
            .collect_view()
    };

    let select_filter = {
        let go = go.clone();
        move |apply: fn(&mut QueueQuery, &str)| {
            let go = go.clone();
            move |ev: ev::Event| {
                let mut f = q.get_untracked();
                apply(&mut f, &event_target_value(&ev));
                go(f);
            }
        }
    };

    let tz = session.time_zone();
    let render_row = move |row: QueueItem| {
        let id = row.id;
        let version = row.version;
        let now = now_secs();
        let age = labels::duration(i18n, now - row.created_at.timestamp());
        let active = t_string!(i18n, desk.active_ago).to_string().replace(
            "{t}",
            &labels::duration(i18n, now - row.updated_at.timestamp()),
        );
        let sla_text = labels::sla_clock(i18n, row.sla_state, row.sla_due_at, now, "—");
        let index = rows
            .with_untracked(|r| r.iter().position(|x| x.id == id))
            .unwrap_or(0);
        let is_cursor = move || cursor.get() == Some(index);
        let checked = move || selected.with(|s| s.contains_key(&id));
        let assignee = row
            .assignee
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_else(|| t_string!(i18n, desk.unassigned).to_string());
        let mut hint = format!("{} · {}", row.reference, labels::kind(i18n, row.kind));
        if let Some(s) = row.score {
            hint.push_str(&format!(" · {s}"));
        }
        hint.push_str(&format!(" · {}", row.member_name));
        if let Some(t) = &row.tier {
            hint.push_str(&format!(" · {t}"));
        }
        if !row.labels.is_empty() {
            hint.push_str(&format!(" · {}", row.labels.join(", ")));
        }
        hint.push_str(&format!(" · {active}"));
        let sla_class = format!("badge sla sla-{}", row.sla_state.as_str());
        let priority_class = format!("badge priority priority-{}", row.priority.as_str());
        let _ = &tz;
        view! {
            <div class="queue-row" aria-current=move || is_cursor().then_some("true") data-testid="queue-row" data-id=id>
                <input
                    type="checkbox"
                    aria-label=format!("{} {}", t_string!(i18n, desk.select), row.reference)
                    prop:checked=checked
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| {
                            if on {
                                s.insert(id, version);
                            } else {
                                s.remove(&id);
                            }
                        });
                    }
                />
                <div class="queue-main">
                    <a href=support_ticket_href(id) class="queue-subject">{row.subject.clone()}</a>
                    // One text node: a row is drawn many times while scrolling.
                    <span class="hint">{hint}</span>
                </div>
                <span class="badge status" data-testid="row-status">{labels::status(i18n, row.status)}</span>
                <span class=priority_class>{labels::priority(i18n, row.priority)}</span>
                <span class="assignee" data-testid="row-assignee">{assignee}</span>
                <span class="age" title=t_string!(i18n, desk.age).to_string()>{age}</span>
                <span class=sla_class data-testid="row-sla">{sla_text}</span>
            </div>
        }
    };

    let shown = Memo::new(move |_| {
        let has_rows = rows.with(|r| !r.is_empty());
        match (load_error.get(), first_loaded.get(), total.get() == 0) {
            (Some(e), false, _) if !has_rows => Shown::Error(e),
            (_, false, _) if !has_rows => Shown::Loading,
            (_, true, true) => Shown::Empty,
            (e, _, _) => Shown::List(e),
        }
    });
    let selection_count = move || selected.with(BTreeMap::len);
    let bulk_label = RwSignal::new(String::new());

    view! {
        <div class="page desk">
            <DeskHeader />
            <div class="status-tabs" role="group" aria-label=move || t_string!(i18n, desk.status).to_string()>
                {status_tabs}
            </div>
            <form class="filters card queue-filters" on:submit=|ev| ev.prevent_default()>
                <label class="field grow">
                    <span>{t!(i18n, desk.search)}</span>
                    <input
                        type="search"
                        node_ref=search_ref
                        data-testid="queue-search"
                        prop:value=move || search_text.get()
                        on:input=move |ev| on_search(event_target_value(&ev))
                        placeholder=move || t_string!(i18n, desk.search_hint).to_string()
                    />
                </label>
                <label class="field">
                    <span>{t!(i18n, desk.type_)}</span>
                    <select data-testid="filter-type"
                        prop:value=move || q.get().kinds.first().map(|k| k.as_str()).unwrap_or("")
                        on:change=select_filter(|f, v| f.kinds = FeedbackKind::parse(v).into_iter().collect())>
                        <option value="">{t!(i18n, desk.any)}</option>
                        {[FeedbackKind::Complaint, FeedbackKind::Suggestion, FeedbackKind::Nps, FeedbackKind::Csat]
                            .into_iter()
                            .map(|k| view! { <option value=k.as_str()>{move || labels::kind(i18n, k)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, desk.priority)}</span>
                    <select data-testid="filter-priority"
                        prop:value=move || q.get().priorities.first().map(|k| k.as_str()).unwrap_or("")
                        on:change=select_filter(|f, v| f.priorities = Priority::parse(v).into_iter().collect())>
                        <option value="">{t!(i18n, desk.any)}</option>
                        {Priority::ALL.into_iter().rev()
                            .map(|p| view! { <option value=p.as_str()>{move || labels::priority(i18n, p)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, desk.assignee)}</span>
                    <select data-testid="filter-assignee"
                        prop:value=move || q.get().assignee.to_param().unwrap_or_default()
                        on:change=select_filter(|f, v| f.assignee = AssigneeFilter::parse(v).unwrap_or_default())>
                        <option value="">{t!(i18n, desk.anyone)}</option>
                        <option value="me">{t!(i18n, desk.me)}</option>
                        <option value="none">{t!(i18n, desk.unassigned)}</option>
                        {move || agents.get().and_then(Result::ok).map(|list| list.into_iter().map(|a| {
                            view! { <option value=a.id.to_string()>{a.name}</option> }
                        }).collect_view())}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, desk.tier)}</span>
                    <select data-testid="filter-tier"
                        prop:value=move || q.get().tier_id.map(|t| t.to_string()).unwrap_or_default()
                        on:change=select_filter(|f, v| f.tier_id = v.parse().ok())>
                        <option value="">{t!(i18n, desk.any)}</option>
                        {move || tiers.get().and_then(Result::ok).map(|list| list.tiers.into_iter().map(|t| {
                            view! { <option value=t.tier.id.to_string()>{t.tier.name}</option> }
                        }).collect_view())}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, desk.sla)}</span>
                    <select data-testid="filter-sla"
                        prop:value=move || q.get().sla.map(|s| s.as_str()).unwrap_or("")
                        on:change=select_filter(|f, v| f.sla = SlaState::parse(v))>
                        <option value="">{t!(i18n, desk.any)}</option>
                        {[SlaState::Breached, SlaState::DueSoon, SlaState::Ok].into_iter()
                            .map(|s| view! { <option value=s.as_str()>{move || labels::sla(i18n, s)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, desk.from)}</span>
                    <input type="date" prop:value=move || q.get().from.unwrap_or_default()
                        on:change=select_filter(|f, v| f.from = (!v.is_empty()).then(|| v.to_string())) />
                </label>
                <label class="field">
                    <span>{t!(i18n, desk.to)}</span>
                    <input type="date" prop:value=move || q.get().to.unwrap_or_default()
                        on:change=select_filter(|f, v| f.to = (!v.is_empty()).then(|| v.to_string())) />
                </label>
                <label class="field">
                    <span>{t!(i18n, desk.sort)}</span>
                    <select data-testid="filter-sort"
                        prop:value=move || q.get().sort.as_str()
                        on:change=select_filter(|f, v| f.sort = QueueSort::parse(v).unwrap_or_default())>
                        <option value="oldest">{t!(i18n, desk.sort_oldest)}</option>
                        <option value="newest">{t!(i18n, desk.sort_newest)}</option>
                        <option value="priority">{t!(i18n, desk.sort_priority)}</option>
                        <option value="sla_due">{t!(i18n, desk.sort_sla)}</option>
                    </select>
                </label>
                <SavedViews views=views query=Signal::derive(move || q.get().to_query()) />
            </form>

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
            <p class="notice" role="status" aria-live="polite" data-testid="desk-notice" class:hidden=move || notice.get().is_none()>
                {move || notice.get()}
            </p>
            {move || action_error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="desk-error">{e}</p> })}

            <p class="hint queue-total" data-testid="queue-total">
                {move || first_loaded.get().then(|| t_string!(i18n, desk.showing).to_string().replace("{n}", &number(i18n.get_locale(), total.get() as i64)))}
                " · "<button type="button" class="link-button" on:click=move |_| help_open.set(true)>{t!(i18n, desk.keys_hint)}</button>
            </p>
            // Decided through a memo: a new page of rows (or new filters
            // while rows are shown) keeps the list mounted; only what is in
            // view is drawn again.
            {move || match shown.get() {
                Shown::Error(e) => view! { <ErrorPanel error=e on_retry=move || reload() /> }.into_any(),
                Shown::Loading => view! { <Skeleton lines=8 /> }.into_any(),
                Shown::Empty => view! { <p class="empty card" data-testid="queue-empty">{t!(i18n, desk.empty)}</p> }.into_any(),
                Shown::List(e) => view! {
                    <div class="queue card" class:stale=move || !first_loaded.get() aria-busy=move || (!first_loaded.get()).to_string()>
                        <VirtualList
                            rows=rows
                            total=total
                            row_height=ROW_HEIGHT
                            height=LIST_HEIGHT
                            render=render_row.clone()
                            on_need_more=move |_| more()
                            label=Signal::derive(move || t_string!(i18n, desk.queue).to_string())
                            scroll_to=Signal::derive(move || cursor.get())
                            reset_on=Signal::derive(move || q.get().to_query())
                            row_key=|r: &QueueItem| r.id.wrapping_mul(1 << 20) ^ r.version
                            testid="queue-list"
                        />
                        {e.map(|e: ApiError| view! { <ErrorPanel error=e on_retry=move || more() /> })}
                    </div>
                }.into_any(),
            }}
            <Dialog open=help_open labelled_by="keys-title" on_close=move |_| help_open.set(false) testid="keys-help">
                <h2 id="keys-title">{t!(i18n, desk.keys_title)}</h2>
                <table class="table keys">
                    <tbody>
                        <tr><td><kbd>"j"</kbd>" / "<kbd>"k"</kbd></td><td>{t!(i18n, desk.key_move)}</td></tr>
                        <tr><td><kbd>"Enter"</kbd></td><td>{t!(i18n, desk.key_open)}</td></tr>
                        <tr><td><kbd>"x"</kbd></td><td>{t!(i18n, desk.key_select)}</td></tr>
                        <tr><td><kbd>"a"</kbd></td><td>{t!(i18n, desk.key_assign)}</td></tr>
                        <tr><td><kbd>"e"</kbd></td><td>{t!(i18n, desk.key_resolve)}</td></tr>
                        <tr><td><kbd>"/"</kbd></td><td>{t!(i18n, desk.key_search)}</td></tr>
                        <tr><td><kbd>"?"</kbd></td><td>{t!(i18n, desk.key_help)}</td></tr>
                    </tbody>
                </table>
                <div class="dialog-actions">
                    <button class="btn" type="button" on:click=move |_| help_open.set(false)>{t!(i18n, desk.close)}</button>
                </div>
            </Dialog>
        </div>
    }
}

/// Saved views: pick one, save the current filters, delete.
#[component]
fn SavedViews(
    views: LocalResource<Result<Vec<patron_core::support::SavedView>, ApiError>>,
    #[prop(into)] query: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let naming = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let save = Action::new_local(|(n, q): &(String, String)| {
        let (n, q) = (n.clone(), q.clone());
        async move { api::support::save_view(n, q).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            naming.set(false);
            name.set(String::new());
            error.set(None);
            views.refetch();
        }
        Some(Err(e)) => error.set(Some(error_text(i18n, &e))),
        None => {}
    });
    let remove = Action::new_local(|id: &i64| {
        let id = *id;
        async move { api::support::delete_view(id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            views.refetch();
        }
    });
    let current = move || {
        let q = query.get();
        views
            .get()
            .and_then(Result::ok)
            .and_then(|vs| vs.into_iter().find(|v| v.query == q))
    };
    view! {
        <div class="saved-views">
            <label class="field">
                <span>{t!(i18n, desk.views)}</span>
                <select data-testid="saved-views"
                    prop:value=move || current().map(|v| v.id.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        let id: Option<i64> = event_target_value(&ev).parse().ok();
                        if let Some(v) = id.and_then(|id| views.get_untracked().and_then(Result::ok).and_then(|vs| vs.into_iter().find(|v| v.id == id))) {
                            navigate(&support_queue_href(&v.query), NavigateOptions { replace: true, scroll: false, ..Default::default() });
                        }
                    }>
                    <option value="">{t!(i18n, desk.views_pick)}</option>
                    {move || views.get().and_then(Result::ok).map(|vs| vs.into_iter().map(|v| view! {
                        <option value=v.id.to_string()>{v.name}</option>
                    }).collect_view())}
                </select>
            </label>
            {move || match (naming.get(), current()) {
                (false, Some(v)) => view! {
                    <button type="button" class="btn btn-small btn-quiet" on:click=move |_| { remove.dispatch(v.id); }>{t!(i18n, desk.view_delete)}</button>
                }.into_any(),
                (false, None) => view! {
                    <button type="button" class="btn btn-small" data-testid="save-view" on:click=move |_| naming.set(true)>{t!(i18n, desk.view_save)}</button>
                }.into_any(),
                (true, _) => view! {
                    <span class="inline-form">
                        <input type="text" maxlength="60" data-testid="view-name"
                            aria-label=move || t_string!(i18n, desk.view_name).to_string()
                            placeholder=move || t_string!(i18n, desk.view_name).to_string()
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))
                            on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); save.dispatch((name.get_untracked(), query.get_untracked())); } />
                        <button type="button" class="btn btn-small btn-primary" on:click=move |_| { save.dispatch((name.get_untracked(), query.get_untracked())); }>{t!(i18n, desk.save)}</button>
                        <button type="button" class="btn btn-small btn-quiet" on:click=move |_| naming.set(false)>{t!(i18n, desk.cancel)}</button>
                    </span>
                }.into_any(),
            }}
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </div>
    }
}
