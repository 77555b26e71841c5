//! `/admin/members/:id`: one member's record — what they see, ledger,
//! purchases, redemptions, tickets, tier history — with adjustments,
//! blocking and tier locks.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use patron_core::admin::{AdjustmentRequest, BlockRequest, MemberProfileAdmin, TierLockRequest};
use patron_core::analytics::MemberScores;

use crate::api::{self, ApiError};
use crate::components::activity_list::ActivityList;
use crate::components::balance_card::BalanceCard;
use crate::components::error_panel::{error_text, ErrorPanel};
use crate::components::field_error::FieldError;
use crate::components::skeleton::Skeleton;
use crate::components::tier_progress::TierProgressCard;
use crate::components::toast::Toasts;
use crate::components::unsaved::guard_unsaved;
use crate::format::{date, date_time, money_minor, number};
use crate::i18n::*;
use crate::labels::{churn_reason, rfm_segment, sentence};
use crate::pages::admin::nav::AdminHeader;
use crate::routes::{support_ticket_href, Route};
use crate::state::session::Session;

/// The member record page.
#[component]
pub fn AdminMemberPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let profile = LocalResource::new(move || api::admin::member(id()));
    view! {
        <div class="page admin-page">
            <AdminHeader title=Signal::derive(move || t_string!(i18n, admin.member_record).to_string()) />
            <p><a href=Route::AdminMembers.href()>{t!(i18n, admin.back_to_members)}</a></p>
            <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(p) => view! { <Record profile=p on_changed=move || profile.refetch() /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || profile.refetch() /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Ledger,
    Purchases,
    Redemptions,
    Tickets,
    TierHistory,
}

#[component]
fn Record(profile: MemberProfileAdmin, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let tz = Session::expect().time_zone();
    let l = move || i18n.get_locale();
    let id = profile.summary.member_id;
    let p = profile.clone();
    let tab = RwSignal::new(Tab::Ledger);
    let currency = p.summary.currency.clone();
    let tab_button = move |t: Tab,
                           label: fn(leptos_i18n::I18nContext<Locale>) -> String,
                           testid: &'static str| {
        view! {
            <button type="button" role="tab" class="tab" data-testid=testid
                aria-selected=move || (tab.get() == t).to_string() on:click=move |_| tab.set(t)>{move || label(i18n)}</button>
        }
    };
    let tz_l = tz.clone();
    let tab_body = move || {
        let tz = tz_l.clone();
        let currency = currency.clone();
        match tab.get() {
            Tab::Ledger => view! { <ActivityList entries=p.ledger.clone() time_zone=tz /> }.into_any(),
            Tab::Purchases => view! {
                <table class="table" data-testid="member-purchases">
                    <thead><tr><th scope="col">{t!(i18n, admin.order)}</th><th scope="col">{t!(i18n, admin.date)}</th>
                        <th scope="col">{t!(i18n, admin.category)}</th><th scope="col" class="num">{t!(i18n, admin.amount)}</th>
                        <th scope="col" class="num">{t!(i18n, admin.returned)}</th><th scope="col" class="num">{t!(i18n, admin.points)}</th></tr></thead>
                    <tbody>{p.purchases.iter().map(|x| {
                        let (a, r, pts, at) = (x.amount_minor, x.returned_minor, x.points, x.purchased_at);
                        let (c1, c2, tz) = (currency.clone(), currency.clone(), tz.clone());
                        view! { <tr><td>{x.order_ref.clone()}</td><td>{move || date(l(), at, &tz)}</td><td>{x.category.clone()}</td>
                            <td class="num">{move || money_minor(l(), a, &c1)}</td><td class="num">{move || money_minor(l(), r, &c2)}</td>
                            <td class="num">{move || number(l(), pts)}</td></tr> }
                    }).collect_view()}</tbody>
                </table>
            }.into_any(),
            Tab::Redemptions => view! {
                <table class="table">
                    <thead><tr><th scope="col">{t!(i18n, admin.reward)}</th><th scope="col">{t!(i18n, admin.code)}</th>
                        <th scope="col">{t!(i18n, admin.status)}</th><th scope="col" class="num">{t!(i18n, admin.points)}</th><th scope="col">{t!(i18n, admin.date)}</th></tr></thead>
                    <tbody>{p.redemptions.iter().map(|x| {
                        let (pts, at, tz) = (x.cost_points, x.created_at, tz.clone());
                        view! { <tr><td>{x.reward.clone()}</td><td><code>{x.code.clone()}</code></td><td>{x.status.clone()}</td>
                            <td class="num">{move || number(l(), pts)}</td><td>{move || date(l(), at, &tz)}</td></tr> }
                    }).collect_view()}</tbody>
                </table>
            }.into_any(),
            Tab::Tickets => view! {
                <ul class="plain-list">{p.tickets.iter().map(|x| {
                    let (at, tz) = (x.created_at, tz.clone());
                    view! { <li><a href=support_ticket_href(x.id)>{format!("{} · {}", x.reference, x.subject)}</a>" "
                        <span class="muted">{format!("{} · {} · ", x.kind, x.status)}{move || date(l(), at, &tz)}</span></li> }
                }).collect_view()}</ul>
            }.into_any(),
            Tab::TierHistory => view! {
                <table class="table" data-testid="tier-history">
                    <thead><tr><th scope="col">{t!(i18n, admin.date)}</th><th scope="col">{t!(i18n, admin.change)}</th><th scope="col">{t!(i18n, admin.reason)}</th></tr></thead>
                    <tbody>{p.tier_history.iter().map(|h| {
                        let (at, tz) = (h.at, tz.clone());
                        view! { <tr><td>{move || date_time(l(), at, &tz)}</td>
                            <td>{format!("{} → {}", h.from.clone().unwrap_or_else(|| "—".into()), h.to)}</td><td>{let r = h.reason.clone(); move || sentence(i18n, &r)}</td></tr> }
                    }).collect_view()}</tbody>
                </table>
            }.into_any(),
        }
    };
    let joined = profile.joined_at;
    let tz_j = tz.clone();
    view! {
        <section class="card member-head" aria-labelledby="member-h">
            <h2 id="member-h" data-testid="member-name">{profile.summary.name.clone()}</h2>
            <p class="muted">{format!("{} · {} · {} · {}, {} · {}", profile.summary.card_number, profile.email, profile.age_band, profile.city, profile.region, "")}
                {move || t_string!(i18n, admin.joined_on).to_string().replace("{date}", &date(l(), joined, &tz_j))}</p>
            {profile.blocked.then(|| view! {
                <p class="notice notice-warn" data-testid="blocked-notice">{t_string!(i18n, admin.blocked_notice).to_string()
                    .replace("{reason}", profile.block_reason.as_deref().unwrap_or(""))}</p>
            })}
            {profile.lock.clone().map(|lock| {
                let tz = tz.clone();
                view! {
                    <p class="notice" data-testid="lock-notice">{move || {
                        let until = lock.until.map(|u| date(l(), u, &tz)).unwrap_or_else(|| t_string!(i18n, admin.until_removed).to_string());
                        t_string!(i18n, admin.lock_notice).to_string()
                            .replace("{tier}", &lock.tier).replace("{reason}", &lock.reason)
                            .replace("{by}", lock.by.as_deref().unwrap_or("")).replace("{until}", &until)
                    }}</p>
                }
            })}
        </section>
        <div class="grid-2">
            <BalanceCard balance=profile.summary.balance.clone() />
            <TierProgressCard progress=profile.summary.tier.clone() time_zone=profile.summary.time_zone.clone() />
        </div>
        <ScoresCard scores=profile.scores.clone() currency=profile.summary.currency.clone() time_zone=tz.clone() />
        <div class="grid-3">
            <AdjustForm member_id=id blocked=profile.blocked on_done=on_changed />
            <BlockForm member_id=id blocked=profile.blocked on_done=on_changed />
            <LockForm member_id=id locked=profile.lock.is_some() on_done=on_changed />
        </div>
        <section class="card" aria-labelledby="tabs-h">
            <h2 id="tabs-h" class="visually-hidden">{t!(i18n, admin.member_activity)}</h2>
            <div role="tablist" class="tabs">
                {tab_button(Tab::Ledger, |i| t_string!(i, admin.tab_ledger).to_string(), "tab-ledger")}
                {tab_button(Tab::Purchases, |i| t_string!(i, admin.tab_purchases).to_string(), "tab-purchases")}
                {tab_button(Tab::Redemptions, |i| t_string!(i, admin.tab_redemptions).to_string(), "tab-redemptions")}
                {tab_button(Tab::Tickets, |i| t_string!(i, admin.tab_tickets).to_string(), "tab-tickets")}
                {tab_button(Tab::TierHistory, |i| t_string!(i, admin.tab_tiers).to_string(), "tab-tier-history")}
            </div>
            <div role="tabpanel" class="table-scroll" data-testid="member-tabpanel">{tab_body}</div>
        </section>
    }
}

/// The member's RFM scores and churn risk with its reasons.
#[component]
fn ScoresCard(scores: Option<MemberScores>, currency: String, time_zone: String) -> impl IntoView {
    let i18n = use_i18n();
    let l = move || i18n.get_locale();
    let body = match scores {
        None => view! { <p class="muted">{t!(i18n, member_scores.none)}</p> }.into_any(),
        Some(sc) => {
            let (r, f, m, seg) = (sc.r, sc.f, sc.m, sc.segment);
            let (freq, spend, window) = (sc.frequency, sc.monetary_minor, sc.window_days);
            let cur = currency.clone();
            let reasons = sc.reasons.clone();
            let computed = chrono::DateTime::from_timestamp(sc.computed_at, 0);
            view! {
                <dl class="score-facts">
                    <div><dt>{t!(i18n, seg.part_r)}</dt><dd data-testid="score-r">{r}</dd></div>
                    <div><dt>{t!(i18n, seg.part_f)}</dt><dd data-testid="score-f">{f}</dd></div>
                    <div><dt>{t!(i18n, seg.part_m)}</dt><dd data-testid="score-m">{m}</dd></div>
                    <div><dt>{t!(i18n, rfm.segment)}</dt><dd data-testid="score-segment">{move || rfm_segment(i18n, seg)}</dd></div>
                    <div><dt>{t!(i18n, rfm.churn_score)}</dt><dd data-testid="churn-score">
                        {sc.churn_score.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}
                        {sc.at_risk.then(|| view! { <span class="tag tag-danger">{t!(i18n, rfm.at_risk)}</span> })}</dd></div>
                </dl>
                <p class="hint">{move || t_string!(i18n, member_scores.window).to_string()
                    .replace("{days}", &number(l(), window))
                    .replace("{n}", &number(l(), freq))
                    .replace("{spend}", &money_minor(l(), spend, &cur))}</p>
                {(!reasons.is_empty()).then(|| {
                    let cur = currency.clone();
                    view! {
                        <h3>{t!(i18n, risk.reasons)}</h3>
                        <ul class="reasons" data-testid="churn-reasons">{move || reasons.iter().map(|(pts, r)| view! {
                            <li>{churn_reason(i18n, r, Some(&cur))}" "<span class="muted">{t_string!(i18n, member_scores.points).to_string().replace("{n}", &pts.to_string())}</span></li>
                        }).collect_view()}</ul>
                    }
                })}
                <p class="hint">{move || computed.map(|d| t_string!(i18n, member_scores.computed).to_string().replace("{time}", &date_time(l(), d, &time_zone))).unwrap_or_default()}</p>
            }
            .into_any()
        }
    };
    view! {
        <section class="card" aria-labelledby="scores-h" data-testid="member-scores">
            <h2 id="scores-h">{t!(i18n, member_scores.title)}</h2>
            {body}
        </section>
    }
}

#[component]
fn AdjustForm(member_id: i64, blocked: bool, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let points = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    // One key per intent: a retry after a network error reuses it, so the
    // server makes one entry however often the button is pressed.
    let key = RwSignal::new(api::client::new_idempotency_key());
    let error = RwSignal::new(None::<ApiError>);
    let dirty = Signal::derive(move || !points.get().is_empty() || !reason.get().is_empty());
    guard_unsaved(
        dirty,
        Signal::derive(move || t_string!(i18n, admin.unsaved).to_string()),
    );
    let send = Action::new_local(move |(req, k): &(AdjustmentRequest, String)| {
        let (req, k) = (req.clone(), k.clone());
        async move { api::admin::adjust(member_id, req, k).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(r)) => {
            toasts.show(
                t_string!(i18n, admin.adjusted)
                    .to_string()
                    .replace("{points}", &format!("{:+}", r.points))
                    .replace("{balance}", &r.balance.to_string()),
            );
            points.set(String::new());
            reason.set(String::new());
            error.set(None);
            key.set(api::client::new_idempotency_key());
            on_done.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let field = move |f: &'static str| {
        Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field(f))))
    };
    view! {
        <form class="card form" aria-labelledby="adjust-h" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let p: i64 = points.get_untracked().trim().parse().unwrap_or(0);
            send.dispatch((AdjustmentRequest { points: p, reason: reason.get_untracked() }, key.get_untracked()));
        }>
            <h2 id="adjust-h">{t!(i18n, admin.adjust_points)}</h2>
            <label class="field"><span>{t!(i18n, admin.points_change)}</span>
                <input type="number" step="1" data-testid="adjust-points" disabled=blocked
                    aria-invalid=move || field("points").get().is_some().to_string()
                    prop:value=move || points.get() on:input=move |ev| { points.set(event_target_value(&ev)); key.set(api::client::new_idempotency_key()); } />
                <FieldError message=field("points") />
            </label>
            <label class="field"><span>{t!(i18n, admin.reason)}</span>
                <input type="text" maxlength="200" data-testid="adjust-reason" disabled=blocked
                    aria-invalid=move || field("reason").get().is_some().to_string()
                    prop:value=move || reason.get() on:input=move |ev| { reason.set(event_target_value(&ev)); key.set(api::client::new_idempotency_key()); } />
                <FieldError message=field("reason") />
            </label>
            {move || error.get().filter(|e| !matches!(e, ApiError::Validation { fields, .. } if !fields.is_empty()))
                .map(|e| view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> })}
            <button class="btn btn-primary" type="submit" data-testid="adjust-submit" disabled=move || blocked || send.pending().get()>
                {t!(i18n, admin.adjust)}</button>
        </form>
    }
}

#[component]
fn BlockForm(member_id: i64, blocked: bool, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let send = Action::new_local(move |req: &BlockRequest| {
        let req = req.clone();
        async move { api::admin::block(member_id, req).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(p)) => {
            toasts.show(
                if p.blocked {
                    t_string!(i18n, admin.blocked_done)
                } else {
                    t_string!(i18n, admin.unblocked_done)
                }
                .to_string(),
            );
            on_done.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let field = Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field("reason"))));
    view! {
        <form class="card form" aria-labelledby="block-h" novalidate on:submit=move |ev| {
            ev.prevent_default();
            send.dispatch(BlockRequest { blocked: !blocked, reason: reason.get_untracked() });
        }>
            <h2 id="block-h">{if blocked { t!(i18n, admin.unblock_member).into_any() } else { t!(i18n, admin.block_member).into_any() }}</h2>
            <p class="hint">{t!(i18n, admin.block_hint)}</p>
            <label class="field"><span>{t!(i18n, admin.reason)}</span>
                <input type="text" maxlength="200" data-testid="block-reason" prop:value=move || reason.get()
                    aria-invalid=move || field.get().is_some().to_string()
                    on:input=move |ev| reason.set(event_target_value(&ev)) />
                <FieldError message=field />
            </label>
            <button class="btn" class:btn-danger=!blocked type="submit" data-testid="block-submit" disabled=move || send.pending().get()>
                {if blocked { t!(i18n, admin.unblock).into_any() } else { t!(i18n, admin.block).into_any() }}</button>
        </form>
    }
}

#[component]
fn LockForm(member_id: i64, locked: bool, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = Toasts::expect();
    let tiers = LocalResource::new(api::member::tiers);
    let tier = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let send = Action::new_local(move |req: &TierLockRequest| {
        let req = req.clone();
        async move { api::admin::tier_lock(member_id, req).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            toasts.show(t_string!(i18n, admin.lock_saved).to_string());
            on_done.run(());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let field = move |f: &'static str| {
        Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field(f))))
    };
    let tz = Session::expect().time_zone();
    view! {
        <form class="card form" aria-labelledby="lock-h" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let until = chrono::NaiveDate::parse_from_str(&until.get_untracked(), "%Y-%m-%d").ok()
                .map(|d| patron_core::time::end_of_day(d, patron_core::time::zone(&tz)));
            send.dispatch(TierLockRequest { tier_id: tier.get_untracked().parse().ok(), reason: reason.get_untracked(), until });
        }>
            <h2 id="lock-h">{t!(i18n, admin.tier_lock)}</h2>
            <label class="field"><span>{t!(i18n, admin.lock_to)}</span>
                <select data-testid="lock-tier" prop:value=move || tier.get() on:change=move |ev| tier.set(event_target_value(&ev))>
                    <option value="">{if locked { t!(i18n, admin.remove_lock).into_any() } else { t!(i18n, admin.choose_tier).into_any() }}</option>
                    {move || tiers.get().and_then(Result::ok).map(|l| l.tiers.into_iter().map(|t| view! {
                        <option value=t.tier.id.to_string()>{t.tier.name}</option>
                    }).collect_view())}
                </select>
                <FieldError message=field("tier_id") />
            </label>
            <label class="field"><span>{t!(i18n, admin.lock_until)}" "<small class="muted">{t!(i18n, common.optional)}</small></span>
                <input type="date" prop:value=move || until.get() on:change=move |ev| until.set(event_target_value(&ev)) />
                <FieldError message=field("until") />
            </label>
            <label class="field"><span>{t!(i18n, admin.reason)}</span>
                <input type="text" maxlength="200" data-testid="lock-reason" prop:value=move || reason.get()
                    aria-invalid=move || field("reason").get().is_some().to_string()
                    on:input=move |ev| reason.set(event_target_value(&ev)) />
                <FieldError message=field("reason") />
            </label>
            <button class="btn" type="submit" disabled=move || send.pending().get() || (!locked && tier.get().is_empty())>
                {move || if tier.get().is_empty() && locked { t_string!(i18n, admin.remove_lock) } else { t_string!(i18n, admin.lock) }}</button>
        </form>
    }
}
