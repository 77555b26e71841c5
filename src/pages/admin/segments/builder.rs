//! `/admin/segments/new` and `/admin/segments/:id/edit`: groups of
//! conditions joined by AND/OR, a live member count (debounced; answers to
//! older definitions are dropped) and a charts preview.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use patron_core::segments::{
    Group, Join, Segment, SegmentCount, SegmentDefinition, SegmentDraft, SegmentOptions, MAX_GROUPS,
};

use super::charts::SegmentChartsView;
use super::conditions::{join_value, parse_join, GroupEditor};
use super::model::{kind_of, problem_at, starting_definition, Latest};
use super::words::join_label;
use crate::api::{self, ApiError};
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::field_error::FieldError;
use crate::components::skeleton::Skeleton;
use crate::components::toast::Toasts;
use crate::components::unsaved::guard_unsaved;
use crate::format::{date_time, number};
use crate::i18n::*;
use crate::pages::admin::nav::AdminHeader;
use crate::routes::{admin_segment_href, Route};
use crate::state::session::Session;

/// How long the definition must stay unchanged before it is counted.
const COUNT_DELAY: Duration = Duration::from_millis(300);

/// The segment builder, for a new segment or an existing one (`:id`).
#[component]
pub fn SegmentBuilderPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let options = LocalResource::new(api::segments::options);
    let settings = LocalResource::new(api::admin::settings);
    let existing = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::segments::get(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let title = move || match id.get() {
        Some(_) => t_string!(i18n, seg.edit_title).to_string(),
        None => t_string!(i18n, seg.new_title).to_string(),
    };
    view! {
        <div class="page admin-page segment-builder-page">
            <AdminHeader title=Signal::derive(title) />
            <p><a href=Route::AdminSegments.href()>{t!(i18n, seg.back_to_segments)}</a></p>
            <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
                {move || Suspend::new(async move {
                    let currency = settings.await.ok().map(|s| s.currency);
                    match (options.await, existing.await) {
                        (Ok(o), Ok(s)) => view! { <Builder id=id.get_untracked() options=o segment=s currency=currency /> }.into_any(),
                        (Err(e), _) | (_, Err(e)) => view! {
                            <ErrorPanel error=e on_retry=move || { options.refetch(); existing.refetch(); } />
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Builder(
    id: Option<i64>,
    options: SegmentOptions,
    segment: Option<Segment>,
    currency: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let navigate = use_navigate();
    let tz = Session::expect().time_zone();
    let l = move || i18n.get_locale();
    let start = segment
        .map(|s| SegmentDraft {
            name: s.name,
            description: s.description,
            definition: s.definition,
        })
        .unwrap_or_else(|| SegmentDraft {
            name: String::new(),
            description: String::new(),
            definition: starting_definition(),
        });
    let draft = RwSignal::new(start.clone());
    let saved = RwSignal::new(start);
    let dirty = Signal::derive(move || draft.with(|d| saved.with(|s| d != s)));
    guard_unsaved(
        dirty,
        Signal::derive(move || t_string!(i18n, admin.unsaved).to_string()),
    );
    let tried = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let definition = Memo::new(move |_| draft.with(|d| d.definition.clone()));
    let problems = Memo::new(move |_| draft.with(|d| d.problems()));
    let definition_ok = Memo::new(move |_| definition.with(|d| d.problems().is_empty()));

    // The live count: each change waits COUNT_DELAY; only the answer to the
    // latest definition is shown.
    let latest = StoredValue::new(Latest::default());
    let count = RwSignal::new(None::<SegmentCount>);
    let count_error = RwSignal::new(None::<ApiError>);
    let counting = RwSignal::new(false);
    let count_action = Action::new_local(|(n, d): &(u64, SegmentDefinition)| {
        let (n, d) = (*n, d.clone());
        async move { (n, api::segments::count(d).await) }
    });
    Effect::new(move |_| {
        let d = definition.get();
        let mut n = 0;
        latest.update_value(|l| n = l.issue());
        if !d.problems().is_empty() {
            counting.set(false);
            return;
        }
        counting.set(true);
        // The page may be gone when the timer fires: then nothing is asked.
        set_timeout(
            move || {
                if latest.try_with_value(|l| l.is_latest(n)) == Some(true) {
                    count_action.dispatch((n, d));
                }
            },
            COUNT_DELAY,
        );
    });
    Effect::new(move |_| {
        let Some((n, r)) = count_action.value().get() else {
            return;
        };
        if !latest.with_value(|l| l.is_latest(n)) {
            return; // an answer about a definition no longer shown
        }
        counting.set(false);
        match r {
            Ok(c) => {
                count.set(Some(c));
                count_error.set(None);
            }
            Err(e) => count_error.set(Some(e)),
        }
    });

    let charts = Action::new_local(|d: &SegmentDefinition| api::segments::charts(d.clone()));
    let save = Action::new_local(move |d: &SegmentDraft| {
        let d = d.clone();
        async move { api::segments::save(id, d).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(s)) => {
            saved.set(draft.get_untracked());
            toasts.show(t_string!(i18n, seg.saved).to_string());
            navigate(&admin_segment_href(s.id), Default::default());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let field = move |f: &'static str| {
        Signal::derive(move || {
            tried
                .get()
                .then(|| problems.with(|p| problem_at(p, f)))
                .flatten()
                .or_else(|| error.with(|e| e.as_ref().and_then(|e| e.field(f))))
        })
    };

    let options = StoredValue::new(options);
    let shape = Memo::new(move |_| {
        draft.with(|d| {
            d.definition
                .groups
                .iter()
                .map(|g| g.conditions.iter().map(kind_of).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        })
    });
    let groups = move || {
        shape
            .get()
            .into_iter()
            .enumerate()
            .map(|(gi, kinds)| {
                view! { <GroupEditor gi=gi kinds=kinds draft=draft problems=problems error=error options=options /> }
            })
            .collect_view()
    };
    let count_line = move || {
        if !definition_ok.get() {
            return view! { <p class="muted">{t!(i18n, seg.fix_to_count)}</p> }.into_any();
        }
        if let Some(e) = count_error.get() {
            return view! { <p class="field-error">{error_text(i18n, &e)}</p> }.into_any();
        }
        match count.get() {
            Some(c) => {
                let share = if c.total > 0 {
                    format!("{:.1} %", c.count as f64 * 100.0 / c.total as f64)
                } else {
                    "—".into()
                };
                let tz = tz.clone();
                view! {
                    <p class="segment-count-value" data-testid="live-count">
                        {move || t_string!(i18n, seg.count_line).to_string()
                            .replace("{n}", &number(l(), c.count))
                            .replace("{total}", &number(l(), c.total))
                            .replace("{share}", &share)}
                    </p>
                    <p class="hint">{move || match c.scores_computed_at {
                        Some(at) => t_string!(i18n, seg.scores_from).to_string().replace(
                            "{time}",
                            &chrono::DateTime::from_timestamp(at, 0).map(|d| date_time(l(), d, &tz)).unwrap_or_default(),
                        ),
                        None => t_string!(i18n, seg.scores_never).to_string(),
                    }}</p>
                }
                .into_any()
            }
            None => view! { <p class="muted">{t!(i18n, seg.counting)}</p> }.into_any(),
        }
    };
    let currency = StoredValue::new(currency);
    view! {
        <form class="segment-builder" data-testid="segment-builder" novalidate on:submit=move |ev| {
            ev.prevent_default();
            tried.set(true);
            error.set(None);
            let d = draft.get_untracked();
            if d.problems().is_empty() { save.dispatch(d); }
        }>
            <div class="segment-main">
                <section class="card form" aria-labelledby="seg-about-h">
                    <h2 id="seg-about-h">{t!(i18n, seg.about)}</h2>
                    <label class="field"><span>{t!(i18n, seg.name)}</span>
                        <input type="text" maxlength="80" data-testid="segment-name" value=draft.with_untracked(|d| d.name.clone())
                            on:input=move |ev| draft.update(|d| d.name = event_target_value(&ev)) />
                        <FieldError message=field("name") /></label>
                    <label class="field"><span>{t!(i18n, seg.description)}</span>
                        <textarea rows="2" maxlength="500" prop:value=draft.with_untracked(|d| d.description.clone())
                            on:input=move |ev| draft.update(|d| d.description = event_target_value(&ev))></textarea>
                        <FieldError message=field("description") /></label>
                </section>
                <section class="card" aria-labelledby="seg-def-h">
                    <h2 id="seg-def-h">{t!(i18n, seg.definition)}</h2>
                    {move || (shape.with(Vec::len) > 1).then(|| view! {
                        <label class="field inline-field"><span>{t!(i18n, seg.groups_join)}</span>
                            <select data-testid="groups-join" prop:value=move || join_value(draft.with(|d| d.definition.join))
                                on:change=move |ev| { let j = parse_join(&event_target_value(&ev)); draft.update(|d| d.definition.join = j) }>
                                <option value="all">{move || join_label(i18n, Join::All)}</option>
                                <option value="any">{move || join_label(i18n, Join::Any)}</option>
                            </select></label>
                    })}
                    <FieldError message=Signal::derive(move || problems.with(|p| problem_at(p, "definition.groups"))) />
                    <div class="segment-groups">{groups}</div>
                    <button type="button" class="btn" data-testid="add-group"
                        disabled=move || { shape.with(Vec::len) >= MAX_GROUPS }
                        on:click=move |_| draft.update(|d| d.definition.groups.push(Group { join: Join::All, conditions: Vec::new() }))>
                        {t!(i18n, seg.add_group)}</button>
                    <p class="hint">{t!(i18n, seg.empty_means_all)}</p>
                </section>
                {move || error.get().filter(|e| !matches!(e, ApiError::Validation { fields, .. } if !fields.is_empty()))
                    .map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
                <div class="actions">
                    <button type="submit" class="btn btn-primary" data-testid="save-segment" disabled=move || save.pending().get()>
                        {t!(i18n, seg.save)}</button>
                    <a class="btn" href=match id { Some(id) => admin_segment_href(id), None => Route::AdminSegments.href() }>{t!(i18n, admin.cancel)}</a>
                </div>
            </div>
            <aside class="segment-side">
                <section class="card segment-count" aria-labelledby="seg-count-h">
                    <h2 id="seg-count-h">{t!(i18n, seg.live_count)}</h2>
                    <div role="status" aria-live="polite" aria-busy=move || counting.get().to_string()>{count_line}</div>
                </section>
                <section class="card" aria-labelledby="seg-preview-h">
                    <h2 id="seg-preview-h">{t!(i18n, seg.preview)}</h2>
                    <button type="button" class="btn" data-testid="preview-charts"
                        disabled=move || !definition_ok.get() || charts.pending().get()
                        on:click=move |_| { charts.dispatch(definition.get_untracked()); }>
                        {move || if charts.value().with(Option::is_some) { t_string!(i18n, seg.preview_again) } else { t_string!(i18n, seg.preview_show) }}</button>
                    {move || charts.pending().get().then(|| view! { <Skeleton lines=4 /> })}
                    {move || { i18n.get_locale(); charts.value().get() }.map(|r| match r {
                        Ok(c) => view! { <SegmentChartsView charts=c currency=currency.get_value() /> }.into_any(),
                        Err(e) => view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                    })}
                </section>
            </aside>
        </form>
    }
}
