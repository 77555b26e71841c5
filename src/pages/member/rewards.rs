//! `/rewards`: the catalogue and redeeming.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use patron_core::rewards::{Availability, RedeemRequest, Reward};

use crate::api;
use crate::components::dialog::Dialog;
use crate::components::error_panel::error_text;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::Skeleton;
use crate::format::{date, number};
use crate::i18n::*;
use crate::routes::Route;
use crate::state::session::Session;

/// Catalogue filters (affordable, category, sort) live in the URL.
#[component]
pub fn RewardsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let query = use_query_map();
    let navigate = use_navigate();
    let params = Memo::new(move |_| {
        let q = query.get();
        (
            q.get("affordable").is_some_and(|v| v == "true"),
            q.get("category").unwrap_or_default(),
            q.get("sort").unwrap_or_default(),
        )
    });
    let qs = move |(affordable, category, sort): (bool, String, String)| {
        let mut parts = Vec::new();
        if affordable {
            parts.push("affordable=true".to_string());
        }
        if !category.is_empty() {
            parts.push(format!("category={category}"));
        }
        if !sort.is_empty() {
            parts.push(format!("sort={sort}"));
        }
        parts.join("&")
    };
    let list = LocalResource::new(move || api::member::rewards(qs(params.get())));
    let go = move |p: (bool, String, String)| {
        let q = qs(p);
        let to = if q.is_empty() {
            Route::Rewards.href()
        } else {
            format!("{}?{q}", Route::Rewards.path())
        };
        navigate(
            &to,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    };
    let (go_a, go_c, go_s) = (go.clone(), go.clone(), go);

    // One redemption intent: the reward, its key (kept until it settles and
    // reused on retry), the request.
    let selected = RwSignal::new(None::<(Reward, i64)>);
    let key = RwSignal::new(None::<String>);
    let redeem = Action::new_local(|(req, key): &(RedeemRequest, String)| {
        api::member::redeem(req.clone(), key.clone())
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = redeem.value().get() {
            key.set(None);
            list.refetch();
        }
    });
    let open = move |r: Reward, available: i64| {
        redeem.value().set(None);
        key.set(Some(crate::api::client::new_idempotency_key()));
        selected.set(Some((r, available)));
    };
    let close = move || {
        if !redeem.pending().get_untracked() {
            selected.set(None);
            key.set(None);
            redeem.value().set(None);
        }
    };
    let confirm = move || {
        if let (Some((r, _)), Some(k)) = (selected.get_untracked(), key.get_untracked()) {
            redeem.dispatch((RedeemRequest { reward_id: r.id }, k));
        }
    };

    let card = move |r: Reward, available: i64| {
        let l = move || i18n.get_locale();
        let cost = r.cost_points;
        let why = match r.availability {
            Availability::Available => None,
            Availability::TierLocked => {
                let tier = r
                    .min_tier
                    .as_ref()
                    .map(|t| t.name.clone())
                    .unwrap_or_default();
                Some(
                    view! { {t!(i18n, rewards.why_tier_locked, tier = move || tier.clone())} }
                        .into_any(),
                )
            }
            Availability::Unaffordable => {
                let missing = r.missing_points;
                Some(view! { {t!(i18n, rewards.why_unaffordable, points = move || number(l(), missing))} }.into_any())
            }
            Availability::OutOfStock => {
                Some(view! { {t!(i18n, rewards.why_out_of_stock)} }.into_any())
            }
            Availability::LimitReached => {
                Some(view! { {t!(i18n, rewards.why_limit_reached)} }.into_any())
            }
            Availability::NotYetValid => {
                Some(view! { {t!(i18n, rewards.why_not_yet_valid)} }.into_any())
            }
            Availability::Ended => Some(view! { {t!(i18n, rewards.why_ended)} }.into_any()),
            Availability::MemberBlocked => {
                Some(view! { {t!(i18n, rewards.why_member_blocked)} }.into_any())
            }
        };
        let locked = r.availability != Availability::Available;
        let stock = r.stock_left;
        let limit = r.per_member_limit;
        let until = r.valid_until;
        let tz = session.time_zone();
        let rr = r.clone();
        view! {
            <li class="card reward" class:locked=locked data-testid="reward">
                <h2 class="reward-name">{r.name.clone()}</h2>
                {r.personal.then(|| view! { <p class="badge badge-accent" data-testid="reward-personal">{t!(i18n, rewards.personal)}</p> })}
                <p class="hint">{r.description.clone()}</p>
                <p class="reward-cost">{t!(i18n, rewards.cost, points = move || number(l(), cost))}</p>
                <p class="hint">
                    {match stock {
                        Some(n) => view! { {t!(i18n, rewards.stock, count = move || number(l(), n))} }.into_any(),
                        None => view! { {t!(i18n, rewards.unlimited)} }.into_any(),
                    }}
                    {limit.map(|n| view! { " · " {t!(i18n, rewards.limit, count = move || n)} })}
                </p>
                {until.map(|u| view! { <p class="hint">{t!(i18n, rewards.until, date = move || date(l(), u, &tz))}</p> })}
                {why.map(|w| view! { <p class="reward-why" data-testid="reward-why">{w}</p> })}
                <button
                    type="button"
                    class="btn btn-primary"
                    disabled=locked
                    on:click=move |_| open(rr.clone(), available)
                >
                    {t!(i18n, rewards.redeem)}
                </button>
            </li>
        }
    };

    view! {
        <div class="page rewards">
            <h1>{t!(i18n, rewards.title)}</h1>
            <Transition fallback=|| view! { <Skeleton lines=6 /> }>
                {move || {
                    let (go_a, go_c, go_s) = (go_a.clone(), go_c.clone(), go_s.clone());
                    Suspend::new(async move {
                    match list.await {
                        Ok(rl) => {
                            let available = rl.available_points;
                            let categories = rl.categories.clone();
                            view! {
                                <p class="greeting" data-testid="rewards-available">
                                    {t!(i18n, rewards.available, points = move || number(i18n.get_locale(), available))}
                                </p>
                                <form class="filters card" on:submit=|ev| ev.prevent_default()>
                                    <label class="check">
                                        <input
                                            type="checkbox"
                                            prop:checked=move || params.get().0
                                            on:change=move |ev| {
                                                let (_, c, s) = params.get_untracked();
                                                go_a((event_target_checked(&ev), c, s));
                                            }
                                        />
                                        {t!(i18n, rewards.affordable)}
                                    </label>
                                    <label class="field">
                                        <span>{t!(i18n, rewards.category)}</span>
                                        <select
                                            prop:value=move || params.get().1
                                            on:change=move |ev| {
                                                let (a, _, s) = params.get_untracked();
                                                go_c((a, event_target_value(&ev), s));
                                            }
                                        >
                                            <option value="">{t!(i18n, rewards.all)}</option>
                                            {categories.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label class="field">
                                        <span>{t!(i18n, rewards.sort)}</span>
                                        <select
                                            prop:value=move || { let s = params.get().2; if s.is_empty() { "cost_asc".to_string() } else { s } }
                                            on:change=move |ev| {
                                                let (a, c, _) = params.get_untracked();
                                                go_s((a, c, event_target_value(&ev)));
                                            }
                                        >
                                            <option value="cost_asc">{t!(i18n, rewards.cost_asc)}</option>
                                            <option value="cost_desc">{t!(i18n, rewards.cost_desc)}</option>
                                        </select>
                                    </label>
                                </form>
                                {if rl.items.is_empty() {
                                    view! { <p class="empty card">{t!(i18n, rewards.empty)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="reward-grid">
                                            {rl.items.into_iter().map(|r| card(r, available)).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            }
                            .into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e on_retry=move || list.refetch() /> }.into_any(),
                    }
                })}}
            </Transition>
            <Dialog
                open=Signal::derive(move || selected.get().is_some())
                labelled_by="redeem-title"
                on_close=move || close()
                testid="redeem-dialog"
            >
                {move || selected.get().map(|(r, available)| {
                    let l = move || i18n.get_locale();
                    let name = r.name.clone();
                    let cost = r.cost_points;
                    let after = available - cost;
                    match redeem.value().get() {
                        Some(Ok(done)) => {
                            let code = done.redemption.code.clone();
                            view! {
                                <h2 id="redeem-title">{t!(i18n, rewards.done_title)}</h2>
                                <p data-testid="redeem-code">{t!(i18n, rewards.done_body, code = move || code.clone())}</p>
                                <div class="dialog-actions">
                                    <A href=Route::Wallet.href()>{t!(i18n, rewards.to_wallet)}</A>
                                    <button type="button" class="btn" on:click=move |_| close()>{t!(i18n, rewards.close)}</button>
                                </div>
                            }.into_any()
                        }
                        other => {
                            let error = other.and_then(|r| r.err());
                            view! {
                                <h2 id="redeem-title">{t!(i18n, rewards.confirm_title, name = move || name.clone())}</h2>
                                <p>{t!(i18n, rewards.confirm_body, cost = move || number(l(), cost), after = move || number(l(), after))}</p>
                                {error.map(|e| {
                                    let msg = error_text(i18n, &e);
                                    view! { <p class="form-error" role="alert" data-testid="redeem-error">{msg}</p> }
                                })}
                                <div class="dialog-actions">
                                    <button type="button" class="btn" on:click=move |_| close() disabled=move || redeem.pending().get()>
                                        {t!(i18n, rewards.cancel)}
                                    </button>
                                    <button
                                        type="button"
                                        class="btn btn-primary"
                                        autofocus
                                        disabled=move || redeem.pending().get()
                                        on:click=move |_| confirm()
                                    >
                                        {move || if redeem.pending().get() {
                                            t_string!(i18n, rewards.confirming).to_string()
                                        } else {
                                            t_string!(i18n, rewards.confirm).to_string()
                                        }}
                                    </button>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Dialog>
        </div>
    }
}
