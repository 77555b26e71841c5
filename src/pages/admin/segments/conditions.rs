//! The builder's groups and conditions: how a group's conditions combine,
//! adding and removing them, and the inputs of each kind of condition.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use patron_core::analytics::RfmSegment;
use patron_core::profile::Channel;
use patron_core::segments::{
    Condition, Group, Join, RfmPart, SegmentDraft, SegmentOptions, MAX_CONDITIONS,
};

use super::model::{
    attribute_of, condition_path, default_condition, is_money, kind_of, money_text, parse_int,
    parse_money, problem_at, range_mut, remove_condition, strings_mut, toggle, window_mut,
    CONDITION_KINDS,
};
use super::words::{channel_label, join_label, kind_label, month_name, part_label};
use crate::api::ApiError;
use crate::components::field_error::FieldError;
use crate::i18n::*;
use crate::labels::rfm_segment;

/// Changes condition `ci` of group `gi` in place.
fn edit(draft: RwSignal<SegmentDraft>, gi: usize, ci: usize, f: impl FnOnce(&mut Condition)) {
    draft.update(|d| {
        if let Some(c) = d
            .definition
            .groups
            .get_mut(gi)
            .and_then(|g| g.conditions.get_mut(ci))
        {
            f(c);
        }
    });
}

pub(super) fn join_value(j: Join) -> &'static str {
    match j {
        Join::All => "all",
        Join::Any => "any",
    }
}

pub(super) fn parse_join(s: &str) -> Join {
    if s == "any" {
        Join::Any
    } else {
        Join::All
    }
}

/// One group: how its conditions combine, the conditions, adding one.
#[component]
pub(super) fn GroupEditor(
    gi: usize,
    kinds: Vec<&'static str>,
    draft: RwSignal<SegmentDraft>,
    problems: Memo<Vec<(String, String)>>,
    error: RwSignal<Option<ApiError>>,
    options: StoredValue<SegmentOptions>,
) -> impl IntoView {
    let i18n = use_i18n();
    let adding = RwSignal::new(String::new());
    let n = kinds.len();
    let heading = move || {
        t_string!(i18n, seg.group_n)
            .to_string()
            .replace("{n}", &(gi + 1).to_string())
    };
    let rows = kinds
        .into_iter()
        .enumerate()
        .map(|(ci, kind)| {
            let path = condition_path(gi, ci);
            let message = Signal::derive(move || {
                problems
                    .with(|p| problem_at(p, &path))
                    .or_else(|| error.with(|e| e.as_ref().and_then(|e| e.field(&path))))
            });
            view! {
                <fieldset class="condition" data-testid="condition">
                    <legend>{move || kind_label(i18n, kind)}</legend>
                    <div class="condition-body">
                        {condition_editor(i18n, draft, gi, ci, options)}
                        <button type="button" class="btn btn-small" on:click=move |_| draft.update(|d| remove_condition(&mut d.definition, gi, ci))>
                            {t!(i18n, admin.remove)}<span class="visually-hidden">" "{move || kind_label(i18n, kind)}</span></button>
                    </div>
                    <FieldError message=message />
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <section class="segment-group" aria-label=heading data-testid="segment-group">
            <div class="group-head">
                <h3>{heading}</h3>
                {(n > 1).then(|| view! {
                    <label class="field inline-field"><span>{t!(i18n, seg.conditions_join)}</span>
                        <select prop:value=move || join_value(draft.with(|d| d.definition.groups.get(gi).map(|g| g.join).unwrap_or_default()))
                            on:change=move |ev| { let j = parse_join(&event_target_value(&ev)); draft.update(|d| if let Some(g) = d.definition.groups.get_mut(gi) { g.join = j }) }>
                            <option value="all">{move || join_label(i18n, Join::All)}</option>
                            <option value="any">{move || join_label(i18n, Join::Any)}</option>
                        </select></label>
                })}
                <button type="button" class="btn btn-small" on:click=move |_| draft.update(|d| {
                    if gi < d.definition.groups.len() { d.definition.groups.remove(gi); }
                    if d.definition.groups.is_empty() { d.definition.groups.push(Group::default()); }
                })>{t!(i18n, seg.remove_group)}</button>
            </div>
            {(n == 0).then(|| view! { <p class="muted">{t!(i18n, seg.no_conditions)}</p> })}
            {rows}
            <div class="add-condition">
                <label class="field"><span>{t!(i18n, seg.add_condition)}</span>
                    <select data-testid="condition-kind" prop:value=move || adding.get() on:change=move |ev| adding.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, admin.choose)}</option>
                        {CONDITION_KINDS.into_iter().map(|k| view! { <option value=k>{move || kind_label(i18n, k)}</option> }).collect_view()}
                    </select></label>
                <button type="button" class="btn" data-testid="add-condition"
                    disabled=move || { adding.with(String::is_empty) || n >= MAX_CONDITIONS }
                    on:click=move |_| {
                        let k = adding.get_untracked();
                        if k.is_empty() { return; }
                        let w = options.with_value(|o| o.rfm_window_days);
                        draft.update(|d| if let Some(g) = d.definition.groups.get_mut(gi) { g.conditions.push(default_condition(&k, w)) });
                        adding.set(String::new());
                    }>{t!(i18n, seg.add)}</button>
            </div>
        </section>
    }
}

/// The inputs of one condition. Inputs start from the draft and write to
/// it; the group re-renders only when conditions are added or removed.
fn condition_editor(
    i18n: I18nContext<Locale>,
    draft: RwSignal<SegmentDraft>,
    gi: usize,
    ci: usize,
    options: StoredValue<SegmentOptions>,
) -> AnyView {
    let Some(mut c) = draft.with_untracked(|d| {
        d.definition
            .groups
            .get(gi)
            .and_then(|g| g.conditions.get(ci))
            .cloned()
    }) else {
        return ().into_any();
    };
    let window = window_mut(&mut c).map(|w| {
        let w = *w;
        view! {
            <label class="field"><span>{t!(i18n, seg.window_days)}</span>
                <input type="number" min="1" max="3660" class="narrow" value=w.to_string()
                    on:input=move |ev| { let v = parse_int(&event_target_value(&ev)).unwrap_or(0); edit(draft, gi, ci, |c| if let Some(w) = window_mut(c) { *w = v }) } /></label>
        }
    });
    let money = is_money(&c);
    let range = range_mut(&mut c).map(|r| {
        let r = *r;
        let text = move |v: Option<i64>| {
            if money {
                money_text(v)
            } else {
                v.map(|x| x.to_string()).unwrap_or_default()
            }
        };
        let parse = move |s: String| if money { parse_money(&s) } else { parse_int(&s) };
        let step = if money { "0.01" } else { "1" };
        view! {
            <label class="field"><span>{t!(i18n, seg.at_least)}</span>
                <input type="number" step=step class="narrow" value=text(r.min)
                    on:input=move |ev| { let v = parse(event_target_value(&ev)); edit(draft, gi, ci, |c| if let Some(r) = range_mut(c) { r.min = v }) } /></label>
            <label class="field"><span>{t!(i18n, seg.at_most)}</span>
                <input type="number" step=step class="narrow" value=text(r.max)
                    on:input=move |ev| { let v = parse(event_target_value(&ev)); edit(draft, gi, ci, |c| if let Some(r) = range_mut(c) { r.max = v }) } /></label>
        }
    });
    let unit = match &c {
        Condition::Recency { .. } => Some(t_string!(i18n, seg.unit_days_ago).to_string()),
        Condition::Frequency { .. } => Some(t_string!(i18n, seg.unit_purchases).to_string()),
        Condition::Spend { .. } | Condition::AverageOrder { .. } => {
            Some(t_string!(i18n, seg.unit_money).to_string())
        }
        Condition::Balance { .. } => Some(t_string!(i18n, seg.unit_points).to_string()),
        Condition::ChurnRisk { .. } => Some(t_string!(i18n, seg.unit_churn).to_string()),
        Condition::RfmScore { .. } => Some(t_string!(i18n, seg.unit_score).to_string()),
        _ => None,
    }
    .map(|u| view! { <span class="hint unit">{u}</span> });
    let specific = match c.clone() {
        Condition::RfmScore { part, .. } => view! {
            <label class="field"><span>{t!(i18n, seg.score)}</span>
                <select prop:value=part_value(part) on:change=move |ev| {
                    let p = match event_target_value(&ev).as_str() { "f" => RfmPart::F, "m" => RfmPart::M, _ => RfmPart::R };
                    edit(draft, gi, ci, |c| if let Condition::RfmScore { part, .. } = c { *part = p });
                }>
                    {[RfmPart::R, RfmPart::F, RfmPart::M].into_iter().map(|p| view! {
                        <option value=part_value(p) selected=p == part>{move || part_label(i18n, p)}</option>
                    }).collect_view()}
                </select></label>
        }
        .into_any(),
        Condition::RfmSegment { any_of } => choices(
            t_string!(i18n, seg.k_rfm_segment).to_string(),
            RfmSegment::ALL
                .into_iter()
                .map(|s| (s, rfm_segment(i18n, s), any_of.contains(&s)))
                .collect(),
            move |s, on| {
                edit(draft, gi, ci, |c| {
                    if let Condition::RfmSegment { any_of } = c {
                        toggle(any_of, s, on)
                    }
                })
            },
        ),
        Condition::AtRisk { value } => yes_no(
            i18n,
            t_string!(i18n, seg.k_at_risk).to_string(),
            value,
            move |v| {
                edit(draft, gi, ci, |c| {
                    if let Condition::AtRisk { value } = c {
                        *value = v
                    }
                })
            },
        ),
        Condition::Tier { any_of } => choices(
            t_string!(i18n, seg.k_tier).to_string(),
            options.with_value(|o| {
                o.tiers
                    .iter()
                    .map(|(id, name)| (*id, name.clone(), any_of.contains(id)))
                    .collect()
            }),
            move |id, on| {
                edit(draft, gi, ci, |c| {
                    if let Condition::Tier { any_of } = c {
                        toggle(any_of, id, on)
                    }
                })
            },
        ),
        Condition::Category { any_of, .. } | Condition::Attribute { any_of, .. } => {
            let kind = kind_of(&c);
            let offered = options.with_value(|o| match attribute_of(kind) {
                Some(a) => match a {
                    patron_core::segments::Attribute::Region => o.regions.clone(),
                    patron_core::segments::Attribute::City => o.cities.clone(),
                    patron_core::segments::Attribute::AgeBand => o.age_bands.clone(),
                    patron_core::segments::Attribute::Gender => o.genders.clone(),
                    patron_core::segments::Attribute::Occupation => o.occupations.clone(),
                },
                None => o.categories.clone(),
            });
            let mut all = offered;
            for v in &any_of {
                if !all.contains(v) {
                    all.push(v.clone());
                }
            }
            choices(
                kind_label(i18n, kind),
                all.into_iter()
                    .map(|v| {
                        let on = any_of.contains(&v);
                        (v.clone(), v, on)
                    })
                    .collect(),
                move |v, on| edit(draft, gi, ci, |c| if let Some(l) = strings_mut(c) { toggle(l, v, on) }),
            )
        }
        Condition::Joined { from, to } => {
            let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
            let parse = |s: String| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok();
            view! {
                <label class="field"><span>{t!(i18n, admin.from)}</span>
                    <input type="date" value=d(from) on:change=move |ev| { let v = parse(event_target_value(&ev)); edit(draft, gi, ci, |c| if let Condition::Joined { from, .. } = c { *from = v }) } /></label>
                <label class="field"><span>{t!(i18n, admin.to)}</span>
                    <input type="date" value=d(to) on:change=move |ev| { let v = parse(event_target_value(&ev)); edit(draft, gi, ci, |c| if let Condition::Joined { to, .. } = c { *to = v }) } /></label>
            }
            .into_any()
        }
        Condition::BirthdayMonth { any_of } => choices(
            t_string!(i18n, seg.k_birthday_month).to_string(),
            (1..=12u8)
                .map(|m| (m, month_name(i18n.get_locale_untracked(), m), any_of.contains(&m)))
                .collect(),
            move |m, on| {
                edit(draft, gi, ci, |c| {
                    if let Condition::BirthdayMonth { any_of } = c {
                        toggle(any_of, m, on)
                    }
                })
            },
        ),
        Condition::OptIn { channel, value } => view! {
            <label class="field"><span>{t!(i18n, seg.channel)}</span>
                <select on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(ch) = Channel::ALL.into_iter().find(|c| c.as_str() == v) {
                        edit(draft, gi, ci, |c| if let Condition::OptIn { channel, .. } = c { *channel = ch });
                    }
                }>
                    {Channel::ALL.into_iter().map(|ch| view! {
                        <option value=ch.as_str() selected=ch == channel>{move || channel_label(i18n, ch)}</option>
                    }).collect_view()}
                </select></label>
            {yes_no(i18n, t_string!(i18n, seg.opted_in).to_string(), value, move |v| edit(draft, gi, ci, |c| if let Condition::OptIn { value, .. } = c { *value = v }))}
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! { {specific}{window}{range}{unit} }.into_any()
}

fn part_value(p: RfmPart) -> &'static str {
    match p {
        RfmPart::R => "r",
        RfmPart::F => "f",
        RfmPart::M => "m",
    }
}

/// A yes/no select.
fn yes_no(
    i18n: I18nContext<Locale>,
    label: String,
    value: bool,
    set: impl Fn(bool) + 'static,
) -> AnyView {
    view! {
        <label class="field"><span>{label}</span>
            <select on:change=move |ev| set(event_target_value(&ev) == "yes")>
                <option value="yes" selected=value>{t!(i18n, seg.yes)}</option>
                <option value="no" selected=!value>{t!(i18n, seg.no)}</option>
            </select></label>
    }
    .into_any()
}

/// Checkboxes for a list of values (`(value, label, checked)`).
fn choices<T: Clone + Send + Sync + 'static>(
    label: String,
    values: Vec<(T, String, bool)>,
    set: impl Fn(T, bool) + Clone + Send + Sync + 'static,
) -> AnyView {
    view! {
        <div class="choice-list" role="group" aria-label=label>
            {values.into_iter().map(|(v, text, on)| {
                let set = set.clone();
                view! {
                    <label class="check"><input type="checkbox" checked=on
                        on:change=move |ev| set(v.clone(), event_target_checked(&ev)) />" "{text}</label>
                }
            }).collect_view()}
        </div>
    }
    .into_any()
}
