//! `/profile`: personal details, language and time zone, communication
//! consents, email and password.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use patron_core::profile::{
    Channel, ConsentChange, EmailChange, PasswordChange, Profile, ProfileUpdate,
};

use crate::api::{self, ApiError};
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::skeleton::Skeleton;
use crate::format::date;
use crate::i18n::*;
use crate::state::locale;
use crate::state::session::Session;

/// Zones offered in the picker (the server accepts any IANA zone).
const ZONES: [&str; 10] = [
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
];

fn err_text(e: &ApiError, i18n: I18nContext<Locale>) -> String {
    error_text(i18n, e)
}

use leptos_i18n::I18nContext;

/// Loads the profile, then shows the forms.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let data = LocalResource::new(api::account::profile);
    view! {
        <div class="page profile">
            <h1>{t!(i18n, profile.title)}</h1>
            <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! { <ProfileForm profile=p /> <super::messages::MessageCentre /> <EmailForm /> <PasswordForm /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || data.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// Details, language, zone and consents.
#[component]
fn ProfileForm(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let name = RwSignal::new(profile.name.clone());
    let birthday = RwSignal::new(profile.birthday.map(|d| d.to_string()).unwrap_or_default());
    let birthday_editable = RwSignal::new(profile.birthday_editable);
    let region = RwSignal::new(profile.region.clone());
    let city = RwSignal::new(profile.city.clone());
    let language = RwSignal::new(profile.language.clone());
    let time_zone = RwSignal::new(profile.time_zone.clone());
    let consents = RwSignal::new(profile.consents.clone());
    let tz_for_dates = profile.time_zone.clone();

    let save = Action::new_local(|u: &ProfileUpdate| api::account::update_profile(u.clone()));
    Effect::new(move |_| {
        if let Some(Ok(p)) = save.value().get() {
            birthday_editable.set(p.birthday_editable);
            consents.set(p.consents.clone());
            if let Some(l) = locale::from_tag(&p.language) {
                i18n.set_locale(l);
                locale::remember(l);
            }
            // The header and dates follow the new name and time zone.
            leptos::task::spawn_local(async move {
                if let Ok(me) = api::auth::me().await {
                    session.signed_in(me);
                }
            });
        }
    });
    let error = Memo::new(move |_| save.value().get().and_then(|r| r.err()));
    let field = move |f: &'static str| move || error.get().and_then(|e| e.field(f));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let before = consents.get_untracked();
        let u = ProfileUpdate {
            name: Some(name.get_untracked()),
            birthday: if birthday_editable.get_untracked() {
                birthday.get_untracked().parse().ok()
            } else {
                None
            },
            region: Some(region.get_untracked()),
            city: Some(city.get_untracked()),
            language: Some(language.get_untracked()),
            time_zone: Some(time_zone.get_untracked()),
            consents: before
                .iter()
                .map(|c| ConsentChange {
                    channel: c.channel,
                    granted: c.granted,
                })
                .collect(),
        };
        save.dispatch(u);
    };
    let channel_label = move |c: Channel| crate::labels::channel(i18n, c);
    view! {
        <form class="card form" on:submit=on_submit novalidate data-testid="profile-form">
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{err_text(&e, i18n)}</p> })}
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <p class="notice" role="status" data-testid="saved">{t!(i18n, common.saved)}</p> })}
            <p class="muted">{profile.email.clone()} " · " {profile.card_number.clone()}</p>
            <div class="field">
                <label for="p-name">{t!(i18n, profile.name)}</label>
                <input id="p-name" bind:value=name autocomplete="name" aria-describedby="p-name-err" />
                <p id="p-name-err" class="field-error">{field("name")}</p>
            </div>
            <div class="field">
                <label for="p-birthday">{t!(i18n, profile.birthday)}</label>
                <input id="p-birthday" type="date" bind:value=birthday disabled=move || !birthday_editable.get() aria-describedby="p-birthday-hint p-birthday-err" />
                <p id="p-birthday-hint" class="hint">
                    {move || if birthday_editable.get() { t_string!(i18n, profile.birthday_hint).to_string() } else { t_string!(i18n, profile.birthday_locked).to_string() }}
                </p>
                <p id="p-birthday-err" class="field-error">{field("birthday")}</p>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="p-region">{t!(i18n, profile.region)}</label>
                    <input id="p-region" bind:value=region autocomplete="address-level1" />
                    <p class="field-error">{field("region")}</p>
                </div>
                <div class="field">
                    <label for="p-city">{t!(i18n, profile.city)}</label>
                    <input id="p-city" bind:value=city autocomplete="address-level2" />
                    <p class="field-error">{field("city")}</p>
                </div>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="p-language">{t!(i18n, profile.language)}</label>
                    <select id="p-language" prop:value=move || language.get() on:change=move |ev| language.set(event_target_value(&ev))>
                        <option value="en">"English"</option>
                        <option value="zh">"简体中文"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="p-tz">{t!(i18n, profile.time_zone)}</label>
                    <select id="p-tz" prop:value=move || time_zone.get() on:change=move |ev| time_zone.set(event_target_value(&ev))>
                        {let current = profile.time_zone.clone();
                         (!ZONES.contains(&current.as_str())).then(|| view! { <option value=current.clone()>{current.clone()}</option> })}
                        {ZONES.iter().map(|z| view! { <option value=*z>{*z}</option> }).collect_view()}
                    </select>
                    <p class="field-error">{field("time_zone")}</p>
                </div>
            </div>
            <fieldset class="consents">
                <legend>{t!(i18n, profile.consents)}</legend>
                {move || consents.get().into_iter().enumerate().map(|(i, c)| {
                    let tz = tz_for_dates.clone();
                    let ch = c.channel;
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                prop:checked=c.granted
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    consents.update(|cs| cs[i].granted = on);
                                }
                            />
                            {move || channel_label(ch)}
                            {c.at.map(|at| view! { <span class="hint">" ("{t!(i18n, profile.since, date = move || date(i18n.get_locale(), at, &tz))}")"</span> })}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                {move || if save.pending().get() { t_string!(i18n, common.saving).to_string() } else { t_string!(i18n, common.save).to_string() }}
            </button>
        </form>
    }
}

/// New email, confirmed with the password.
#[component]
fn EmailForm() -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let change = Action::new_local(|c: &EmailChange| api::account::change_email(c.clone()));
    let error = Memo::new(move |_| change.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            password.set(String::new());
        }
    });
    let field = move |f: &'static str| move || error.get().and_then(|e| e.field(f));
    view! {
        <form class="card form" novalidate on:submit=move |ev: SubmitEvent| {
            ev.prevent_default();
            change.dispatch(EmailChange { new_email: email.get_untracked(), password: password.get_untracked() });
        }>
            <h2>{t!(i18n, profile.email_title)}</h2>
            {move || error.get().filter(|e| e.field("new_email").is_none() && e.field("password").is_none()).map(|e| view! { <p class="form-error" role="alert">{err_text(&e, i18n)}</p> })}
            {move || matches!(change.value().get(), Some(Ok(_))).then(|| view! { <p class="notice" role="status">{t!(i18n, profile.email_changed)}</p> })}
            <div class="field">
                <label for="e-new">{t!(i18n, profile.new_email)}</label>
                <input id="e-new" type="email" autocomplete="email" bind:value=email />
                <p class="field-error">{field("new_email")}</p>
            </div>
            <div class="field">
                <label for="e-pw">{t!(i18n, profile.current_password)}</label>
                <input id="e-pw" type="password" autocomplete="current-password" bind:value=password />
                <p class="field-error">{field("password")}</p>
            </div>
            <button type="submit" class="btn" disabled=move || change.pending().get()>{t!(i18n, profile.email_title)}</button>
        </form>
    }
}

/// Current and new password.
#[component]
fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let change = Action::new_local(|c: &PasswordChange| api::account::change_password(c.clone()));
    let error = Memo::new(move |_| change.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            current.set(String::new());
            new.set(String::new());
        }
    });
    let field = move |f: &'static str| move || error.get().and_then(|e| e.field(f));
    view! {
        <form class="card form" novalidate on:submit=move |ev: SubmitEvent| {
            ev.prevent_default();
            change.dispatch(PasswordChange { current_password: current.get_untracked(), new_password: new.get_untracked() });
        }>
            <h2>{t!(i18n, profile.password_title)}</h2>
            {move || error.get().filter(|e| e.field("current_password").is_none() && e.field("new_password").is_none()).map(|e| view! { <p class="form-error" role="alert">{err_text(&e, i18n)}</p> })}
            {move || matches!(change.value().get(), Some(Ok(_))).then(|| view! { <p class="notice" role="status">{t!(i18n, profile.password_changed)}</p> })}
            <div class="field">
                <label for="pw-cur">{t!(i18n, profile.current_password)}</label>
                <input id="pw-cur" type="password" autocomplete="current-password" bind:value=current />
                <p class="field-error">{field("current_password")}</p>
            </div>
            <div class="field">
                <label for="pw-new">{t!(i18n, profile.new_password)}</label>
                <input id="pw-new" type="password" autocomplete="new-password" bind:value=new />
                <p class="field-error">{field("new_password")}</p>
            </div>
            <button type="submit" class="btn" disabled=move || change.pending().get()>{t!(i18n, profile.password_title)}</button>
        </form>
    }
}
