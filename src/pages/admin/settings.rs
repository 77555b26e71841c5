//! `/admin/settings`: name, currency, point value, time zone, expiry and
//! pending days; below them the points-expiry job (`expiry.rs`).

use leptos::prelude::*;
use patron_core::admin::{ExpiryRule, ProgrammeSettings};

use crate::api::{self, ApiError};
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::field_error::FieldError;
use crate::components::skeleton::Skeleton;
use crate::components::toast::Toasts;
use crate::components::unsaved::guard_unsaved;
use crate::i18n::*;
use crate::pages::admin::expiry::ExpiryCard;
use crate::pages::admin::nav::AdminHeader;

/// The settings page.
#[component]
pub fn AdminSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let settings = LocalResource::new(api::admin::settings);
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, nav.settings).to_string()) />
            <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => view! { <SettingsForm saved=s /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || settings.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
            <ExpiryCard />
        </div>
    }
}

/// Whether `z` names a time zone this build knows.
pub fn known_zone(z: &str) -> bool {
    patron_core::time::zone(z).name() == z
}

#[component]
fn SettingsForm(saved: ProgrammeSettings) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let saved = RwSignal::new(saved);
    let draft = RwSignal::new(saved.get_untracked());
    let server_error = RwSignal::new(None::<ApiError>);
    let tried = RwSignal::new(false);
    let dirty = Signal::derive(move || draft.get() != saved.get());
    guard_unsaved(
        dirty,
        Signal::derive(move || t_string!(i18n, admin.unsaved).to_string()),
    );
    let save = Action::new_local(|s: &ProgrammeSettings| {
        let s = s.clone();
        async move { api::admin::save_settings(s).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(s)) => {
            saved.set(s.clone());
            draft.set(s);
            server_error.set(None);
            toasts.show(t_string!(i18n, admin.settings_saved).to_string());
        }
        Some(Err(e)) => server_error.set(Some(e)),
        None => {}
    });
    let problem = move |field: &'static str| {
        Signal::derive(move || {
            let local = tried
                .get()
                .then(|| {
                    draft.with(|d| {
                        d.problems(known_zone)
                            .into_iter()
                            .find(|p| p.0 == field)
                            .map(|p| p.1.to_string())
                    })
                })
                .flatten();
            local.or_else(|| server_error.with(|e| e.as_ref().and_then(|e| e.field(field))))
        })
    };
    let invalid = move |field: &'static str| move || problem(field).get().is_some().to_string();
    let expiry_kind = move || match draft.with(|d| d.expiry) {
        ExpiryRule::Never => "never",
        ExpiryRule::MonthsAfterEarning { .. } => "months",
        ExpiryRule::EndOfNextYear => "end_of_next_year",
    };
    view! {
        <form class="form card" data-testid="settings-form" novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                tried.set(true);
                if draft.with_untracked(|d| d.problems(known_zone).is_empty()) {
                    save.dispatch(draft.get_untracked());
                }
            }>
            <div class="field-row">
                <label class="field"><span>{t!(i18n, admin.programme_name)}</span>
                    <input type="text" maxlength="80" aria-invalid=invalid("name") data-testid="set-name"
                        prop:value=move || draft.with(|d| d.name.clone())
                        on:input=move |ev| draft.update(|d| d.name = event_target_value(&ev)) />
                    <FieldError message=problem("name") />
                </label>
                <label class="field"><span>{t!(i18n, admin.currency)}</span>
                    <input type="text" maxlength="3" aria-invalid=invalid("currency") data-testid="set-currency"
                        prop:value=move || draft.with(|d| d.currency.clone())
                        on:input=move |ev| draft.update(|d| d.currency = event_target_value(&ev).to_uppercase()) />
                    <FieldError message=problem("currency") />
                </label>
            </div>
            <div class="field-row">
                <label class="field"><span>{t!(i18n, admin.point_value)}</span>
                    <input type="number" min="1" step="1" aria-invalid=invalid("point_value_centi_minor")
                        prop:value=move || draft.with(|d| d.point_value_centi_minor.to_string())
                        on:input=move |ev| draft.update(|d| d.point_value_centi_minor = event_target_value(&ev).parse().unwrap_or(0)) />
                    <small class="hint">{t!(i18n, admin.point_value_hint)}</small>
                    <FieldError message=problem("point_value_centi_minor") />
                </label>
                <label class="field"><span>{t!(i18n, admin.time_zone)}</span>
                    <input type="text" aria-invalid=invalid("time_zone") data-testid="set-tz"
                        prop:value=move || draft.with(|d| d.time_zone.clone())
                        on:input=move |ev| draft.update(|d| d.time_zone = event_target_value(&ev).trim().to_string()) />
                    <FieldError message=problem("time_zone") />
                </label>
            </div>
            <div class="field-row">
                <label class="field"><span>{t!(i18n, admin.expiry)}</span>
                    <select data-testid="set-expiry" prop:value=expiry_kind
                        on:change=move |ev| draft.update(|d| d.expiry = match event_target_value(&ev).as_str() {
                            "never" => ExpiryRule::Never,
                            "end_of_next_year" => ExpiryRule::EndOfNextYear,
                            _ => ExpiryRule::MonthsAfterEarning { months: 12 },
                        })>
                        <option value="never">{t!(i18n, admin.expiry_never)}</option>
                        <option value="months">{t!(i18n, admin.expiry_months)}</option>
                        <option value="end_of_next_year">{t!(i18n, admin.expiry_year_end)}</option>
                    </select>
                    <FieldError message=problem("expiry") />
                </label>
                {move || match draft.with(|d| d.expiry) {
                    ExpiryRule::MonthsAfterEarning { months } => Some(view! {
                        <label class="field"><span>{t!(i18n, admin.months)}</span>
                            <input type="number" min="1" max="120" value=months.to_string() aria-invalid=invalid("expiry")
                                on:input=move |ev| draft.update(|d| d.expiry = ExpiryRule::MonthsAfterEarning { months: event_target_value(&ev).parse().unwrap_or(0) }) />
                        </label>
                    }),
                    _ => None,
                }}
                <label class="field"><span>{t!(i18n, admin.pending_days)}</span>
                    <input type="number" min="0" max="365" aria-invalid=invalid("pending_days") data-testid="set-pending"
                        prop:value=move || draft.with(|d| d.pending_days.to_string())
                        on:input=move |ev| draft.update(|d| d.pending_days = event_target_value(&ev).parse().unwrap_or(-1)) />
                    <FieldError message=problem("pending_days") />
                </label>
            </div>
            <p class="hint">{t!(i18n, admin.settings_hint)}</p>
            {move || server_error.get().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> })}
            <div class="actions">
                <button class="btn btn-primary" type="submit" data-testid="settings-save"
                    disabled=move || save.pending().get() || !dirty.get()>
                    {move || if save.pending().get() { t_string!(i18n, common.saving) } else { t_string!(i18n, common.save) }}
                </button>
                <button class="btn" type="button" disabled=move || !dirty.get()
                    on:click=move |_| { draft.set(saved.get_untracked()); server_error.set(None); tried.set(false); }>
                    {t!(i18n, admin.discard)}
                </button>
            </div>
        </form>
    }
}
