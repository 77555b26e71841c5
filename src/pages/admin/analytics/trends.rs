//! The KPI dashboard's time series: points issued against redeemed per
//! week, active members per month, tiers over time and cohort retention.

use leptos::prelude::*;
use patron_core::kpi::{KpiDashboard, Trends};

use crate::api;
use crate::components::chart::{BarChart, HeatMap, LineChart, Series};
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::format::number;
use crate::i18n::*;
use crate::pages::admin::analytics::model::cohort_grid;
use crate::pages::admin::analytics::words::week_label;

/// Points issued and redeemed per week of the dashboard's period.
#[component]
pub fn PointsFlowChart(
    /// The dashboard whose weekly series to draw.
    dashboard: KpiDashboard,
) -> impl IntoView {
    let i18n = use_i18n();
    let weekly = |key: &str| -> Vec<f64> {
        dashboard
            .get(key)
            .map(|k| k.series.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
            .unwrap_or_default()
    };
    let (issued, redeemed) = (weekly("points_issued"), weekly("points_redeemed"));
    let weeks = issued.len().max(redeemed.len());
    if weeks == 0 {
        return ().into_any();
    }
    let partial = dashboard.partial_last_week();
    let labels: Vec<String> = (0..weeks)
        .map(|i| week_label(i18n, i, weeks, partial))
        .collect();
    let series = vec![
        Series {
            name: t_string!(i18n, kpi.points_issued).to_string(),
            values: issued,
        },
        Series {
            name: t_string!(i18n, kpi.points_redeemed).to_string(),
            values: redeemed,
        },
    ];
    view! {
        <LineChart title=t_string!(i18n, trends.points_flow).to_string()
            labels=Signal::stored(labels) series=Signal::stored(series) />
    }
    .into_any()
}

/// The monthly trends (`GET /analytics/trends`).
#[component]
pub fn TrendsSection() -> impl IntoView {
    let i18n = use_i18n();
    let trends = LocalResource::new(api::analytics::trends);
    view! {
        <section class="card" aria-labelledby="trends-h" data-testid="trends">
            <h2 id="trends-h">{t!(i18n, trends.title)}</h2>
            <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
                {move || Suspend::new(async move {
                    match trends.await {
                        Ok(t) if t.months.is_empty() => view! { <p class="empty">{t!(i18n, trends.no_data)}</p> }.into_any(),
                        // A language switch draws the charts again in its words.
                        Ok(t) => (move || {
                            i18n.get_locale();
                            view! { <TrendCharts trends=t.clone() /> }
                        })
                        .into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || trends.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn TrendCharts(trends: Trends) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let months = trends.months.clone();
    let active = vec![Series {
        name: t_string!(i18n, kpi.active_members).to_string(),
        values: trends.active.iter().map(|v| *v as f64).collect(),
    }];
    let tiers: Vec<Series> = trends
        .tiers
        .iter()
        .zip(trends.tier_counts.iter())
        .map(|(name, counts)| Series {
            name: name.clone(),
            values: counts.iter().map(|v| *v as f64).collect(),
        })
        .collect();
    let retained: Vec<Vec<Option<f64>>> =
        trends.cohorts.iter().map(|c| c.retained.clone()).collect();
    let grid = cohort_grid(&retained);
    let width = grid.first().map(Vec::len).unwrap_or(0);
    let since: Vec<String> = (0..width)
        .map(|k| {
            t_string!(i18n, trends.month_n)
                .to_string()
                .replace("{n}", &k.to_string())
        })
        .collect();
    let cohorts: Vec<String> = trends
        .cohorts
        .iter()
        .map(|c| {
            t_string!(i18n, trends.cohort_label)
                .to_string()
                .replace("{month}", &c.month)
                .replace("{n}", &number(l, c.size))
        })
        .collect();
    view! {
        <div class="charts-grid">
            <LineChart title=t_string!(i18n, trends.active_per_month).to_string()
                labels=Signal::stored(months.clone()) series=Signal::stored(active) area=true />
            <BarChart title=t_string!(i18n, trends.tiers_over_time).to_string()
                labels=Signal::stored(months) series=Signal::stored(tiers) stacked=true />
        </div>
        {(!cohorts.is_empty() && width > 0).then(|| view! {
            <HeatMap title=t_string!(i18n, trends.cohorts).to_string()
                x_labels=Signal::stored(since) y_labels=Signal::stored(cohorts)
                cells=Signal::stored(grid) percent=true />
        })}
    }
}
