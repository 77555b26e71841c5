//! Saved views on the queue page: pick one, save the current filters under
//! a name, delete.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::api::{self, ApiError};
use crate::components::error_panel::error_text;
use crate::i18n::*;
use crate::routes::support_queue_href;

/// Saved views: pick one, save the current filters, delete.
#[component]
pub(super) fn SavedViews(
    views: LocalResource<Result<Vec<patron_core::support::SavedView>, ApiError>>,
    #[prop(into)] query: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let naming = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let save = Action::new_local(|(n, q): &(String, String)| {
        let (n, q) = (n.clone(), q.clone());
        async move { api::support::save_view(n, q).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            naming.set(false);
            name.set(String::new());
            error.set(None);
            views.refetch();
        }
        Some(Err(e)) => error.set(Some(error_text(i18n, &e))),
        None => {}
    });
    let remove = Action::new_local(|id: &i64| {
        let id = *id;
        async move { api::support::delete_view(id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            views.refetch();
        }
    });
    let current = move || {
        let q = query.get();
        views
            .get()
            .and_then(Result::ok)
            .and_then(|vs| vs.into_iter().find(|v| v.query == q))
    };
    view! {
        <div class="saved-views">
            <label class="field">
                <span>{t!(i18n, desk.views)}</span>
                <select data-testid="saved-views"
                    prop:value=move || current().map(|v| v.id.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        let id: Option<i64> = event_target_value(&ev).parse().ok();
                        if let Some(v) = id.and_then(|id| views.get_untracked().and_then(Result::ok).and_then(|vs| vs.into_iter().find(|v| v.id == id))) {
                            navigate(&support_queue_href(&v.query), NavigateOptions { replace: true, scroll: false, ..Default::default() });
                        }
                    }>
                    <option value="">{t!(i18n, desk.views_pick)}</option>
                    {move || views.get().and_then(Result::ok).map(|vs| vs.into_iter().map(|v| view! {
                        <option value=v.id.to_string()>{v.name}</option>
                    }).collect_view())}
                </select>
            </label>
            {move || match (naming.get(), current()) {
                (false, Some(v)) => view! {
                    <button type="button" class="btn btn-small btn-quiet" on:click=move |_| { remove.dispatch(v.id); }>{t!(i18n, desk.view_delete)}</button>
                }.into_any(),
                (false, None) => view! {
                    <button type="button" class="btn btn-small" data-testid="save-view" on:click=move |_| naming.set(true)>{t!(i18n, desk.view_save)}</button>
                }.into_any(),
                (true, _) => view! {
                    <span class="inline-form">
                        <input type="text" maxlength="60" data-testid="view-name"
                            aria-label=move || t_string!(i18n, desk.view_name).to_string()
                            placeholder=move || t_string!(i18n, desk.view_name).to_string()
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))
                            on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); save.dispatch((name.get_untracked(), query.get_untracked())); } />
                        <button type="button" class="btn btn-small btn-primary" on:click=move |_| { save.dispatch((name.get_untracked(), query.get_untracked())); }>{t!(i18n, desk.save)}</button>
                        <button type="button" class="btn btn-small btn-quiet" on:click=move |_| naming.set(false)>{t!(i18n, desk.cancel)}</button>
                    </span>
                }.into_any(),
            }}
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </div>
    }
}
