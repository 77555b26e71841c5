//! The queue's filters: the status tabs with their counts, the search box
//! (sent after a pause) and the filter bar. Every change goes to the URL.

use std::collections::BTreeMap;

use leptos::ev;
use leptos::prelude::*;
use patron_core::feedback::{FeedbackKind, TicketStatus};
use patron_core::programme::TierList;
use patron_core::support::{
    Agent, AssigneeFilter, Priority, QueueQuery, QueueSort, SavedView, SlaState, OPEN_WORK,
};

use super::views::SavedViews;
use crate::api::ApiError;
use crate::format::number;
use crate::i18n::*;
use crate::labels;

/// One tab per status (and open work, and all), each with its count.
pub(super) fn status_tabs(
    q: Memo<QueueQuery>,
    counts: RwSignal<BTreeMap<&'static str, i64>>,
    go: &(impl Fn(QueueQuery) + Clone + 'static),
) -> impl IntoView {
    let i18n = use_i18n();
    // Built once; only the pressed state and the counts change.
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
}

/// The search box and the filter bar, saved views included.
pub(super) fn queue_filters(
    q: Memo<QueueQuery>,
    go: &(impl Fn(QueueQuery) + Clone + 'static),
    search_ref: NodeRef<leptos::html::Input>,
    agents: LocalResource<Result<Vec<Agent>, ApiError>>,
    tiers: LocalResource<Result<TierList, ApiError>>,
    views: LocalResource<Result<Vec<SavedView>, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
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

    view! {
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
    }
}
