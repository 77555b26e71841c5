//! A segment definition in words, and the names of the builder's choices.

use leptos_i18n::I18nContext;
use patron_core::profile::Channel;
use patron_core::segments::{Attribute, Condition, Join, Range, RfmPart, SegmentDefinition};

use crate::format::{intl_tag, money_minor, number};
use crate::i18n::*;
use crate::labels::rfm_segment;

/// The name of a condition kind in the builder's menu.
pub fn kind_label(i18n: I18nContext<Locale>, kind: &str) -> String {
    match kind {
        "recency" => t_string!(i18n, seg.k_recency),
        "frequency" => t_string!(i18n, seg.k_frequency),
        "spend" => t_string!(i18n, seg.k_spend),
        "average_order" => t_string!(i18n, seg.k_average_order),
        "category" => t_string!(i18n, seg.k_category),
        "rfm_score" => t_string!(i18n, seg.k_rfm_score),
        "rfm_segment" => t_string!(i18n, seg.k_rfm_segment),
        "churn_risk" => t_string!(i18n, seg.k_churn_risk),
        "at_risk" => t_string!(i18n, seg.k_at_risk),
        "tier" => t_string!(i18n, seg.k_tier),
        "region" => t_string!(i18n, seg.attr_region),
        "city" => t_string!(i18n, seg.attr_city),
        "age_band" => t_string!(i18n, seg.attr_age_band),
        "gender" => t_string!(i18n, seg.attr_gender),
        "occupation" => t_string!(i18n, seg.attr_occupation),
        "joined" => t_string!(i18n, seg.k_joined),
        "birthday_month" => t_string!(i18n, seg.k_birthday_month),
        "opt_in" => t_string!(i18n, seg.k_opt_in),
        "balance" => t_string!(i18n, seg.k_balance),
        _ => "",
    }
    .to_string()
}

/// "Region", "City", …
pub fn attribute_label(i18n: I18nContext<Locale>, a: Attribute) -> String {
    match a {
        Attribute::Region => t_string!(i18n, seg.attr_region),
        Attribute::City => t_string!(i18n, seg.attr_city),
        Attribute::AgeBand => t_string!(i18n, seg.attr_age_band),
        Attribute::Gender => t_string!(i18n, seg.attr_gender),
        Attribute::Occupation => t_string!(i18n, seg.attr_occupation),
    }
    .to_string()
}

/// "Recency (R)", …
pub fn part_label(i18n: I18nContext<Locale>, p: RfmPart) -> String {
    match p {
        RfmPart::R => t_string!(i18n, seg.part_r),
        RfmPart::F => t_string!(i18n, seg.part_f),
        RfmPart::M => t_string!(i18n, seg.part_m),
    }
    .to_string()
}

/// A communication channel's name.
pub fn channel_label(i18n: I18nContext<Locale>, c: Channel) -> String {
    crate::labels::channel(i18n, c)
}

/// "all" / "any" as the join selects say it.
pub fn join_label(i18n: I18nContext<Locale>, j: Join) -> String {
    match j {
        Join::All => t_string!(i18n, seg.join_all),
        Join::Any => t_string!(i18n, seg.join_any),
    }
    .to_string()
}

/// A month's name (1–12) in the locale, from the browser's Intl.
pub fn month_name(locale: Locale, m: u8) -> String {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"month".into(), &"long".into());
    let _ = js_sys::Reflect::set(&o, &"timeZone".into(), &"UTC".into());
    let f = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&intl_tag(locale).into()), &o);
    let d = js_sys::Date::new_with_year_month_day(2000, m as i32 - 1, 15);
    f.format()
        .call1(&wasm_bindgen::JsValue::NULL, &d)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| m.to_string())
}

fn range_words(i18n: I18nContext<Locale>, r: &Range, show: &dyn Fn(i64) -> String) -> String {
    match (r.min, r.max) {
        (Some(a), Some(b)) if a == b => show(a),
        (Some(a), Some(b)) => t_string!(i18n, seg.range_between)
            .to_string()
            .replace("{min}", &show(a))
            .replace("{max}", &show(b)),
        (Some(a), None) => t_string!(i18n, seg.range_min)
            .to_string()
            .replace("{min}", &show(a)),
        (None, Some(b)) => t_string!(i18n, seg.range_max)
            .to_string()
            .replace("{max}", &show(b)),
        (None, None) => t_string!(i18n, seg.range_any).to_string(),
    }
}

/// Names the builder cannot look up (tier ids) and the currency.
pub struct Vocabulary<'a> {
    pub tiers: &'a [(i64, String)],
    pub currency: Option<&'a str>,
}

/// One condition in words: "Spent at least ¥100.00 in the last 365 days".
pub fn condition_words(i18n: I18nContext<Locale>, c: &Condition, v: &Vocabulary) -> String {
    let l = i18n.get_locale();
    let num = |n: i64| number(l, n);
    let money = |n: i64| match v.currency {
        Some(cur) => money_minor(l, n, cur),
        None => format!("{:.2}", n as f64 / 100.0),
    };
    let list = |items: Vec<String>| items.join(", ");
    let fill = |s: &str, range: String, days: i64| {
        s.replace("{range}", &range).replace("{days}", &num(days))
    };
    match c {
        Condition::Recency { days } => fill(
            t_string!(i18n, seg.c_recency),
            range_words(i18n, days, &num),
            0,
        ),
        Condition::Frequency { window_days, count } => fill(
            t_string!(i18n, seg.c_frequency),
            range_words(i18n, count, &num),
            *window_days,
        ),
        Condition::Spend { window_days, minor } => fill(
            t_string!(i18n, seg.c_spend),
            range_words(i18n, minor, &money),
            *window_days,
        ),
        Condition::AverageOrder { window_days, minor } => fill(
            t_string!(i18n, seg.c_average_order),
            range_words(i18n, minor, &money),
            *window_days,
        ),
        Condition::Category {
            window_days,
            any_of,
        } => t_string!(i18n, seg.c_category)
            .to_string()
            .replace("{values}", &list(any_of.clone()))
            .replace("{days}", &num(*window_days)),
        Condition::RfmScore { part, score } => t_string!(i18n, seg.c_rfm_score)
            .to_string()
            .replace("{part}", &part_label(i18n, *part))
            .replace("{range}", &range_words(i18n, score, &num)),
        Condition::RfmSegment { any_of } => t_string!(i18n, seg.c_rfm_segment).to_string().replace(
            "{values}",
            &list(any_of.iter().map(|s| rfm_segment(i18n, *s)).collect()),
        ),
        Condition::ChurnRisk { score } => t_string!(i18n, seg.c_churn_risk)
            .to_string()
            .replace("{range}", &range_words(i18n, score, &num)),
        Condition::AtRisk { value: true } => t_string!(i18n, seg.c_at_risk_yes).to_string(),
        Condition::AtRisk { value: false } => t_string!(i18n, seg.c_at_risk_no).to_string(),
        Condition::Tier { any_of } => t_string!(i18n, seg.c_tier).to_string().replace(
            "{values}",
            &list(
                any_of
                    .iter()
                    .map(|id| {
                        v.tiers
                            .iter()
                            .find(|t| t.0 == *id)
                            .map(|t| t.1.clone())
                            .unwrap_or_else(|| format!("#{id}"))
                    })
                    .collect(),
            ),
        ),
        Condition::Attribute { attribute, any_of } => t_string!(i18n, seg.c_attribute)
            .to_string()
            .replace("{attribute}", &attribute_label(i18n, *attribute))
            .replace("{values}", &list(any_of.clone())),
        Condition::Joined { from, to } => {
            let d = |x: chrono::NaiveDate| x.format("%Y-%m-%d").to_string();
            let when = match (from, to) {
                (Some(a), Some(b)) => t_string!(i18n, seg.date_between)
                    .to_string()
                    .replace("{from}", &d(*a))
                    .replace("{to}", &d(*b)),
                (Some(a), None) => t_string!(i18n, seg.date_from)
                    .to_string()
                    .replace("{from}", &d(*a)),
                (None, Some(b)) => t_string!(i18n, seg.date_to)
                    .to_string()
                    .replace("{to}", &d(*b)),
                (None, None) => t_string!(i18n, seg.range_any).to_string(),
            };
            t_string!(i18n, seg.c_joined)
                .to_string()
                .replace("{range}", &when)
        }
        Condition::BirthdayMonth { any_of } => t_string!(i18n, seg.c_birthday).to_string().replace(
            "{values}",
            &list(any_of.iter().map(|m| month_name(l, *m)).collect()),
        ),
        Condition::OptIn { channel, value } => if *value {
            t_string!(i18n, seg.c_opt_in_yes)
        } else {
            t_string!(i18n, seg.c_opt_in_no)
        }
        .to_string()
        .replace("{channel}", &channel_label(i18n, *channel)),
        Condition::Balance { points } => t_string!(i18n, seg.c_balance)
            .to_string()
            .replace("{range}", &range_words(i18n, points, &num)),
    }
}

/// A definition as lines: one per group ("All of: …; …"), with how the
/// groups combine between them. Empty: every member.
pub fn definition_words(
    i18n: I18nContext<Locale>,
    d: &SegmentDefinition,
    v: &Vocabulary,
) -> (Option<String>, Vec<String>) {
    let groups: Vec<String> = d
        .groups
        .iter()
        .filter(|g| !g.conditions.is_empty())
        .map(|g| {
            let head = match g.join {
                Join::All => t_string!(i18n, seg.group_all),
                Join::Any => t_string!(i18n, seg.group_any),
            };
            let parts: Vec<String> = g
                .conditions
                .iter()
                .map(|c| condition_words(i18n, c, v))
                .collect();
            format!("{head} {}", parts.join("; "))
        })
        .collect();
    if groups.is_empty() {
        return (None, vec![t_string!(i18n, seg.everyone).to_string()]);
    }
    let between = (groups.len() > 1).then(|| {
        match d.join {
            Join::All => t_string!(i18n, seg.groups_all),
            Join::Any => t_string!(i18n, seg.groups_any),
        }
        .to_string()
    });
    (between, groups)
}
