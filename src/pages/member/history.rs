//! `/history`: every ledger entry, filtered by what is in the URL.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use patron_core::history::{lot_state_str, parse_lot_state, LedgerFilter};
use patron_core::summary::{EntryKind, LedgerEntry};

use crate::api;
use crate::components::activity_list::ActivityRow;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::components::virtual_list::VirtualList;
use crate::format::number;
use crate::i18n::*;
use crate::routes::Route;
use crate::state::session::Session;

const KINDS: [EntryKind; 5] = [
    EntryKind::Earn,
    EntryKind::Spend,
    EntryKind::Adjust,
    EntryKind::Expire,
    EntryKind::Reverse,
];

/// Filters (kind, status, dates) live in the URL; pages load on demand.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let query = use_query_map();
    let navigate = use_navigate();
    let filter = Memo::new(move |_| {
        let q = query.get();
        let pairs: Vec<(&str, String)> = ["kind", "state", "from", "to"]
            .into_iter()
            .filter_map(|k| q.get(k).map(|v| (k, v)))
            .collect();
        LedgerFilter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    });
    // Pages are fetched by one action: the first on every filter change,
    // the next ones as the virtual list scrolls near the end of what is loaded.
    let rows = RwSignal::new(Vec::<LedgerEntry>::new());
    let total = RwSignal::new(0_usize);
    let next = RwSignal::new(None::<String>);
    let first_loaded = RwSignal::new(false);
    let load = Action::new_local(|(f, cursor): &(LedgerFilter, Option<String>)| {
        let (f, cursor) = (f.clone(), cursor.clone());
        async move {
            let page = api::member::ledger(f.clone(), cursor.clone()).await;
            (f, cursor.is_none(), page)
        }
    });
    Effect::new(move |_| {
        let f = filter.get();
        rows.set(Vec::new());
        total.set(0);
        next.set(None);
        first_loaded.set(false);
        load.dispatch((f, None));
    });
    Effect::new(move |_| {
        let Some((f, first, Ok(page))) = load.value().get() else {
            return;
        };
        if f != filter.get_untracked() {
            return; // an answer for filters no longer shown
        }
        if first {
            rows.set(page.items);
        } else {
            rows.update(|r| r.extend(page.items));
        }
        total.set(page.total.max(0) as usize);
        next.set(page.next_cursor);
        first_loaded.set(true);
    });
    let load_error = Memo::new(move |_| match load.value().get() {
        Some((_, _, Err(e))) => Some(e),
        _ => None,
    });
    let more = move || {
        if let (false, Some(c)) = (load.pending().get_untracked(), next.get_untracked()) {
            load.dispatch((filter.get_untracked(), Some(c)));
        }
    };
    let retry = move || {
        let cursor = if first_loaded.get_untracked() {
            next.get_untracked()
        } else {
            None
        };
        load.dispatch((filter.get_untracked(), cursor));
    };
    let tz = session.time_zone();
    let shown = Memo::new(move |_| (load_error.get(), first_loaded.get(), total.get() == 0));

    let go = move |f: LedgerFilter| {
        let q = f.to_query();
        let to = if q.is_empty() {
            Route::History.href()
        } else {
            format!("{}?{q}", Route::History.path())
        };
        navigate(
            &to,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    };
    let go2 = go.clone();
    let go3 = go.clone();
    let go4 = go.clone();
    let kind_label = move |k: EntryKind| match k {
        EntryKind::Earn => t_string!(i18n, activity.earn).to_string(),
        EntryKind::Spend => t_string!(i18n, activity.spend).to_string(),
        EntryKind::Adjust => t_string!(i18n, activity.adjust).to_string(),
        EntryKind::Expire => t_string!(i18n, activity.expire).to_string(),
        EntryKind::Reverse => t_string!(i18n, activity.reverse).to_string(),
    };

    view! {
        <div class="page history">
            <h1>{t!(i18n, history.title)}</h1>
            <form class="filters card" on:submit=|ev| ev.prevent_default() aria-label=move || t_string!(i18n, history.title).to_string()>
                <label class="field">
                    <span>{t!(i18n, history.kind)}</span>
                    <select
                        data-testid="filter-kind"
                        prop:value=move || filter.get().kind.map(|k| k.as_str()).unwrap_or("")
                        on:change=move |ev| {
                            let mut f = filter.get_untracked();
                            f.kind = EntryKind::parse(&event_target_value(&ev));
                            go(f);
                        }
                    >
                        <option value="">{t!(i18n, history.any)}</option>
                        {KINDS.iter().map(|k| view! { <option value=k.as_str()>{move || kind_label(*k)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, history.state)}</span>
                    <select
                        data-testid="filter-state"
                        prop:value=move || filter.get().state.map(lot_state_str).unwrap_or("")
                        on:change=move |ev| {
                            let mut f = filter.get_untracked();
                            f.state = parse_lot_state(&event_target_value(&ev));
                            go2(f);
                        }
                    >
                        <option value="">{t!(i18n, history.any)}</option>
                        <option value="pending">{t!(i18n, history.state_pending)}</option>
                        <option value="active">{t!(i18n, history.state_active)}</option>
                        <option value="spent">{t!(i18n, history.state_spent)}</option>
                        <option value="expired">{t!(i18n, history.state_expired)}</option>
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, history.from)}</span>
                    <input
                        type="date"
                        prop:value=move || filter.get().from.map(|d| d.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            let mut f = filter.get_untracked();
                            f.from = event_target_value(&ev).parse().ok();
                            go3(f);
                        }
                    />
                </label>
                <label class="field">
                    <span>{t!(i18n, history.to)}</span>
                    <input
                        type="date"
                        prop:value=move || filter.get().to.map(|d| d.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            let mut f = filter.get_untracked();
                            f.to = event_target_value(&ev).parse().ok();
                            go4(f);
                        }
                    />
                </label>
                <a class="btn" href=move || api::member::ledger_csv_url(&filter.get()) download="points-history.csv">
                    {t!(i18n, history.download)}
                </a>
            </form>
            {move || {
                let tz = tz.clone();
                // Re-render only when what is shown changes, not on every
                // page that arrives (that would reset the scroll position).
                let (error, loaded, empty) = shown.get();
                if let Some(e) = error {
                    return view! { <ErrorPanel error=e on_retry=move || retry() /> }.into_any();
                }
                if !loaded {
                    return view! { <Skeleton lines=8 /> }.into_any();
                }
                if empty {
                    return view! { <p class="empty card" data-testid="history-empty">{t!(i18n, history.empty)}</p> }.into_any();
                }
                view! {
                    <section class="card">
                        <p class="hint" data-testid="history-total">
                            {t!(i18n, history.total, count = move || number(i18n.get_locale(), total.get() as i64))}
                        </p>
                        <VirtualList
                            rows=rows
                            total=total
                            row_height=64.0
                            height=560.0
                            render=move |e: LedgerEntry| view! { <ActivityRow entry=e time_zone=tz.clone() /> }
                            on_need_more=move || more()
                            label=Signal::derive(move || t_string!(i18n, history.title).to_string())
                            testid="history-list"
                        />
                    </section>
                }
                .into_any()
            }}
        </div>
    }
}
