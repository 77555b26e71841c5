//! The impact preview of a tier change: counts, a before/after chart with a
//! table alternative, and who moves; confirm saves.

use leptos::prelude::*;
use patron_core::admin::TierImpact;

use crate::format::number;
use crate::i18n::*;
use crate::routes::admin_member_href;

/// What a tier change would do: counts, a before/after chart with a table
/// alternative, and who moves.
#[component]
pub(super) fn ImpactPanel(
    impact: TierImpact,
    #[prop(into)] confirming: Signal<bool>,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let l = move || i18n.get_locale();
    let max = impact
        .per_tier
        .iter()
        .map(|t| t.before.max(t.after))
        .max()
        .unwrap_or(1)
        .max(1);
    let summary = t_string!(i18n, admin.impact_summary)
        .to_string()
        .replace("{up}", &impact.up.to_string())
        .replace("{down}", &impact.down.to_string())
        .replace("{stay}", &impact.stay.to_string())
        .replace("{locked}", &impact.locked.to_string());
    let bars = impact.per_tier.iter().map(|t| {
        let pct = move |v: i64| format!("{:.1}%", v as f64 * 100.0 / max as f64);
        let colour = t.colour.clone();
        let (before, after) = (t.before, t.after);
        view! {
            <div class="impact-row">
                <span class="impact-label">{t.tier.clone()}</span>
                <div class="impact-bars">
                    <span class="bar bar-before" style:width=pct(before) style:background=colour.clone()></span>
                    <span class="bar bar-after" style:width=pct(after) style:background=colour></span>
                </div>
                <span class="impact-nums">{move || format!("{} → {}", number(l(), before), number(l(), after))}</span>
            </div>
        }
    }).collect_view();
    let rows = impact.per_tier.iter().map(|t| {
        let (before, after) = (t.before, t.after);
        view! { <tr><th scope="row">{t.tier.clone()}</th><td class="num">{move || number(l(), before)}</td><td class="num">{move || number(l(), after)}</td>
            <td class="num">{format!("{:+}", after - before)}</td></tr> }
    }).collect_view();
    let movers = |list: Vec<patron_core::admin::Mover>, testid: &'static str| {
        view! {
            <ul class="plain-list movers" data-testid=testid>
                {list.into_iter().map(|m| view! {
                    <li><a href=admin_member_href(m.member_id)>{m.name}</a>" "<span class="muted">{format!("{} → {}", m.from, m.to)}</span></li>
                }).collect_view()}
            </ul>
        }
    };
    let show_table = RwSignal::new(false);
    view! {
        <section class="card impact" aria-labelledby="impact-h" data-testid="tier-impact">
            <h2 id="impact-h">{t!(i18n, admin.impact)}</h2>
            <p class="impact-summary" data-testid="impact-summary">{summary.clone()}</p>
            <div class="impact-chart" role="img" aria-label=summary>
                <p class="legend"><span class="bar bar-before legend-swatch"></span>{t!(i18n, admin.before)}
                    <span class="bar bar-after legend-swatch"></span>{t!(i18n, admin.after)}</p>
                {bars}
            </div>
            <button type="button" class="btn btn-link" aria-expanded=move || show_table.get().to_string()
                on:click=move |_| show_table.update(|v| *v = !*v)>{t!(i18n, admin.show_table)}</button>
            <div class="table-scroll" hidden=move || !show_table.get()><table class="table">
                <thead><tr><th scope="col">{t!(i18n, admin.tier_col)}</th><th scope="col">{t!(i18n, admin.before)}</th>
                    <th scope="col">{t!(i18n, admin.after)}</th><th scope="col">{t!(i18n, admin.change)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
            <div class="movers-grid">
                <div><h3>{t!(i18n, admin.moving_up)}</h3>{movers(impact.sample_up.clone(), "movers-up")}</div>
                <div><h3>{t!(i18n, admin.moving_down)}</h3>{movers(impact.sample_down.clone(), "movers-down")}</div>
            </div>
            <div class="actions">
                <button class="btn btn-primary" type="button" data-testid="tiers-confirm" disabled=move || confirming.get()
                    on:click=move |_| on_confirm.run(())>
                    {move || if confirming.get() { t_string!(i18n, common.saving) } else { t_string!(i18n, admin.confirm_save) }}
                </button>
                <button class="btn" type="button" on:click=move |_| on_cancel.run(())>{t!(i18n, admin.keep_editing)}</button>
            </div>
        </section>
    }
}
