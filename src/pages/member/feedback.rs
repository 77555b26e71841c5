//! `/feedback`: NPS, order rating, complaint, suggestion.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use patron_core::feedback::{FeedbackKind, FeedbackRequest, COMPLAINT_CATEGORIES};

use crate::api::{self, ApiError};
use crate::i18n::*;
use crate::routes::Route;

/// One form whose fields follow the chosen kind; errors beside the fields;
/// what was typed stays on any error; a reference number on success.
#[component]
pub fn FeedbackPage() -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(FeedbackKind::Nps);
    let score = RwSignal::new(None::<i64>);
    let order = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let resolution = RwSignal::new(String::new());
    let orders = LocalResource::new(api::feedback::orders);

    let submit = Action::new_local(|r: &FeedbackRequest| api::feedback::submit(r.clone()));
    let error = Memo::new(move |_| submit.value().get().and_then(|r| r.err()));
    let field = move |f: &'static str| move || error.get().and_then(|e| e.field(f));
    Effect::new(move |_| {
        if let Some(Ok(_)) = submit.value().get() {
            score.set(None);
            message.set(String::new());
            resolution.set(String::new());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let opt = |s: String| Some(s).filter(|s| !s.trim().is_empty());
        submit.dispatch(FeedbackRequest {
            kind: kind.get_untracked(),
            score: score.get_untracked(),
            category: opt(category.get_untracked()),
            order_ref: opt(order.get_untracked()),
            message: opt(message.get_untracked()),
            desired_resolution: opt(resolution.get_untracked()),
        });
    };
    let kinds = [
        (FeedbackKind::Nps, "nps"),
        (FeedbackKind::Csat, "csat"),
        (FeedbackKind::Complaint, "complaint"),
        (FeedbackKind::Suggestion, "suggestion"),
    ];
    let kind_label = move |k: FeedbackKind| match k {
        FeedbackKind::Nps => t_string!(i18n, feedback.nps).to_string(),
        FeedbackKind::Csat => t_string!(i18n, feedback.csat).to_string(),
        FeedbackKind::Complaint => t_string!(i18n, feedback.complaint).to_string(),
        FeedbackKind::Suggestion => t_string!(i18n, feedback.suggestion).to_string(),
    };
    let cat_label = move |c: &str| match c {
        "points" => t_string!(i18n, feedback.cat_points).to_string(),
        "order" => t_string!(i18n, feedback.cat_order).to_string(),
        "reward" => t_string!(i18n, feedback.cat_reward).to_string(),
        "service" => t_string!(i18n, feedback.cat_service).to_string(),
        _ => t_string!(i18n, feedback.cat_other).to_string(),
    };
    let order_select = move |required: bool| {
        view! {
            <div class="field">
                <label for="f-order">
                    {t!(i18n, feedback.order)}
                    {(!required).then(|| view! { " (" {t!(i18n, common.optional)} ")" })}
                </label>
                <select id="f-order" prop:value=move || order.get() on:change=move |ev| order.set(event_target_value(&ev)) aria-describedby="f-order-err">
                    <option value="">{t!(i18n, feedback.choose_order)}</option>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            orders.await.unwrap_or_default().into_iter().map(|o| {
                                let label = format!("{} · {}", o.order_ref, o.purchased_at.format("%Y-%m-%d"));
                                view! { <option value=o.order_ref.clone()>{label}</option> }
                            }).collect_view()
                        })}
                    </Suspense>
                </select>
                <p id="f-order-err" class="field-error">{field("order_ref")}</p>
            </div>
        }
    };
    let scale = move |from: i64, to: i64, name: &'static str| {
        view! {
            <div class="scale" role="radiogroup" aria-describedby="f-score-err">
                {(from..=to).map(|n| view! {
                    <label class="scale-option">
                        <input type="radio" name=name value=n.to_string()
                            prop:checked=move || score.get() == Some(n)
                            on:change=move |_| score.set(Some(n)) />
                        <span>{n}</span>
                    </label>
                }).collect_view()}
            </div>
            <p id="f-score-err" class="field-error">{field("score")}</p>
        }
    };
    view! {
        <div class="page feedback">
            <h1>{t!(i18n, feedback.title)}</h1>
            {move || match submit.value().get() {
                Some(Ok(receipt)) => {
                    let reference = receipt.reference.clone();
                    Some(view! {
                        <p class="notice" role="status" data-testid="feedback-thanks">
                            {t!(i18n, feedback.thanks, reference = move || reference.clone())}
                            " " <A href=Route::Tickets.href()>{t!(i18n, feedback.see_tickets)}</A>
                        </p>
                    }.into_any())
                }
                Some(Err(e)) => {
                    let msg = match &e {
                        ApiError::Validation { .. } => t_string!(i18n, feedback.fix).to_string(),
                        ApiError::Network { .. } => format!("{} {}", t_string!(i18n, errors.network_title), t_string!(i18n, errors.network_body)),
                        other => other.message().to_string(),
                    };
                    Some(view! { <p class="form-error" role="alert">{msg}</p> }.into_any())
                }
                None => None,
            }}
            <form class="card form" novalidate on:submit=on_submit data-testid="feedback-form">
                <fieldset>
                    <legend>{t!(i18n, feedback.kind)}</legend>
                    <div class="kind-choice">
                        {kinds.iter().map(|(k, v)| {
                            let k = *k;
                            view! {
                                <label class="check">
                                    <input type="radio" name="kind" value=*v
                                        prop:checked=move || kind.get() == k
                                        on:change=move |_| { kind.set(k); score.set(None); submit.value().set(None); } />
                                    {move || kind_label(k)}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                {move || match kind.get() {
                    FeedbackKind::Nps => view! {
                        <fieldset>
                            <legend>{t!(i18n, feedback.nps_question)}</legend>
                            {scale(0, 10, "nps")}
                            <p class="hint scale-ends"><span>{t!(i18n, feedback.not_likely)}</span><span>{t!(i18n, feedback.very_likely)}</span></p>
                        </fieldset>
                        <div class="field">
                            <label for="f-msg">{t!(i18n, feedback.comment)}" (" {t!(i18n, common.optional)} ")"</label>
                            <textarea id="f-msg" rows="3" bind:value=message></textarea>
                            <p class="field-error">{field("message")}</p>
                        </div>
                    }.into_any(),
                    FeedbackKind::Csat => view! {
                        {order_select(true)}
                        <fieldset>
                            <legend>{t!(i18n, feedback.rating)}</legend>
                            {scale(1, 5, "csat")}
                        </fieldset>
                        <div class="field">
                            <label for="f-msg">{t!(i18n, feedback.comment)}" (" {t!(i18n, common.optional)} ")"</label>
                            <textarea id="f-msg" rows="3" bind:value=message></textarea>
                            <p class="field-error">{field("message")}</p>
                        </div>
                    }.into_any(),
                    FeedbackKind::Complaint => view! {
                        <div class="field">
                            <label for="f-cat">{t!(i18n, feedback.category)}</label>
                            <select id="f-cat" prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev)) aria-describedby="f-cat-err">
                                <option value="">{t!(i18n, feedback.choose)}</option>
                                {COMPLAINT_CATEGORIES.iter().map(|c| view! { <option value=*c>{move || cat_label(c)}</option> }).collect_view()}
                            </select>
                            <p id="f-cat-err" class="field-error">{field("category")}</p>
                        </div>
                        {order_select(false)}
                        <div class="field">
                            <label for="f-msg">{t!(i18n, feedback.description)}</label>
                            <textarea id="f-msg" rows="5" bind:value=message aria-describedby="f-msg-err"></textarea>
                            <p id="f-msg-err" class="field-error">{field("message")}</p>
                        </div>
                        <div class="field">
                            <label for="f-res">{t!(i18n, feedback.resolution)}</label>
                            <textarea id="f-res" rows="2" bind:value=resolution aria-describedby="f-res-err"></textarea>
                            <p id="f-res-err" class="field-error">{field("desired_resolution")}</p>
                        </div>
                    }.into_any(),
                    FeedbackKind::Suggestion => view! {
                        <div class="field">
                            <label for="f-msg">{t!(i18n, feedback.idea)}</label>
                            <textarea id="f-msg" rows="5" bind:value=message aria-describedby="f-msg-err"></textarea>
                            <p id="f-msg-err" class="field-error">{field("message")}</p>
                        </div>
                    }.into_any(),
                }}
                <button type="submit" class="btn btn-primary" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { t_string!(i18n, common.sending).to_string() } else { t_string!(i18n, common.send).to_string() }}
                </button>
            </form>
        </div>
    }
}
