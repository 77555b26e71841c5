//! `/admin/at-risk`: members whose churn score is at or above the line,
//! sortable and paged on the server (the URL keeps sort and page), with
//! each member's score and reasons in words, a CSV export, and a button
//! that saves them as a segment for a win-back campaign.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use patron_core::analytics::{window_problem, AtRiskMember};
use patron_core::segments::SegmentDraft;

use crate::api::{self, ApiError};
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::field_error::FieldError;
use crate::components::pager::Pager;
use crate::components::skeleton::Skeleton;
use crate::components::toast::Toasts;
use crate::format::{date, date_time, money_minor, number};
use crate::i18n::*;
use crate::labels::{churn_reason, rfm_segment};
use crate::pages::admin::analytics::model::{at_risk_definition, page_count, AtRiskView};
use crate::pages::admin::nav::AdminHeader;
use crate::routes::{admin_member_href, admin_segment_href, Route};
use crate::state::session::Session;

/// Members per page.
const PER_PAGE: i64 = 50;
/// Reasons shown per member (the biggest).
const TOP_REASONS: usize = 3;

/// The at-risk list.
#[component]
pub fn AdminAtRiskPage() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let tz = Session::expect().time_zone();
    let query = use_query_map();
    let navigate = use_navigate();
    let l = move || i18n.get_locale();
    let view_state = Memo::new(move |_| {
        query.with(|q| {
            AtRiskView::from_query(
                q.get("sort").as_deref(),
                q.get("desc").as_deref(),
                q.get("page").as_deref(),
            )
        })
    });
    let go = {
        let navigate = navigate.clone();
        move |v: AtRiskView| {
            navigate(
                &format!("{}?{}", Route::AdminAtRisk.path(), v.to_query()),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            )
        }
    };
    let page = LocalResource::new(move || {
        let v = view_state.get();
        api::analytics::at_risk(v.sort, v.desc, v.page * PER_PAGE, PER_PAGE)
    });
    let settings = LocalResource::new(api::admin::settings);
    let scores = LocalResource::new(api::analytics::scores);
    let recompute = Action::new_local(|w: &Option<i64>| api::analytics::refresh_scores(*w));
    let recompute_error = RwSignal::new(None::<ApiError>);
    // The RFM window: what the admin typed, else the last run's.
    let window_typed = RwSignal::new(None::<String>);
    let window_text = move || {
        window_typed.get().unwrap_or_else(|| {
            scores
                .get()
                .and_then(|r| r.ok().flatten())
                .map(|run| run.window_days.to_string())
                .unwrap_or_default()
        })
    };
    let window_local_problem = RwSignal::new(None::<String>);
    let window_message = Signal::derive(move || {
        window_local_problem
            .get()
            .or_else(|| recompute_error.with(|e| e.as_ref().and_then(|e| e.field("window_days"))))
    });
    let run_recompute = move || {
        // Empty: the stored window; not a number: out of range.
        let text = window_text();
        let window = text.trim().parse::<i64>().ok();
        let problem = (!text.trim().is_empty())
            .then(|| window_problem(window.unwrap_or(0)))
            .flatten();
        window_local_problem.set(problem.map(str::to_string));
        if problem.is_none() {
            recompute.dispatch(window);
        }
    };
    Effect::new(move |_| match recompute.value().get() {
        Some(Ok(_)) => {
            recompute_error.set(None);
            window_typed.set(None);
            toasts.show(t_string!(i18n, risk.recomputed).to_string());
            scores.refetch();
            page.refetch();
        }
        Some(Err(e)) => recompute_error.set(Some(e)),
        None => {}
    });
    let make_segment = Action::new_local(move |name: &String| {
        let draft = SegmentDraft {
            name: name.clone(),
            description: t_string!(i18n, risk.winback_description).to_string(),
            definition: at_risk_definition(),
        };
        api::segments::save(None, draft)
    });
    let make_error = RwSignal::new(None::<ApiError>);
    {
        let navigate = navigate.clone();
        Effect::new(move |_| match make_segment.value().get() {
            Some(Ok(s)) => {
                toasts.show(t_string!(i18n, seg.saved).to_string());
                navigate(&admin_segment_href(s.id), Default::default());
            }
            Some(Err(e)) => make_error.set(Some(e)),
            None => {}
        });
    }
    let tz_s = tz.clone();
    let scores_line = move || {
        let tz = tz_s.clone();
        Suspend::new(async move {
            match scores.await {
                Ok(Some(run)) => {
                    let at = chrono::DateTime::from_timestamp(run.finished_at, 0)
                        .map(|d| date_time(l(), d, &tz))
                        .unwrap_or_default();
                    t_string!(i18n, risk.scores_computed)
                        .to_string()
                        .replace("{time}", &at)
                        .replace("{days}", &number(l(), run.window_days))
                        .replace("{n}", &number(l(), run.at_risk))
                        .replace("{members}", &number(l(), run.members))
                }
                Ok(None) => t_string!(i18n, risk.scores_never).to_string(),
                Err(e) => error_text(i18n, &e),
            }
        })
    };
    let csv = move || view_state.with(|v| api::analytics::at_risk_csv_url(&v.sort, v.desc));
    let go_table = go.clone();
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, nav.at_risk).to_string()) />
            <section class="card" aria-labelledby="risk-scores-h">
                <h2 id="risk-scores-h" class="visually-hidden">{t!(i18n, risk.scores)}</h2>
                <p data-testid="scores-computed"><Suspense fallback=move || view! { <span class="muted">{t!(i18n, loading)}</span> }>{scores_line}</Suspense></p>
                <p class="hint">{t!(i18n, risk.explain)}</p>
                <div class="field rfm-window">
                    <label for="rfm-window">{t!(i18n, risk.window)}</label>
                    <input id="rfm-window" type="number" inputmode="numeric" min="30" max="1095" step="1" data-testid="rfm-window"
                        aria-describedby="rfm-window-error"
                        aria-invalid=move || window_message.with(|m| m.is_some()).to_string()
                        prop:value=window_text
                        on:input=move |ev| window_typed.set(Some(event_target_value(&ev))) />
                    <FieldError message=window_message id="rfm-window-error" />
                </div>
                <div class="actions">
                    <button type="button" class="btn" data-testid="recompute" disabled=move || recompute.pending().get()
                        on:click=move |_| run_recompute()>
                        {move || if recompute.pending().get() { t_string!(i18n, risk.recomputing) } else { t_string!(i18n, risk.recompute) }}</button>
                    <a class="btn" href=csv download="at-risk.csv" data-testid="at-risk-csv">{t!(i18n, seg.export_csv)}</a>
                    <button type="button" class="btn btn-primary" data-testid="make-segment" disabled=move || make_segment.pending().get()
                        on:click=move |_| {
                            let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
                            make_segment.dispatch(t_string!(i18n, risk.winback_name).to_string().replace("{date}", &today));
                        }>{t!(i18n, risk.make_segment)}</button>
                </div>
                {move || {
                    let e = recompute_error.get().filter(|e| e.field("window_days").is_none());
                    e.or(make_error.get()).map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })
                }}
            </section>
            <section class="card" aria-labelledby="risk-list-h">
                <h2 id="risk-list-h">{t!(i18n, risk.list)}</h2>
                <Transition fallback=|| view! { <Skeleton lines=8 /> }>
                    {move || {
                        let tz = tz.clone();
                        let go = go_table.clone();
                        Suspend::new(async move {
                            let currency = settings.await.ok().map(|s| s.currency);
                            match page.await {
                                Ok(p) if p.total == 0 => view! { <p class="empty" data-testid="no-at-risk">{t!(i18n, risk.none)}</p> }.into_any(),
                                Ok(p) => {
                                    let v = view_state.get_untracked();
                                    let pages = page_count(p.total, PER_PAGE);
                                    let go_sort = go.clone();
                                    let sort_by = Callback::new(move |col: &'static str| go_sort(view_state.get_untracked().sorted_by(col)));
                                    let go_page = go.clone();
                                    view! {
                                        <RiskTable members=p.members state=v sort_by=sort_by currency=currency time_zone=tz />
                                        <Pager page=Signal::derive(move || view_state.with(|v| v.page)) pages=pages total=p.total
                                            on_page=move |n| go_page(AtRiskView { page: n, ..view_state.get_untracked() }) />
                                    }.into_any()
                                }
                                Err(e) => view! { <ErrorPanel error=e on_retry=move || page.refetch() /> }.into_any(),
                            }
                        })
                    }}
                </Transition>
            </section>
        </div>
    }
}

/// The table; column heads sort.
#[component]
fn RiskTable(
    members: Vec<AtRiskMember>,
    state: AtRiskView,
    sort_by: Callback<&'static str>,
    currency: Option<String>,
    time_zone: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let l = move || i18n.get_locale();
    let head = |col: &'static str,
                label: fn(leptos_i18n::I18nContext<Locale>) -> String,
                num: bool| {
        let sorted = (state.sort == col).then_some(state.desc);
        let aria = match sorted {
            Some(true) => "descending",
            Some(false) => "ascending",
            None => "none",
        };
        let arrow = match sorted {
            Some(true) => " ▼",
            Some(false) => " ▲",
            None => "",
        };
        view! {
            <th scope="col" class:num=num aria-sort=aria>
                <button type="button" class="sort-button" data-testid=format!("sort-{col}") on:click=move |_| sort_by.run(col)>
                    {move || label(i18n)}{arrow}</button>
            </th>
        }
    };
    let rows = members
        .into_iter()
        .map(|m| {
            let tz = time_zone.clone();
            let cur = currency.clone();
            let cur2 = currency.clone();
            let (last, spend, seg) = (m.last_purchase_at, m.monetary_minor, m.segment);
            let reasons: Vec<_> = m.reasons.iter().take(TOP_REASONS).map(|r| r.1.clone()).collect();
            view! {
                <tr data-testid="at-risk-row">
                    <td><a href=admin_member_href(m.id)>{m.name.clone()}</a><br /><small class="muted">{m.email.clone()}</small></td>
                    <td class="num"><span class="risk-score" data-testid="churn-score">{m.churn_score}</span></td>
                    <td><ul class="reasons">{move || reasons.iter().map(|r| view! { <li>{churn_reason(i18n, r, cur.as_deref())}</li> }).collect_view()}</ul></td>
                    <td>{m.tier.clone()}</td>
                    <td>{move || rfm_segment(i18n, seg)}</td>
                    <td>{move || last.and_then(|t| chrono::DateTime::from_timestamp(t, 0)).map(|d| date(l(), d, &tz)).unwrap_or_else(|| "—".into())}</td>
                    <td class="num">{move || match cur2.as_deref() { Some(c) => money_minor(l(), spend, c), None => number(l(), spend / 100) }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll"><table class="table at-risk-table" data-testid="at-risk-table">
            <thead><tr>
                {head("name", |i| t_string!(i, admin.member).to_string(), false)}
                {head("score", |i| t_string!(i, rfm.churn_score).to_string(), true)}
                <th scope="col">{t!(i18n, risk.reasons)}</th>
                <th scope="col">{t!(i18n, admin.tier_col)}</th>
                <th scope="col">{t!(i18n, rfm.segment)}</th>
                {head("last_purchase", |i| t_string!(i, admin.last_purchase).to_string(), false)}
                {head("spend", |i| t_string!(i, risk.spend).to_string(), true)}
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}
