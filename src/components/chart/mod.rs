//! Charts for the admin console, drawn with plotters on a canvas and fed
//! plain data (they know no endpoint). Each is a `<figure>` with a
//! caption, a canvas described in one sentence for screen readers, and a
//! button that shows the same figures as a table.
//!
//! The pure parts (data reduction, number formats, colours) are in
//! `reduce`, `format` and `theme`'s free functions, tested natively.

mod backend;
mod bar;
mod canvas;
mod draw;
pub mod format;
mod heatmap;
mod line;
pub mod reduce;
mod scatter;
pub mod theme;
mod words;

pub use bar::{BarChart, Histogram};
pub use heatmap::HeatMap;
pub use line::{LineChart, Sparkline};
pub use scatter::Scatter;

/// One named row of values, one per category (x label).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    /// `f64::NAN` is "no data": a gap.
    pub values: Vec<f64>,
}

/// One histogram bar: how many fell in `from..to`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bin {
    pub from: f64,
    pub to: f64,
    pub count: u64,
}
