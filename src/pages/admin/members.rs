//! `/admin/members`: every member, searched and filtered on the server,
//! paged by 100 and drawn as a virtual list. The URL keeps the query.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use patron_core::admin::{MemberListItem, MemberQuery, MemberSort, MEMBER_PAGE};

use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::virtual_list::VirtualList;
use crate::format::{date, number};
use crate::i18n::*;
use crate::pages::admin::nav::AdminHeader;
use crate::routes::{admin_member_href, admin_members_href};
use crate::state::session::Session;

/// Height of a member row in px (the virtual list needs it fixed).
pub const ROW_HEIGHT: f64 = 56.0;
const LIST_HEIGHT: f64 = 600.0;
const KEYS: [&str; 9] = [
    "q",
    "tier",
    "status",
    "region",
    "joined_from",
    "joined_to",
    "last_from",
    "last_to",
    "sort",
];

/// The member table.
#[component]
pub fn AdminMembersPage() -> impl IntoView {
    let i18n = use_i18n();
    let tz = Session::expect().time_zone();
    let query = use_query_map();
    let navigate = use_navigate();
    let q = Memo::new(move |_| {
        let m = query.get();
        let pairs: Vec<(&str, String)> = KEYS
            .into_iter()
            .filter_map(|k| m.get(k).map(|v| (k, v)))
            .collect();
        MemberQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str()))).unwrap_or_default()
    });
    let rows = RwSignal::new(Vec::<MemberListItem>::new());
    let total = RwSignal::new(0_usize);
    let regions = RwSignal::new(Vec::<String>::new());
    let loaded_for = RwSignal::new(None::<MemberQuery>);
    let load = Action::new_local(|q: &MemberQuery| {
        let q = q.clone();
        async move { (q.clone(), api::admin::members(q).await) }
    });
    Effect::new(move |_| {
        let q = q.get();
        rows.set(Vec::new());
        total.set(0);
        loaded_for.set(None);
        load.dispatch(q);
    });
    Effect::new(move |_| {
        let Some((for_q, Ok(page))) = load.value().get() else {
            return;
        };
        let current = q.get_untracked();
        if (MemberQuery {
            offset: 0,
            ..for_q.clone()
        }) != current
        {
            return; // an answer for filters no longer shown
        }
        if for_q.offset == 0 {
            rows.set(page.items);
        } else {
            rows.update(|r| {
                let seen: std::collections::HashSet<i64> = r.iter().map(|m| m.id).collect();
                r.extend(page.items.into_iter().filter(|m| !seen.contains(&m.id)));
            });
        }
        total.set(page.total.max(0) as usize);
        regions.set(page.regions);
        loaded_for.set(Some(current));
    });
    let load_error = Memo::new(move |_| match load.value().get() {
        Some((_, Err(e))) => Some(e),
        _ => None,
    });
    let more = move || {
        let loaded = rows.with_untracked(Vec::len);
        if !load.pending().get_untracked() && loaded < total.get_untracked() {
            load.dispatch(MemberQuery {
                offset: (loaded as i64 / MEMBER_PAGE) * MEMBER_PAGE,
                ..q.get_untracked()
            });
        }
    };
    let go = move |f: MemberQuery| {
        navigate(
            &admin_members_href(&f.to_query()),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let go2 = go.clone();
    let set = move |f: &dyn Fn(&mut MemberQuery)| {
        let mut n = q.get_untracked();
        f(&mut n);
        n.offset = 0;
        go2(n);
    };
    let set2 = set.clone();
    let tiers = LocalResource::new(api::member::tiers);
    let search = RwSignal::new(q.get_untracked().q);
    let l = move || i18n.get_locale();
    let render = move |m: MemberListItem| {
        let tz = tz.clone();
        let last = m
            .last_purchase_at
            .map(|d| date(l(), d, &tz))
            .unwrap_or_else(|| "—".into());
        view! {
            <a class="member-row" href=admin_member_href(m.id) data-testid="member-row">
                <span class="m-name"><strong>{m.name.clone()}</strong><small class="muted">{m.email.clone()}</small></span>
                <span class="m-card">{m.card_number.clone()}</span>
                <span class="m-tier"><span class="tier-dot" style:background=m.tier_colour.clone()></span>{m.tier.clone()}
                    {m.tier_locked.then(|| view! { <span class="tag">{t!(i18n, admin.locked)}</span> })}</span>
                <span class="m-region">{format!("{} · {}", m.region, m.city)}</span>
                <span class="m-joined">{date(l(), m.joined_at, &tz)}</span>
                <span class="m-last">{last}</span>
                <span class="m-status">{m.blocked.then(|| view! { <span class="tag tag-danger">{t!(i18n, admin.blocked)}</span> })}</span>
            </a>
        }
    };
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, nav.members).to_string()) />
            <form class="filters card" role="search" on:submit=move |ev| {
                ev.prevent_default();
                let v = search.get_untracked();
                set(&|f| f.q = v.trim().to_string());
            }>
                <label class="field grow"><span>{t!(i18n, admin.search_members)}</span>
                    <input type="search" data-testid="member-search" prop:value=move || search.get()
                        placeholder=move || t_string!(i18n, admin.search_hint).to_string()
                        on:input=move |ev| search.set(event_target_value(&ev)) />
                </label>
                <label class="field"><span>{t!(i18n, admin.tier_col)}</span>
                    <select data-testid="member-tier" prop:value=move || q.with(|f| f.tier_id.map(|t| t.to_string()).unwrap_or_default())
                        on:change={let set = set2.clone(); move |ev| { let v = event_target_value(&ev); set(&|f| f.tier_id = v.parse().ok()) }}>
                        <option value="">{t!(i18n, admin.any)}</option>
                        {move || tiers.get().and_then(Result::ok).map(|l| l.tiers.into_iter().map(|t| view! {
                            <option value=t.tier.id.to_string() selected=q.with_untracked(|f| f.tier_id == Some(t.tier.id))>{t.tier.name}</option>
                        }).collect_view())}
                    </select>
                </label>
                <label class="field"><span>{t!(i18n, admin.status)}</span>
                    <select prop:value=move || q.with(|f| f.status.clone().unwrap_or_default())
                        on:change={let set = set2.clone(); move |ev| { let v = event_target_value(&ev); set(&|f| f.status = (!v.is_empty()).then(|| v.clone())) }}>
                        <option value="">{t!(i18n, admin.any)}</option>
                        <option value="active">{t!(i18n, admin.active)}</option>
                        <option value="blocked">{t!(i18n, admin.blocked)}</option>
                    </select>
                </label>
                <label class="field"><span>{t!(i18n, admin.region)}</span>
                    <select prop:value=move || q.with(|f| f.region.clone().unwrap_or_default())
                        on:change={let set = set2.clone(); move |ev| { let v = event_target_value(&ev); set(&|f| f.region = (!v.is_empty()).then(|| v.clone())) }}>
                        <option value="">{t!(i18n, admin.any)}</option>
                        {move || regions.get().into_iter().map(|r| view! {
                            <option value=r.clone() selected=q.with_untracked(|f| f.region.as_deref() == Some(r.as_str()))>{r.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                {[("joined_from", 0usize), ("joined_to", 1), ("last_from", 2), ("last_to", 3)].into_iter().map(|(key, n)| {
                    let set = set2.clone();
                    let get = move |f: &MemberQuery| match n { 0 => f.joined_from, 1 => f.joined_to, 2 => f.last_from, _ => f.last_to };
                    let label = move || match n {
                        0 => t_string!(i18n, admin.joined_from), 1 => t_string!(i18n, admin.joined_to),
                        2 => t_string!(i18n, admin.last_from), _ => t_string!(i18n, admin.last_to),
                    };
                    view! {
                        <label class="field"><span>{label}</span>
                            <input type="date" data-testid=format!("member-{key}")
                                prop:value=move || q.with(|f| get(f).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default())
                                on:change=move |ev| {
                                    let d = chrono::NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d").ok();
                                    set(&|f| match n { 0 => f.joined_from = d, 1 => f.joined_to = d, 2 => f.last_from = d, _ => f.last_to = d });
                                } />
                        </label>
                    }
                }).collect_view()}
                <label class="field"><span>{t!(i18n, admin.sort)}</span>
                    <select data-testid="member-sort" prop:value=move || q.with(|f| f.sort.as_str())
                        on:change={let set = set2.clone(); move |ev| { let v = MemberSort::parse(&event_target_value(&ev)).unwrap_or_default(); set(&|f| f.sort = v) }}>
                        <option value="name">{t!(i18n, admin.sort_name)}</option>
                        <option value="joined_newest">{t!(i18n, admin.sort_joined_new)}</option>
                        <option value="joined_oldest">{t!(i18n, admin.sort_joined_old)}</option>
                        <option value="last_purchase_newest">{t!(i18n, admin.sort_last_new)}</option>
                        <option value="last_purchase_oldest">{t!(i18n, admin.sort_last_old)}</option>
                    </select>
                </label>
                <div class="actions">
                    <button class="btn btn-primary" type="submit">{t!(i18n, admin.search)}</button>
                    <button class="btn" type="button" on:click=move |_| { search.set(String::new()); go(MemberQuery::default()); }>{t!(i18n, admin.clear)}</button>
                </div>
            </form>
            <p class="result-count" role="status" data-testid="member-total">
                {move || loaded_for.get().is_some().then(|| t_string!(i18n, admin.members_found).to_string().replace("{n}", &number(l(), total.get() as i64)))}
            </p>
            <div class="card table-card">
                <div class="member-row member-head" aria-hidden="true">
                    <span>{t!(i18n, admin.member)}</span><span>{t!(i18n, admin.card)}</span><span>{t!(i18n, admin.tier_col)}</span>
                    <span>{t!(i18n, admin.region)}</span><span>{t!(i18n, admin.joined)}</span><span>{t!(i18n, admin.last_purchase)}</span><span></span>
                </div>
                {move || (loaded_for.get().is_some() && total.get() == 0).then(|| view! { <p class="empty">{t!(i18n, admin.no_members)}</p> })}
                <VirtualList
                    rows=rows
                    total=total
                    row_height=ROW_HEIGHT
                    height=LIST_HEIGHT
                    render=render
                    on_need_more=move |_| more()
                    label=Signal::derive(move || t_string!(i18n, nav.members).to_string())
                    reset_on=Signal::derive(move || q.get().to_query())
                    row_key=|m: &MemberListItem| m.id
                    testid="member-list"
                />
                {move || load_error.get().map(|e: ApiError| view! { <ErrorPanel error=e on_retry=move || { load.dispatch(q.get_untracked()); } /> })}
            </div>
        </div>
    }
}
