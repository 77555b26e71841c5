//! Plotting helpers shared by the category charts (bars, lines,
//! histogram): a y axis with few round ticks and thinned x labels.

use super::backend::Canvas;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{Area, Frame};
use super::format::{compact, percent};
use super::reduce::label_step;
use super::theme::rgb;

/// A chart whose x runs over categories `0..n` (category `i` spans
/// `i..i + 1`) and whose y is a plain number.
pub type Chart<'a> = ChartContext<'a, Canvas, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Font size of axis labels, CSS pixels.
pub const LABEL_SIZE: f64 = 12.0;

/// Formats a y tick.
pub fn y_format(as_percent: bool) -> fn(&f64) -> String {
    if as_percent {
        |v| percent(*v)
    } else {
        |v| compact(*v)
    }
}

/// Builds the coordinates for `n` categories over `y`, draws the grid and
/// the y axis, and labels the categories below.
pub fn category_chart<'a>(
    root: &'a Area,
    f: &Frame,
    labels: &[String],
    n: usize,
    y: (f64, f64),
    as_percent: bool,
) -> Result<Chart<'a>, Box<dyn std::error::Error>> {
    let mut chart = ChartBuilder::on(root)
        .margin_top(f.px(10.0))
        .margin_right(f.px(12.0))
        .x_label_area_size(f.px(24.0))
        .y_label_area_size(f.px(48.0))
        .build_cartesian_2d(0.0..n.max(1) as f64, y.0..y.1)?;
    let fmt = y_format(as_percent);
    let t = &f.theme;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(((f.height / 40.0) as usize).clamp(2, 7))
        .max_light_lines(0)
        .bold_line_style(f.stroke(rgb(t.grid), 1.0))
        .axis_style(f.stroke(rgb(t.muted), 1.0))
        .set_all_tick_mark_size(f.px(4.0))
        .label_style(f.text(LABEL_SIZE, t.text, Pos::new(HPos::Right, VPos::Center)))
        .y_label_formatter(&fmt)
        .draw()?;
    category_labels(root, &chart, f, labels, y.0)?;
    Ok(chart)
}

/// Shortens a label to `max` characters.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max - 1).chain(['…']).collect()
    }
}

/// Category labels centred below their slots, every `step`th when they
/// would not fit.
fn category_labels(
    root: &Area,
    chart: &Chart<'_>,
    f: &Frame,
    labels: &[String],
    y0: f64,
) -> Result<(), Box<dyn std::error::Error>> {
    let longest = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(14);
    let plot_w = f64::from(chart.plotting_area().dim_in_pixel().0) / f.dpr;
    let step = label_step(labels.len(), plot_w, longest as f64 * 7.0 + 12.0);
    let style = f.text(LABEL_SIZE, f.theme.text, Pos::new(HPos::Center, VPos::Top));
    for (i, l) in labels.iter().enumerate().step_by(step) {
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, y0));
        root.draw(&Text::new(
            shorten(l, 14),
            (x, y + f.px(6.0)),
            style.clone(),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_long_labels() {
        assert_eq!(shorten("Gold", 14), "Gold");
        assert_eq!(shorten("Platinum Premier Plus", 10), "Platinum …");
        assert_eq!(y_format(true)(&0.25), "25%");
        assert_eq!(y_format(false)(&2500.0), "2.5k");
    }
}
