//! A heat map: a grid of categories coloured from the surface colour (low)
//! to the theme's accent (high). Empty cells are outlined and struck
//! through; cells big enough carry their value.

use leptos::html;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{use_canvas_draw, ChartFrame, Table, MAX_TABLE_ROWS};
use super::draw::{shorten, LABEL_SIZE};
use super::format::{compact, describe_heatmap, percent as pct, value};
use super::reduce::{extent, label_step};
use super::theme::{heat, readable_on, rgb};
use super::words::words;
use crate::i18n::*;

/// Height of a row, CSS pixels.
const ROW: f64 = 28.0;
/// Cells at least this wide (and 16 px high) show their value.
const VALUE_MIN_WIDTH: f64 = 28.0;
/// Space for the x labels below, CSS pixels.
const BOTTOM: f64 = 24.0;
const TOP: f64 = 4.0;
const RIGHT: f64 = 8.0;

/// The value at `[y][x]`, if any.
fn cell(cells: &[Vec<Option<f64>>], y: usize, x: usize) -> Option<f64> {
    cells
        .get(y)?
        .get(x)
        .copied()
        .flatten()
        .filter(|v| v.is_finite())
}

/// Width of the y label column for these labels, CSS pixels.
fn left_width(y_labels: &[String]) -> f64 {
    let longest = y_labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(14);
    (longest as f64 * 7.0 + 12.0).clamp(32.0, 120.0)
}

/// Values in a `y_labels` × `x_labels` grid.
#[component]
pub fn HeatMap(
    /// Caption, and the table's caption.
    title: String,
    /// Columns.
    #[prop(into)]
    x_labels: Signal<Vec<String>>,
    /// Rows, top to bottom.
    #[prop(into)]
    y_labels: Signal<Vec<String>>,
    /// `[y][x]`; `None` is no data.
    #[prop(into)]
    cells: Signal<Vec<Vec<Option<f64>>>>,
    /// Text of cell `(y, x)` for the table and tooltip (e.g. "120 members,
    /// avg 54.20"); the value by default.
    #[prop(optional)]
    cell_text: Option<Callback<(usize, usize), String>>,
    /// Values are fractions (0..1), shown as percents.
    #[prop(optional)]
    percent: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let canvas = NodeRef::<html::Canvas>::new();
    let fmt = move |v: f64| if percent { pct(v) } else { compact(v) };
    use_canvas_draw("heatmap", canvas, move |root, f| {
        let (xl, yl, cells) = (x_labels.get(), y_labels.get(), cells.get());
        let (nx, ny) = (xl.len(), yl.len());
        let left = left_width(&yl);
        let cw = (f.width - left - RIGHT) / nx.max(1) as f64;
        let ch = (f.height - TOP - BOTTOM) / ny.max(1) as f64;
        if nx == 0 || ny == 0 || cw <= 0.0 || ch <= 0.0 {
            return Ok(());
        }
        let t = &f.theme;
        let (lo, hi) = extent(cells.iter().flatten().flatten().copied()).unwrap_or((0.0, 1.0));
        let show_values = cw >= VALUE_MIN_WIDTH && ch >= 16.0;
        // A device pixel between cells, unless they are tiny.
        let gap = i32::from(cw * f.dpr >= 4.0 && ch * f.dpr >= 4.0);
        let value_style = |bg| {
            f.text(
                LABEL_SIZE,
                readable_on(bg, [t.text, t.surface]),
                Pos::new(HPos::Center, VPos::Center),
            )
        };
        for r in 0..ny {
            for c in 0..nx {
                let (x0, y0) = (f.px(left + c as f64 * cw), f.px(TOP + r as f64 * ch));
                let (x1, y1) = (
                    f.px(left + (c + 1) as f64 * cw) - gap,
                    f.px(TOP + (r + 1) as f64 * ch) - gap,
                );
                match cell(&cells, r, c) {
                    Some(v) => {
                        let share = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
                        let bg = heat(t.surface, t.accent, share);
                        root.draw(&Rectangle::new([(x0, y0), (x1, y1)], rgb(bg).filled()))?;
                        if show_values {
                            let mid = ((x0 + x1) / 2, (y0 + y1) / 2);
                            root.draw(&Text::new(fmt(v), mid, value_style(bg)))?;
                        }
                    }
                    None => {
                        let line = f.stroke(rgb(t.grid), 1.0);
                        root.draw(&Rectangle::new([(x0, y0), (x1 - 1, y1 - 1)], line))?;
                        root.draw(&PathElement::new(vec![(x0, y1 - 1), (x1 - 1, y0)], line))?;
                    }
                }
            }
        }
        let y_style = f.text(LABEL_SIZE, t.text, Pos::new(HPos::Right, VPos::Center));
        for (r, l) in yl
            .iter()
            .enumerate()
            .step_by(label_step(ny, ny as f64 * ch, 16.0))
        {
            let pos = (f.px(left - 6.0), f.px(TOP + (r as f64 + 0.5) * ch));
            root.draw(&Text::new(shorten(l, 14), pos, y_style.clone()))?;
        }
        let longest = xl
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
            .min(14);
        let x_style = f.text(LABEL_SIZE, t.text, Pos::new(HPos::Center, VPos::Top));
        let step = label_step(nx, nx as f64 * cw, longest as f64 * 7.0 + 12.0);
        for (c, l) in xl.iter().enumerate().step_by(step) {
            let pos = (
                f.px(left + (c as f64 + 0.5) * cw),
                f.px(TOP + ny as f64 * ch + 6.0),
            );
            root.draw(&Text::new(shorten(l, 14), pos, x_style.clone()))?;
        }
        Ok(())
    });
    let text_of = move |cells: &[Vec<Option<f64>>], y: usize, x: usize| match cell_text {
        Some(cb) => cb.run((y, x)),
        None => cell(cells, y, x).map_or_else(|| "—".into(), |v| value(v, percent)),
    };
    let tip = Callback::new(move |(px, py): (f64, f64)| {
        let (xl, yl) = (x_labels.get_untracked(), y_labels.get_untracked());
        let Some(canvas) = canvas.get_untracked() else {
            return String::new();
        };
        // The same geometry as the draw, from the canvas' CSS width.
        let left = left_width(&yl);
        let cw = (f64::from(canvas.client_width()) - left - RIGHT) / xl.len().max(1) as f64;
        let c = ((px - left) / cw).floor();
        // Rows are always ROW high: the canvas' height is set from them.
        let r = ((py - TOP) / ROW).floor();
        if c < 0.0 || r < 0.0 || c as usize >= xl.len() || r as usize >= yl.len() {
            return String::new();
        }
        let (r, c) = (r as usize, c as usize);
        let text = cells.with_untracked(|cells| text_of(cells, r, c));
        format!("{} · {}: {text}", yl[r], xl[c])
    });
    let label = Signal::derive(move || {
        cells.with(|cells| {
            describe_heatmap(
                &x_labels.get(),
                &y_labels.get(),
                cells,
                percent,
                &words(i18n),
            )
        })
    });
    let height = Signal::derive(move || y_labels.with(Vec::len) as f64 * ROW + TOP + BOTTOM);
    let table = Signal::derive(move || {
        let (xl, yl) = (x_labels.get(), y_labels.get());
        let mut head = vec![String::new()];
        head.extend(xl.iter().cloned());
        let rows = cells.with(|cells| {
            yl.iter()
                .take(MAX_TABLE_ROWS)
                .enumerate()
                .map(|(r, l)| {
                    (
                        l.clone(),
                        (0..xl.len()).map(|c| text_of(cells, r, c)).collect(),
                    )
                })
                .collect()
        });
        Table {
            head,
            rows,
            total: yl.len(),
        }
    });
    view! {
        <ChartFrame title kind="heatmap" canvas label height legend=Signal::stored(Vec::new()) table tip />
    }
}
