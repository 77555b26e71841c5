//! `/admin/segments`: the saved segments with their member counts.

use leptos::prelude::*;
use patron_core::segments::Segment;

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::format::{date_time, number};
use crate::i18n::*;
use crate::pages::admin::nav::AdminHeader;
use crate::routes::{admin_segment_href, Route};
use crate::state::session::Session;

/// The list of saved segments.
#[component]
pub fn AdminSegmentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let tz = Session::expect().time_zone();
    let list = LocalResource::new(api::segments::list);
    let l = move || i18n.get_locale();
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, nav.segments).to_string()) />
            <p class="page-actions">
                <a class="btn btn-primary" href=Route::AdminSegmentNew.href() data-testid="new-segment">{t!(i18n, seg.new_title)}</a>
                " "<a class="btn" href=Route::AdminAtRisk.href()>{t!(i18n, nav.at_risk)}</a>
            </p>
            <section class="card" aria-labelledby="segments-h">
                <h2 id="segments-h">{t!(i18n, seg.saved_segments)}</h2>
                <Suspense fallback=|| view! { <Skeleton lines=5 /> }>
                    {move || {
                        let tz = tz.clone();
                        Suspend::new(async move {
                            match list.await {
                                Ok(v) if v.is_empty() => view! { <p class="empty" data-testid="no-segments">{t!(i18n, seg.none_yet)}</p> }.into_any(),
                                Ok(v) => view! {
                                    <div class="table-scroll"><table class="table" data-testid="segments-table">
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, seg.name)}</th>
                                            <th scope="col" class="num">{t!(i18n, admin.members)}</th>
                                            <th scope="col">{t!(i18n, seg.computed_at)}</th>
                                            <th scope="col">{t!(i18n, seg.created_by)}</th>
                                        </tr></thead>
                                        <tbody>{v.into_iter().map(|s: Segment| {
                                            let (n, at, tz) = (s.member_count, s.computed_at, tz.clone());
                                            view! {
                                                <tr data-testid="segment-row">
                                                    <td><a href=admin_segment_href(s.id)>{s.name.clone()}</a>
                                                        {(!s.description.is_empty()).then(|| view! { <br /><small class="muted">{s.description.clone()}</small> })}</td>
                                                    <td class="num">{move || number(l(), n)}</td>
                                                    <td>{move || chrono::DateTime::from_timestamp(at, 0).map(|d| date_time(l(), d, &tz)).unwrap_or_default()}</td>
                                                    <td>{s.created_by.clone()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}</tbody>
                                    </table></div>
                                }.into_any(),
                                Err(e) => view! { <ErrorPanel error=e on_retry=move || list.refetch() /> }.into_any(),
                            }
                        })
                    }}
                </Suspense>
            </section>
        </div>
    }
}
