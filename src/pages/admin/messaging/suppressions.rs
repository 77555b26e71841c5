//! The suppressions tab: addresses that get nothing but account mail —
//! bounced, complained, or added here — with why and since when; an
//! address added by hand, an entry lifted.

use leptos::prelude::*;
use patron_core::messaging::{SuppressionDraft, SuppressionReason};

use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::field_error::FieldError;
use crate::components::pager::Pager;
use crate::components::skeleton::Skeleton;
use crate::format::date_time;
use crate::i18n::*;
use crate::labels::sentence;
use crate::state::session::Session;

/// Rows per page (as the API is asked).
const PAGE: i64 = 50;

/// The suppressions tab.
#[component]
pub fn Suppressions() -> impl IntoView {
    let i18n = use_i18n();
    let tz = Session::expect().time_zone();
    let l = move || i18n.get_locale();
    let page = RwSignal::new(0_i64);
    let list = LocalResource::new(move || api::messaging::suppressions(page.get() * PAGE));
    let email = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let add = Action::new_local(move |_: &()| {
        let d = SuppressionDraft {
            email: email.get_untracked(),
            detail: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        async move { api::messaging::add_suppression(d).await.map(|_| ()) }
    });
    let lift = Action::new_local(move |e: &String| api::messaging::lift_suppression(e.clone()));
    Effect::new(move || {
        for r in [add.value().get(), lift.value().get()]
            .into_iter()
            .flatten()
        {
            match r {
                Ok(()) => {
                    error.set(None);
                    list.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    Effect::new(move || {
        if matches!(add.value().get(), Some(Ok(()))) {
            email.set(String::new());
            note.set(String::new());
        }
    });
    let reason = move |r: SuppressionReason| match r {
        SuppressionReason::Bounce => t_string!(i18n, msg.bounce).to_string(),
        SuppressionReason::Complaint => t_string!(i18n, msg.complaint).to_string(),
        SuppressionReason::Admin => t_string!(i18n, msg.by_admin).to_string(),
    };
    view! {
        <form class="card form inline-form" novalidate data-testid="suppression-form" on:submit=move |ev| { ev.prevent_default(); add.dispatch(()); }>
            <label class="field"><span>{t!(i18n, msg.address)}</span>
                <input type="email" data-testid="suppression-email" prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) /></label>
            <FieldError message=Signal::derive(move || error.get().and_then(|e| e.field("email"))) />
            <label class="field"><span>{t!(i18n, msg.note)}</span>
                <input type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) /></label>
            <button type="submit" class="btn">{t!(i18n, msg.suppress)}</button>
        </form>
        {move || error.get().filter(|e| e.field("email").is_none()).map(|e| view! { <p class="form-error" role="alert">{sentence(i18n, e.message())}</p> })}
        <Suspense fallback=|| view! { <Skeleton lines=4 /> }>
            {move || {
                let tz = tz.clone();
                Suspend::new(async move {
                match list.await {
                    Ok(p) => view! {
                        {p.items.is_empty().then(|| view! { <p class="muted">{t!(i18n, msg.no_suppressions)}</p> })}
                        <div class="card table-card"><div class="table-scroll"><table class="table" data-testid="suppressions-table">
                            <thead><tr><th scope="col">{t!(i18n, msg.address)}</th><th scope="col">{t!(i18n, msg.note)}</th>
                                <th scope="col">{t!(i18n, msg.since)}</th><th scope="col"><span class="visually-hidden">{t!(i18n, msg.lift)}</span></th></tr></thead>
                            <tbody>{p.items.into_iter().map(|s| {
                                let (at, tz, e) = (s.created_at, tz.clone(), s.email.clone());
                                view! {
                                    <tr data-testid="suppression-row">
                                        <td>{s.email.clone()}</td>
                                        <td>{reason(s.reason)} {s.detail.map(|d| format!(" — {d}"))}</td>
                                        <td>{move || date_time(l(), at, &tz)}</td>
                                        <td><button type="button" class="btn btn-small" on:click=move |_| { lift.dispatch(e.clone()); }>{t!(i18n, msg.lift)}</button></td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table></div></div>
                        <Pager page=page pages=((p.total + PAGE - 1) / PAGE).max(1) total=p.total on_page=Callback::new(move |n| page.set(n)) />
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e on_retry=move || list.refetch() /> }.into_any(),
                }
            })}}
        </Suspense>
    }
}
