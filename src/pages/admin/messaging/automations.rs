//! The automations tab: each automation with its switch, delay and last
//! 30 days (sent, opened by a person, clicked, unsubscribed, failed, not
//! sent); the sending rules; the holidays greeted with their next dates.
//! A refused change names its field and keeps what was typed.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use patron_core::messaging::{
    Automation, AutomationUpdate, AutomationsOverview, HolidayDraft, HolidayKind, MessagingSettings,
};

use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::field_error::FieldError;
use crate::components::skeleton::Skeleton;
use crate::format::number;
use crate::i18n::*;
use crate::labels::sentence;

use super::templates::key_label;

fn kind_label(i18n: I18nContext<Locale>, k: HolidayKind) -> String {
    match k {
        HolidayKind::Fixed => t_string!(i18n, msg.h_fixed),
        HolidayKind::SpringFestival => t_string!(i18n, msg.h_spring),
        HolidayKind::MidAutumn => t_string!(i18n, msg.h_autumn),
        HolidayKind::Date => t_string!(i18n, msg.h_date),
    }
    .to_string()
}

/// The automations tab.
#[component]
pub fn Automations() -> impl IntoView {
    let data = LocalResource::new(api::messaging::automations);
    view! {
        <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <Board overview=o /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e on_retry=move || data.refetch() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Board(overview: AutomationsOverview) -> impl IntoView {
    let i18n = use_i18n();
    let o = RwSignal::new(overview);
    let error = RwSignal::new(None::<ApiError>);
    let apply = move |r: Result<AutomationsOverview, ApiError>| match r {
        Ok(x) => {
            o.set(x);
            error.set(None);
        }
        Err(e) => error.set(Some(e)),
    };
    let update = Action::new_local(move |(a, u): &(Automation, AutomationUpdate)| {
        let (key, u) = (a.key, u.clone());
        async move { api::messaging::update_automation(key, u).await }
    });
    Effect::new(move || {
        if let Some(r) = update.value().get() {
            apply(r)
        }
    });
    view! {
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{sentence(i18n, e.message())}</p> })}
        <div class="card table-card"><div class="table-scroll"><table class="table" data-testid="automations-table">
            <thead><tr>
                <th scope="col">{t!(i18n, msg.automation)}</th><th scope="col">{t!(i18n, msg.on)}</th>
                <th scope="col">{t!(i18n, msg.delay_hours)}</th><th scope="col">{t!(i18n, msg.sent)}</th>
                <th scope="col">{t!(i18n, msg.opened)}</th><th scope="col">{t!(i18n, msg.clicked)}</th>
                <th scope="col">{t!(i18n, msg.unsubscribed)}</th><th scope="col">{t!(i18n, msg.failed)}</th>
                <th scope="col">{t!(i18n, msg.skipped)}</th>
            </tr></thead>
            <tbody>{move || o.get().automations.into_iter().map(|a| {
                let l = move || i18n.get_locale();
                let f = a.figures.clone();
                let rate = move |n: i64| if f.sent > 0 { format!("{} ({}%)", number(l(), n), n * 100 / f.sent) } else { number(l(), n) };
                let (a1, a2) = (a.clone(), a.clone());
                let name = key_label(i18n, a.key);
                view! {
                    <tr data-testid=format!("automation-{}", a.key.as_str())>
                        <th scope="row">{name.clone()}</th>
                        <td><input type="checkbox" aria-label=name.clone() prop:checked=a.enabled
                            on:change=move |ev| { update.dispatch((a1.clone(), AutomationUpdate { enabled: event_target_checked(&ev), delay_hours: a1.delay_hours })); } /></td>
                        <td><input type="number" min="0" max="720" class="narrow" aria-label=format!("{name} · {}", t_string!(i18n, msg.delay_hours))
                            prop:value=a.delay_hours.to_string()
                            on:change=move |ev| {
                                if let Ok(h) = event_target_value(&ev).parse() {
                                    update.dispatch((a2.clone(), AutomationUpdate { enabled: a2.enabled, delay_hours: h }));
                                }
                            } /></td>
                        <td>{number(l(), a.figures.sent)}</td>
                        <td data-testid="automation-opened">{rate(a.figures.opened)}</td>
                        <td>{rate(a.figures.clicked)}</td>
                        <td>{number(l(), a.figures.unsubscribed)}</td>
                        <td>{number(l(), a.figures.failed)}</td>
                        <td>{number(l(), a.figures.skipped)}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div></div>
        <Rules settings=o.get_untracked().settings on_saved=Callback::new(move |x| o.set(x)) />
        <Holidays o=o />
    }
}

#[component]
fn Rules(settings: MessagingSettings, on_saved: Callback<AutomationsOverview>) -> impl IntoView {
    let i18n = use_i18n();
    let cap = RwSignal::new(settings.frequency_cap.to_string());
    let start = RwSignal::new(settings.quiet_start.to_string());
    let end = RwSignal::new(settings.quiet_end.to_string());
    let days = RwSignal::new(
        settings
            .reminder_days
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    );
    let factor = RwSignal::new(settings.win_back_factor.to_string());
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let save = Action::new_local(move |_: &()| {
        let s = MessagingSettings {
            frequency_cap: cap.get_untracked().trim().parse().unwrap_or(-1),
            quiet_start: start.get_untracked().trim().parse().unwrap_or(99),
            quiet_end: end.get_untracked().trim().parse().unwrap_or(99),
            reminder_days: days
                .get_untracked()
                .split(',')
                .map(|d| d.trim().parse().unwrap_or(0))
                .collect(),
            win_back_factor: factor.get_untracked().trim().parse().unwrap_or(0),
        };
        async move { api::messaging::save_settings(s).await }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(o)) => {
            error.set(None);
            saved.set(true);
            on_saved.run(o);
        }
        Some(Err(e)) => {
            error.set(Some(e));
            saved.set(false);
        }
        None => {}
    });
    let field = move |n: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(n)));
    let input = move |label: String, value: RwSignal<String>, name: &'static str| {
        view! {
            <label class="field"><span>{label}</span>
                <input type="text" inputmode="numeric" data-testid=format!("rule-{name}") prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) /></label>
            <FieldError message=field(name) />
        }
    };
    view! {
        <form class="card form" novalidate data-testid="rules-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
            <h2>{t!(i18n, msg.rules)}</h2>
            {input(t_string!(i18n, msg.frequency_cap).to_string(), cap, "frequency_cap")}
            {input(t_string!(i18n, msg.quiet_start).to_string(), start, "quiet_start")}
            {input(t_string!(i18n, msg.quiet_end).to_string(), end, "quiet_end")}
            {input(t_string!(i18n, msg.reminder_days).to_string(), days, "reminder_days")}
            {input(t_string!(i18n, msg.win_back_factor).to_string(), factor, "win_back_factor")}
            {move || saved.get().then(|| view! { <p class="notice" role="status">{t!(i18n, common.saved)}</p> })}
            <button type="submit" class="btn btn-primary">{t!(i18n, msg.save_rules)}</button>
        </form>
    }
}

#[component]
fn Holidays(o: RwSignal<AutomationsOverview>) -> impl IntoView {
    let i18n = use_i18n();
    let (en, zh, kind, month, day, on) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(HolidayKind::Fixed),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<ApiError>);
    let add = Action::new_local(move |_: &()| {
        let h = HolidayDraft {
            name_en: en.get_untracked(),
            name_zh: zh.get_untracked(),
            kind: kind.get_untracked(),
            month: month.get_untracked().trim().parse().ok(),
            day: day.get_untracked().trim().parse().ok(),
            on_date: on.get_untracked().parse().ok(),
            enabled: true,
        };
        async move { api::messaging::add_holiday(h).await }
    });
    let remove = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            api::messaging::delete_holiday(id).await?;
            api::messaging::automations().await
        }
    });
    Effect::new(move || {
        for r in [add.value().get(), remove.value().get()]
            .into_iter()
            .flatten()
        {
            match r {
                Ok(x) => {
                    o.set(x);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let field = move |n: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(n)));
    let kinds = [
        HolidayKind::Fixed,
        HolidayKind::SpringFestival,
        HolidayKind::MidAutumn,
        HolidayKind::Date,
    ];
    view! {
        <section class="card" data-testid="holidays">
            <h2>{t!(i18n, msg.holidays)}</h2>
            <ul class="plain-list">{move || o.get().holidays.into_iter().map(|h| {
                let id = h.id;
                view! {
                    <li data-testid="holiday">
                        <strong>{h.draft.name_en.clone()}</strong> " / " {h.draft.name_zh.clone()} " · "
                        {kind_label(i18n, h.draft.kind)} " · "
                        {h.next.map(|d| d.to_string()).unwrap_or_else(|| "—".into())} " "
                        <button type="button" class="btn btn-small" on:click=move |_| { remove.dispatch(id); }>{t!(i18n, msg.remove)}</button>
                    </li>
                }
            }).collect_view()}</ul>
            <form class="form inline-form" novalidate data-testid="holiday-form" on:submit=move |ev| { ev.prevent_default(); add.dispatch(()); }>
                <label class="field"><span>{t!(i18n, msg.name_en)}</span><input type="text" prop:value=move || en.get() on:input=move |ev| en.set(event_target_value(&ev)) /></label>
                <FieldError message=field("name_en") />
                <label class="field"><span>{t!(i18n, msg.name_zh)}</span><input type="text" prop:value=move || zh.get() on:input=move |ev| zh.set(event_target_value(&ev)) /></label>
                <FieldError message=field("name_zh") />
                <label class="field"><span>{t!(i18n, msg.kind)}</span>
                    <select on:change=move |ev| { let i: usize = event_target_value(&ev).parse().unwrap_or(0); kind.set(kinds[i.min(3)]); }>
                        {kinds.into_iter().enumerate().map(|(i, k)| view! { <option value=i.to_string()>{kind_label(i18n, k)}</option> }).collect_view()}
                    </select></label>
                {move || match kind.get() {
                    HolidayKind::Fixed => view! {
                        <label class="field"><span>{t!(i18n, msg.month)}</span><input type="number" min="1" max="12" class="narrow" prop:value=move || month.get() on:input=move |ev| month.set(event_target_value(&ev)) /></label>
                        <label class="field"><span>{t!(i18n, msg.day)}</span><input type="number" min="1" max="31" class="narrow" prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev)) /></label>
                        <FieldError message=field("day") />
                    }.into_any(),
                    HolidayKind::Date => view! {
                        <label class="field"><span>{t!(i18n, msg.date)}</span><input type="date" prop:value=move || on.get() on:input=move |ev| on.set(event_target_value(&ev)) /></label>
                        <FieldError message=field("on_date") />
                    }.into_any(),
                    _ => ().into_any(),
                }}
                <button type="submit" class="btn">{t!(i18n, msg.add_holiday)}</button>
            </form>
        </section>
    }
}
