//! `/history`: every ledger entry, filtered by what is in the URL.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use patron_core::history::{lot_state_str, parse_lot_state, LedgerFilter};
use patron_core::summary::{EntryKind, LedgerEntry};

use crate::api;
use crate::components::activity_list::ActivityList;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
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
    let first = LocalResource::new(move || api::member::ledger(filter.get(), None));
    let more = RwSignal::new(Vec::<LedgerEntry>::new());
    let more_cursor = RwSignal::new(None::<Option<String>>);
    Effect::new(move |_| {
        filter.track();
        more.set(Vec::new());
        more_cursor.set(None);
    });
    let load_more = Action::new_local(move |cursor: &String| {
        api::member::ledger(filter.get_untracked(), Some(cursor.clone()))
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = load_more.value().get() {
            more.update(|m| m.extend(page.items));
            more_cursor.set(Some(page.next_cursor));
        }
    });

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
            <Transition fallback=|| view! { <Skeleton lines=8 /> }>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(page) => {
                            let total = page.total;
                            let first_next = page.next_cursor.clone();
                            let cursor = move || match more_cursor.get() {
                                Some(c) => c,
                                None => first_next.clone(),
                            };
                            let cursor2 = cursor.clone();
                            let items = page.items.clone();
                            if items.is_empty() {
                                return view! { <p class="empty card" data-testid="history-empty">{t!(i18n, history.empty)}</p> }.into_any();
                            }
                            view! {
                                <section class="card">
                                    <p class="hint" data-testid="history-total">
                                        {t!(i18n, history.total, count = move || number(i18n.get_locale(), total))}
                                    </p>
                                    <ActivityList entries=items time_zone=session.time_zone() />
                                    {move || {
                                        let extra = more.get();
                                        (!extra.is_empty()).then(|| view! {
                                            <ActivityList entries=extra time_zone=session.time_zone() />
                                        })
                                    }}
                                    {move || load_more.value().get().and_then(|r| r.err()).map(|e| {
                                        let retry_cursor = cursor2.clone();
                                        view! {
                                            <ErrorPanel error=e on_retry=move || {
                                                if let Some(c) = retry_cursor() { load_more.dispatch(c); }
                                            } />
                                        }
                                    })}
                                    {move || cursor().map(|c| view! {
                                        <button
                                            type="button"
                                            class="btn"
                                            data-testid="load-more"
                                            disabled=move || load_more.pending().get()
                                            on:click=move |_| { load_more.dispatch(c.clone()); }
                                        >
                                            {t!(i18n, history.load_more)}
                                        </button>
                                    })}
                                </section>
                            }
                            .into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || first.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
