//! Scatter plots. Up to [`SCATTER_MAX_POINTS`] points each is a dot.
//! Beyond that the points are counted into a grid of 3 × 3 CSS-pixel cells
//! ([`bin_2d`]) and each non-empty cell is shaded by its count (log
//! scale): every point counts, none is dropped, and a draw costs the same
//! for 10,000 points or a million.

use leptos::html;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{use_canvas_draw, ChartFrame, Table, MAX_TABLE_ROWS};
use super::draw::LABEL_SIZE;
use super::format::{compact, describe_scatter, full};
use super::reduce::{bin_2d, extent, nice_range, SCATTER_MAX_POINTS};
use super::theme::rgb;
use super::words::words;
use crate::i18n::*;

/// Canvas height, CSS pixels.
const HEIGHT: f64 = 280.0;
/// Side of a density cell, CSS pixels.
const CELL: f64 = 3.0;

/// Opacity of a density cell with `count` of `max` points.
fn shade(count: u32, max: u32) -> f64 {
    0.15 + 0.85 * f64::from(count).ln_1p() / f64::from(max.max(1)).ln_1p()
}

/// `points` as (x, y), axes named `x_name` and `y_name`.
#[component]
pub fn Scatter(
    /// Caption, and the table's caption.
    title: String,
    #[prop(into)] points: Signal<Vec<(f64, f64)>>,
    /// What x is, under the axis.
    x_name: String,
    /// What y is, beside the axis.
    y_name: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let canvas = NodeRef::<html::Canvas>::new();
    let names = (x_name.clone(), y_name.clone());
    use_canvas_draw("scatter", canvas, move |root, f| {
        let points = points.get();
        let xr = extent(points.iter().map(|p| p.0)).unwrap_or((0.0, 1.0));
        let yr = extent(points.iter().map(|p| p.1)).unwrap_or((0.0, 1.0));
        let (x, y) = (nice_range(xr.0, xr.1, false), nice_range(yr.0, yr.1, false));
        let t = &f.theme;
        let mut chart = ChartBuilder::on(root)
            .margin_top(f.px(10.0))
            .margin_right(f.px(16.0))
            .x_label_area_size(f.px(40.0))
            .y_label_area_size(f.px(60.0))
            .build_cartesian_2d(x.0..x.1, y.0..y.1)?;
        let fmt = |v: &f64| compact(*v);
        let anchor = Pos::new(HPos::Center, VPos::Center);
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(6)
            .max_light_lines(0)
            .bold_line_style(f.stroke(rgb(t.grid), 1.0))
            .axis_style(f.stroke(rgb(t.muted), 1.0))
            .set_all_tick_mark_size(f.px(4.0))
            .label_style(f.text(LABEL_SIZE, t.text, anchor))
            .axis_desc_style(f.text(LABEL_SIZE, t.muted, anchor))
            .x_desc(names.0.as_str())
            .y_desc(names.1.as_str())
            .x_label_formatter(&fmt)
            .y_label_formatter(&fmt)
            .draw()?;
        let colour = f.theme.series(0);
        if points.len() <= SCATTER_MAX_POINTS {
            let dot = colour.mix(0.6).filled();
            chart.draw_series(
                points
                    .iter()
                    .filter(|p| p.0.is_finite() && p.1.is_finite())
                    .map(|&p| Circle::new(p, f.px(2.5), dot)),
            )?;
            return Ok(());
        }
        let (w, h) = chart.plotting_area().dim_in_pixel();
        let cell = (CELL * f.dpr).max(1.0);
        let cols = (f64::from(w) / cell).ceil().max(1.0) as usize;
        let rows = (f64::from(h) / cell).ceil().max(1.0) as usize;
        let grid = bin_2d(&points, x, y, cols, rows);
        let (dx, dy) = ((x.1 - x.0) / cols as f64, (y.1 - y.0) / rows as f64);
        let cells = grid
            .counts
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(i, &n)| {
                let (c, r) = ((i % cols) as f64, (i / cols) as f64);
                let corners = [
                    (x.0 + c * dx, y.0 + r * dy),
                    (x.0 + (c + 1.0) * dx, y.0 + (r + 1.0) * dy),
                ];
                Rectangle::new(corners, colour.mix(shade(n, grid.max)).filled())
            });
        chart.draw_series(cells)?;
        Ok(())
    });
    let label = Signal::derive({
        let names = (x_name.clone(), y_name.clone());
        move || {
            points.with(|p| {
                let xr = extent(p.iter().map(|p| p.0));
                let yr = extent(p.iter().map(|p| p.1));
                describe_scatter(
                    p.len(),
                    p.len() > SCATTER_MAX_POINTS,
                    (&names.0, xr),
                    (&names.1, yr),
                    &words(i18n),
                )
            })
        }
    });
    let table = Signal::derive(move || {
        points.with(|p| Table {
            head: vec![String::new(), x_name.clone(), y_name.clone()],
            rows: p
                .iter()
                .take(MAX_TABLE_ROWS)
                .enumerate()
                .map(|(i, &(x, y))| ((i + 1).to_string(), vec![full(x), full(y)]))
                .collect(),
            total: p.len(),
        })
    });
    view! {
        <ChartFrame title kind="scatter" canvas label height=HEIGHT legend=Signal::stored(Vec::new()) table />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_shading_grows_with_count() {
        assert!((shade(1, 1) - 1.0).abs() < 1e-9);
        assert!(shade(1, 100) < shade(10, 100));
        assert!(shade(1, 100) >= 0.15);
        assert!((shade(100, 100) - 1.0).abs() < 1e-9);
    }
}
