//! The tier editor: the tiers in rank order and the tier policy, checked as
//! typed, previewed on the server, saved on confirm; and the last
//! recalculation with a button to run one now.

use leptos::prelude::*;
use patron_core::admin::{
    AdminTier, DowngradeRule, Recalculation, TierImpact, TierPlan, TierSetup,
};
use patron_core::summary::{TierBasis, TierWindow};

use super::impact::ImpactPanel;
use crate::api::{self, ApiError};
use crate::components::error_panel::error_text;
use crate::components::field_error::FieldError;
use crate::components::toast::Toasts;
use crate::components::unsaved::guard_unsaved;
use crate::format::{date_time, number};
use crate::i18n::*;
use crate::state::session::Session;

fn new_tier(rank: usize, after: Option<&AdminTier>) -> AdminTier {
    AdminTier {
        id: None,
        name: String::new(),
        threshold: after.map_or(0, |t| t.threshold + 1_000),
        earn_multiplier_pct: after.map_or(100, |t| t.earn_multiplier_pct),
        perks: Vec::new(),
        colour: ["#3f8f6b", "#8a94a6", "#c79a2b", "#5b5f97", "#a14d6b"][rank % 5].into(),
        icon: String::new(),
        active: true,
        members: 0,
    }
}

#[component]
pub(super) fn TierEditor(setup: TierSetup) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let tz = Session::expect().time_zone();
    let saved = RwSignal::new(setup.plan.clone());
    let last_run = RwSignal::new(setup.last_run.clone());
    let draft = RwSignal::new(setup.plan);
    let impact = RwSignal::new(None::<(TierPlan, TierImpact)>);
    let server_error = RwSignal::new(None::<ApiError>);
    let tried = RwSignal::new(false);
    let dirty = Signal::derive(move || draft.get() != saved.get());
    guard_unsaved(
        dirty,
        Signal::derive(move || t_string!(i18n, admin.unsaved).to_string()),
    );
    // The preview answers for the plan it was asked about; edits hide it.
    let preview_current = Signal::derive(move || {
        impact.with(|i| i.as_ref().is_some_and(|(p, _)| draft.with(|d| d == p)))
    });

    let preview = Action::new_local(|p: &TierPlan| {
        let p = p.clone();
        async move { (p.clone(), api::admin::preview_tiers(p).await) }
    });
    Effect::new(move |_| match preview.value().get() {
        Some((p, Ok(i))) => {
            server_error.set(None);
            impact.set(Some((p, i)));
        }
        Some((_, Err(e))) => server_error.set(Some(e)),
        None => {}
    });
    let confirm = Action::new_local(|p: &TierPlan| {
        let p = p.clone();
        async move { api::admin::save_tiers(p).await }
    });
    Effect::new(move |_| match confirm.value().get() {
        Some(Ok(s)) => {
            let run = s.last_run.clone();
            saved.set(s.plan.clone());
            draft.set(s.plan);
            last_run.set(s.last_run);
            impact.set(None);
            server_error.set(None);
            tried.set(false);
            let msg = t_string!(i18n, admin.tiers_saved).to_string();
            let msg = match run {
                Some(r) => msg
                    .replace("{up}", &r.up.to_string())
                    .replace("{down}", &r.down.to_string()),
                None => msg.replace("{up}", "0").replace("{down}", "0"),
            };
            toasts.show(msg);
        }
        Some(Err(e)) => server_error.set(Some(e)),
        None => {}
    });
    let recalc = Action::new_local(|_: &()| api::admin::recalculate());
    Effect::new(move |_| match recalc.value().get() {
        Some(Ok(r)) => {
            toasts.show(
                t_string!(i18n, admin.recalc_done)
                    .to_string()
                    .replace("{up}", &r.up.to_string())
                    .replace("{down}", &r.down.to_string()),
            );
            last_run.set(Some(r));
        }
        Some(Err(e)) => server_error.set(Some(e)),
        None => {}
    });

    let problem = move |field: String| {
        Signal::derive(move || {
            let local = tried
                .get()
                .then(|| {
                    draft.with(|d| d.problems().into_iter().find(|p| p.0 == field).map(|p| p.1))
                })
                .flatten();
            local.or_else(|| server_error.with(|e| e.as_ref().and_then(|e| e.field(&field))))
        })
    };
    let set = move |i: usize, f: &dyn Fn(&mut AdminTier)| {
        draft.update(|d| {
            if let Some(t) = d.tiers.get_mut(i) {
                f(t)
            }
        })
    };
    let move_tier = move |i: usize, up: bool| {
        draft.update(|d| {
            let j = if up { i.checked_sub(1) } else { Some(i + 1) };
            if let Some(j) = j.filter(|j| *j < d.tiers.len()) {
                d.tiers.swap(i, j);
            }
        })
    };
    let count = move || draft.with(|d| d.tiers.len());
    let row = move |i: usize| {
        let field = move |name: &str| format!("tiers.{i}.{name}");
        let value = move |f: fn(&AdminTier) -> String| {
            move || draft.with(|d| d.tiers.get(i).map(f).unwrap_or_default())
        };
        view! {
            <tr data-testid=format!("tier-row-{i}")>
                <td class="num">{i + 1}</td>
                <td>
                    <input type="text" maxlength="40" data-testid=format!("tier-name-{i}")
                        aria-label=move || t_string!(i18n, admin.tier_name).to_string()
                        aria-invalid=move || problem(field("name")).get().is_some().to_string()
                        prop:value=value(|t| t.name.clone())
                        on:input=move |ev| set(i, &|t| t.name = event_target_value(&ev)) />
                    <FieldError message=problem(field("name")) />
                </td>
                <td>
                    <input type="number" min="0" step="1" data-testid=format!("tier-threshold-{i}")
                        aria-label=move || t_string!(i18n, admin.threshold).to_string()
                        aria-invalid=move || problem(field("threshold")).get().is_some().to_string()
                        prop:value=value(|t| t.threshold.to_string())
                        on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(-1); set(i, &|t| t.threshold = v) } />
                    <FieldError message=problem(field("threshold")) />
                </td>
                <td>
                    <input type="number" min="100" max="1000" step="5" class="narrow"
                        aria-label=move || t_string!(i18n, admin.multiplier_pct).to_string()
                        aria-invalid=move || problem(field("earn_multiplier_pct")).get().is_some().to_string()
                        prop:value=value(|t| t.earn_multiplier_pct.to_string())
                        on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(0); set(i, &|t| t.earn_multiplier_pct = v) } />
                    <FieldError message=problem(field("earn_multiplier_pct")) />
                </td>
                <td class="badge-cell">
                    <input type="color" aria-label=move || t_string!(i18n, admin.colour).to_string()
                        prop:value=value(|t| t.colour.clone())
                        on:input=move |ev| set(i, &|t| t.colour = event_target_value(&ev)) />
                    <input type="text" maxlength="4" class="icon-input" aria-label=move || t_string!(i18n, admin.icon).to_string()
                        prop:value=value(|t| t.icon.clone())
                        on:input=move |ev| set(i, &|t| t.icon = event_target_value(&ev)) />
                </td>
                <td>
                    <textarea rows="2" aria-label=move || t_string!(i18n, admin.perks).to_string()
                        prop:value=value(|t| t.perks.join("\n"))
                        on:input=move |ev| set(i, &|t| t.perks = event_target_value(&ev).lines().map(str::to_string).collect())></textarea>
                    <FieldError message=problem(field("perks")) />
                </td>
                <td>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || draft.with(|d| d.tiers.get(i).is_some_and(|t| t.active))
                            on:change=move |ev| { let on = event_target_checked(&ev); set(i, &|t| t.active = on) } />
                        {t!(i18n, admin.active)}
                    </label>
                </td>
                <td class="num">{move || number(i18n.get_locale(), draft.with(|d| d.tiers.get(i).map_or(0, |t| t.members)))}</td>
                <td class="row-actions">
                    <button type="button" class="btn btn-small" disabled=move || i == 0
                        aria-label=move || t_string!(i18n, admin.move_up).to_string() on:click=move |_| move_tier(i, true)>"↑"</button>
                    <button type="button" class="btn btn-small" disabled=move || { i + 1 >= count() }
                        aria-label=move || t_string!(i18n, admin.move_down).to_string() on:click=move |_| move_tier(i, false)>"↓"</button>
                    {move || draft.with(|d| d.tiers.get(i).is_some_and(|t| t.id.is_none())).then(|| view! {
                        <button type="button" class="btn btn-small" on:click=move |_| draft.update(|d| { d.tiers.remove(i); })>
                            {t!(i18n, admin.remove)}
                        </button>
                    })}
                </td>
            </tr>
        }
    };
    let policy = move |f: &dyn Fn(&mut patron_core::admin::TierPolicySettings)| {
        draft.update(|d| f(&mut d.policy))
    };
    let window_kind = move || match draft.with(|d| d.policy.window) {
        TierWindow::RollingMonths { .. } => "rolling_months",
        TierWindow::CalendarYear => "calendar_year",
        TierWindow::Lifetime => "lifetime",
    };
    let recalc_kind = move || match draft.with(|d| d.policy.recalculation) {
        Recalculation::OnActivity => "on_activity",
        Recalculation::Nightly => "nightly",
        Recalculation::FixedDate { .. } => "fixed_date",
    };
    let tz2 = tz.clone();
    view! {
        <form class="form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            tried.set(true);
            if draft.with_untracked(|d| d.problems().is_empty()) {
                preview.dispatch(draft.get_untracked());
            }
        }>
            <section class="card" aria-labelledby="tiers-h">
                <h2 id="tiers-h">{t!(i18n, admin.tiers_heading)}</h2>
                <p class="hint">{t!(i18n, admin.tiers_hint)}</p>
                <div class="table-scroll">
                    <table class="table tier-table" data-testid="tier-table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, admin.rank)}</th>
                            <th scope="col">{t!(i18n, admin.tier_name)}</th>
                            <th scope="col">{t!(i18n, admin.threshold)}</th>
                            <th scope="col">{t!(i18n, admin.multiplier_pct)}</th>
                            <th scope="col">{t!(i18n, admin.badge)}</th>
                            <th scope="col">{t!(i18n, admin.perks)}</th>
                            <th scope="col">{t!(i18n, admin.active)}</th>
                            <th scope="col">{t!(i18n, admin.members_col)}</th>
                            <th scope="col"><span class="visually-hidden">{t!(i18n, admin.actions)}</span></th>
                        </tr></thead>
                        <tbody>
                            {move || (0..count()).map(row).collect_view()}
                        </tbody>
                    </table>
                </div>
                <FieldError message=problem("tiers".into()) />
                <button type="button" class="btn" data-testid="add-tier"
                    on:click=move |_| draft.update(|d| { let t = new_tier(d.tiers.len(), d.tiers.last()); d.tiers.push(t); })>
                    {t!(i18n, admin.add_tier)}
                </button>
            </section>
            <section class="card" aria-labelledby="policy-h">
                <h2 id="policy-h">{t!(i18n, admin.policy)}</h2>
                <div class="field-row">
                    <label class="field"><span>{t!(i18n, admin.basis)}</span>
                        <select prop:value=move || if draft.with(|d| d.policy.basis) == TierBasis::PointsEarned { "points_earned" } else { "amount_spent" }
                            on:change=move |ev| { let v = event_target_value(&ev); policy(&|p| p.basis = if v == "amount_spent" { TierBasis::AmountSpent } else { TierBasis::PointsEarned }) }>
                            <option value="points_earned">{t!(i18n, admin.basis_points)}</option>
                            <option value="amount_spent">{t!(i18n, admin.basis_spend)}</option>
                        </select>
                    </label>
                    <label class="field"><span>{t!(i18n, admin.window)}</span>
                        <select prop:value=window_kind
                            on:change=move |ev| { let v = event_target_value(&ev); policy(&|p| p.window = match v.as_str() {
                                "calendar_year" => TierWindow::CalendarYear,
                                "lifetime" => TierWindow::Lifetime,
                                _ => TierWindow::RollingMonths { months: 12 },
                            }) }>
                            <option value="rolling_months">{t!(i18n, admin.window_rolling)}</option>
                            <option value="calendar_year">{t!(i18n, admin.window_year)}</option>
                            <option value="lifetime">{t!(i18n, admin.window_lifetime)}</option>
                        </select>
                    </label>
                    {move || match draft.with(|d| d.policy.window) {
                        TierWindow::RollingMonths { months } => Some(view! {
                            <label class="field"><span>{t!(i18n, admin.months)}</span>
                                <input type="number" min="1" max="60" class="narrow" value=months.to_string()
                                    on:input=move |ev| { let m = event_target_value(&ev).parse().unwrap_or(0); policy(&|p| p.window = TierWindow::RollingMonths { months: m }) } />
                                <FieldError message=problem("policy.window".into()) />
                            </label>
                        }),
                        _ => None,
                    }}
                </div>
                <div class="field-row">
                    <label class="field"><span>{t!(i18n, admin.recalc)}</span>
                        <select prop:value=recalc_kind
                            on:change=move |ev| { let v = event_target_value(&ev); policy(&|p| p.recalculation = match v.as_str() {
                                "on_activity" => Recalculation::OnActivity,
                                "fixed_date" => Recalculation::FixedDate { month: 1, day: 1 },
                                _ => Recalculation::Nightly,
                            }) }>
                            <option value="on_activity">{t!(i18n, admin.recalc_activity)}</option>
                            <option value="nightly">{t!(i18n, admin.recalc_nightly)}</option>
                            <option value="fixed_date">{t!(i18n, admin.recalc_fixed)}</option>
                        </select>
                    </label>
                    {move || match draft.with(|d| d.policy.recalculation) {
                        Recalculation::FixedDate { month, day } => Some(view! {
                            <label class="field"><span>{t!(i18n, admin.recalc_on)}</span>
                                <input type="text" class="narrow" placeholder="MM-DD" value=format!("{month:02}-{day:02}")
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        if let Some((m, d)) = v.split_once('-').and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?))) {
                                            policy(&|p| p.recalculation = Recalculation::FixedDate { month: m, day: d });
                                        }
                                    } />
                                <FieldError message=problem("policy.recalculation".into()) />
                            </label>
                        }),
                        _ => None,
                    }}
                    <label class="field"><span>{t!(i18n, admin.downgrade)}</span>
                        <select prop:value=move || if draft.with(|d| d.policy.downgrade) == DowngradeRule::DropOne { "drop_one" } else { "recalculate" }
                            on:change=move |ev| { let v = event_target_value(&ev); policy(&|p| p.downgrade = if v == "drop_one" { DowngradeRule::DropOne } else { DowngradeRule::Recalculate }) }>
                            <option value="recalculate">{t!(i18n, admin.downgrade_recalc)}</option>
                            <option value="drop_one">{t!(i18n, admin.downgrade_one)}</option>
                        </select>
                    </label>
                    <label class="field"><span>{t!(i18n, admin.grace_days)}</span>
                        <input type="number" min="0" max="366" class="narrow"
                            prop:value=move || draft.with(|d| d.policy.grace_days.to_string())
                            on:input=move |ev| { let g = event_target_value(&ev).parse().unwrap_or(0); policy(&|p| p.grace_days = g) } />
                        <FieldError message=problem("policy.grace_days".into()) />
                    </label>
                </div>
            </section>
            {move || server_error.get().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> })}
            <div class="actions">
                <button class="btn btn-primary" type="submit" data-testid="tiers-preview"
                    disabled=move || preview.pending().get() || !dirty.get()>
                    {move || if preview.pending().get() { t_string!(i18n, admin.previewing) } else { t_string!(i18n, admin.preview) }}
                </button>
                <button class="btn" type="button" disabled=move || !dirty.get()
                    on:click=move |_| { draft.set(saved.get_untracked()); impact.set(None); tried.set(false); server_error.set(None); }>
                    {t!(i18n, admin.discard)}
                </button>
            </div>
        </form>
        {move || (preview_current.get()).then(|| impact.get()).flatten().map(|(plan, i)| view! {
            <ImpactPanel impact=i
                confirming=confirm.pending()
                on_confirm=move || { confirm.dispatch(plan.clone()); }
                on_cancel=move || impact.set(None) />
        })}
        <section class="card" aria-labelledby="runs-h">
            <h2 id="runs-h">{t!(i18n, admin.recalc_heading)}</h2>
            {move || {
                let tz = tz2.clone();
                match last_run.get() {
                    Some(r) => view! {
                        <p data-testid="last-run">{t_string!(i18n, admin.last_run).to_string()
                            .replace("{at}", &date_time(i18n.get_locale(), r.finished_at, &tz))
                            .replace("{trigger}", &r.trigger)
                            .replace("{members}", &number(i18n.get_locale(), r.members))
                            .replace("{up}", &r.up.to_string())
                            .replace("{down}", &r.down.to_string())
                            .replace("{grace}", &r.in_grace.to_string())
                            .replace("{locked}", &r.locked.to_string())}</p>
                    }.into_any(),
                    None => view! { <p>{t!(i18n, admin.never_run)}</p> }.into_any(),
                }
            }}
            <button class="btn" type="button" disabled=move || recalc.pending().get() || dirty.get()
                on:click=move |_| { recalc.dispatch(()); }>{t!(i18n, admin.recalc_now)}</button>
        </section>
    }
}
