//! Bar charts (grouped or stacked) and histograms.

use leptos::html;
use leptos::prelude::*;
use plotters::prelude::*;

use super::canvas::{use_canvas_draw, ChartFrame, DrawResult, Table, MAX_TABLE_ROWS};
use super::draw::category_chart;
use super::format::{compact, describe_bars, describe_histogram, full, value};
use super::reduce::{extent, nice_range, stack};
use super::series::{Bin, Series};
use super::words::words;
use crate::i18n::*;

/// Canvas height of bar charts and histograms, CSS pixels.
const HEIGHT: f64 = 240.0;

/// Bars for `labels` (categories) × `series`.
#[component]
pub fn BarChart(
    /// Caption, and the table's caption.
    title: String,
    /// One per category.
    #[prop(into)]
    labels: Signal<Vec<String>>,
    /// One value per label each; several series are grouped side by side.
    #[prop(into)]
    series: Signal<Vec<Series>>,
    /// Stack the series instead of grouping them.
    #[prop(optional)]
    stacked: bool,
    /// Values are fractions (0..1), shown as percents.
    #[prop(optional)]
    percent: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let canvas = NodeRef::<html::Canvas>::new();
    use_canvas_draw("bar", canvas, move |root, f| {
        let labels = labels.get();
        let series = series.get();
        let n = labels.len();
        let values: Vec<&[f64]> = series
            .iter()
            .map(|s| &s.values[..s.values.len().min(n)])
            .collect();
        let stacks = stack(&values, n);
        let (lo, hi) = if stacked {
            extent(stacks.iter().flatten().flat_map(|&(a, b)| [a, b]))
        } else {
            extent(values.iter().flat_map(|v| v.iter().copied()))
        }
        .unwrap_or((0.0, 1.0));
        let chart = category_chart(root, f, &labels, n, nice_range(lo, hi, true), percent)?;
        let k = series.len().max(1) as f64;
        let values = &values;
        // Bars fill 70% of their slot; grouped series split it.
        let bars = stacks.iter().enumerate().flat_map(|(s, segs)| {
            let colour = f.theme.series(s).filled();
            segs.iter()
                .enumerate()
                .filter_map(move |(i, &(base, top))| {
                    let raw = values[s].get(i).copied().filter(|v| v.is_finite())?;
                    let x = i as f64 + 0.15;
                    let (x0, x1, y0, y1) = if stacked {
                        (x, x + 0.7, base, top)
                    } else {
                        let w = 0.7 / k;
                        (x + w * s as f64, x + w * (s as f64 + 1.0), 0.0, raw)
                    };
                    Some(Rectangle::new([(x0, y0), (x1, y1)], colour))
                })
        });
        let mut chart = chart;
        chart.draw_series(bars)?;
        Ok(())
    });
    let label = Signal::derive(move || {
        let named: Vec<(String, Vec<f64>)> = series
            .get()
            .into_iter()
            .map(|s| (s.name, s.values))
            .collect();
        describe_bars(&labels.get(), &named, stacked, percent, &words(i18n))
    });
    let legend = Signal::derive(move || series.get().into_iter().map(|s| s.name).collect());
    let table = Signal::derive(move || {
        labels.with(|l| series.with(|s| Table::of_series(l, s, l.len(), |v| value(v, percent))))
    });
    view! {
        <ChartFrame title kind="bar" canvas label height=HEIGHT legend table />
    }
}

/// "from–to" label of a bin.
fn bin_label(b: &Bin) -> String {
    format!("{}–{}", compact(b.from), compact(b.to))
}

/// Counts per value range, bars touching.
#[component]
pub fn Histogram(
    /// Caption, and the table's caption.
    title: String,
    /// In order of `from`.
    #[prop(into)]
    bins: Signal<Vec<Bin>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let canvas = NodeRef::<html::Canvas>::new();
    use_canvas_draw("histogram", canvas, move |root, f| -> DrawResult {
        let bins = bins.get();
        let labels: Vec<String> = bins.iter().map(bin_label).collect();
        let hi = bins.iter().map(|b| b.count).max().unwrap_or(0) as f64;
        let mut chart = category_chart(
            root,
            f,
            &labels,
            bins.len(),
            nice_range(0.0, hi, true),
            false,
        )?;
        let colour = f.theme.series(0).filled();
        // One device pixel between bars.
        let gap =
            0.5 / f64::from(chart.plotting_area().dim_in_pixel().0.max(1)) * bins.len() as f64;
        chart.draw_series(bins.iter().enumerate().map(|(i, b)| {
            let x = i as f64;
            Rectangle::new([(x + gap, 0.0), (x + 1.0 - gap, b.count as f64)], colour)
        }))?;
        Ok(())
    });
    let label = Signal::derive(move || {
        let bins: Vec<(String, u64)> = bins.get().iter().map(|b| (bin_label(b), b.count)).collect();
        describe_histogram(&bins, &words(i18n))
    });
    let table = Signal::derive(move || {
        let bins = bins.get();
        Table {
            head: vec![String::new(), t_string!(i18n, chart.count).to_string()],
            rows: bins
                .iter()
                .take(MAX_TABLE_ROWS)
                .map(|b| (bin_label(b), vec![full(b.count as f64)]))
                .collect(),
            total: bins.len(),
        }
    });
    view! {
        <ChartFrame title kind="histogram" canvas label height=HEIGHT legend=Signal::stored(Vec::new()) table />
    }
}
