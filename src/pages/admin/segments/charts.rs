//! A segment's charts: who is in it (tier, region, age band, gender)
//! against all members, its RFM heat map and its spend histogram.

use leptos::prelude::*;
use patron_core::segments::{Distribution, SegmentCharts};

use super::model::{rfm_grid, shares};
use crate::components::chart::{BarChart, Bin, HeatMap, Histogram, Scatter, Series};
use crate::format::{money_minor, number};
use crate::i18n::*;

/// The charts of one segment (or of a definition not yet saved).
#[component]
pub fn SegmentChartsView(
    /// What the server computed.
    charts: SegmentCharts,
    /// The programme currency, for spend (when known).
    currency: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let segment_name = t_string!(i18n, seg.this_segment).to_string();
    let all_name = t_string!(i18n, seg.all_members).to_string();
    let distribution = |title: String, d: &Distribution| {
        let (labels, seg, all) = shares(&d.rows);
        let series = vec![
            Series {
                name: segment_name.clone(),
                values: seg,
            },
            Series {
                name: all_name.clone(),
                values: all,
            },
        ];
        view! {
            <BarChart title=title labels=Signal::stored(labels) series=Signal::stored(series) percent=true />
        }
    };
    let (members, spend) = rfm_grid(&charts.rfm);
    let cur = currency.clone();
    let cell_text = Callback::new(move |(y, x): (usize, usize)| {
        let n = members
            .get(y)
            .and_then(|r| r.get(x))
            .copied()
            .flatten()
            .unwrap_or(0.0) as i64;
        let avg = spend.get(y).and_then(|r| r.get(x)).copied().flatten();
        let avg = match (avg, cur.as_deref()) {
            (Some(a), Some(c)) => money_minor(l, a, c),
            (Some(a), None) => format!("{:.2}", a as f64 / 100.0),
            (None, _) => "—".into(),
        };
        t_string!(i18n, seg.rfm_cell)
            .to_string()
            .replace("{n}", &number(l, n))
            .replace("{avg}", &avg)
    });
    let (heat, _) = rfm_grid(&charts.rfm);
    let bins: Vec<Bin> = charts
        .spend
        .iter()
        .map(|b| Bin {
            from: b.from_minor as f64 / 100.0,
            to: b.to_minor as f64 / 100.0,
            count: b.members.max(0) as u64,
        })
        .collect();
    let spend_title = t_string!(i18n, seg.chart_spend)
        .to_string()
        .replace("{days}", &number(l, charts.rfm_window_days))
        .replace("{currency}", currency.as_deref().unwrap_or(""));
    let points: Vec<(f64, f64)> = charts
        .scatter
        .iter()
        .map(|(d, m)| (*d as f64, *m as f64 / 100.0))
        .collect();
    let scatter_title = t_string!(i18n, seg.chart_scatter)
        .to_string()
        .replace("{days}", &number(l, charts.rfm_window_days))
        .replace("{n}", &number(l, points.len() as i64));
    let scatter_y = t_string!(i18n, seg.scatter_y)
        .to_string()
        .replace("{currency}", currency.as_deref().unwrap_or(""));
    view! {
        <div class="charts-grid" data-testid="segment-charts">
            {distribution(t_string!(i18n, seg.chart_tier).to_string(), &charts.by_tier)}
            {distribution(t_string!(i18n, seg.chart_region).to_string(), &charts.by_region)}
            {distribution(t_string!(i18n, seg.chart_age_band).to_string(), &charts.by_age_band)}
            {distribution(t_string!(i18n, seg.chart_gender).to_string(), &charts.by_gender)}
            <HeatMap
                title=t_string!(i18n, seg.chart_rfm).to_string()
                x_labels=Signal::stored((1..=5).map(|f| format!("F{f}")).collect::<Vec<_>>())
                y_labels=Signal::stored((1..=5).rev().map(|r| format!("R{r}")).collect::<Vec<_>>())
                cells=Signal::stored(heat)
                cell_text=cell_text
            />
            <Histogram title=spend_title bins=Signal::stored(bins) />
            <Scatter
                title=scatter_title
                points=Signal::stored(points)
                x_name=t_string!(i18n, seg.scatter_x).to_string()
                y_name=scatter_y
            />
        </div>
    }
}
