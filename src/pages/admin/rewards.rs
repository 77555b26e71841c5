//! `/admin/rewards`: the catalogue (create, edit, archive; code pools) and
//! redemptions (mark used, or cancel to refund the points).

use leptos::prelude::*;
use patron_core::admin::{AdminRedemption, AdminReward, CodeSource, RewardDraft, RewardType};

use crate::api::{self, ApiError};
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::field_error::FieldError;
use crate::components::skeleton::Skeleton;
use crate::components::toast::Toasts;
use crate::components::unsaved::guard_unsaved;
use crate::format::{date, number};
use crate::i18n::*;
use crate::pages::admin::nav::AdminHeader;
use crate::state::session::Session;

/// The rewards page.
#[component]
pub fn AdminRewardsPage() -> impl IntoView {
    let i18n = use_i18n();
    let rewards = LocalResource::new(api::admin::rewards);
    let editing = RwSignal::new(None::<(Option<i64>, RewardDraft, RewardDraft)>);
    let filter_reward = RwSignal::new(None::<i64>);
    let filter_status = RwSignal::new(String::new());
    let redemptions = LocalResource::new(move || {
        let (r, s) = (filter_reward.get(), filter_status.get());
        api::admin::redemptions(r, (!s.is_empty()).then_some(s))
    });
    let l = move || i18n.get_locale();
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, nav.admin_rewards).to_string()) />
            <section class="card" aria-labelledby="catalogue-h">
                <h2 id="catalogue-h">{t!(i18n, admin.catalogue)}</h2>
                <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
                    {move || Suspend::new(async move {
                        match rewards.await {
                            Ok(list) => view! {
                                <div class="table-scroll"><table class="table" data-testid="rewards-table">
                                    <thead><tr><th scope="col">{t!(i18n, admin.reward)}</th><th scope="col">{t!(i18n, admin.reward_type)}</th>
                                        <th scope="col" class="num">{t!(i18n, admin.cost)}</th><th scope="col" class="num">{t!(i18n, admin.stock)}</th>
                                        <th scope="col" class="num">{t!(i18n, admin.redeemed)}</th><th scope="col"></th>
                                        <th scope="col"><span class="visually-hidden">{t!(i18n, admin.actions)}</span></th></tr></thead>
                                    <tbody>{list.into_iter().map(|r: AdminReward| {
                                        let d = r.draft.clone();
                                        let id = r.id;
                                        let (cost, redeemed) = (d.cost_points, r.redeemed);
                                        let stock = match (d.code_source, r.codes_left, d.stock) {
                                            (CodeSource::Pool, Some(n), _) => t_string!(i18n, admin.codes_left).to_string().replace("{n}", &n.to_string()),
                                            (_, _, Some(s)) => s.to_string(),
                                            _ => "∞".into(),
                                        };
                                        let kind = d.reward_type;
                                        let archived = d.archived;
                                        let name = d.name.clone();
                                        let segment = r.segment_name.clone();
                                        view! {
                                            <tr class:inactive=archived>
                                                <td>{name}{segment.map(|g| view! { " " <span class="tag" data-testid="reward-segment-tag">{t!(i18n, admin.offered_to)}": "{g}</span> })}</td>
                                                <td>{move || type_label(i18n, kind)}</td>
                                                <td class="num">{move || number(l(), cost)}</td>
                                                <td class="num">{stock}</td>
                                                <td class="num">{move || number(l(), redeemed)}</td>
                                                <td>{archived.then(|| view! { <span class="tag">{t!(i18n, admin.archived)}</span> })}</td>
                                                <td class="row-actions">
                                                    <button type="button" class="btn btn-small" on:click=move |_| editing.set(Some((Some(id), d.clone(), d.clone())))>{t!(i18n, admin.edit)}</button>
                                                    <button type="button" class="btn btn-small" on:click=move |_| filter_reward.set(Some(id))>{t!(i18n, admin.redemptions)}</button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}</tbody>
                                </table></div>
                                <button type="button" class="btn" data-testid="new-reward" on:click=move |_| editing.set(Some((None, blank(), blank())))>{t!(i18n, admin.new_reward)}</button>
                            }.into_any(),
                            Err(e) => view! { <ErrorPanel error=e on_retry=move || rewards.refetch() /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            {move || editing.get().map(|(id, d, _)| view! { <RewardEditor id=id draft=d editing=editing on_saved=move || rewards.refetch() /> })}
            <section class="card" aria-labelledby="red-h">
                <h2 id="red-h">{t!(i18n, admin.redemptions)}</h2>
                <div class="field-row">
                    <label class="field"><span>{t!(i18n, admin.status)}</span>
                        <select prop:value=move || filter_status.get() on:change=move |ev| filter_status.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, admin.any)}</option>
                            <option value="issued">{t!(i18n, admin.st_issued)}</option>
                            <option value="used">{t!(i18n, admin.st_used)}</option>
                            <option value="expired">{t!(i18n, admin.st_expired)}</option>
                            <option value="cancelled">{t!(i18n, admin.st_cancelled)}</option>
                        </select></label>
                    {move || filter_reward.get().map(|_| view! {
                        <button type="button" class="btn btn-small" on:click=move |_| filter_reward.set(None)>{t!(i18n, admin.all_rewards)}</button>
                    })}
                </div>
                <Suspense fallback=|| view! { <Skeleton lines=4 /> }>
                    {move || Suspend::new(async move {
                        match redemptions.await {
                            Ok(list) => view! { <RedemptionTable list=list on_changed=move || { redemptions.refetch(); rewards.refetch(); } /> }.into_any(),
                            Err(e) => view! { <ErrorPanel error=e on_retry=move || redemptions.refetch() /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </div>
    }
}

fn type_label(i18n: leptos_i18n::I18nContext<Locale>, t: RewardType) -> String {
    match t {
        RewardType::DiscountPercent => t_string!(i18n, admin.type_percent),
        RewardType::DiscountAmount => t_string!(i18n, admin.type_amount),
        RewardType::FreeShipping => t_string!(i18n, admin.type_shipping),
        RewardType::Gift => t_string!(i18n, admin.type_gift),
        RewardType::Custom => t_string!(i18n, admin.type_custom),
    }
    .to_string()
}

fn blank() -> RewardDraft {
    RewardDraft {
        name: String::new(),
        description: String::new(),
        reward_type: RewardType::Gift,
        value: None,
        cost_points: 1_000,
        stock: None,
        per_member_limit: None,
        visible_from: None,
        visible_until: None,
        valid_from: None,
        valid_until: None,
        min_tier_id: None,
        segment_id: None,
        code_source: CodeSource::Generated,
        new_codes: Vec::new(),
        image_url: None,
        archived: false,
    }
}

#[component]
fn RewardEditor(
    id: Option<i64>,
    draft: RewardDraft,
    editing: RwSignal<Option<(Option<i64>, RewardDraft, RewardDraft)>>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let d = RwSignal::new(draft.clone());
    let original = draft;
    let codes = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let dirty = Signal::derive({
        let o = original.clone();
        move || d.get() != o || !codes.get().trim().is_empty()
    });
    guard_unsaved(
        dirty,
        Signal::derive(move || t_string!(i18n, admin.unsaved).to_string()),
    );
    let tiers = LocalResource::new(api::member::tiers);
    let segments = LocalResource::new(api::segments::list);
    let save = Action::new_local(move |x: &RewardDraft| {
        let x = x.clone();
        async move { api::admin::save_reward(id, x).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            toasts.show(t_string!(i18n, admin.reward_saved).to_string());
            editing.set(None);
            on_saved.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let current = move || {
        let mut x = d.get_untracked();
        x.new_codes = codes
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        x
    };
    let field = move |f: &'static str| {
        Signal::derive(move || {
            tried
                .get()
                .then(|| {
                    d.with(|x| {
                        x.problems()
                            .into_iter()
                            .find(|p| p.0 == f)
                            .map(|p| p.1.to_string())
                    })
                })
                .flatten()
                .or_else(|| error.with(|e| e.as_ref().and_then(|e| e.field(f))))
        })
    };
    let opt_num = |v: String| v.trim().parse::<i64>().ok();
    let day = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    let tz = Session::expect().time_zone();
    let parse_day = move |v: String, end: bool| {
        chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d")
            .ok()
            .map(|d| {
                let z = patron_core::time::zone(&tz);
                if end {
                    patron_core::time::end_of_day(d, z)
                } else {
                    patron_core::time::start_of_day(d, z)
                }
            })
    };
    let date_input = move |label: &'static str,
                           get: fn(&RewardDraft) -> Option<chrono::DateTime<chrono::Utc>>,
                           set: fn(&mut RewardDraft, Option<chrono::DateTime<chrono::Utc>>),
                           end: bool,
                           err: &'static str| {
        let parse_day = parse_day.clone();
        view! {
            <label class="field"><span>{move || match label {
                "visible_from" => t_string!(i18n, admin.visible_from), "visible_until" => t_string!(i18n, admin.visible_until),
                "valid_from" => t_string!(i18n, admin.valid_from), _ => t_string!(i18n, admin.valid_until),
            }}</span>
                <input type="date" value=d.with_untracked(|x| day(get(x)))
                    on:change=move |ev| { let v = parse_day(event_target_value(&ev), end); d.update(|x| set(x, v)) } />
                <FieldError message=field(err) />
            </label>
        }
    };
    view! {
        <form class="card form" aria-labelledby="reward-edit-h" data-testid="reward-editor" novalidate on:submit=move |ev| {
            ev.prevent_default();
            tried.set(true);
            let x = current();
            if x.problems().is_empty() { save.dispatch(x); }
        }>
            <h2 id="reward-edit-h">{if id.is_some() { t!(i18n, admin.edit_reward).into_any() } else { t!(i18n, admin.new_reward).into_any() }}</h2>
            <div class="field-row">
                <label class="field grow"><span>{t!(i18n, admin.reward_name)}</span>
                    <input type="text" maxlength="80" data-testid="reward-name" prop:value=move || d.with(|x| x.name.clone())
                        on:input=move |ev| d.update(|x| x.name = event_target_value(&ev)) />
                    <FieldError message=field("name") /></label>
                <label class="field"><span>{t!(i18n, admin.reward_type)}</span>
                    <select prop:value=move || d.with(|x| serde_json::to_value(x.reward_type).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())
                        on:change=move |ev| { let v: Option<RewardType> = serde_json::from_value(serde_json::Value::String(event_target_value(&ev))).ok(); if let Some(v) = v { d.update(|x| x.reward_type = v) } }>
                        {[RewardType::DiscountPercent, RewardType::DiscountAmount, RewardType::FreeShipping, RewardType::Gift, RewardType::Custom].into_iter().map(|t| {
                            let v = serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
                            view! { <option value=v>{move || type_label(i18n, t)}</option> }
                        }).collect_view()}
                    </select></label>
                {move || matches!(d.with(|x| x.reward_type), RewardType::DiscountPercent | RewardType::DiscountAmount).then(|| view! {
                    <label class="field"><span>{move || if d.with(|x| x.reward_type) == RewardType::DiscountPercent { t_string!(i18n, admin.value_percent) } else { t_string!(i18n, admin.value_amount) }}</span>
                        <input type="number" min="1" class="narrow" prop:value=move || d.with(|x| x.value.map(|v| v.to_string()).unwrap_or_default())
                            on:input=move |ev| d.update(|x| x.value = opt_num(event_target_value(&ev))) />
                        <FieldError message=field("value") /></label>
                })}
            </div>
            <label class="field"><span>{t!(i18n, admin.description)}</span>
                <textarea rows="2" prop:value=move || d.with(|x| x.description.clone()) on:input=move |ev| d.update(|x| x.description = event_target_value(&ev))></textarea>
                <FieldError message=field("description") /></label>
            <div class="field-row">
                <label class="field"><span>{t!(i18n, admin.cost)}</span>
                    <input type="number" min="1" data-testid="reward-cost" prop:value=move || d.with(|x| x.cost_points.to_string())
                        on:input=move |ev| d.update(|x| x.cost_points = event_target_value(&ev).parse().unwrap_or(0)) />
                    <FieldError message=field("cost_points") /></label>
                <label class="field"><span>{t!(i18n, admin.stock)}" "<small class="muted">{t!(i18n, admin.blank_unlimited)}</small></span>
                    <input type="number" min="0" prop:value=move || d.with(|x| x.stock.map(|v| v.to_string()).unwrap_or_default())
                        on:input=move |ev| d.update(|x| x.stock = opt_num(event_target_value(&ev))) />
                    <FieldError message=field("stock") /></label>
                <label class="field"><span>{t!(i18n, admin.per_member)}" "<small class="muted">{t!(i18n, admin.blank_unlimited)}</small></span>
                    <input type="number" min="1" prop:value=move || d.with(|x| x.per_member_limit.map(|v| v.to_string()).unwrap_or_default())
                        on:input=move |ev| d.update(|x| x.per_member_limit = opt_num(event_target_value(&ev))) />
                    <FieldError message=field("per_member_limit") /></label>
                <label class="field"><span>{t!(i18n, admin.min_tier)}</span>
                    <select prop:value=move || d.with(|x| x.min_tier_id.map(|v| v.to_string()).unwrap_or_default())
                        on:change=move |ev| d.update(|x| x.min_tier_id = event_target_value(&ev).parse().ok())>
                        <option value="">{t!(i18n, admin.any)}</option>
                        {move || tiers.get().and_then(Result::ok).map(|l| l.tiers.into_iter().map(|t| view! {
                            <option value=t.tier.id.to_string() selected=d.with_untracked(|x| x.min_tier_id == Some(t.tier.id))>{t.tier.name}</option>
                        }).collect_view())}
                    </select></label>
                <label class="field"><span>{t!(i18n, admin.offered_to)}</span>
                    <select data-testid="reward-segment" prop:value=move || d.with(|x| x.segment_id.map(|v| v.to_string()).unwrap_or_default())
                        on:change=move |ev| d.update(|x| x.segment_id = event_target_value(&ev).parse().ok())>
                        <option value="">{t!(i18n, admin.everyone)}</option>
                        {move || segments.get().and_then(Result::ok).map(|l| l.into_iter().map(|g| view! {
                            <option value=g.id.to_string() selected=d.with_untracked(|x| x.segment_id == Some(g.id))>{g.name}</option>
                        }).collect_view())}
                    </select>
                    <FieldError message=field("segment_id") /></label>
            </div>
            <div class="field-row">
                {date_input("visible_from", |x| x.visible_from, |x, v| x.visible_from = v, false, "visible_from")}
                {date_input("visible_until", |x| x.visible_until, |x, v| x.visible_until = v, true, "visible_until")}
                {date_input("valid_from", |x| x.valid_from, |x, v| x.valid_from = v, false, "valid_from")}
                {date_input("valid_until", |x| x.valid_until, |x, v| x.valid_until = v, true, "valid_until")}
            </div>
            <div class="field-row">
                <label class="field"><span>{t!(i18n, admin.codes)}</span>
                    <select prop:value=move || if d.with(|x| x.code_source) == CodeSource::Pool { "pool" } else { "generated" }
                        on:change=move |ev| d.update(|x| x.code_source = if event_target_value(&ev) == "pool" { CodeSource::Pool } else { CodeSource::Generated })>
                        <option value="generated">{t!(i18n, admin.codes_generated)}</option>
                        <option value="pool">{t!(i18n, admin.codes_pool)}</option>
                    </select></label>
                <label class="field grow"><span>{t!(i18n, admin.image_url)}</span>
                    <input type="url" prop:value=move || d.with(|x| x.image_url.clone().unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); d.update(|x| x.image_url = (!v.is_empty()).then(|| v.clone())) } />
                    <FieldError message=field("image_url") /></label>
            </div>
            {move || (d.with(|x| x.code_source) == CodeSource::Pool).then(|| view! {
                <label class="field"><span>{t!(i18n, admin.add_codes)}</span>
                    <textarea rows="3" data-testid="reward-codes" prop:value=move || codes.get() on:input=move |ev| codes.set(event_target_value(&ev))></textarea>
                    <FieldError message=field("new_codes") /></label>
            })}
            <label class="check"><input type="checkbox" prop:checked=move || d.with(|x| x.archived) on:change=move |ev| d.update(|x| x.archived = event_target_checked(&ev)) />
                {t!(i18n, admin.archive_hint)}</label>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> })}
            <div class="actions">
                <button class="btn btn-primary" type="submit" data-testid="reward-save" disabled=move || save.pending().get()>{t!(i18n, common.save)}</button>
                <button class="btn" type="button" on:click=move |_| editing.set(None)>{t!(i18n, admin.cancel)}</button>
            </div>
        </form>
    }
}

#[component]
fn RedemptionTable(
    list: Vec<AdminRedemption>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let tz = Session::expect().time_zone();
    let error = RwSignal::new(None::<ApiError>);
    let change = Action::new_local(|(id, s): &(i64, &'static str)| {
        let (id, s) = (*id, *s);
        async move { (s, api::admin::set_redemption_status(id, s).await) }
    });
    Effect::new(move |_| match change.value().get() {
        Some((s, Ok(()))) => {
            toasts.show(
                if s == "cancelled" {
                    t_string!(i18n, admin.cancelled_refunded)
                } else {
                    t_string!(i18n, admin.marked_used)
                }
                .to_string(),
            );
            error.set(None);
            on_changed.run(());
        }
        Some((_, Err(e))) => error.set(Some(e)),
        None => {}
    });
    let l = move || i18n.get_locale();
    if list.is_empty() {
        return view! { <p class="empty">{t!(i18n, admin.no_redemptions)}</p> }.into_any();
    }
    view! {
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> })}
        <div class="table-scroll"><table class="table" data-testid="redemptions-table">
            <thead><tr><th scope="col">{t!(i18n, admin.date)}</th><th scope="col">{t!(i18n, admin.member)}</th><th scope="col">{t!(i18n, admin.reward)}</th>
                <th scope="col">{t!(i18n, admin.code)}</th><th scope="col" class="num">{t!(i18n, admin.points)}</th><th scope="col">{t!(i18n, admin.status)}</th>
                <th scope="col"><span class="visually-hidden">{t!(i18n, admin.actions)}</span></th></tr></thead>
            <tbody>{list.into_iter().map(|r| {
                let (id, at, pts, tz) = (r.id, r.created_at, r.cost_points, tz.clone());
                let issued = r.status == "issued";
                view! {
                    <tr>
                        <td>{move || date(l(), at, &tz)}</td>
                        <td><a href=crate::routes::admin_member_href(r.member_id)>{r.member_name.clone()}</a></td>
                        <td>{r.reward.clone()}</td>
                        <td><code>{r.code.clone()}</code></td>
                        <td class="num">{move || number(l(), pts)}</td>
                        <td>{r.status.clone()}</td>
                        <td class="row-actions">{issued.then(|| view! {
                            <button type="button" class="btn btn-small" on:click=move |_| { change.dispatch((id, "used")); }>{t!(i18n, admin.mark_used)}</button>
                            <button type="button" class="btn btn-small" on:click=move |_| {
                                let ok = web_sys::window().and_then(|w| w.confirm_with_message(t_string!(i18n, admin.confirm_cancel)).ok()).unwrap_or(false);
                                if ok { change.dispatch((id, "cancelled")); }
                            }>{t!(i18n, admin.cancel_refund)}</button>
                        })}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div>
    }.into_any()
}
