//! Programme goals on the KPI dashboard: each target with its owner,
//! deadline, actual against target, where it stands and a chart of the
//! planned path against the recorded values. Admins add and delete
//! targets; support reads them.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use patron_core::admin::StaffAccount;
use patron_core::kpi::{Comparison, Kpi, Target, TargetDraft, TargetStatus, TARGET_KPIS};

use crate::api::{self, ApiError};
use crate::components::chart::{LineChart, Series};
use crate::components::dialog::Dialog;
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::field_error::FieldError;
use crate::components::skeleton::Skeleton;
use crate::components::toast::Toasts;
use crate::components::unsaved::guard_unsaved;
use crate::i18n::*;
use crate::labels::target_status;
use crate::pages::admin::analytics::model::{
    is_money_kpi, is_rate_kpi, target_by_change, target_path, target_value,
};
use crate::pages::admin::analytics::words::{label, show};
use crate::state::session::Session;

/// The "Targets" section.
#[component]
pub fn TargetsSection(
    /// Admins may add and delete targets.
    can_edit: bool,
    /// The programme currency, once the dashboard has it.
    #[prop(into)]
    currency: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let targets = LocalResource::new(api::analytics::targets);
    let deleting = RwSignal::new(None::<(i64, String)>);
    let delete = Action::new_local(|id: &i64| api::analytics::delete_target(*id));
    let delete_error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            deleting.set(None);
            toasts.show(t_string!(i18n, goals.deleted).to_string());
            targets.refetch();
        }
        Some(Err(e)) => delete_error.set(Some(e)),
        None => {}
    });
    view! {
        <section class="card targets" aria-labelledby="targets-h" data-testid="targets">
            <h2 id="targets-h">{t!(i18n, goals.title)}</h2>
            <Suspense fallback=|| view! { <Skeleton lines=4 /> }>
                {move || Suspend::new(async move {
                    match targets.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty" data-testid="no-targets">{t!(i18n, goals.none)}</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="target-list">
                                {move || { i18n.get_locale(); list.clone() }.into_iter().map(|t| view! {
                                    <TargetCard target=t currency=currency can_edit=can_edit
                                        on_delete=move |x| { delete_error.set(None); deleting.set(Some(x)); } />
                                }).collect_view()}
                            </div>
                        }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || targets.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
            {can_edit.then(|| view! { <TargetForm on_saved=move || targets.refetch() /> })}
            <Dialog open=Signal::derive(move || deleting.with(Option::is_some)) labelled_by="delete-target-h"
                on_close=move |_| deleting.set(None) testid="delete-target-dialog">
                <h2 id="delete-target-h">{t!(i18n, goals.delete_title)}</h2>
                <p>{move || deleting.get().map(|(_, name)| t_string!(i18n, goals.delete_body).to_string().replace("{kpi}", &name))}</p>
                {move || delete_error.get().map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
                <div class="actions">
                    <button type="button" class="btn btn-danger" data-testid="confirm-delete-target" disabled=move || delete.pending().get()
                        on:click=move |_| if let Some((id, _)) = deleting.get_untracked() { delete.dispatch(id); }>{t!(i18n, admin.delete)}</button>
                    <button type="button" class="btn" on:click=move |_| deleting.set(None)>{t!(i18n, admin.cancel)}</button>
                </div>
            </Dialog>
        </section>
    }
}

fn status_class(s: TargetStatus) -> &'static str {
    match s {
        TargetStatus::Met => "tag status-met",
        TargetStatus::OnTrack => "tag status-on-track",
        TargetStatus::Behind => "tag status-behind",
        TargetStatus::Missed => "tag status-missed",
        TargetStatus::NoData => "tag status-no-data",
    }
}

fn comparison_words(i18n: I18nContext<Locale>, c: Comparison) -> String {
    match c {
        Comparison::AtLeast => t_string!(i18n, goals.at_least),
        Comparison::AtMost => t_string!(i18n, goals.at_most),
    }
    .to_string()
}

#[component]
fn TargetCard(
    target: Target,
    currency: Signal<Option<String>>,
    can_edit: bool,
    #[prop(into)] on_delete: Callback<(i64, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = target;
    let (unit, kpi) = (t.unit, t.kpi.clone());
    let fmt = move |v: Option<f64>| show(i18n, unit, v, &currency.get().unwrap_or_default());
    let (target_v, actual, expected) = (t.target, t.actual, t.expected);
    let (days, planned, recorded) = target_path(&t);
    let scale = if is_rate_kpi(&kpi) {
        100.0
    } else if is_money_kpi(&kpi) {
        0.01
    } else {
        1.0
    };
    let labels: Vec<String> = days
        .iter()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect();
    let series = vec![
        Series {
            name: t_string!(i18n, goals.planned).to_string(),
            values: planned,
        },
        Series {
            name: t_string!(i18n, goals.actual).to_string(),
            values: recorded,
        },
    ];
    let k1 = kpi.clone();
    let k2 = kpi.clone();
    let chart_title = format!("{} — {}", label(i18n, &kpi), t_string!(i18n, goals.path));
    let (id, status, comparison) = (t.id, t.status, t.comparison);
    let deadline = t.deadline.format("%Y-%m-%d").to_string();
    view! {
        <article class="target card" data-testid="target">
            <header class="target-head">
                <h3>{move || label(i18n, &k1)}</h3>
                <span class=status_class(status) data-testid="target-status">{move || target_status(i18n, status)}</span>
            </header>
            <p class="target-goal">{move || t_string!(i18n, goals.goal_line).to_string()
                .replace("{comparison}", &comparison_words(i18n, comparison))
                .replace("{target}", &fmt(Some(target_v)))
                .replace("{deadline}", &deadline)}</p>
            <dl class="target-facts">
                <div><dt>{t!(i18n, goals.actual)}</dt><dd data-testid="target-actual">{move || fmt(actual)}</dd></div>
                <div><dt>{t!(i18n, goals.target)}</dt><dd>{move || fmt(Some(target_v))}</dd></div>
                <div><dt>{t!(i18n, goals.expected)}</dt><dd>{move || fmt(expected)}</dd></div>
                <div><dt>{t!(i18n, goals.owner)}</dt><dd>{t.owner.clone()}</dd></div>
            </dl>
            {(!t.note.is_empty()).then(|| view! { <p class="muted">{t.note.clone()}</p> })}
            <LineChart title=chart_title labels=Signal::stored(labels) series=Signal::stored(series)
                target=target_v * scale dashed_series=vec![0] />
            {can_edit.then(|| view! {
                <button type="button" class="btn btn-small" data-testid="delete-target"
                    on:click=move |_| on_delete.run((id, label(i18n, &k2)))>{t!(i18n, admin.delete)}</button>
            })}
        </article>
    }
}

/// What the add form holds, as typed.
#[derive(Clone, PartialEq, Default)]
struct TargetInput {
    kpi: String,
    at_most: bool,
    /// `target` is a change from the current value, not the value itself.
    by_change: bool,
    target: String,
    deadline: String,
    owner: String,
    note: String,
}

#[component]
fn TargetForm(#[prop(into)] on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let tz = Session::expect().time_zone();
    let form = RwSignal::new(TargetInput::default());
    let dirty = Signal::derive(move || form.with(|f| *f != TargetInput::default()));
    guard_unsaved(
        dirty,
        Signal::derive(move || t_string!(i18n, admin.unsaved).to_string()),
    );
    let staff = LocalResource::new(api::admin::staff);
    // The baseline a new target starts from: the KPIs of the last 30 days.
    let now = LocalResource::new(|| api::analytics::kpis("days=30".into()));
    let current = move |kpi: &str| -> Option<Kpi> {
        now.get()
            .and_then(Result::ok)
            .and_then(|d| d.kpis.into_iter().find(|k| k.key == kpi))
    };
    let tried = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let today =
        move || patron_core::time::local_date(chrono::Utc::now(), patron_core::time::zone(&tz));
    // The draft, or the field the form cannot build it without.
    let draft = move |f: &TargetInput| -> Result<TargetDraft, (&'static str, String)> {
        if f.kpi.is_empty() {
            return Err(("kpi", t_string!(i18n, goals.need_kpi).to_string()));
        }
        let deadline = chrono::NaiveDate::parse_from_str(&f.deadline, "%Y-%m-%d")
            .map_err(|_| ("deadline", t_string!(i18n, goals.need_deadline).to_string()))?;
        let owner_id = f
            .owner
            .parse()
            .map_err(|_| ("owner_id", t_string!(i18n, goals.need_owner).to_string()))?;
        // By a change, the server adds it to the baseline it records; the
        // target here is for checking the form and the preview.
        let (target, change) = if f.by_change {
            let t = target_by_change(&f.kpi, &f.target, current(&f.kpi).and_then(|k| k.value))
                .ok_or_else(|| ("target", t_string!(i18n, goals.no_current).to_string()))?;
            (t, Some(target_value(&f.kpi, &f.target)))
        } else {
            (target_value(&f.kpi, &f.target), None)
        };
        Ok(TargetDraft {
            kpi: f.kpi.clone(),
            comparison: if f.at_most {
                Comparison::AtMost
            } else {
                Comparison::AtLeast
            },
            target,
            change,
            deadline,
            owner_id,
            note: f.note.clone(),
        })
    };
    // "Now 62.3 % → 67.3 %": where the target starts and where it ends.
    let now_hint = move || {
        form.with(|f| {
            let k = current(&f.kpi)?;
            let currency = now
                .get()
                .and_then(Result::ok)
                .map(|d| d.currency)
                .unwrap_or_default();
            let mut out = t_string!(i18n, goals.now)
                .to_string()
                .replace("{value}", &show(i18n, k.unit, k.value, &currency));
            let target = if f.by_change {
                target_by_change(&f.kpi, &f.target, k.value)
            } else {
                Some(target_value(&f.kpi, &f.target))
            };
            if let Some(t) = target.filter(|t| t.is_finite()) {
                out += &format!(" → {}", show(i18n, k.unit, Some(t), &currency));
            }
            Some(out)
        })
    };
    let problems = Memo::new({
        let today = today.clone();
        move |_| {
            form.with(|f| match draft(f) {
                Ok(d) => d.problems(today()),
                Err((k, m)) => vec![(k.to_string(), m)],
            })
        }
    });
    let field = move |name: &'static str| {
        Signal::derive(move || {
            tried
                .get()
                .then(|| problems.with(|p| p.iter().find(|x| x.0 == name).map(|x| x.1.clone())))
                .flatten()
                .or_else(|| error.with(|e| e.as_ref().and_then(|e| e.field(name))))
        })
    };
    let save = Action::new_local(|d: &TargetDraft| api::analytics::create_target(d.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            form.set(TargetInput::default());
            tried.set(false);
            error.set(None);
            toasts.show(t_string!(i18n, goals.saved).to_string());
            on_saved.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let unit_hint = move || {
        form.with(|f| {
            if is_rate_kpi(&f.kpi) {
                t_string!(i18n, goals.in_percent).to_string()
            } else if is_money_kpi(&f.kpi) {
                t_string!(i18n, goals.in_money).to_string()
            } else if f.kpi == "nps" {
                t_string!(i18n, goals.in_nps).to_string()
            } else if f.kpi == "csat" {
                t_string!(i18n, goals.in_csat).to_string()
            } else {
                String::new()
            }
        })
    };
    view! {
        <form class="form target-form" aria-labelledby="add-target-h" data-testid="target-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            tried.set(true);
            error.set(None);
            if let Ok(d) = form.with_untracked(draft) {
                if problems.get_untracked().is_empty() { save.dispatch(d); }
            }
        }>
            <h3 id="add-target-h">{t!(i18n, goals.add)}</h3>
            <div class="field-row">
                <label class="field"><span>{t!(i18n, goals.kpi)}</span>
                    <select data-testid="target-kpi" prop:value=move || form.with(|f| f.kpi.clone())
                        on:change=move |ev| form.update(|f| f.kpi = event_target_value(&ev))>
                        <option value="">{t!(i18n, admin.choose)}</option>
                        {TARGET_KPIS.into_iter().map(|k| view! { <option value=k>{move || label(i18n, k)}</option> }).collect_view()}
                    </select>
                    <FieldError message=field("kpi") /></label>
                <label class="field"><span>{t!(i18n, goals.comparison)}</span>
                    <select prop:value=move || if form.with(|f| f.at_most) { "at_most" } else { "at_least" }
                        on:change=move |ev| form.update(|f| f.at_most = event_target_value(&ev) == "at_most")>
                        <option value="at_least">{move || comparison_words(i18n, Comparison::AtLeast)}</option>
                        <option value="at_most">{move || comparison_words(i18n, Comparison::AtMost)}</option>
                    </select></label>
                <label class="field"><span>{t!(i18n, goals.set_how)}</span>
                    <select data-testid="target-mode" prop:value=move || if form.with(|f| f.by_change) { "by" } else { "to" }
                        on:change=move |ev| form.update(|f| f.by_change = event_target_value(&ev) == "by")>
                        <option value="to">{t!(i18n, goals.set_to)}</option>
                        <option value="by">{t!(i18n, goals.change_by)}</option>
                    </select></label>
                <label class="field"><span>{move || if form.with(|f| f.by_change) { t_string!(i18n, goals.change) } else { t_string!(i18n, goals.target) }}" "<small class="muted">{unit_hint}</small></span>
                    <input type="number" step="any" class="narrow" data-testid="target-value" prop:value=move || form.with(|f| f.target.clone())
                        on:input=move |ev| form.update(|f| f.target = event_target_value(&ev)) />
                    <small class="hint" data-testid="target-now" aria-live="polite">{now_hint}</small>
                    <FieldError message=field("target") /></label>
                <label class="field"><span>{t!(i18n, goals.deadline)}</span>
                    <input type="date" data-testid="target-deadline" prop:value=move || form.with(|f| f.deadline.clone())
                        on:change=move |ev| form.update(|f| f.deadline = event_target_value(&ev)) />
                    <FieldError message=field("deadline") /></label>
                <label class="field"><span>{t!(i18n, goals.owner)}</span>
                    <select data-testid="target-owner" prop:value=move || form.with(|f| f.owner.clone())
                        on:change=move |ev| form.update(|f| f.owner = event_target_value(&ev))>
                        <option value="">{t!(i18n, admin.choose)}</option>
                        {move || staff.get().and_then(Result::ok).map(|s| s.staff.into_iter().filter(|a: &StaffAccount| a.active).map(|a| {
                            let id = a.id.to_string();
                            let selected = form.with_untracked(|f| f.owner == id);
                            view! { <option value=id selected=selected>{a.name}</option> }
                        }).collect_view())}
                    </select>
                    <FieldError message=field("owner_id") /></label>
            </div>
            <label class="field"><span>{t!(i18n, goals.note)}</span>
                <textarea rows="2" maxlength="500" prop:value=move || form.with(|f| f.note.clone())
                    on:input=move |ev| form.update(|f| f.note = event_target_value(&ev))></textarea>
                <FieldError message=field("note") /></label>
            {move || error.get().filter(|e| !matches!(e, ApiError::Validation { fields, .. } if !fields.is_empty())).map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
            <button type="submit" class="btn btn-primary" data-testid="add-target" disabled=move || save.pending().get()>{t!(i18n, goals.add_button)}</button>
        </form>
    }
}
