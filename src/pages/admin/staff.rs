//! `/admin/staff`: staff accounts (create, reset password, deactivate),
//! the permission matrix (read only) and API keys for tills.

use leptos::prelude::*;
use patron_core::admin::{Access, ApiKeyInfo, NewStaff, StaffList};
use patron_core::auth::Role;

use crate::api::{self, ApiError};
use crate::components::copy_button::CopyButton;
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::field_error::FieldError;
use crate::components::skeleton::Skeleton;
use crate::components::toast::Toasts;
use crate::format::date;
use crate::i18n::*;
use crate::labels::sentence;
use crate::pages::admin::nav::AdminHeader;
use crate::state::session::Session;

/// The staff page.
#[component]
pub fn AdminStaffPage() -> impl IntoView {
    let i18n = use_i18n();
    let staff = LocalResource::new(api::admin::staff);
    let keys = LocalResource::new(api::admin::api_keys);
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, nav.staff).to_string()) />
            <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
                {move || Suspend::new(async move {
                    match staff.await {
                        Ok(list) => view! { <StaffSection list=list on_changed=move || staff.refetch() /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || staff.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
            <NewStaffForm on_created=move || staff.refetch() />
            <Suspense fallback=|| view! { <Skeleton lines=3 /> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(list) => view! { <ApiKeys list=list on_changed=move || keys.refetch() /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || keys.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

fn access_label(i18n: leptos_i18n::I18nContext<Locale>, a: Access) -> String {
    match a {
        Access::None => t_string!(i18n, admin.access_none),
        Access::Own => t_string!(i18n, admin.access_own),
        Access::Read => t_string!(i18n, admin.access_read),
        Access::Write => t_string!(i18n, admin.access_write),
    }
    .to_string()
}

#[component]
fn StaffSection(list: StaffList, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let tz = Session::expect().time_zone();
    let me = Session::expect().me().map(|m| m.user_id);
    let error = RwSignal::new(None::<ApiError>);
    let toggle =
        Action::new_local(|(id, active): &(i64, bool)| api::admin::set_staff_active(*id, *active));
    Effect::new(move |_| match toggle.value().get() {
        Some(Ok(a)) => {
            toasts.show(
                if a.active {
                    t_string!(i18n, admin.reactivated)
                } else {
                    t_string!(i18n, admin.deactivated)
                }
                .to_string()
                .replace("{name}", &a.name),
            );
            error.set(None);
            on_changed.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let resetting = RwSignal::new(None::<i64>);
    let new_pw = RwSignal::new(String::new());
    let reset =
        Action::new_local(|(id, pw): &(i64, String)| api::admin::reset_password(*id, pw.clone()));
    Effect::new(move |_| match reset.value().get() {
        Some(Ok(())) => {
            toasts.show(t_string!(i18n, admin.password_reset).to_string());
            resetting.set(None);
            new_pw.set(String::new());
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let l = move || i18n.get_locale();
    let role = move |r: Role| match r {
        Role::Admin => t_string!(i18n, role.admin).to_string(),
        Role::Support => t_string!(i18n, role.support).to_string(),
        Role::Member => t_string!(i18n, role.member).to_string(),
    };
    view! {
        <section class="card" aria-labelledby="staff-h">
            <h2 id="staff-h">{t!(i18n, admin.staff_accounts)}</h2>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> })}
            <div class="table-scroll"><table class="table" data-testid="staff-table">
                <thead><tr><th scope="col">{t!(i18n, admin.name)}</th><th scope="col">{t!(i18n, admin.email)}</th><th scope="col">{t!(i18n, admin.role)}</th>
                    <th scope="col">{t!(i18n, admin.since)}</th><th scope="col">{t!(i18n, admin.status)}</th><th scope="col"><span class="visually-hidden">{t!(i18n, admin.actions)}</span></th></tr></thead>
                <tbody>{list.staff.into_iter().map(|a| {
                    let (id, active, at, tz) = (a.id, a.active, a.created_at, tz.clone());
                    let is_me = me == Some(id);
                    view! {
                        <tr class:inactive=!active data-testid="staff-row">
                            <td>{a.name.clone()}</td><td>{a.email.clone()}</td><td>{move || role(a.role)}</td>
                            <td>{move || date(l(), at, &tz)}</td>
                            <td>{if active { t!(i18n, admin.active).into_any() } else { view! { <span class="tag">{t!(i18n, admin.inactive)}</span> }.into_any() }}</td>
                            <td class="row-actions">
                                <button type="button" class="btn btn-small" on:click=move |_| resetting.set(Some(id))>{t!(i18n, admin.reset_password)}</button>
                                {(!is_me).then(|| view! {
                                    <button type="button" class="btn btn-small" data-testid="staff-toggle" on:click=move |_| { toggle.dispatch((id, !active)); }>
                                        {if active { t!(i18n, admin.deactivate).into_any() } else { t!(i18n, admin.reactivate).into_any() }}</button>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table></div>
            {move || resetting.get().map(|id| view! {
                <form class="form inline-form" on:submit=move |ev| { ev.prevent_default(); reset.dispatch((id, new_pw.get_untracked())); }>
                    <label class="field"><span>{t!(i18n, admin.new_password)}</span>
                        <input type="password" autocomplete="new-password" minlength="10" prop:value=move || new_pw.get() on:input=move |ev| new_pw.set(event_target_value(&ev)) /></label>
                    <p class="hint">{t!(i18n, admin.reset_hint)}</p>
                    <button class="btn btn-primary" type="submit" disabled=move || reset.pending().get()>{t!(i18n, admin.reset_password)}</button>
                    <button class="btn" type="button" on:click=move |_| resetting.set(None)>{t!(i18n, admin.cancel)}</button>
                </form>
            })}
        </section>
        <section class="card" aria-labelledby="perm-h">
            <h2 id="perm-h">{t!(i18n, admin.permissions)}</h2>
            <div class="table-scroll"><table class="table" data-testid="permission-matrix">
                <thead><tr><th scope="col">{t!(i18n, admin.area)}</th><th scope="col">{move || role(Role::Member)}</th>
                    <th scope="col">{move || role(Role::Support)}</th><th scope="col">{move || role(Role::Admin)}</th></tr></thead>
                <tbody>{list.permissions.into_iter().map(|p| view! {
                    <tr><th scope="row">{let a = p.area; move || sentence(i18n, &a)}</th><td>{move || access_label(i18n, p.member)}</td>
                        <td>{move || access_label(i18n, p.support)}</td><td>{move || access_label(i18n, p.admin)}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
        </section>
    }
}

#[component]
fn NewStaffForm(#[prop(into)] on_created: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Support);
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let create = Action::new_local(|s: &NewStaff| api::admin::create_staff(s.clone()));
    Effect::new(move |_| match create.value().get() {
        Some(Ok(a)) => {
            toasts.show(
                t_string!(i18n, admin.staff_created)
                    .to_string()
                    .replace("{name}", &a.name),
            );
            name.set(String::new());
            email.set(String::new());
            password.set(String::new());
            error.set(None);
            on_created.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let field = move |f: &'static str| {
        Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field(f))))
    };
    view! {
        <form class="card form" aria-labelledby="new-staff-h" novalidate on:submit=move |ev| {
            ev.prevent_default();
            create.dispatch(NewStaff { email: email.get_untracked(), name: name.get_untracked(), role: role.get_untracked(), password: password.get_untracked() });
        }>
            <h2 id="new-staff-h">{t!(i18n, admin.new_staff)}</h2>
            <div class="field-row">
                <label class="field"><span>{t!(i18n, admin.name)}</span>
                    <input type="text" data-testid="staff-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                    <FieldError message=field("name") /></label>
                <label class="field"><span>{t!(i18n, admin.email)}</span>
                    <input type="email" data-testid="staff-email" prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                    <FieldError message=field("email") /></label>
                <label class="field"><span>{t!(i18n, admin.role)}</span>
                    <select on:change=move |ev| role.set(if event_target_value(&ev) == "admin" { Role::Admin } else { Role::Support })>
                        <option value="support">{t!(i18n, role.support)}</option>
                        <option value="admin">{t!(i18n, role.admin)}</option>
                    </select></label>
                <label class="field"><span>{t!(i18n, admin.first_password)}</span>
                    <input type="password" autocomplete="new-password" data-testid="staff-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                    <FieldError message=field("password") /></label>
            </div>
            {move || error.get().filter(|e| !matches!(e, ApiError::Validation { .. })).map(|e| view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> })}
            <button class="btn btn-primary" type="submit" data-testid="staff-create" disabled=move || create.pending().get()>{t!(i18n, admin.create_account)}</button>
        </form>
    }
}

#[component]
fn ApiKeys(list: Vec<ApiKeyInfo>, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let tz = Session::expect().time_zone();
    let name = RwSignal::new(String::new());
    let shown = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let create = Action::new_local(|n: &String| api::admin::create_api_key(n.clone()));
    Effect::new(move |_| match create.value().get() {
        Some(Ok(k)) => {
            shown.set(k.key);
            name.set(String::new());
            error.set(None);
            on_changed.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let revoke = Action::new_local(|id: &i64| api::admin::revoke_api_key(*id));
    Effect::new(move |_| match revoke.value().get() {
        Some(Ok(())) => {
            toasts.show(t_string!(i18n, admin.key_revoked).to_string());
            on_changed.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let l = move || i18n.get_locale();
    view! {
        <section class="card" aria-labelledby="keys-h">
            <h2 id="keys-h">{t!(i18n, admin.api_keys)}</h2>
            <p class="hint">{t!(i18n, admin.api_keys_hint)}</p>
            {move || shown.get().map(|k| view! {
                <div class="notice" role="status" data-testid="new-key"><p>{t!(i18n, admin.key_once)}</p><code>{k.clone()}</code>" "<CopyButton text=k /></div>
            })}
            <ul class="plain-list">{list.into_iter().map(|k| {
                let (id, at, tz) = (k.id, k.created_at, tz.clone());
                let live = k.revoked_at.is_none();
                view! { <li class:inactive=!live>{format!("{} · {}… · ", k.name, k.prefix)}{move || date(l(), at, &tz)}
                    {if live { view! { " " <button type="button" class="btn btn-small" on:click=move |_| { revoke.dispatch(id); }>{t!(i18n, admin.revoke)}</button> }.into_any() }
                     else { view! { " " <span class="tag">{t!(i18n, admin.revoked)}</span> }.into_any() }}</li> }
            }).collect_view()}</ul>
            <form class="form inline-form" on:submit=move |ev| { ev.prevent_default(); create.dispatch(name.get_untracked()); }>
                <label class="field"><span>{t!(i18n, admin.key_name)}</span>
                    <input type="text" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                    <FieldError message=Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field("name")))) /></label>
                <button class="btn" type="submit" disabled=move || create.pending().get()>{t!(i18n, admin.create_key)}</button>
            </form>
        </section>
    }
}
