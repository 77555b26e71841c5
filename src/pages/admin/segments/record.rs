//! `/admin/segments/:id`: one saved segment — its definition in words, its
//! count and when it was computed (recount on demand), its charts and its
//! members a page at a time, with a CSV export.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use patron_core::segments::{Segment, SegmentMember};

use super::charts::SegmentChartsView;
use super::words::{definition_words, Vocabulary};
use crate::api::{self, ApiError};
use crate::components::dialog::Dialog;
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::pager::Pager;
use crate::components::skeleton::Skeleton;
use crate::components::toast::Toasts;
use crate::format::{date, date_time, number};
use crate::i18n::*;
use crate::labels::rfm_segment;
use crate::pages::admin::analytics::model::page_count;
use crate::pages::admin::nav::AdminHeader;
use crate::routes::{admin_member_href, admin_segment_edit_href, Route};
use crate::state::session::Session;

/// Members per page of the list.
const PER_PAGE: i64 = 50;

/// One saved segment.
#[component]
pub fn AdminSegmentPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0))
    });
    let segment = LocalResource::new(move || api::segments::get(id.get()));
    let options = LocalResource::new(api::segments::options);
    let settings = LocalResource::new(api::admin::settings);
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, seg.segment).to_string()) />
            <p><a href=Route::AdminSegments.href()>{t!(i18n, seg.back_to_segments)}</a></p>
            <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
                {move || Suspend::new(async move {
                    let tiers = options.await.map(|o| o.tiers).unwrap_or_default();
                    let currency = settings.await.ok().map(|s| s.currency);
                    match segment.await {
                        Ok(s) => view! { <Detail segment=s tiers=tiers currency=currency /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || segment.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Detail(segment: Segment, tiers: Vec<(i64, String)>, currency: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let navigate = use_navigate();
    let tz = Session::expect().time_zone();
    let l = move || i18n.get_locale();
    let id = segment.id;
    let current = RwSignal::new(segment.clone());
    let refresh = Action::new_local(move |_: &()| api::segments::refresh(id));
    let refresh_error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| match refresh.value().get() {
        Some(Ok(s)) => {
            current.set(s);
            refresh_error.set(None);
            toasts.show(t_string!(i18n, seg.recounted).to_string());
        }
        Some(Err(e)) => refresh_error.set(Some(e)),
        None => {}
    });
    let confirm_open = RwSignal::new(false);
    let delete = Action::new_local(move |_: &()| api::segments::delete(id));
    let delete_error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            confirm_open.set(false);
            toasts.show(t_string!(i18n, seg.deleted).to_string());
            navigate(&Route::AdminSegments.href(), Default::default());
        }
        Some(Err(e)) => delete_error.set(Some(e)),
        None => {}
    });
    let definition = segment.definition.clone();
    let tiers2 = tiers.clone();
    let cur2 = currency.clone();
    let words = move || {
        let v = Vocabulary {
            tiers: &tiers2,
            currency: cur2.as_deref(),
        };
        let (between, groups) = current.with(|s| definition_words(i18n, &s.definition, &v));
        view! {
            {between.map(|b| view! { <p>{b}</p> })}
            <ul class="definition-words" data-testid="segment-definition">
                {groups.into_iter().map(|g| view! { <li>{g}</li> }).collect_view()}
            </ul>
        }
    };
    let charts = LocalResource::new(move || api::segments::charts(definition.clone()));
    let page = RwSignal::new(0_i64);
    let members =
        LocalResource::new(move || api::segments::members(id, page.get() * PER_PAGE, PER_PAGE));
    // A recount refreshes the list and the charts too, so the three agree.
    Effect::new(move |prev: Option<()>| {
        if let Some(Ok(_)) = refresh.value().get() {
            if prev.is_some() {
                members.refetch();
                charts.refetch();
            }
        }
    });
    let tz_c = tz.clone();
    let computed = move || {
        let (n, at) = current.with(|s| (s.member_count, s.computed_at));
        t_string!(i18n, seg.count_computed)
            .to_string()
            .replace("{n}", &number(l(), n))
            .replace(
                "{time}",
                &chrono::DateTime::from_timestamp(at, 0)
                    .map(|d| date_time(l(), d, &tz_c))
                    .unwrap_or_default(),
            )
    };
    let cur3 = currency.clone();
    view! {
        <section class="card" aria-labelledby="segment-h">
            <h2 id="segment-h" data-testid="segment-name">{move || current.with(|s| s.name.clone())}</h2>
            {move || current.with(|s| (!s.description.is_empty()).then(|| view! { <p class="muted">{s.description.clone()}</p> }))}
            <h3>{t!(i18n, seg.definition)}</h3>
            {words}
            <p class="segment-count-value" data-testid="segment-count">{computed}</p>
            <div class="actions">
                <button type="button" class="btn" data-testid="refresh-segment" disabled=move || refresh.pending().get()
                    on:click=move |_| { refresh.dispatch(()); }>{t!(i18n, seg.recount)}</button>
                <a class="btn" href=admin_segment_edit_href(id) data-testid="edit-segment">{t!(i18n, admin.edit)}</a>
                <a class="btn" href=api::segments::members_csv_url(id) download=format!("segment-{id}.csv") data-testid="segment-csv">{t!(i18n, seg.export_csv)}</a>
                <button type="button" class="btn btn-danger" data-testid="delete-segment" on:click=move |_| { delete_error.set(None); confirm_open.set(true); }>{t!(i18n, admin.delete)}</button>
            </div>
            {move || refresh_error.get().map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
        </section>
        <section class="card" aria-labelledby="segment-charts-h">
            <h2 id="segment-charts-h">{t!(i18n, seg.charts)}</h2>
            <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
                {move || {
                    let currency = cur3.clone();
                    Suspend::new(async move {
                        match charts.await {
                            Ok(c) => (move || {
                                i18n.get_locale();
                                view! { <SegmentChartsView charts=c.clone() currency=currency.clone() /> }
                            })
                            .into_any(),
                            Err(e) => view! { <ErrorPanel error=e on_retry=move || charts.refetch() /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
        <section class="card" aria-labelledby="segment-members-h">
            <h2 id="segment-members-h">{t!(i18n, seg.members)}</h2>
            <Transition fallback=|| view! { <Skeleton lines=6 /> }>
                {move || {
                    let tz = tz.clone();
                    Suspend::new(async move {
                        match members.await {
                            Ok(p) if p.total == 0 => view! { <p class="empty">{t!(i18n, seg.no_members)}</p> }.into_any(),
                            Ok(p) => view! { <MemberTable members=p.members total=p.total page=page time_zone=tz /> }.into_any(),
                            Err(e) => view! { <ErrorPanel error=e on_retry=move || members.refetch() /> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
        <Dialog open=confirm_open labelled_by="delete-segment-h" on_close=move |_| confirm_open.set(false) testid="delete-segment-dialog">
            <h2 id="delete-segment-h">{t!(i18n, seg.delete_title)}</h2>
            <p>{move || t_string!(i18n, seg.delete_body).to_string().replace("{name}", &current.with(|s| s.name.clone()))}</p>
            {move || delete_error.get().map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
            <div class="actions">
                <button type="button" class="btn btn-danger" data-testid="confirm-delete" disabled=move || delete.pending().get()
                    on:click=move |_| { delete.dispatch(()); }>{t!(i18n, admin.delete)}</button>
                <button type="button" class="btn" on:click=move |_| confirm_open.set(false)>{t!(i18n, admin.cancel)}</button>
            </div>
        </Dialog>
    }
}

/// A page of a segment's members, with previous / next.
#[component]
fn MemberTable(
    members: Vec<SegmentMember>,
    total: i64,
    page: RwSignal<i64>,
    time_zone: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let l = move || i18n.get_locale();
    let pages = page_count(total, PER_PAGE);
    let rows = members
        .into_iter()
        .map(|m| {
            let tz = time_zone.clone();
            let tz2 = time_zone.clone();
            let joined = m.joined_at;
            let last = m.last_purchase_at;
            let seg = m.rfm_segment;
            view! {
                <tr data-testid="segment-member">
                    <td><a href=admin_member_href(m.id)>{m.name.clone()}</a><br /><small class="muted">{m.email.clone()}</small></td>
                    <td>{m.card_number.clone()}</td>
                    <td>{m.tier.clone()}</td>
                    <td>{m.region.clone()}</td>
                    <td>{move || chrono::DateTime::from_timestamp(joined, 0).map(|d| date(l(), d, &tz)).unwrap_or_default()}</td>
                    <td>{move || last.and_then(|t| chrono::DateTime::from_timestamp(t, 0)).map(|d| date(l(), d, &tz2)).unwrap_or_else(|| "—".into())}</td>
                    <td>{move || seg.map(|s| rfm_segment(i18n, s)).unwrap_or_else(|| "—".into())}</td>
                    <td class="num">{m.churn_score.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll"><table class="table" data-testid="segment-members">
            <thead><tr>
                <th scope="col">{t!(i18n, admin.member)}</th>
                <th scope="col">{t!(i18n, admin.card)}</th>
                <th scope="col">{t!(i18n, admin.tier_col)}</th>
                <th scope="col">{t!(i18n, admin.region)}</th>
                <th scope="col">{t!(i18n, admin.joined)}</th>
                <th scope="col">{t!(i18n, admin.last_purchase)}</th>
                <th scope="col">{t!(i18n, rfm.segment)}</th>
                <th scope="col" class="num">{t!(i18n, rfm.churn_score)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
        <Pager page=Signal::derive(move || page.get()) pages=pages total=total on_page=move |p| page.set(p) />
    }
}
