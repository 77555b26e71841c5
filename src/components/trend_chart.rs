//! A small line chart in SVG for a few weekly series (e.g. NPS and CSAT),
//! with the same figures as a table for screen readers and for anyone who
//! prefers numbers. Gaps (weeks without answers) break the line.

use leptos::prelude::*;

/// One line of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// CSS class giving its colour (`series-a`, `series-b`).
    pub class: &'static str,
    pub values: Vec<Option<f64>>,
}

const W: f64 = 640.0;
const H: f64 = 220.0;
const PAD_L: f64 = 40.0;
const PAD_B: f64 = 24.0;
const PAD_T: f64 = 10.0;

/// Polyline segments (`x,y x,y`) of `values` scaled into the plot; a gap
/// starts a new segment.
pub fn segments(values: &[Option<f64>], min: f64, max: f64) -> Vec<String> {
    let n = values.len().max(2) - 1;
    let span = (max - min).max(f64::EPSILON);
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => {
                let x = PAD_L + (W - PAD_L - 8.0) * i as f64 / n as f64;
                let y = PAD_T + (H - PAD_T - PAD_B) * (1.0 - (v.clamp(min, max) - min) / span);
                cur.push(format!("{x:.1},{y:.1}"));
            }
            None if !cur.is_empty() => out.push(std::mem::take(&mut cur).join(" ")),
            None => {}
        }
    }
    if !cur.is_empty() {
        out.push(cur.join(" "));
    }
    out
}

/// The chart: `labels` along x, series scaled to `min..=max`.
#[component]
pub fn TrendChart(
    /// What the chart shows, for assistive technology and the caption.
    #[prop(into)]
    title: Signal<String>,
    labels: Vec<String>,
    series: Vec<Series>,
    min: f64,
    max: f64,
    /// Caption of the table toggle.
    #[prop(into)]
    table_label: Signal<String>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let y = |v: f64| PAD_T + (H - PAD_T - PAD_B) * (1.0 - (v - min) / (max - min));
    let grid: Vec<f64> = (0..=4)
        .map(|i| min + (max - min) * i as f64 / 4.0)
        .collect();
    let n = labels.len();
    let every = (n / 6).max(1);
    let ticks: Vec<(f64, String)> = labels
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, l)| {
            (
                PAD_L + (W - PAD_L - 8.0) * i as f64 / (n.max(2) - 1) as f64,
                l.clone(),
            )
        })
        .collect();
    let lines: Vec<(&'static str, Vec<String>)> = series
        .iter()
        .map(|s| (s.class, segments(&s.values, min, max)))
        .collect();
    let rows: Vec<(String, Vec<String>)> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            (
                l.clone(),
                series
                    .iter()
                    .map(|s| {
                        s.values
                            .get(i)
                            .copied()
                            .flatten()
                            .map(|v| format!("{v:.1}"))
                            .unwrap_or_else(|| "—".into())
                    })
                    .collect(),
            )
        })
        .collect();
    let names: Vec<String> = series.iter().map(|s| s.name.clone()).collect();
    let legend = series.clone();
    view! {
        <figure class="chart" data-testid=testid>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=move || title.get() class="chart-svg">
                {grid.iter().map(|g| view! {
                    <line x1=PAD_L x2=W - 8.0 y1=y(*g) y2=y(*g) class="chart-grid" />
                    <text x=PAD_L - 6.0 y=y(*g) + 4.0 class="chart-tick" text-anchor="end">{format!("{g:.0}")}</text>
                }).collect_view()}
                {ticks.into_iter().map(|(x, l)| view! {
                    <text x=x y=H - 6.0 class="chart-tick" text-anchor="middle">{l}</text>
                }).collect_view()}
                {lines.into_iter().map(|(class, segs)| segs.into_iter().map(|pts| view! {
                    <polyline points=pts class=format!("chart-line {class}") fill="none" />
                }).collect_view()).collect_view()}
            </svg>
            <figcaption class="chart-legend">
                {legend.into_iter().map(|s| view! { <span class=format!("legend {}", s.class)>{s.name}</span> }).collect_view()}
            </figcaption>
            <details class="chart-table">
                <summary>{move || table_label.get()}</summary>
                <table class="table">
                    <thead><tr><th></th>{names.into_iter().map(|n| view! { <th scope="col">{n}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(l, vs)| view! {
                            <tr><th scope="row">{l}</th>{vs.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_split_the_line_and_values_are_clamped() {
        let s = segments(
            &[Some(0.0), Some(100.0), None, Some(50.0), Some(500.0)],
            0.0,
            100.0,
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].split(' ').count(), 2);
        // 500 is drawn at the top edge, not off the chart.
        assert!(s[1].ends_with(&format!("{:.1}", PAD_T)));
        assert!(segments(&[None, None], 0.0, 1.0).is_empty());
    }
}
