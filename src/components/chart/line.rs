//! Line charts and sparklines. NaN values are gaps; a series longer than
//! the plot is wide is drawn as its min/max envelope per pixel column
//! ([`reduce_min_max`]), so the cost of a draw is bounded by the width.

use std::iter::once;

use leptos::html;
use leptos::prelude::*;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{use_canvas_draw, ChartFrame, Frame, Table};
use super::draw::{category_chart, Chart, LABEL_SIZE};
use super::format::{compact, describe_lines, full, summary};
use super::reduce::{extent, nice_range, reduce_min_max};
use super::series::Series;
use super::theme::rgb;
use super::words::words;
use crate::i18n::*;

/// Canvas height of line charts, CSS pixels.
const HEIGHT: f64 = 240.0;

/// How one series is drawn.
struct LineStyle {
    colour: RGBColor,
    width: f64,
    dashed: bool,
    /// Fill down to this y.
    area: Option<f64>,
}

/// Runs of consecutive items that `keep` accepts, each item with its
/// index.
fn runs<T: Copy>(items: &[T], keep: impl Fn(&T) -> bool) -> Vec<Vec<(usize, T)>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (i, &v) in items.iter().enumerate() {
        if keep(&v) {
            cur.push((i, v));
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Draws `values`, value `i` at x = `i + offset`.
fn draw_values(
    chart: &mut Chart<'_>,
    f: &Frame,
    values: &[f64],
    offset: f64,
    s: &LineStyle,
) -> Result<(), Box<dyn std::error::Error>> {
    let plot_w = (f64::from(chart.plotting_area().dim_in_pixel().0) / f.dpr).max(1.0) as usize;
    let stroke = f.stroke(s.colour, s.width);
    if values.len() > plot_w {
        let cols = reduce_min_max(values, plot_w);
        let w = values.len() as f64 / cols.len() as f64;
        for run in runs(&cols, |c| !c.0.is_nan()) {
            let x = |c: usize| (c as f64 + 0.5) * w - 0.5 + offset;
            let top: Vec<(f64, f64)> = run.iter().map(|&(c, (_, hi))| (x(c), hi)).collect();
            let bottom: Vec<(f64, f64)> = run.iter().map(|&(c, (lo, _))| (x(c), lo)).collect();
            let outline: Vec<(f64, f64)> = top.iter().chain(bottom.iter().rev()).copied().collect();
            chart.draw_series(once(Polygon::new(outline, s.colour.mix(0.35).filled())))?;
            chart.draw_series([
                PathElement::new(top, f.stroke(s.colour, 1.0)),
                PathElement::new(bottom, f.stroke(s.colour, 1.0)),
            ])?;
        }
        return Ok(());
    }
    for run in runs(values, |v| v.is_finite()) {
        let pts: Vec<(f64, f64)> = run.iter().map(|&(i, v)| (i as f64 + offset, v)).collect();
        if let Some(base) = s.area {
            let (first, last) = (pts[0].0, pts[pts.len() - 1].0);
            let shape: Vec<(f64, f64)> = once((first, base))
                .chain(pts.iter().copied())
                .chain(once((last, base)))
                .collect();
            chart.draw_series(once(Polygon::new(shape, s.colour.mix(0.2).filled())))?;
        }
        if pts.len() == 1 {
            // A lone value between gaps: a dot, or it would not show.
            chart.draw_series(once(Circle::new(
                pts[0],
                f.px(s.width + 0.5),
                s.colour.filled(),
            )))?;
        } else if s.dashed {
            chart.draw_series(once(DashedPathElement::new(
                pts,
                f.px(6.0),
                f.px(4.0),
                stroke,
            )))?;
        } else {
            chart.draw_series(once(PathElement::new(pts, stroke)))?;
        }
    }
    Ok(())
}

/// Lines for `series` over `labels`.
#[component]
pub fn LineChart(
    /// Caption, and the table's caption.
    title: String,
    /// One per point along x.
    #[prop(into)]
    labels: Signal<Vec<String>>,
    /// One value per label each; `f64::NAN` is a gap.
    #[prop(into)]
    series: Signal<Vec<Series>>,
    /// Fill under each line.
    #[prop(optional)]
    area: bool,
    /// A goal, drawn as a dashed horizontal line.
    #[prop(optional)]
    target: Option<f64>,
    /// Indexes of series drawn dashed (e.g. a planned path).
    #[prop(optional)]
    dashed_series: Vec<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let canvas = NodeRef::<html::Canvas>::new();
    use_canvas_draw("line", canvas, move |root, f| {
        let labels = labels.get();
        let series = series.get();
        let n = series
            .iter()
            .map(|s| s.values.len())
            .fold(labels.len(), usize::max);
        let values = series.iter().flat_map(|s| s.values.iter().copied());
        let (lo, hi) = extent(values.chain(target)).unwrap_or((0.0, 1.0));
        let y = nice_range(lo, hi, area);
        let mut chart = category_chart(root, f, &labels, n, y, false)?;
        for (i, s) in series.iter().enumerate() {
            let style = LineStyle {
                colour: f.theme.series(i),
                width: 2.0,
                dashed: dashed_series.contains(&i),
                area: area.then(|| 0f64.clamp(y.0, y.1)),
            };
            draw_values(&mut chart, f, &s.values, 0.5, &style)?;
        }
        if let Some(t) = target {
            let muted = rgb(f.theme.muted);
            let line = [(0.0, t), (n as f64, t)];
            chart.draw_series(once(DashedPathElement::new(
                line,
                f.px(6.0),
                f.px(4.0),
                f.stroke(muted, 1.5),
            )))?;
            let (x, y) = chart.backend_coord(&(n as f64, t));
            let style = f.text(
                LABEL_SIZE,
                f.theme.muted,
                Pos::new(HPos::Right, VPos::Bottom),
            );
            root.draw(&Text::new(
                compact(t),
                (x - f.px(2.0), y - f.px(2.0)),
                style,
            ))?;
        }
        Ok(())
    });
    let label = Signal::derive(move || {
        let named: Vec<(String, Vec<f64>)> = series
            .get()
            .into_iter()
            .map(|s| (s.name, s.values))
            .collect();
        let n = named
            .iter()
            .map(|s| s.1.len())
            .fold(labels.with(Vec::len), usize::max);
        describe_lines(n, &named, &words(i18n))
    });
    let legend = Signal::derive(move || series.get().into_iter().map(|s| s.name).collect());
    let table = Signal::derive(move || {
        labels.with(|l| {
            series.with(|s| {
                let n = s.iter().map(|s| s.values.len()).fold(l.len(), usize::max);
                Table::of_series(l, s, n, full)
            })
        })
    });
    view! {
        <ChartFrame title kind="line" canvas label height=HEIGHT legend table />
    }
}

/// A small line without axes (120×32 CSS pixels), its last value marked.
#[component]
pub fn Sparkline(
    /// What the values are; starts the accessible description.
    #[prop(into)]
    title: Signal<String>,
    /// `f64::NAN` is a gap.
    #[prop(into)]
    values: Signal<Vec<f64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let canvas = NodeRef::<html::Canvas>::new();
    use_canvas_draw("sparkline", canvas, move |root, f| {
        let values = values.get();
        let Some((lo, hi)) = extent(values.iter().copied()) else {
            return Ok(());
        };
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, hi + 1.0)
        };
        let last_x = (values.len().max(2) - 1) as f64;
        let mut chart = ChartBuilder::on(root)
            .margin(f.px(3.0))
            .build_cartesian_2d(0.0..last_x, lo..hi)?;
        let colour = f.theme.series(0);
        let style = LineStyle {
            colour,
            width: 1.5,
            dashed: false,
            area: None,
        };
        draw_values(&mut chart, f, &values, 0.0, &style)?;
        if let Some((i, v)) = values.iter().enumerate().rev().find(|(_, v)| v.is_finite()) {
            chart.draw_series(once(Circle::new(
                (i as f64, *v),
                f.px(2.0),
                colour.filled(),
            )))?;
        }
        Ok(())
    });
    let label = move || {
        let s = values
            .with(|v| summary(v, &words(i18n)))
            .unwrap_or_else(|| t_string!(i18n, chart.d_no_data).to_string());
        format!("{}: {s}", title.get())
    };
    view! {
        <canvas node_ref=canvas class="sparkline" role="img" aria-label=label data-chart="sparkline"></canvas>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_at_gaps() {
        let v = [1.0, f64::NAN, 2.0, 3.0, f64::NAN, f64::NAN];
        let r = runs(&v, |v| v.is_finite());
        assert_eq!(r, vec![vec![(0, 1.0)], vec![(2, 2.0), (3, 3.0)]]);
        assert!(runs(&[f64::NAN], |v: &f64| v.is_finite()).is_empty());
    }
}
