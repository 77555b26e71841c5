//! The earning rules in evaluation order, each in words, and the editor for
//! one rule (new or saved); the simulator below tries the draft.

use leptos::prelude::*;
use patron_core::admin::RuleList;
use patron_core::earning::{EarningRule, RuleDraft, RuleKind};

use super::simulator::Simulator;
use crate::api::{self, ApiError};
use crate::components::error_panel::error_text;
use crate::components::field_error::FieldError;
use crate::components::toast::Toasts;
use crate::components::unsaved::guard_unsaved;
use crate::i18n::*;
use leptos_i18n::I18nContext;

/// A rule's effect in words.
fn describe(i18n: I18nContext<Locale>, r: &RuleKind) -> String {
    let x = |pct: i64| format!("×{}", pct as f64 / 100.0);
    match r {
        RuleKind::Base {
            points_per_unit,
            unit_minor,
        } => t_string!(i18n, admin.rule_base)
            .to_string()
            .replace("{points}", &points_per_unit.to_string())
            .replace("{unit}", &format!("{:.2}", *unit_minor as f64 / 100.0)),
        RuleKind::Category {
            category,
            multiplier_pct,
        } => t_string!(i18n, admin.rule_category)
            .to_string()
            .replace("{x}", &x(*multiplier_pct))
            .replace("{category}", category),
        RuleKind::TierMultiplier => t_string!(i18n, admin.rule_tier).to_string(),
        RuleKind::Promotion {
            multiplier_pct,
            category,
        } => t_string!(i18n, admin.rule_promotion)
            .to_string()
            .replace("{x}", &x(*multiplier_pct))
            .replace("{category}", category.as_deref().unwrap_or("*")),
        RuleKind::SignUp { points } => t_string!(i18n, admin.rule_sign_up)
            .to_string()
            .replace("{points}", &points.to_string()),
        RuleKind::Birthday { points } => t_string!(i18n, admin.rule_birthday)
            .to_string()
            .replace("{points}", &points.to_string()),
        RuleKind::Referral {
            friend_points,
            referrer_points,
            referrer_daily_cap,
        } => t_string!(i18n, admin.rule_referral)
            .to_string()
            .replace("{friend}", &friend_points.to_string())
            .replace("{referrer}", &referrer_points.to_string())
            .replace("{cap}", &referrer_daily_cap.to_string()),
    }
}

fn draft_of(r: &EarningRule) -> RuleDraft {
    RuleDraft {
        name: r.name.clone(),
        rule: r.rule.clone(),
        priority: r.priority,
        stop_further: r.stop_further,
        active: r.active,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
    }
}

fn blank() -> RuleDraft {
    RuleDraft {
        name: String::new(),
        rule: RuleKind::Promotion {
            multiplier_pct: 200,
            category: None,
        },
        priority: 15,
        stop_further: false,
        active: true,
        starts_at: None,
        ends_at: None,
    }
}

#[component]
pub(super) fn Rules(list: RuleList, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let rules = list.rules.clone();
    let categories = list.categories.clone();
    // (id being edited, draft, what it was)
    let editing = RwSignal::new(None::<(Option<i64>, RuleDraft, RuleDraft)>);
    let error = RwSignal::new(None::<ApiError>);
    let dirty =
        Signal::derive(move || editing.with(|e| e.as_ref().is_some_and(|(_, d, o)| d != o)));
    guard_unsaved(
        dirty,
        Signal::derive(move || t_string!(i18n, admin.unsaved).to_string()),
    );
    let save = Action::new_local(|(id, d): &(Option<i64>, RuleDraft)| {
        let (id, d) = (*id, d.clone());
        async move { api::admin::save_rule(id, d).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            editing.set(None);
            error.set(None);
            toasts.show(t_string!(i18n, admin.rule_saved).to_string());
            on_changed.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let remove = Action::new_local(|id: &i64| api::admin::delete_rule(*id));
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => {
            toasts.show(t_string!(i18n, admin.rule_deleted).to_string());
            on_changed.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let edit = move |d: &dyn Fn(&mut RuleDraft)| {
        editing.update(|e| {
            if let Some((_, draft, _)) = e {
                d(draft)
            }
        })
    };
    let field = move |f: &'static str| {
        Signal::derive(move || {
            editing
                .with(|e| {
                    e.as_ref().and_then(|(_, d, _)| {
                        d.problems()
                            .into_iter()
                            .find(|p| p.0 == f)
                            .map(|p| p.1.to_string())
                    })
                })
                .or_else(|| error.with(|e| e.as_ref().and_then(|e| e.field(f))))
        })
    };
    let rows = rules.iter().map(|r| {
        let r2 = r.clone();
        let id = r.id;
        let name = r.name.clone();
        let rule = r.rule.clone();
        let window = match (r.starts_at, r.ends_at) {
            (None, None) => String::new(),
            (a, b) => format!("{} – {}", a.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
                b.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()),
        };
        view! {
            <tr data-testid="rule-row" class:inactive=!r.active>
                <td class="num">{r.priority}</td>
                <td>{name.clone()}</td>
                <td>{move || describe(i18n, &rule)}</td>
                <td>{window}</td>
                <td>{r.stop_further.then(|| view! { <span class="tag">{t!(i18n, admin.stops)}</span> })}
                    {(!r.active).then(|| view! { <span class="tag">{t!(i18n, admin.inactive)}</span> })}</td>
                <td class="row-actions">
                    <button type="button" class="btn btn-small" on:click=move |_| { let d = draft_of(&r2); editing.set(Some((Some(id), d.clone(), d))); }>
                        {t!(i18n, admin.edit)}</button>
                    <button type="button" class="btn btn-small" on:click=move |_| {
                        let ok = web_sys::window().and_then(|w| w.confirm_with_message(&t_string!(i18n, admin.confirm_delete_rule).to_string().replace("{name}", &name)).ok()).unwrap_or(false);
                        if ok { remove.dispatch(id); }
                    }>{t!(i18n, admin.delete)}</button>
                </td>
            </tr>
        }
    }).collect_view();
    let kind_of = move || {
        editing.with(|e| {
            e.as_ref()
                .map(|(_, d, _)| d.rule.name())
                .unwrap_or("promotion")
        })
    };
    let cats = categories.clone();
    let editor = move || {
        editing.get().map(|(id, d, _)| {
        let cats = cats.clone();
        let num = move |v: String| v.trim().parse::<i64>().unwrap_or(0);
        let params = match d.rule.clone() {
            RuleKind::Base { points_per_unit, unit_minor } => view! {
                <label class="field"><span>{t!(i18n, admin.points_per_unit)}</span>
                    <input type="number" min="1" value=points_per_unit.to_string() on:input=move |ev| { let v = num(event_target_value(&ev)); edit(&|d| if let RuleKind::Base { points_per_unit, .. } = &mut d.rule { *points_per_unit = v }) } /></label>
                <label class="field"><span>{t!(i18n, admin.unit_minor)}</span>
                    <input type="number" min="1" value=unit_minor.to_string() on:input=move |ev| { let v = num(event_target_value(&ev)); edit(&|d| if let RuleKind::Base { unit_minor, .. } = &mut d.rule { *unit_minor = v }) } /></label>
            }.into_any(),
            RuleKind::Category { category, multiplier_pct } => view! {
                <label class="field"><span>{t!(i18n, admin.category)}</span>
                    <select prop:value=category.clone() on:change=move |ev| { let v = event_target_value(&ev); edit(&|d| if let RuleKind::Category { category, .. } = &mut d.rule { *category = v.clone() }) }>
                        <option value="">{t!(i18n, admin.choose)}</option>
                        {cats.iter().map(|c| view! { <option value=c.clone() selected=*c == category>{c.clone()}</option> }).collect_view()}
                    </select></label>
                <label class="field"><span>{t!(i18n, admin.multiplier_pct)}</span>
                    <input type="number" min="100" step="5" value=multiplier_pct.to_string() on:input=move |ev| { let v = num(event_target_value(&ev)); edit(&|d| if let RuleKind::Category { multiplier_pct, .. } = &mut d.rule { *multiplier_pct = v }) } /></label>
            }.into_any(),
            RuleKind::Promotion { multiplier_pct, category } => view! {
                <label class="field"><span>{t!(i18n, admin.multiplier_pct)}</span>
                    <input type="number" min="100" step="5" data-testid="rule-multiplier" value=multiplier_pct.to_string() on:input=move |ev| { let v = num(event_target_value(&ev)); edit(&|d| if let RuleKind::Promotion { multiplier_pct, .. } = &mut d.rule { *multiplier_pct = v }) } /></label>
                <label class="field"><span>{t!(i18n, admin.category)}</span>
                    <select on:change=move |ev| { let v = event_target_value(&ev); edit(&|d| if let RuleKind::Promotion { category, .. } = &mut d.rule { *category = (!v.is_empty()).then(|| v.clone()) }) }>
                        <option value="">{t!(i18n, admin.all_categories)}</option>
                        {cats.iter().map(|c| view! { <option value=c.clone() selected=category.as_deref() == Some(c.as_str())>{c.clone()}</option> }).collect_view()}
                    </select></label>
            }.into_any(),
            RuleKind::TierMultiplier => view! { <p class="hint">{t!(i18n, admin.rule_tier_hint)}</p> }.into_any(),
            RuleKind::SignUp { points } | RuleKind::Birthday { points } => view! {
                <label class="field"><span>{t!(i18n, admin.bonus_points)}</span>
                    <input type="number" min="1" value=points.to_string() on:input=move |ev| { let v = num(event_target_value(&ev)); edit(&|d| match &mut d.rule { RuleKind::SignUp { points } | RuleKind::Birthday { points } => *points = v, _ => {} }) } /></label>
            }.into_any(),
            RuleKind::Referral { friend_points, referrer_points, referrer_daily_cap } => view! {
                <label class="field"><span>{t!(i18n, admin.friend_points)}</span>
                    <input type="number" min="0" value=friend_points.to_string() on:input=move |ev| { let v = num(event_target_value(&ev)); edit(&|d| if let RuleKind::Referral { friend_points, .. } = &mut d.rule { *friend_points = v }) } /></label>
                <label class="field"><span>{t!(i18n, admin.referrer_points)}</span>
                    <input type="number" min="0" value=referrer_points.to_string() on:input=move |ev| { let v = num(event_target_value(&ev)); edit(&|d| if let RuleKind::Referral { referrer_points, .. } = &mut d.rule { *referrer_points = v }) } /></label>
                <label class="field"><span>{t!(i18n, admin.referrer_daily_cap)}</span>
                    <input type="number" min="1" max="1000" data-testid="referrer-daily-cap" value=referrer_daily_cap.to_string() on:input=move |ev| { let v = num(event_target_value(&ev)); edit(&|d| if let RuleKind::Referral { referrer_daily_cap, .. } = &mut d.rule { *referrer_daily_cap = v }) } /></label>
            }.into_any(),
        };
        let day = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default();
        let parse_day = |v: String| chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc());
        view! {
            <form class="card form" aria-labelledby="rule-edit-h" data-testid="rule-editor" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if let Some((id, d, _)) = editing.get_untracked() {
                    if d.problems().is_empty() { save.dispatch((id, d)); }
                }
            }>
                <h2 id="rule-edit-h">{if id.is_some() { t!(i18n, admin.edit_rule).into_any() } else { t!(i18n, admin.new_rule).into_any() }}</h2>
                <div class="field-row">
                    <label class="field grow"><span>{t!(i18n, admin.rule_name)}</span>
                        <input type="text" maxlength="80" data-testid="rule-name" value=d.name.clone()
                            on:input=move |ev| { let v = event_target_value(&ev); edit(&|d| d.name = v.clone()) } />
                        <FieldError message=field("name") /></label>
                    <label class="field"><span>{t!(i18n, admin.rule_kind)}</span>
                        <select data-testid="rule-kind" prop:value=kind_of on:change=move |ev| {
                            let k = event_target_value(&ev);
                            edit(&|d| d.rule = match k.as_str() {
                                "base" => RuleKind::Base { points_per_unit: 1, unit_minor: 100 },
                                "category" => RuleKind::Category { category: String::new(), multiplier_pct: 150 },
                                "tier_multiplier" => RuleKind::TierMultiplier,
                                "sign_up" => RuleKind::SignUp { points: 100 },
                                "birthday" => RuleKind::Birthday { points: 200 },
                                "referral" => RuleKind::Referral { friend_points: 500, referrer_points: 500, referrer_daily_cap: patron_core::earning::DEFAULT_REFERRER_DAILY_CAP },
                                _ => RuleKind::Promotion { multiplier_pct: 200, category: None },
                            });
                        }>
                            <option value="base">{t!(i18n, admin.kind_base)}</option>
                            <option value="category">{t!(i18n, admin.kind_category)}</option>
                            <option value="tier_multiplier">{t!(i18n, admin.kind_tier)}</option>
                            <option value="promotion">{t!(i18n, admin.kind_promotion)}</option>
                            <option value="sign_up">{t!(i18n, admin.kind_sign_up)}</option>
                            <option value="birthday">{t!(i18n, admin.kind_birthday)}</option>
                            <option value="referral">{t!(i18n, admin.kind_referral)}</option>
                        </select></label>
                </div>
                <div class="field-row">{params}</div>
                <FieldError message=field("rule") />
                <div class="field-row">
                    <label class="field"><span>{t!(i18n, admin.priority)}</span>
                        <input type="number" min="0" class="narrow" value=d.priority.to_string()
                            on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(-1); edit(&|d| d.priority = v) } />
                        <FieldError message=field("priority") /></label>
                    <label class="field"><span>{t!(i18n, admin.starts)}</span>
                        <input type="date" value=day(d.starts_at) on:change=move |ev| { let v = parse_day(event_target_value(&ev)); edit(&|d| d.starts_at = v) } /></label>
                    <label class="field"><span>{t!(i18n, admin.ends)}</span>
                        <input type="date" value=day(d.ends_at) on:change=move |ev| { let v = parse_day(event_target_value(&ev)); edit(&|d| d.ends_at = v) } />
                        <FieldError message=field("ends_at") /></label>
                    <label class="check"><input type="checkbox" checked=d.stop_further on:change=move |ev| { let v = event_target_checked(&ev); edit(&|d| d.stop_further = v) } />
                        {t!(i18n, admin.stop_further)}</label>
                    <label class="check"><input type="checkbox" checked=d.active on:change=move |ev| { let v = event_target_checked(&ev); edit(&|d| d.active = v) } />
                        {t!(i18n, admin.active)}</label>
                </div>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> })}
                <div class="actions">
                    <button class="btn btn-primary" type="submit" data-testid="rule-save" disabled=move || save.pending().get()>{t!(i18n, common.save)}</button>
                    <button class="btn" type="button" on:click=move |_| { editing.set(None); error.set(None); }>{t!(i18n, admin.cancel)}</button>
                </div>
            </form>
        }
    })
    };
    let saved_rules = rules.clone();
    let candidate = Signal::derive(move || {
        let mut set = saved_rules.clone();
        if let Some((id, d, _)) = editing.get() {
            let rule = d.into_rule(id.unwrap_or(i64::MAX));
            match set.iter_mut().find(|r| Some(r.id) == id) {
                Some(r) => *r = rule,
                None => set.push(rule),
            }
        }
        set
    });
    view! {
        <section class="card" aria-labelledby="rules-h">
            <h2 id="rules-h">{t!(i18n, admin.rules_heading)}</h2>
            <p class="hint">{t!(i18n, admin.rules_hint)}</p>
            <div class="table-scroll">
                <table class="table" data-testid="rules-table">
                    <thead><tr><th scope="col">{t!(i18n, admin.priority)}</th><th scope="col">{t!(i18n, admin.rule_name)}</th>
                        <th scope="col">{t!(i18n, admin.effect)}</th><th scope="col">{t!(i18n, admin.when)}</th><th scope="col"></th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, admin.actions)}</span></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <button type="button" class="btn" data-testid="new-rule" on:click=move |_| editing.set(Some((None, blank(), blank())))>{t!(i18n, admin.new_rule)}</button>
        </section>
        {editor}
        <Simulator categories=categories candidate=candidate editing=Signal::derive(move || editing.with(|e| e.is_some())) />
    }
}
