//! KPIs in words: a KPI's name, its value and change as people read them,
//! and the week labels of the weekly charts. Shared by the dashboard
//! (`analytics`), its targets and its trends.

use leptos_i18n::I18nContext;
use patron_core::kpi::KpiUnit;

use crate::format::{money_minor, number};
use crate::i18n::*;

/// A KPI's name.
pub(crate) fn label(i18n: I18nContext<Locale>, key: &str) -> String {
    match key {
        "members" => t_string!(i18n, kpi.members),
        "active_members" => t_string!(i18n, kpi.active_members),
        "new_members" => t_string!(i18n, kpi.new_members),
        "retention_rate" => t_string!(i18n, kpi.retention_rate),
        "churn_rate" => t_string!(i18n, kpi.churn_rate),
        "repeat_purchase_rate" => t_string!(i18n, kpi.repeat_purchase_rate),
        "points_issued" => t_string!(i18n, kpi.points_issued),
        "points_redeemed" => t_string!(i18n, kpi.points_redeemed),
        "points_expired" => t_string!(i18n, kpi.points_expired),
        "redemption_rate" => t_string!(i18n, kpi.redemption_rate),
        "breakage" => t_string!(i18n, kpi.breakage),
        "outstanding_points" => t_string!(i18n, kpi.outstanding_points),
        "liability" => t_string!(i18n, kpi.liability),
        "nps" => t_string!(i18n, kpi.nps),
        "csat" => t_string!(i18n, kpi.csat),
        _ => "",
    }
    .to_string()
}

/// A KPI value as people read it.
pub(crate) fn show(
    i18n: I18nContext<Locale>,
    unit: KpiUnit,
    v: Option<f64>,
    currency: &str,
) -> String {
    let l = i18n.get_locale();
    match (unit, v) {
        (_, None) => "—".into(),
        (KpiUnit::Rate, Some(x)) => format!("{:.1} %", x * 100.0),
        (KpiUnit::Score, Some(x)) => format!("{x:.1}"),
        (KpiUnit::Money, Some(x)) => money_minor(l, x as i64, currency),
        (_, Some(x)) => number(l, x as i64),
    }
}

/// Whether a rise in this KPI is bad news (coloured as such).
fn lower_is_better(key: &str) -> bool {
    matches!(
        key,
        "churn_rate" | "points_expired" | "breakage" | "liability"
    )
}

pub(crate) fn show_change(
    key: &str,
    unit: KpiUnit,
    c: Option<f64>,
) -> Option<(String, &'static str)> {
    let c = c?;
    let good = if lower_is_better(key) {
        c < 0.0
    } else {
        c > 0.0
    };
    let class = if c == 0.0 {
        "flat"
    } else if good {
        "good"
    } else {
        "bad"
    };
    let arrow = if c > 0.0 {
        "▲"
    } else if c < 0.0 {
        "▼"
    } else {
        "="
    };
    Some((
        match unit {
            KpiUnit::Rate => format!("{arrow} {:+.1} pp", c * 100.0),
            KpiUnit::Score => format!("{arrow} {c:+.1}"),
            _ => format!("{arrow} {:+.1} %", c * 100.0),
        },
        class,
    ))
}

/// "W3", or for a short last week "W5 (2 d)".
pub(crate) fn week_label(
    i18n: I18nContext<Locale>,
    i: usize,
    weeks: usize,
    partial: Option<i64>,
) -> String {
    match partial.filter(|_| i + 1 == weeks) {
        Some(days) => t_string!(i18n, chart.week_partial)
            .to_string()
            .replace("{n}", &(i + 1).to_string())
            .replace("{days}", &days.to_string()),
        None => t_string!(i18n, chart.week)
            .to_string()
            .replace("{n}", &(i + 1).to_string()),
    }
}
