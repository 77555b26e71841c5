//! The points-expiry card on the settings page: the job's last run (when,
//! how many lots, members and points, or why it failed), lots past their
//! date that wait for the next run, what expires in the next 30 days, and
//! "Run now". A run still going is looked at again every two seconds.

use leptos::prelude::*;
use patron_core::expiry::{ExpiryOverview, ExpiryRun, ExpiryRunStatus};

use crate::api::{self, ApiError};
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::toast::Toasts;
use crate::format::{date_time, number};
use crate::i18n::*;
use crate::state::session::Session;

/// How soon a running run is looked at again.
const POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// The card.
#[component]
pub fn ExpiryCard() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let overview = LocalResource::new(api::admin::expiry);
    let run = Action::new_local(|_: &()| api::admin::run_expiry());
    let run_error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| match run.value().get() {
        Some(Ok(r)) => {
            run_error.set(None);
            if r.status == ExpiryRunStatus::Succeeded {
                toasts.show(
                    t_string!(i18n, expiry.run_done)
                        .to_string()
                        .replace("{points}", &number(i18n.get_locale_untracked(), r.points))
                        .replace("{lots}", &number(i18n.get_locale_untracked(), r.lots)),
                );
            }
            overview.refetch();
        }
        Some(Err(e)) => run_error.set(Some(e)),
        None => {}
    });
    // While a run is going, look again shortly (not after the page is gone).
    Effect::new(move |_| {
        let going = overview.get().is_some_and(|o| {
            o.as_ref()
                .ok()
                .and_then(|o| o.last_run.as_ref())
                .is_some_and(|r| r.status == ExpiryRunStatus::Running)
        });
        if going {
            if let Ok(h) = set_timeout_with_handle(move || overview.refetch(), POLL) {
                on_cleanup(move || h.clear());
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="expiry-h" data-testid="expiry-card">
            <h2 id="expiry-h">{t!(i18n, expiry.heading)}</h2>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => view! { <ExpiryFigures overview=o /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || overview.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
            {move || run_error.get().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> })}
            <div class="actions">
                <button type="button" class="btn" data-testid="expiry-run" disabled=move || run.pending().get()
                    on:click=move |_| { run.dispatch(()); }>
                    {move || if run.pending().get() { t_string!(i18n, expiry.running) } else { t_string!(i18n, expiry.run_now) }}
                </button>
            </div>
        </section>
    }
}

/// The figures of one overview.
#[component]
fn ExpiryFigures(overview: ExpiryOverview) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let tz = Session::expect().time_zone();
    let upcoming = t_string!(i18n, expiry.upcoming)
        .to_string()
        .replace("{members}", &number(l, overview.upcoming.members))
        .replace("{points}", &number(l, overview.upcoming.points))
        .replace("{days}", &number(l, overview.upcoming.days));
    let due = (overview.due_lots > 0).then(|| {
        t_string!(i18n, expiry.due)
            .to_string()
            .replace("{lots}", &number(l, overview.due_lots))
    });
    let earlier = overview
        .last_success
        .filter(|s| overview.last_run.as_ref().is_some_and(|r| r.id != s.id));
    view! {
        {match overview.last_run {
            Some(r) => view! { <RunLine run=r tz=tz.clone() testid="expiry-last-run" /> }.into_any(),
            None => view! { <p data-testid="expiry-last-run">{t!(i18n, expiry.never)}</p> }.into_any(),
        }}
        {earlier.map(|s| view! { <RunLine run=s tz=tz.clone() testid="expiry-last-success" /> })}
        {due.map(|d| view! { <p class="hint" data-testid="expiry-due">{d}</p> })}
        <p data-testid="expiry-upcoming">{upcoming}</p>
        <p class="hint">{t!(i18n, expiry.explain)}</p>
    }
}

/// One run in a sentence, with its error when it failed.
#[component]
fn RunLine(run: ExpiryRun, tz: String, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let when = date_time(l, run.finished_at.unwrap_or(run.started_at), &tz);
    let figures = |s: &str| {
        s.replace("{time}", &when)
            .replace("{lots}", &number(l, run.lots))
            .replace("{members}", &number(l, run.members))
            .replace("{points}", &number(l, run.points))
    };
    let (class, text) = match run.status {
        ExpiryRunStatus::Running => ("badge", figures(t_string!(i18n, expiry.line_running))),
        ExpiryRunStatus::Succeeded => ("badge", figures(t_string!(i18n, expiry.line_done))),
        ExpiryRunStatus::Failed => (
            "badge badge-accent",
            figures(t_string!(i18n, expiry.line_failed)),
        ),
    };
    let status = match run.status {
        ExpiryRunStatus::Running => t_string!(i18n, expiry.status_running),
        ExpiryRunStatus::Succeeded => t_string!(i18n, expiry.status_succeeded),
        ExpiryRunStatus::Failed => t_string!(i18n, expiry.status_failed),
    };
    let by = run
        .actor
        .map(|a| t_string!(i18n, expiry.by).to_string().replace("{name}", &a));
    view! {
        <p data-testid=testid data-status=format!("{:?}", run.status).to_lowercase()>
            <span class=class>{status}</span>" "{text}{by.map(|b| format!(" {b}"))}
        </p>
        {run.error.map(|e| view! { <p class="field-error" data-testid="expiry-error">{e}</p> })}
    }
}
