//! The outbox tab: counts per state as filters, how delivery works (a mail
//! server, or captured: nothing leaves the machine), the backlog's age and
//! the last delivery error, then the messages newest first; one opens to
//! show what it said, a failed one can be retried.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use patron_core::messaging::{MessageStatus, OutboxMessage};

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::pager::Pager;
use crate::components::skeleton::Skeleton;
use crate::format::{date_time, number};
use crate::i18n::*;
use crate::labels::sentence;
use crate::state::session::Session;

const PAGE: i64 = 50;

/// A message state as the outbox says it.
fn status_label(i18n: I18nContext<Locale>, s: MessageStatus) -> String {
    match s {
        MessageStatus::Queued => t_string!(i18n, msg.queued),
        MessageStatus::Sent => t_string!(i18n, msg.sent),
        MessageStatus::Captured => t_string!(i18n, msg.captured),
        MessageStatus::Failed => t_string!(i18n, msg.failed),
        MessageStatus::Skipped => t_string!(i18n, msg.skipped),
    }
    .to_string()
}

/// The outbox tab.
#[component]
pub fn Outbox() -> impl IntoView {
    let i18n = use_i18n();
    let tz = Session::expect().time_zone();
    let l = move || i18n.get_locale();
    let status = RwSignal::new(None::<MessageStatus>);
    let page_no = RwSignal::new(0_i64);
    let open = RwSignal::new(None::<i64>);
    let page = LocalResource::new(move || {
        api::messaging::outbox(status.get(), page_no.get() * PAGE, PAGE)
    });
    let retried = RwSignal::new(0_u32);
    let detail = LocalResource::new(move || {
        retried.track();
        let id = open.get();
        async move {
            match id {
                Some(id) => Some(api::messaging::outbox_message(id).await),
                None => None,
            }
        }
    });
    let retry = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            let r = api::messaging::retry(id).await;
            retried.update(|n| *n += 1);
            page.refetch();
            r
        }
    });
    let tz2 = tz.clone();
    view! {
        <Suspense fallback=|| view! { <Skeleton lines=8 /> }>
            {move || {
                let tz = tz.clone();
                Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let c = p.counts.clone();
                        let filters = [
                            (None, c.queued + c.sent + c.captured + c.failed + c.skipped),
                            (Some(MessageStatus::Queued), c.queued),
                            (Some(MessageStatus::Sent), c.sent),
                            (Some(MessageStatus::Captured), c.captured),
                            (Some(MessageStatus::Failed), c.failed),
                            (Some(MessageStatus::Skipped), c.skipped),
                        ];
                        let captured = p.delivery == "captured";
                        let (oldest, tz_b) = (p.oldest_queued_at, tz.clone());
                        let (err, err_at, tz_e) = (p.last_error.clone(), p.last_error_at, tz.clone());
                        let pages = ((p.total + PAGE - 1) / PAGE).max(1);
                        view! {
                            <div class="card outbox-summary" data-testid="outbox-summary">
                                <p data-testid="delivery-mode">{move || if captured {
                                    t_string!(i18n, msg.delivery_captured).to_string()
                                } else {
                                    t_string!(i18n, msg.delivery_smtp).to_string()
                                }}</p>
                                {oldest.map(|at| view! {
                                    <p data-testid="backlog">{move || t_string!(i18n, msg.backlog).to_string()
                                        .replace("{n}", &number(l(), c.queued))
                                        .replace("{since}", &date_time(l(), at, &tz_b))}</p>
                                })}
                                {err.map(|e| view! {
                                    <p class="form-error" role="alert" data-testid="last-error">
                                        {move || t_string!(i18n, msg.last_error).to_string()
                                            .replace("{at}", &err_at.map(|a| date_time(l(), a, &tz_e)).unwrap_or_default())}
                                        " " <code>{e.clone()}</code>
                                    </p>
                                })}
                            </div>
                            <div class="tabs" role="group" aria-label=move || t_string!(i18n, msg.filter).to_string()>
                                {filters.into_iter().map(|(s, n)| view! {
                                    <button type="button" class="tab" data-testid=format!("outbox-filter-{}", s.map(|s| s.as_str()).unwrap_or("all"))
                                        aria-pressed=move || (status.get() == s).to_string()
                                        on:click=move |_| { status.set(s); page_no.set(0); open.set(None); }>
                                        {move || s.map(|s| status_label(i18n, s)).unwrap_or_else(|| t_string!(i18n, msg.all).to_string())}
                                        " " <span class="count">{move || number(l(), n)}</span>
                                    </button>
                                }).collect_view()}
                            </div>
                            {p.items.is_empty().then(|| view! { <p class="muted" data-testid="outbox-empty">{t!(i18n, msg.empty)}</p> })}
                            <div class="card table-card"><div class="table-scroll"><table class="table" data-testid="outbox-table">
                                <thead><tr><th scope="col">{t!(i18n, msg.queued_at)}</th><th scope="col">{t!(i18n, msg.to)}</th>
                                    <th scope="col">{t!(i18n, msg.subject)}</th><th scope="col">{t!(i18n, msg.status)}</th>
                                    <th scope="col">{t!(i18n, msg.note)}</th></tr></thead>
                                <tbody>{p.items.into_iter().map(|m| row(i18n, m, tz.clone(), open)).collect_view()}</tbody>
                            </table></div></div>
                            <Pager page=page_no pages=pages total=p.total on_page=Callback::new(move |n| page_no.set(n)) />
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e on_retry=move || page.refetch() /> }.into_any(),
                }
            })}}
        </Suspense>
        {move || {
            let tz = tz2.clone();
            detail.get().flatten().map(|d| match d {
                Ok(d) => {
                    let m = d.message;
                    let (id, failed) = (m.id, m.status == MessageStatus::Failed);
                    view! {
                        <section class="card outbox-detail" data-testid="outbox-detail" aria-live="polite">
                            <h2>{m.subject.clone().unwrap_or_else(|| t_string!(i18n, msg.not_rendered).to_string())}</h2>
                            <p class="muted">{m.to.clone()} " · " {move || status_label(i18n, m.status)} " · "
                                {move || date_time(l(), m.created_at, &tz)}</p>
                            {d.text.map(|t| view! { <pre class="message-text" data-testid="outbox-text">{t}</pre> })}
                            {failed.then(|| view! {
                                <button type="button" class="btn" data-testid="outbox-retry"
                                    on:click=move |_| { retry.dispatch(id); }>{t!(i18n, msg.retry)}</button>
                            })}
                            {move || retry.value().get().and_then(Result::err).map(|e| view! {
                                <p class="form-error" role="alert">{sentence(i18n, &e.to_string())}</p>
                            })}
                        </section>
                    }.into_any()
                }
                Err(e) => view! { <ErrorPanel error=e on_retry=move || detail.refetch() /> }.into_any(),
            })
        }}
    }
}

/// One message as a table row; its subject opens it.
fn row(
    i18n: I18nContext<Locale>,
    m: OutboxMessage,
    tz: String,
    open: RwSignal<Option<i64>>,
) -> impl IntoView {
    let l = move || i18n.get_locale();
    let id = m.id;
    let status = m.status;
    view! {
        <tr data-testid="outbox-row">
            <td>{move || date_time(l(), m.created_at, &tz)}</td>
            <td>{m.member_name.clone()} <br /> <span class="muted">{m.to.clone()}</span></td>
            <td><button type="button" class="link-button" on:click=move |_| open.set(Some(id))>
                {m.subject.clone().unwrap_or_else(|| m.template.as_str().replace('_', " "))}</button></td>
            <td><span class="badge" data-testid="outbox-status">{move || status_label(i18n, status)}</span></td>
            <td>{m.last_error.map(|e| sentence(i18n, &e))}</td>
        </tr>
    }
}
