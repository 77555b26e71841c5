//! `/support`: the feedback queue. Filters live in the URL; the server
//! filters, sorts and pages; the browser renders only the visible rows.
//! Keyboard: j/k move, Enter opens, a assigns to me, e resolves, x selects,
//! / searches, ? shows the keys.
//!
//! The parts, each in its own file: `filters` (status tabs, search, the
//! filter bar), `row` (a row of the list), `triage` (the bulk bar), `keys`
//! (the keyboard and its help) and `views` (saved views).

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use patron_core::support::{QueueItem, QueueQuery, TicketUpdate};

use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::components::virtual_list::VirtualList;
use crate::format::number;
use crate::i18n::*;
use crate::pages::support::desk_header::DeskHeader;
use crate::pages::support::ticket::change_error;
use crate::routes::{support_queue_href, support_ticket_href};
use crate::state::session::Session;
use filters::{queue_filters, status_tabs};
use keys::{keys_help, queue_keys};
use row::{queue_row, refresh_row};
use triage::bulk_bar;

mod filters;
mod keys;
mod row;
mod triage;
mod views;

pub use row::ROW_HEIGHT;

const LIST_HEIGHT: f64 = 640.0;
const KEYS: [&str; 12] = [
    "status", "type", "priority", "assignee", "tier", "sla", "from", "to", "q", "label", "sort",
    "offset",
];

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

    let bulk_bar = bulk_bar(selected, agents, notice, action_error, me_id, reload);

    // Keyboard.
    let help_open = RwSignal::new(false);
    let search_ref = NodeRef::<leptos::html::Input>::new();
    let open_row = {
        let navigate = navigate.clone();
        move |id: i64| navigate(&support_ticket_href(id), Default::default())
    };
    let keys = queue_keys(
        rows,
        cursor,
        selected,
        help_open,
        search_ref,
        open_row,
        me_id,
        change_cursor_row,
    );
    on_cleanup(move || keys.remove());

    let filters = queue_filters(q, &go, search_ref, agents, tiers, views);

    let status_tabs = status_tabs(q, counts, &go);

    let tz = session.time_zone();
    let render_row = move |row: QueueItem| queue_row(row, i18n, rows, cursor, selected, &tz);

    let shown = Memo::new(move |_| {
        let has_rows = rows.with(|r| !r.is_empty());
        match (load_error.get(), first_loaded.get(), total.get() == 0) {
            (Some(e), false, _) if !has_rows => Shown::Error(e),
            (_, false, _) if !has_rows => Shown::Loading,
            (_, true, true) => Shown::Empty,
            (e, _, _) => Shown::List(e),
        }
    });

    view! {
        <div class="page desk">
            <DeskHeader />
            <div class="status-tabs" role="group" aria-label=move || t_string!(i18n, desk.status).to_string()>
                {status_tabs}
            </div>
            {filters}

            {bulk_bar}
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
            {keys_help(help_open)}
        </div>
    }
}
