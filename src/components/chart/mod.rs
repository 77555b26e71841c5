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
mod series;
pub mod theme;
mod words;

pub use bar::{BarChart, Histogram};
pub use heatmap::HeatMap;
pub use line::{LineChart, Sparkline};
pub use scatter::Scatter;
pub use series::{Bin, Series};
