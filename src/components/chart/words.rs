//! The description words in the reader's language, from the `chart.d_*`
//! translations (read inside a reactive closure, so a language switch
//! rewrites the descriptions).

use super::format::Words;
use leptos_i18n::I18nContext;

use crate::i18n::*;

/// The current locale's [`Words`].
pub fn words(i18n: I18nContext<Locale>) -> Words {
    let s = |v: &dyn std::fmt::Display| v.to_string();
    let two = |a: String, b: String| (a, b);
    Words {
        bar: s(&t_string!(i18n, chart.d_bar)),
        line: s(&t_string!(i18n, chart.d_line)),
        histogram: s(&t_string!(i18n, chart.d_histogram)),
        heat_map: s(&t_string!(i18n, chart.d_heat_map)),
        scatter: s(&t_string!(i18n, chart.d_scatter)),
        categories: two(
            s(&t_string!(i18n, chart.d_category)),
            s(&t_string!(i18n, chart.d_categories)),
        ),
        series: two(
            s(&t_string!(i18n, chart.d_series)),
            s(&t_string!(i18n, chart.d_series)),
        ),
        points: two(
            s(&t_string!(i18n, chart.d_point)),
            s(&t_string!(i18n, chart.d_points)),
        ),
        bins: two(
            s(&t_string!(i18n, chart.d_bin)),
            s(&t_string!(i18n, chart.d_bins)),
        ),
        rows: two(
            s(&t_string!(i18n, chart.d_row)),
            s(&t_string!(i18n, chart.d_rows)),
        ),
        columns: two(
            s(&t_string!(i18n, chart.d_column)),
            s(&t_string!(i18n, chart.d_columns)),
        ),
        highest: s(&t_string!(i18n, chart.d_highest)),
        in_total: s(&t_string!(i18n, chart.d_in_total)),
        most_in: s(&t_string!(i18n, chart.d_most_in)),
        density: s(&t_string!(i18n, chart.d_density)),
        summary: s(&t_string!(i18n, chart.d_summary)),
        sep: s(&t_string!(i18n, chart.d_sep)),
        series_sep: s(&t_string!(i18n, chart.d_series_sep)),
    }
}
