//! `/support/reports`: SLA met per agent and per priority (with CSV), and
//! NPS/CSAT over time, by tier and per agent.

use leptos::prelude::*;
use patron_core::support::{SlaRow, SurveyPoint};

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::components::trend_chart::{Series, TrendChart};
use crate::format::number;
use crate::i18n::*;
use crate::labels;
use crate::pages::support::desk_header::DeskHeader;

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1} %")).unwrap_or_else(|| "—".into())
}

fn score(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())
}

/// The reports page.
#[component]
pub fn SupportReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let sla = LocalResource::new(move || api::support::sla_report(from.get(), to.get()));
    let surveys = LocalResource::new(move || api::support::survey_report(from.get(), to.get()));
    let csv = move || api::support::sla_csv_href(&from.get(), &to.get());

    // Agent rows: the empty key is tickets no agent holds (weeks and tiers
    // are never empty).
    let agent_name = move |key: String| {
        if key.is_empty() {
            t_string!(i18n, desk.unassigned).to_string()
        } else {
            key
        }
    };

    let sla_table = move |title: String,
                          key_label: String,
                          rows: Vec<SlaRow>,
                          testid: &'static str,
                          priority_keys: bool| {
        let l = i18n.get_locale();
        view! {
            <table class="table" data-testid=testid>
                <caption>{title}</caption>
                <thead><tr>
                    <th scope="col">{key_label}</th>
                    <th scope="col">{t!(i18n, desk.tickets)}</th>
                    <th scope="col">{t!(i18n, desk.first_response_met)}</th>
                    <th scope="col">{t!(i18n, desk.resolution_met)}</th>
                    <th scope="col">{t!(i18n, desk.median_first_response)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let key = if priority_keys {
                            patron_core::support::Priority::parse(&r.key).map(|p| labels::priority(i18n, p)).unwrap_or(r.key.clone())
                        } else {
                            agent_name(r.key)
                        };
                        view! {
                            <tr>
                                <th scope="row">{key}</th>
                                <td>{number(l, r.tickets)}</td>
                                <td>{pct(r.first_response_pct)}<span class="hint">{format!(" ({}/{})", r.first_response_met, r.first_response_due)}</span></td>
                                <td>{pct(r.resolution_pct)}<span class="hint">{format!(" ({}/{})", r.resolution_met, r.resolution_due)}</span></td>
                                <td>{r.median_first_response_minutes.map(|m| labels::duration(i18n, m * 60)).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    };

    let survey_table =
        move |title: String, key_label: String, rows: Vec<SurveyPoint>, testid: &'static str| {
            view! {
                <table class="table" data-testid=testid>
                    <caption>{title}</caption>
                    <thead><tr>
                        <th scope="col">{key_label}</th>
                        <th scope="col">"NPS"</th><th scope="col">{t!(i18n, desk.answers)}</th>
                        <th scope="col">"CSAT"</th><th scope="col">{t!(i18n, desk.ratings)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|p| view! {
                            <tr>
                                <th scope="row">{agent_name(p.key)}</th>
                                <td>{score(p.nps)}</td><td>{p.nps_responses}</td>
                                <td>{pct(p.csat)}</td><td>{p.csat_responses}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
        };

    view! {
        <div class="page desk-reports">
            <DeskHeader />
            <h2>{t!(i18n, desk.reports)}</h2>
            <form class="filters card" on:submit=|ev| ev.prevent_default()>
                <label class="field"><span>{t!(i18n, desk.from)}</span>
                    <input type="date" data-testid="report-from" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev)) /></label>
                <label class="field"><span>{t!(i18n, desk.to)}</span>
                    <input type="date" data-testid="report-to" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev)) /></label>
                <p class="hint">{t!(i18n, desk.period_hint)}</p>
            </form>

            <section class="card" aria-labelledby="sla-h">
                <h2 id="sla-h">{t!(i18n, desk.sla_report)}</h2>
                <p><a class="btn btn-small" href=csv download="" data-testid="sla-csv">{t!(i18n, desk.download_csv)}</a></p>
                <Suspense fallback=|| view! { <Skeleton lines=4 /> }>
                    {move || Suspend::new(async move {
                        match sla.await {
                            Ok(r) => view! {
                                <p class="hint">{format!("{} – {}", r.from, r.to)}</p>
                                {sla_table(t_string!(i18n, desk.by_agent).to_string(), t_string!(i18n, desk.agent).to_string(), r.by_agent, "sla-by-agent", false)}
                                {sla_table(t_string!(i18n, desk.by_priority).to_string(), t_string!(i18n, desk.priority).to_string(), r.by_priority, "sla-by-priority", true)}
                            }.into_any(),
                            Err(e) => view! { <ErrorPanel error=e on_retry=move || sla.refetch() /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>

            <section class="card" aria-labelledby="survey-h">
                <h2 id="survey-h">{t!(i18n, desk.surveys)}</h2>
                <p class="hint">{t!(i18n, desk.survey_formulas)}</p>
                <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
                    {move || Suspend::new(async move {
                        match surveys.await {
                            Ok(r) => {
                                let labels: Vec<String> = r.weekly.iter().map(|w| w.key[5..].to_string()).collect();
                                let series = vec![
                                    Series { name: "NPS".into(), class: "series-a", values: r.weekly.iter().map(|w| w.nps).collect() },
                                    Series { name: "CSAT %".into(), class: "series-b", values: r.weekly.iter().map(|w| w.csat).collect() },
                                ];
                                view! {
                                    <dl class="stats">
                                        <div class="stat"><dt class="stat-label">"NPS"</dt><dd class="stat-value" data-testid="overall-nps">{score(r.overall.nps)}</dd></div>
                                        <div class="stat"><dt class="stat-label">"CSAT"</dt><dd class="stat-value" data-testid="overall-csat">{pct(r.overall.csat)}</dd></div>
                                        <div class="stat"><dt class="stat-label">{t!(i18n, desk.answers)}</dt><dd class="stat-value">{r.overall.nps_responses + r.overall.csat_responses}</dd></div>
                                    </dl>
                                    <TrendChart
                                        title=Signal::derive(move || t_string!(i18n, desk.weekly_chart).to_string())
                                        labels=labels
                                        series=series
                                        min=-100.0
                                        max=100.0
                                        table_label=Signal::derive(move || t_string!(i18n, desk.show_table).to_string())
                                        testid="survey-chart"
                                    />
                                    {survey_table(t_string!(i18n, desk.by_tier).to_string(), t_string!(i18n, desk.tier).to_string(), r.by_tier, "survey-by-tier")}
                                    {survey_table(t_string!(i18n, desk.csat_by_agent).to_string(), t_string!(i18n, desk.agent).to_string(), r.by_agent, "survey-by-agent")}
                                }.into_any()
                            }
                            Err(e) => view! { <ErrorPanel error=e on_retry=move || surveys.refetch() /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </div>
    }
}
