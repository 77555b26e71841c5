//! Number formatting for axis labels, tables and the one-sentence
//! descriptions read by screen readers. Pure, tested natively.

/// Drops a trailing `.0`/`0`s after a decimal point.
fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Short label: `950`, `12.5`, `1.2k`, `3.4M`, `2B`; `—` for no data.
pub fn compact(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let a = v.abs();
    for (div, suffix) in [(1e9, "B"), (1e6, "M"), (1e3, "k")] {
        // 999_960 rounds to "1000k": show it as "1M" instead.
        if a >= div * 0.99995 {
            let n = v / div;
            let s = if n.abs() >= 99.95 {
                format!("{n:.0}")
            } else {
                format!("{n:.1}")
            };
            return trim(s) + suffix;
        }
    }
    let s = if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    let s = trim(s);
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// A fraction (0..1) as a percent with at most one decimal: `12.3%`, `50%`.
pub fn percent(frac: f64) -> String {
    if !frac.is_finite() {
        return "—".into();
    }
    trim(format!("{:.1}", frac * 100.0)) + "%"
}

/// Full figure for tables: `1,234`, `54.2`, `-1,000.5`; `—` for no data.
pub fn full(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let s = trim(format!("{:.2}", v.abs()));
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if v < 0.0 && out != "0" {
        out.insert(0, '-');
    }
    out
}

/// `full` or `percent`, for tables and descriptions.
pub fn value(v: f64, as_percent: bool) -> String {
    if as_percent {
        percent(v)
    } else {
        full(v)
    }
}

/// `n thing`/`n things`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", full(n as f64), if n == 1 { one } else { many })
}

/// Index and value of the largest finite value.
fn argmax(values: impl IntoIterator<Item = f64>) -> Option<(usize, f64)> {
    values
        .into_iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .fold(None, |best, (i, v)| match best {
            Some((_, b)) if b >= v => best,
            _ => Some((i, v)),
        })
}

/// "Bar chart, 5 categories, highest: Gold 1,234" (with the series name
/// when there are several; the highest total when stacked).
pub fn describe_bars(
    labels: &[String],
    series: &[(String, Vec<f64>)],
    stacked: bool,
    as_percent: bool,
) -> String {
    let mut out = format!(
        "Bar chart, {}",
        count(labels.len(), "category", "categories")
    );
    if series.len() > 1 {
        out += &format!(", {}", count(series.len(), "series", "series"));
    }
    let best = if stacked && series.len() > 1 {
        let totals = (0..labels.len()).map(|i| {
            series
                .iter()
                .filter_map(|(_, v)| v.get(i).copied().filter(|v| v.is_finite()))
                .sum()
        });
        argmax(totals).map(|(i, v)| (labels[i].clone(), v))
    } else {
        series
            .iter()
            .flat_map(|(name, values)| {
                values
                    .iter()
                    .take(labels.len())
                    .enumerate()
                    .map(move |(i, &v)| (name, i, v))
            })
            .filter(|(_, _, v)| v.is_finite())
            .fold(None::<(&String, usize, f64)>, |b, c| match b {
                Some(b) if b.2 >= c.2 => Some(b),
                _ => Some(c),
            })
            .map(|(name, i, v)| {
                let l = if series.len() > 1 {
                    format!("{} ({name})", labels[i])
                } else {
                    labels[i].clone()
                };
                (l, v)
            })
    };
    if let Some((label, v)) = best {
        out += &format!(", highest: {label} {}", value(v, as_percent));
    }
    out
}

/// "Line chart, 30 points; Revenue: first 1.2k, last 3.4k, min 1k, max 4k".
pub fn describe_lines(points: usize, series: &[(String, Vec<f64>)]) -> String {
    let mut out = format!("Line chart, {}", count(points, "point", "points"));
    for (name, values) in series {
        if let Some(s) = summary(values) {
            out += &format!("; {name}: {s}");
        }
    }
    out
}

/// "first 1, last 5, min 0, max 9" over the finite values.
pub fn summary(values: &[f64]) -> Option<String> {
    let mut finite = values.iter().copied().filter(|v| v.is_finite());
    let first = finite.next()?;
    let (last, lo, hi) = finite.fold((first, first, first), |(_, lo, hi), v| {
        (v, lo.min(v), hi.max(v))
    });
    Some(format!(
        "first {}, last {}, min {}, max {}",
        compact(first),
        compact(last),
        compact(lo),
        compact(hi)
    ))
}

/// "Histogram, 10 bins, 1,234 in total, most in 10–20: 345".
pub fn describe_histogram(bins: &[(String, u64)]) -> String {
    let total: u64 = bins.iter().map(|b| b.1).sum();
    let mut out = format!(
        "Histogram, {}, {} in total",
        count(bins.len(), "bin", "bins"),
        full(total as f64)
    );
    if let Some((i, v)) = argmax(bins.iter().map(|b| b.1 as f64)) {
        out += &format!(", most in {}: {}", bins[i].0, full(v));
    }
    out
}

/// "Heat map, 7 rows × 24 columns, highest: Mon 09:00 120".
pub fn describe_heatmap(
    x: &[String],
    y: &[String],
    cells: &[Vec<Option<f64>>],
    as_percent: bool,
) -> String {
    let mut out = format!(
        "Heat map, {} × {}",
        count(y.len(), "row", "rows"),
        count(x.len(), "column", "columns")
    );
    let best = cells
        .iter()
        .enumerate()
        .flat_map(|(r, row)| {
            row.iter()
                .enumerate()
                .filter_map(move |(c, v)| Some((r, c, (*v)?)))
        })
        .filter(|(.., v)| v.is_finite())
        .fold(None::<(usize, usize, f64)>, |b, c| match b {
            Some(b) if b.2 >= c.2 => Some(b),
            _ => Some(c),
        });
    if let Some((r, c, v)) = best {
        let name = |l: &[String], i: usize| l.get(i).cloned().unwrap_or_default();
        out += &format!(
            ", highest: {} {} {}",
            name(y, r),
            name(x, c),
            value(v, as_percent)
        );
    }
    out
}

/// "Scatter plot of 12,000 points shown as density, Age 18–90, Spend 0–5k".
pub fn describe_scatter(
    n: usize,
    binned: bool,
    (x_name, x): (&str, Option<(f64, f64)>),
    (y_name, y): (&str, Option<(f64, f64)>),
) -> String {
    let mut out = format!("Scatter plot of {}", count(n, "point", "points"));
    if binned {
        out += " shown as density";
    }
    for (name, r) in [(x_name, x), (y_name, y)] {
        if let Some((lo, hi)) = r {
            out += &format!(", {name} {}–{}", compact(lo), compact(hi));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_numbers() {
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(-0.001), "0");
        assert_eq!(compact(3.0), "3");
        assert_eq!(compact(0.126), "0.13");
        assert_eq!(compact(12.5), "12.5");
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(1_234.0), "1.2k");
        assert_eq!(compact(1_000.0), "1k");
        assert_eq!(compact(-45_600.0), "-45.6k");
        assert_eq!(compact(999_960.0), "1M");
        assert_eq!(compact(3_400_000.0), "3.4M");
        assert_eq!(compact(250_000_000.0), "250M");
        assert_eq!(compact(2e9), "2B");
        assert_eq!(compact(f64::NAN), "—");
    }

    #[test]
    fn percents_and_full_figures() {
        assert_eq!(percent(0.5), "50%");
        assert_eq!(percent(0.1234), "12.3%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(full(1_234.0), "1,234");
        assert_eq!(full(1_234_567.891), "1,234,567.89");
        assert_eq!(full(54.2), "54.2");
        assert_eq!(full(-1_000.5), "-1,000.5");
        assert_eq!(full(100.0), "100");
        assert_eq!(full(-0.001), "0");
        assert_eq!(value(0.25, true), "25%");
    }

    #[test]
    fn descriptions() {
        let labels: Vec<String> = ["Bronze", "Silver", "Gold"].map(String::from).to_vec();
        let one = vec![("Members".to_string(), vec![10.0, f64::NAN, 1_234.0])];
        assert_eq!(
            describe_bars(&labels, &one, false, false),
            "Bar chart, 3 categories, highest: Gold 1,234"
        );
        let two = vec![
            ("A".to_string(), vec![0.1, 0.5, 0.2]),
            ("B".to_string(), vec![0.3, 0.1, 0.6]),
        ];
        assert_eq!(
            describe_bars(&labels, &two, false, true),
            "Bar chart, 3 categories, 2 series, highest: Gold (B) 60%"
        );
        assert_eq!(
            describe_bars(&labels, &two, true, false),
            "Bar chart, 3 categories, 2 series, highest: Gold 0.8"
        );
        assert_eq!(
            describe_lines(3, &[("NPS".into(), vec![f64::NAN, 10.0, 30.0, 20.0])]),
            "Line chart, 3 points; NPS: first 10, last 20, min 10, max 30"
        );
        assert_eq!(
            describe_histogram(&[("0–10".into(), 5), ("10–20".into(), 9)]),
            "Histogram, 2 bins, 14 in total, most in 10–20: 9"
        );
        let x: Vec<String> = vec!["9:00".into(), "10:00".into()];
        let y: Vec<String> = vec!["Mon".into()];
        assert_eq!(
            describe_heatmap(&x, &y, &[vec![None, Some(120.0)]], false),
            "Heat map, 1 row × 2 columns, highest: Mon 10:00 120"
        );
        assert_eq!(
            describe_scatter(12_000, true, ("Age", Some((18.0, 90.0))), ("Spend", None)),
            "Scatter plot of 12,000 points shown as density, Age 18–90"
        );
    }
}
