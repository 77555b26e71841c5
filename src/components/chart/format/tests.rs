//! Unit tests of the number formats and the chart descriptions.

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

fn english() -> Words {
    let two = |a: &str, b: &str| (a.to_string(), b.to_string());
    Words {
        bar: "Bar chart".into(),
        line: "Line chart".into(),
        histogram: "Histogram".into(),
        heat_map: "Heat map".into(),
        scatter: "Scatter plot".into(),
        categories: two("{n} category", "{n} categories"),
        series: two("{n} series", "{n} series"),
        points: two("{n} point", "{n} points"),
        bins: two("{n} bin", "{n} bins"),
        rows: two("{n} row", "{n} rows"),
        columns: two("{n} column", "{n} columns"),
        highest: "highest: {what}".into(),
        in_total: "{n} in total".into(),
        most_in: "most in {bin}: {n}".into(),
        density: "shown as density".into(),
        summary: "first {first}, last {last}, min {min}, max {max}".into(),
        sep: ", ".into(),
        series_sep: "; ".into(),
    }
}

#[test]
fn descriptions() {
    let w = &english();
    let labels: Vec<String> = ["Bronze", "Silver", "Gold"].map(String::from).to_vec();
    let one = vec![("Members".to_string(), vec![10.0, f64::NAN, 1_234.0])];
    assert_eq!(
        describe_bars(&labels, &one, false, false, w),
        "Bar chart, 3 categories, highest: Gold 1,234"
    );
    let two = vec![
        ("A".to_string(), vec![0.1, 0.5, 0.2]),
        ("B".to_string(), vec![0.3, 0.1, 0.6]),
    ];
    assert_eq!(
        describe_bars(&labels, &two, false, true, w),
        "Bar chart, 3 categories, 2 series, highest: Gold (B) 60%"
    );
    assert_eq!(
        describe_bars(&labels, &two, true, false, w),
        "Bar chart, 3 categories, 2 series, highest: Gold 0.8"
    );
    assert_eq!(
        describe_lines(3, &[("NPS".into(), vec![f64::NAN, 10.0, 30.0, 20.0])], w),
        "Line chart, 3 points; NPS: first 10, last 20, min 10, max 30"
    );
    assert_eq!(
        describe_histogram(&[("0–10".into(), 5), ("10–20".into(), 9)], w),
        "Histogram, 2 bins, 14 in total, most in 10–20: 9"
    );
    let x: Vec<String> = vec!["9:00".into(), "10:00".into()];
    let y: Vec<String> = vec!["Mon".into()];
    assert_eq!(
        describe_heatmap(&x, &y, &[vec![None, Some(120.0)]], false, w),
        "Heat map, 1 row × 2 columns, highest: Mon 10:00 120"
    );
    assert_eq!(
        describe_scatter(
            12_000,
            true,
            ("Age", Some((18.0, 90.0))),
            ("Spend", None),
            w
        ),
        "Scatter plot, 12,000 points, shown as density, Age 18–90"
    );
}

#[test]
fn descriptions_follow_the_words_of_another_language() {
    let two = |a: &str| (a.to_string(), a.to_string());
    let zh = Words {
        bar: "柱状图".into(),
        categories: two("{n} 个类别"),
        highest: "最高：{what}".into(),
        summary: "首个 {first}，末个 {last}，最小 {min}，最大 {max}".into(),
        sep: "，".into(),
        ..english()
    };
    let labels: Vec<String> = vec!["金卡".into(), "银卡".into()];
    let one = vec![("会员".to_string(), vec![1_500.0, 20.0])];
    assert_eq!(
        describe_bars(&labels, &one, false, false, &zh),
        "柱状图，2 个类别，最高：金卡 1,500"
    );
    assert_eq!(
        summary(&[3.0, 1.0, 2.0], &zh).unwrap(),
        "首个 3，末个 2，最小 1，最大 3"
    );
}
