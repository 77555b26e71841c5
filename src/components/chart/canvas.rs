//! What every chart shares: the canvas sized to its box at the device's
//! pixel ratio, redrawn when its data or size changes, timed with the
//! Performance API, and the figure around it with a table of the figures.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::backend::Canvas;
use leptos::html;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::Pos;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::theme::{rgb, Rgb, Theme};
use crate::i18n::*;

/// The whole canvas, in device pixels.
pub type Area = DrawingArea<Canvas, Shift>;
/// What a draw function returns.
pub type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// Rows a chart's table shows at most: a table of 50,000 scatter points
/// helps nobody and takes seconds to render.
pub const MAX_TABLE_ROWS: usize = 1_000;

/// Size and colours of one draw.
pub struct Frame {
    pub theme: Theme,
    /// Device pixels per CSS pixel (1 or 2).
    pub dpr: f64,
    /// CSS pixels.
    pub width: f64,
    pub height: f64,
}

impl Frame {
    /// CSS pixels to device pixels.
    pub fn px(&self, css: f64) -> i32 {
        (css * self.dpr).round() as i32
    }

    /// Text of `size` CSS pixels.
    pub fn text(&self, size: f64, colour: Rgb, pos: Pos) -> TextStyle<'_> {
        (self.theme.font.as_str(), size * self.dpr)
            .into_font()
            .color(&rgb(colour))
            .pos(pos)
    }

    /// A line `width` CSS pixels wide.
    pub fn stroke(&self, colour: RGBColor, width: f64) -> ShapeStyle {
        colour.stroke_width((width * self.dpr).round().max(1.0) as u32)
    }
}

/// Draws `draw` on `canvas` when the signals it reads or the canvas' size
/// change (not while hidden, i.e. zero wide). Each draw is measured as
/// `chart:{kind}` (`performance.getEntriesByName`) and leaves
/// `data-drawn="true"`, `data-draw-ms` and the number of draws so far
/// (`data-draws`) on the canvas.
pub fn use_canvas_draw(
    kind: &'static str,
    canvas: NodeRef<html::Canvas>,
    draw: impl Fn(&Area, &Frame) -> DrawResult + 'static,
) {
    let size = RwSignal::new((0.0_f64, 0.0_f64));
    let on_resize = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let Ok(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>() else {
            return;
        };
        let rect = entry.content_rect();
        let now = (rect.width().round(), rect.height().round());
        if size.try_get_untracked().is_some_and(|s| s != now) {
            size.set(now);
        }
    });
    let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
    if let Some(observer) = observer.clone() {
        // Observing calls back once at once with the current size.
        Effect::new(move |_| {
            if let Some(el) = canvas.get() {
                observer.observe(&el);
            }
        });
    }
    // The colours come from the theme: redraw when the system switches
    // between light and dark.
    let scheme = RwSignal::new(0_u32);
    let on_scheme = Closure::<dyn Fn()>::new(move || {
        if let Some(n) = scheme.try_get_untracked() {
            scheme.set(n.wrapping_add(1));
        }
    });
    let media = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
    if let Some(m) = &media {
        let _ = m.add_event_listener_with_callback("change", on_scheme.as_ref().unchecked_ref());
    }
    let held = send_wrapper::SendWrapper::new((observer, on_resize, media, on_scheme));
    on_cleanup(move || {
        let (observer, _on_resize, media, on_scheme) = held.take();
        if let Some(o) = observer {
            o.disconnect();
        }
        if let Some(m) = media {
            let _ =
                m.remove_event_listener_with_callback("change", on_scheme.as_ref().unchecked_ref());
        }
    });

    Effect::new(move |_| {
        scheme.track();
        let (width, height) = size.get();
        let (Some(el), Some(window)) = (canvas.get(), web_sys::window()) else {
            return;
        };
        if width < 1.0 || height < 1.0 {
            return;
        }
        let perf = window.performance();
        let start = format!("chart:{kind}:start");
        let t0 = perf.as_ref().map(|p| {
            let _ = p.mark(&start);
            p.now()
        });
        let frame = Frame {
            theme: Theme::read(),
            dpr: window.device_pixel_ratio().clamp(1.0, 2.0),
            width,
            height,
        };
        // Setting the size also clears the canvas.
        el.set_width((width * frame.dpr).round() as u32);
        el.set_height((height * frame.dpr).round() as u32);
        let result = match Canvas::new(el.clone()) {
            Some(backend) => {
                let root = backend.into_drawing_area();
                draw(&root, &frame).and_then(|()| Ok(root.present()?))
            }
            None => Err("no 2d context".into()),
        };
        if let Err(e) = result {
            leptos::logging::warn!("chart:{kind}: {e}");
            return;
        }
        if let (Some(p), Some(t0)) = (&perf, t0) {
            // Keep the last few draws' measures, not one per draw forever.
            if p.get_entries_by_name(&format!("chart:{kind}")).length() >= 20 {
                p.clear_measures_with_measure_name(&format!("chart:{kind}"));
            }
            let _ = p.measure_with_start_mark(&format!("chart:{kind}"), &start);
            p.clear_marks_with_mark_name(&start);
            let _ = el.set_attribute("data-draw-ms", &format!("{:.1}", p.now() - t0));
        }
        let _ = el.set_attribute("data-drawn", "true");
        let draws = el
            .get_attribute("data-draws")
            .and_then(|n| n.parse::<u32>().ok());
        let _ = el.set_attribute("data-draws", &(draws.unwrap_or(0) + 1).to_string());
    });
}

/// A chart's figures as a table: column heads, then one row per category
/// (its label and a cell per column).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
    /// Rows there are, when more than `rows` (capped at [`MAX_TABLE_ROWS`]).
    pub total: usize,
}

impl Table {
    /// A row per point (its label, or its number past the labels) for the
    /// first `n` points, a column per series, cells formatted by `cell`.
    pub fn of_series(
        labels: &[String],
        series: &[super::series::Series],
        n: usize,
        cell: impl Fn(f64) -> String,
    ) -> Self {
        let mut head = vec![String::new()];
        head.extend(series.iter().map(|s| s.name.clone()));
        let rows = (0..n.min(MAX_TABLE_ROWS))
            .map(|i| {
                let label = labels
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| (i + 1).to_string());
                let cells = series
                    .iter()
                    .map(|s| cell(s.values.get(i).copied().unwrap_or(f64::NAN)))
                    .collect();
                (label, cells)
            })
            .collect();
        Table {
            head,
            rows,
            total: n,
        }
    }
}

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// The figure around a chart: caption, canvas, legend, and a button that
/// shows the same figures as a table (built only when shown).
#[component]
pub fn ChartFrame(
    /// Caption of the figure and the table.
    title: String,
    /// `bar`, `line` …: a class (`chart-bar`) and `data-chart`.
    kind: &'static str,
    canvas: NodeRef<html::Canvas>,
    /// One sentence describing the chart, for screen readers.
    #[prop(into)]
    label: Signal<String>,
    /// Canvas height in CSS pixels.
    #[prop(into)]
    height: Signal<f64>,
    /// Series names; a legend is shown for two or more.
    #[prop(into)]
    legend: Signal<Vec<String>>,
    #[prop(into)] table: Signal<Table>,
    /// Tooltip text at a point (CSS pixels) of the canvas.
    #[prop(optional)]
    tip: Option<Callback<(f64, f64), String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let id = format!("chart-table-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
    let caption = title.clone();
    let on_move = move |ev: web_sys::MouseEvent| {
        if let (Some(tip), Some(el)) = (tip, canvas.get_untracked()) {
            let text = tip.run((f64::from(ev.offset_x()), f64::from(ev.offset_y())));
            let _ = el.set_attribute("title", &text);
        }
    };
    let legend_view = move || {
        let names = legend.get();
        (names.len() > 1).then(|| {
            view! {
                <ul class="chart-legend">
                    {names
                        .into_iter()
                        .enumerate()
                        .map(|(i, name)| {
                            view! {
                                <li>
                                    <span
                                        class="chart-swatch"
                                        style:background=format!("var(--chart-{})", i % 6 + 1)
                                    ></span>
                                    {name}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    };
    let table_view = move || {
        open.get().then(|| {
            let t = table.get();
            let note = (t.total > t.rows.len()).then(|| {
                let text = t_string!(i18n, chart.table_truncated)
                    .to_string()
                    .replace("{n}", &t.rows.len().to_string())
                    .replace("{total}", &t.total.to_string());
                view! { <p class="chart-note">{text}</p> }
            });
            view! {
                <table class="table">
                    <caption>{caption.clone()}</caption>
                    <thead>
                        <tr>
                            {t.head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {t
                            .rows
                            .into_iter()
                            .map(|(label, cells)| {
                                view! {
                                    <tr>
                                        <th scope="row">{label}</th>
                                        {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                {note}
            }
        })
    };
    view! {
        <figure class=format!("chart chart-{kind}") data-chart=kind>
            <figcaption class="chart-title">{title}</figcaption>
            <canvas
                node_ref=canvas
                class="chart-canvas"
                role="img"
                aria-label=move || label.get()
                style:height=move || format!("{}px", height.get())
                on:mousemove=on_move
            ></canvas>
            {legend_view}
            <button
                type="button"
                class="btn btn-small btn-quiet chart-toggle"
                aria-expanded=move || open.get().to_string()
                aria-controls=id.clone()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || {
                    if open.get() {
                        t_string!(i18n, chart.hide_table).to_string()
                    } else {
                        t_string!(i18n, chart.show_table).to_string()
                    }
                }}
            </button>
            <div id=id class="chart-table-wrap" hidden=move || !open.get()>
                {table_view}
            </div>
        </figure>
    }
}
