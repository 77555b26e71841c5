//! `/analytics`: the programme's KPIs for a period (30, 90, 365 days or
//! custom) against the period before, each with a weekly sparkline and a
//! table of the weekly figures as its text alternative. Admins and support.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use patron_core::kpi::{change, Kpi, KpiDashboard};

use crate::api;
use crate::components::chart::Sparkline;
use crate::components::error_panel::ErrorPanel;
use crate::components::signed_in_as::SignedInAs;
use crate::components::skeleton::Skeleton;
use crate::i18n::*;
use crate::pages::admin::analytics::targets::TargetsSection;
use crate::pages::admin::analytics::trends::{PointsFlowChart, TrendsSection};
use crate::pages::admin::analytics::words::{label, show, show_change, week_label};
use crate::state::session::Session;
use patron_core::auth::Role;

/// The KPI dashboard page.
#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let qs = Memo::new(move |_| {
        let m = query.get();
        match (m.get("from"), m.get("to")) {
            (Some(f), Some(t)) => format!("from={f}&to={t}"),
            _ => format!("days={}", m.get("days").unwrap_or_else(|| "30".into())),
        }
    });
    let data = LocalResource::new(move || api::analytics::kpis(qs.get()));
    let currency = Signal::derive(move || data.get().and_then(Result::ok).map(|d| d.currency));
    let is_admin = untrack(|| Session::expect().role()) == Some(Role::Admin);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let go = move |q: String| {
        navigate(
            &format!("/analytics?{q}"),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        )
    };
    let go2 = go.clone();
    view! {
        <div class="page analytics-page">
            <header class="admin-header">
                <h1>{t!(i18n, nav.analytics)}</h1>
                <SignedInAs />
            </header>
            <div class="filters card" role="group" aria-label=move || t_string!(i18n, kpi.period).to_string()>
                {[30, 90, 365].into_iter().map(|d| {
                    let go = go.clone();
                    view! {
                        <button type="button" class="tab" data-testid=format!("period-{d}")
                            aria-pressed=move || (qs.get() == format!("days={d}")).to_string()
                            on:click=move |_| go(format!("days={d}"))>
                            {move || t_string!(i18n, kpi.days).to_string().replace("{n}", &d.to_string())}
                        </button>
                    }
                }).collect_view()}
                <form class="inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let (f, t) = (from.get_untracked(), to.get_untracked());
                    if !f.is_empty() && !t.is_empty() { go2(format!("from={f}&to={t}")); }
                }>
                    <label class="field"><span>{t!(i18n, admin.from)}</span>
                        <input type="date" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev)) /></label>
                    <label class="field"><span>{t!(i18n, admin.to)}</span>
                        <input type="date" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev)) /></label>
                    <button class="btn" type="submit">{t!(i18n, kpi.apply)}</button>
                </form>
            </div>
            <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <Dashboard d=d /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || data.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
            <TrendsSection />
            <TargetsSection can_edit=is_admin currency=currency />
        </div>
    }
}

#[component]
fn Dashboard(d: KpiDashboard) -> impl IntoView {
    let i18n = use_i18n();
    let currency = d.currency.clone();
    let period = format!("{} – {}", d.from, d.to);
    let previous = format!("{} – {}", d.previous_from, d.previous_to);
    let show_tables = RwSignal::new(false);
    let partial = d.partial_last_week();
    // Charts draw their words once: a language switch draws them again.
    let flow = {
        let d = d.clone();
        move || {
            i18n.get_locale();
            view! { <PointsFlowChart dashboard=d.clone() /> }
        }
    };
    let cards = d.kpis.into_iter().map(|k: Kpi| {
        let currency = currency.clone();
        let key = k.key.clone();
        let unit = k.unit;
        let c = show_change(&key, unit, change(unit, k.value, k.previous));
        // The chart module's sparkline (plotters on a canvas); a week
        // without a value is a gap. A short last week (2 days of a 30-day
        // period) would look like a collapse: the line leaves it out, the
        // table keeps it, named as short.
        let whole = k.series.len() - usize::from(partial.is_some() && !k.series.is_empty());
        let spark: Vec<f64> = k.series[..whole].iter().map(|v| v.unwrap_or(f64::NAN)).collect();
        let has_line = spark.iter().filter(|v| v.is_finite()).count() >= 2;
        let series = k.series.clone();
        let weeks = series.len();
        let cur2 = currency.clone();
        let cur3 = currency.clone();
        view! {
            <article class="kpi card" data-testid=format!("kpi-{key}")>
                <h2 class="kpi-label">{let key = key.clone(); move || label(i18n, &key)}</h2>
                <p class="kpi-value" data-testid="kpi-value">{move || show(i18n, unit, k.value, &currency)}</p>
                <p class="kpi-change">
                    {c.map(|(text, class)| view! { <span class=format!("delta {class}")>{text}</span> })}
                    " "<span class="muted">{move || t_string!(i18n, kpi.vs_before).to_string().replace("{v}", &show(i18n, unit, k.previous, &cur2))}</span>
                </p>
                {has_line.then(|| {
                    let key = key.clone();
                    view! {
                        <Sparkline
                            title=Signal::derive(move || t_string!(i18n, kpi.weekly_of).to_string().replace("{kpi}", &label(i18n, &key)))
                            values=Signal::stored(spark)
                        />
                    }
                })}
                {(!series.is_empty()).then(|| {
                    let rows = series.iter().enumerate().map(|(i, v)| {
                        let v = *v;
                        let cur = cur3.clone();
                        view! { <tr><th scope="row">{move || week_label(i18n, i, weeks, partial)}</th><td class="num">{move || show(i18n, unit, v, &cur)}</td></tr> }
                    }).collect_view();
                    view! {
                        <table class="table kpi-weeks" hidden=move || !show_tables.get()>
                            <caption>{t!(i18n, kpi.weekly)}</caption>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                })}
            </article>
        }
    }).collect_view();
    view! {
        <p class="hint" data-testid="kpi-period">{move || t_string!(i18n, kpi.period_line).to_string().replace("{period}", &period).replace("{previous}", &previous)}</p>
        <button type="button" class="btn btn-link" aria-expanded=move || show_tables.get().to_string()
            on:click=move |_| show_tables.update(|v| *v = !*v)>{t!(i18n, kpi.show_weekly)}</button>
        <div class="kpi-grid">{cards}</div>
        <section class="card" aria-labelledby="points-flow-h">
            <h2 id="points-flow-h">{t!(i18n, trends.points_heading)}</h2>
            {flow}
        </section>
    }
}
