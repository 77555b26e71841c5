//! The simulator: a member and a basket (or a past order) → which rules
//! fire and the points each, against the saved rules or the draft.

use leptos::prelude::*;
use patron_core::admin::{SimulateRequest, Simulation};
use patron_core::earning::{BasketLine, EarningRule};

use crate::api::{self, ApiError};
use crate::components::error_panel::error_text;
use crate::format::number;
use crate::i18n::*;
use crate::labels::sentence;

/// A basket line as typed: category and amount in major units.
#[derive(Clone, Debug, PartialEq)]
struct LineInput {
    category: String,
    amount: String,
}

/// Major units ("120.50") to minor units (12050); `None` if not a number.
pub fn to_minor(s: &str) -> Option<i64> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 2 || whole.is_empty() && frac.is_empty() {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(w * 100 + f)
}

#[component]
pub(super) fn Simulator(
    categories: Vec<String>,
    #[prop(into)] candidate: Signal<Vec<EarningRule>>,
    #[prop(into)] editing: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let member = RwSignal::new(String::new());
    let order = RwSignal::new(String::new());
    let first = categories
        .first()
        .cloned()
        .unwrap_or_else(|| "groceries".into());
    let lines = RwSignal::new(vec![LineInput {
        category: first.clone(),
        amount: String::new(),
    }]);
    let with_draft = RwSignal::new(true);
    let result = RwSignal::new(None::<Result<Simulation, ApiError>>);
    let run = Action::new_local(|r: &SimulateRequest| {
        let r = r.clone();
        async move { api::admin::simulate(r).await }
    });
    Effect::new(move |_| {
        if let Some(r) = run.value().get() {
            result.set(Some(r));
        }
    });
    let l = move || i18n.get_locale();
    let cats = StoredValue::new(categories);
    view! {
        <form class="card form" aria-labelledby="sim-h" data-testid="simulator" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let basket: Vec<BasketLine> = lines.get_untracked().into_iter().filter(|x| !x.amount.trim().is_empty())
                .map(|x| BasketLine { category: x.category, amount_minor: to_minor(&x.amount).unwrap_or(-1) }).collect();
            let order_ref = Some(order.get_untracked().trim().to_string()).filter(|s| !s.is_empty());
            run.dispatch(SimulateRequest {
                member_id: member.get_untracked().trim().parse().unwrap_or(0),
                lines: basket,
                order_ref,
                at: None,
                rules: (editing.get_untracked() && with_draft.get_untracked()).then(|| candidate.get_untracked()),
            });
        }>
            <h2 id="sim-h">{t!(i18n, admin.simulator)}</h2>
            <p class="hint">{t!(i18n, admin.simulator_hint)}</p>
            <div class="field-row">
                <label class="field"><span>{t!(i18n, admin.member_id)}</span>
                    <input type="number" min="1" class="narrow" data-testid="sim-member" prop:value=move || member.get() on:input=move |ev| member.set(event_target_value(&ev)) /></label>
                <label class="field"><span>{t!(i18n, admin.past_order)}" "<small class="muted">{t!(i18n, common.optional)}</small></span>
                    <input type="text" data-testid="sim-order" prop:value=move || order.get() on:input=move |ev| order.set(event_target_value(&ev)) /></label>
            </div>
            <fieldset disabled=move || !order.get().trim().is_empty()>
                <legend>{t!(i18n, admin.basket)}</legend>
                {move || (0..lines.with(Vec::len)).map(|i| view! {
                    <div class="field-row basket-line">
                        <label class="field"><span>{t!(i18n, admin.category)}</span>
                            <select data-testid=format!("sim-cat-{i}") prop:value=move || lines.with(|l| l.get(i).map(|x| x.category.clone()).unwrap_or_default())
                                on:change=move |ev| { let v = event_target_value(&ev); lines.update(|l| if let Some(x) = l.get_mut(i) { x.category = v }) }>
                                {cats.get_value().into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                            </select></label>
                        <label class="field"><span>{t!(i18n, admin.amount)}</span>
                            <input type="text" inputmode="decimal" data-testid=format!("sim-amount-{i}") placeholder="0.00"
                                prop:value=move || lines.with(|l| l.get(i).map(|x| x.amount.clone()).unwrap_or_default())
                                on:input=move |ev| { let v = event_target_value(&ev); lines.update(|l| if let Some(x) = l.get_mut(i) { x.amount = v }) } /></label>
                    </div>
                }).collect_view()}
                <button type="button" class="btn btn-small" on:click={let first = first.clone(); move |_| lines.update(|l| l.push(LineInput { category: first.clone(), amount: String::new() }))}>
                    {t!(i18n, admin.add_line)}</button>
            </fieldset>
            {move || editing.get().then(|| view! {
                <label class="check"><input type="checkbox" prop:checked=move || with_draft.get() on:change=move |ev| with_draft.set(event_target_checked(&ev)) />
                    {t!(i18n, admin.sim_with_draft)}</label>
            })}
            <button class="btn btn-primary" type="submit" data-testid="sim-run" disabled=move || run.pending().get()>{t!(i18n, admin.simulate)}</button>
            {move || result.get().map(|r| match r {
                Ok(s) => {
                    let total = s.evaluation.member_points;
                    view! {
                        <div class="sim-result" role="status">
                            <p>{format!("{} · {}", s.member_name, s.tier)}</p>
                            <div class="table-scroll"><table class="table" data-testid="sim-hits">
                                <thead><tr><th scope="col">{t!(i18n, admin.rule_name)}</th><th scope="col">{t!(i18n, admin.how)}</th><th scope="col" class="num">{t!(i18n, admin.points)}</th></tr></thead>
                                <tbody>{s.evaluation.hits.iter().map(|h| { let p = h.points; view! {
                                    <tr><td>{h.rule_name.clone()}</td><td>{let d = h.detail.clone(); move || sentence(i18n, &d)}</td><td class="num">{move || format!("+{}", number(l(), p))}</td></tr>
                                }}).collect_view()}</tbody>
                                <tfoot><tr><th scope="row" colspan="2">{t!(i18n, admin.total)}</th><td class="num" data-testid="sim-total">{move || number(l(), total)}</td></tr></tfoot>
                            </table></div>
                            {s.evaluation.stopped_by.map(|_| view! { <p class="hint">{t!(i18n, admin.sim_stopped)}</p> })}
                        </div>
                    }.into_any()
                }
                Err(e) => view! { <p class="form-error" role="alert">{e.field("member_id").or_else(|| e.field("order_ref")).or_else(|| e.field("lines")).unwrap_or_else(|| error_text(i18n, &e))}</p> }.into_any(),
            })}
        </form>
    }
}
