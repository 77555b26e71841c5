//! Number formatting for axis labels, tables and the one-sentence
//! descriptions read by screen readers. Pure, tested natively (the unit
//! tests are in `tests.rs`).

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

/// The words of the descriptions, in the reader's language (templates
/// with `{n}`-style holes; see `words.rs` for where they come from).
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    pub bar: String,
    pub line: String,
    pub histogram: String,
    pub heat_map: String,
    pub scatter: String,
    /// `{n} category` / `{n} categories`, and so on.
    pub categories: (String, String),
    pub series: (String, String),
    pub points: (String, String),
    pub bins: (String, String),
    pub rows: (String, String),
    pub columns: (String, String),
    /// `highest: {what}`.
    pub highest: String,
    /// `{n} in total`.
    pub in_total: String,
    /// `most in {bin}: {n}`.
    pub most_in: String,
    pub density: String,
    /// `first {first}, last {last}, min {min}, max {max}`.
    pub summary: String,
    /// Between the parts (`, `), and before each line's summary (`; `).
    pub sep: String,
    pub series_sep: String,
}

/// `n thing`/`n things` from a (one, many) pair of templates.
fn count(n: usize, forms: &(String, String)) -> String {
    let t = if n == 1 { &forms.0 } else { &forms.1 };
    t.replace("{n}", &full(n as f64))
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
    w: &Words,
) -> String {
    let mut out = format!("{}{}{}", w.bar, w.sep, count(labels.len(), &w.categories));
    if series.len() > 1 {
        out += &format!("{}{}", w.sep, count(series.len(), &w.series));
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
        let what = format!("{label} {}", value(v, as_percent));
        out += &format!("{}{}", w.sep, w.highest.replace("{what}", &what));
    }
    out
}

/// "Line chart, 30 points; Revenue: first 1.2k, last 3.4k, min 1k, max 4k".
pub fn describe_lines(points: usize, series: &[(String, Vec<f64>)], w: &Words) -> String {
    let mut out = format!("{}{}{}", w.line, w.sep, count(points, &w.points));
    for (name, values) in series {
        if let Some(s) = summary(values, w) {
            out += &format!("{}{name}: {s}", w.series_sep);
        }
    }
    out
}

/// "first 1, last 5, min 0, max 9" over the finite values.
pub fn summary(values: &[f64], w: &Words) -> Option<String> {
    let mut finite = values.iter().copied().filter(|v| v.is_finite());
    let first = finite.next()?;
    let (last, lo, hi) = finite.fold((first, first, first), |(_, lo, hi), v| {
        (v, lo.min(v), hi.max(v))
    });
    Some(
        w.summary
            .replace("{first}", &compact(first))
            .replace("{last}", &compact(last))
            .replace("{min}", &compact(lo))
            .replace("{max}", &compact(hi)),
    )
}

/// "Histogram, 10 bins, 1,234 in total, most in 10–20: 345".
pub fn describe_histogram(bins: &[(String, u64)], w: &Words) -> String {
    let total: u64 = bins.iter().map(|b| b.1).sum();
    let mut out = [
        w.histogram.clone(),
        count(bins.len(), &w.bins),
        w.in_total.replace("{n}", &full(total as f64)),
    ]
    .join(&w.sep);
    if let Some((i, v)) = argmax(bins.iter().map(|b| b.1 as f64)) {
        let most = w.most_in.replace("{bin}", &bins[i].0);
        out += &format!("{}{}", w.sep, most.replace("{n}", &full(v)));
    }
    out
}

/// "Heat map, 7 rows × 24 columns, highest: Mon 09:00 120".
pub fn describe_heatmap(
    x: &[String],
    y: &[String],
    cells: &[Vec<Option<f64>>],
    as_percent: bool,
    w: &Words,
) -> String {
    let mut out = format!(
        "{}{}{} × {}",
        w.heat_map,
        w.sep,
        count(y.len(), &w.rows),
        count(x.len(), &w.columns)
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
        let what = format!("{} {} {}", name(y, r), name(x, c), value(v, as_percent));
        out += &format!("{}{}", w.sep, w.highest.replace("{what}", &what));
    }
    out
}

/// "Scatter plot, 12,000 points, shown as density, Age 18–90, Spend 0–5k".
pub fn describe_scatter(
    n: usize,
    binned: bool,
    (x_name, x): (&str, Option<(f64, f64)>),
    (y_name, y): (&str, Option<(f64, f64)>),
    w: &Words,
) -> String {
    let mut out = format!("{}{}{}", w.scatter, w.sep, count(n, &w.points));
    if binned {
        out += &format!("{}{}", w.sep, w.density);
    }
    for (name, r) in [(x_name, x), (y_name, y)] {
        if let Some((lo, hi)) = r {
            out += &format!("{}{name} {}–{}", w.sep, compact(lo), compact(hi));
        }
    }
    out
}

#[cfg(test)]
mod tests;
