//! The templates tab: pick a template and a language, edit its subject,
//! text and HTML parts with the merge fields it may use listed beside, and
//! preview it for a member (rendered by the server exactly as it would be
//! sent). Saving checks the fields; a refusal names the part and the field,
//! and what was typed stays.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use patron_core::messaging::{MessageTemplate, RenderedMessage, TemplateKey, TemplateUpdate};

use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::field_error::FieldError;
use crate::components::skeleton::Skeleton;
use crate::i18n::*;
use crate::labels::sentence;

/// What a template is for, as the editor names it.
pub fn key_label(i18n: I18nContext<Locale>, k: TemplateKey) -> String {
    match k {
        TemplateKey::Welcome => t_string!(i18n, msg.t_welcome),
        TemplateKey::PointsExpiring => t_string!(i18n, msg.t_points_expiring),
        TemplateKey::TicketReply => t_string!(i18n, msg.t_ticket_reply),
        TemplateKey::Birthday => t_string!(i18n, msg.t_birthday),
        TemplateKey::Holiday => t_string!(i18n, msg.t_holiday),
        TemplateKey::TierUp => t_string!(i18n, msg.t_tier_up),
        TemplateKey::TierDown => t_string!(i18n, msg.t_tier_down),
        TemplateKey::WinBack => t_string!(i18n, msg.t_win_back),
        TemplateKey::Campaign => t_string!(i18n, msg.t_campaign),
    }
    .to_string()
}

/// The templates tab.
#[component]
pub fn Templates() -> impl IntoView {
    let list = LocalResource::new(api::messaging::templates);
    view! {
        <Suspense fallback=|| view! { <Skeleton lines=6 /> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(all) => view! { <Editor all=all /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e on_retry=move || list.refetch() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Editor(all: Vec<MessageTemplate>) -> impl IntoView {
    let i18n = use_i18n();
    let all = StoredValue::new(all);
    let chosen = RwSignal::new((TemplateKey::Welcome, "en".to_string()));
    let find = move |(k, l): &(TemplateKey, String)| {
        all.with_value(|a| a.iter().find(|t| t.key == *k && &t.language == l).cloned())
    };
    let first = find(&chosen.get_untracked());
    let subject = RwSignal::new(
        first
            .as_ref()
            .map(|t| t.subject.clone())
            .unwrap_or_default(),
    );
    let text = RwSignal::new(first.as_ref().map(|t| t.text.clone()).unwrap_or_default());
    let html = RwSignal::new(first.as_ref().map(|t| t.html.clone()).unwrap_or_default());
    let member = RwSignal::new(String::from("1"));
    let error = RwSignal::new(None::<ApiError>);
    let preview = RwSignal::new(None::<RenderedMessage>);
    let saved = RwSignal::new(false);
    let choose = move |c: (TemplateKey, String)| {
        if let Some(t) = find(&c) {
            subject.set(t.subject);
            text.set(t.text);
            html.set(t.html);
        }
        chosen.set(c);
        error.set(None);
        preview.set(None);
        saved.set(false);
    };
    let draft = move || TemplateUpdate {
        subject: subject.get_untracked(),
        text: text.get_untracked(),
        html: html.get_untracked(),
    };
    let run_preview = Action::new_local(move |_: &()| {
        let (k, l) = chosen.get_untracked();
        let (d, m) = (draft(), member.get_untracked());
        async move {
            let Ok(id) = m.trim().parse::<i64>() else {
                return Err(ApiError::Validation {
                    message: "Enter a member number.".into(),
                    fields: [(
                        "member_id".to_string(),
                        "Enter a member number.".to_string(),
                    )]
                    .into(),
                });
            };
            api::messaging::preview(k, l, id, d).await
        }
    });
    let save = Action::new_local(move |_: &()| {
        let (k, l) = chosen.get_untracked();
        let d = draft();
        async move { api::messaging::save_template(k, l, d).await }
    });
    Effect::new(move || match run_preview.value().get() {
        Some(Ok(r)) => {
            preview.set(Some(r));
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(t)) => {
            all.update_value(|a| {
                if let Some(x) = a
                    .iter_mut()
                    .find(|x| x.key == t.key && x.language == t.language)
                {
                    *x = t;
                }
            });
            error.set(None);
            saved.set(true);
        }
        Some(Err(e)) => {
            error.set(Some(e));
            saved.set(false);
        }
        None => {}
    });
    let field =
        move |name: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(name)));
    let options = TemplateKey::ALL
        .into_iter()
        .flat_map(|k| ["en", "zh"].map(move |l| (k, l)));
    view! {
        <div class="template-editor">
            <form class="card form" novalidate data-testid="template-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <label class="field"><span>{t!(i18n, msg.template)}</span>
                    <select data-testid="template-choice" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some((k, l)) = v.split_once(':') {
                            if let Some(k) = TemplateKey::parse(k) { choose((k, l.to_string())); }
                        }
                    }>
                        {options.map(|(k, l)| view! {
                            <option value=format!("{}:{l}", k.as_str())>{move || format!("{} · {}", key_label(i18n, k), if l == "zh" { "中文" } else { "English" })}</option>
                        }).collect_view()}
                    </select></label>
                <p class="muted" data-testid="template-fields">{t!(i18n, msg.fields)} " "
                    {move || find(&chosen.get()).map(|t| t.fields.into_iter().map(|f| view! { <code>{format!("{{{{ {f} }}}}")}</code> " " }).collect_view())}</p>
                <label class="field"><span>{t!(i18n, msg.subject)}</span>
                    <input type="text" data-testid="template-subject" aria-describedby="tpl-subject-err"
                        prop:value=move || subject.get() on:input=move |ev| subject.set(event_target_value(&ev)) /></label>
                <FieldError message=field("subject") id="tpl-subject-err" />
                <label class="field"><span>{t!(i18n, msg.text_part)}</span>
                    <textarea rows="8" data-testid="template-text" aria-describedby="tpl-text-err"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea></label>
                <FieldError message=field("text") id="tpl-text-err" />
                <label class="field"><span>{t!(i18n, msg.html_part)}</span>
                    <textarea rows="8" data-testid="template-html" aria-describedby="tpl-html-err"
                        prop:value=move || html.get() on:input=move |ev| html.set(event_target_value(&ev))></textarea></label>
                <FieldError message=field("html") id="tpl-html-err" />
                <label class="field"><span>{t!(i18n, msg.preview_member)}</span>
                    <input type="number" min="1" data-testid="template-member" aria-describedby="tpl-member-err"
                        prop:value=move || member.get() on:input=move |ev| member.set(event_target_value(&ev)) /></label>
                <FieldError message=field("member_id") id="tpl-member-err" />
                {move || error.get().filter(|e| ["subject", "text", "html", "member_id"].iter().all(|f| e.field(f).is_none()))
                    .map(|e| view! { <p class="form-error" role="alert">{sentence(i18n, e.message())}</p> })}
                {move || saved.get().then(|| view! { <p class="notice" role="status" data-testid="template-saved">{t!(i18n, common.saved)}</p> })}
                <div class="actions">
                    <button type="button" class="btn" data-testid="template-preview" on:click=move |_| { run_preview.dispatch(()); }>{t!(i18n, msg.preview)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="template-save">{t!(i18n, msg.save)}</button>
                </div>
            </form>
            {move || preview.get().map(|p| view! {
                <section class="card template-preview" data-testid="template-preview-pane" aria-live="polite">
                    <h2>{t!(i18n, msg.preview)}</h2>
                    <p data-testid="preview-subject"><strong>{p.subject}</strong></p>
                    <pre class="message-text" data-testid="preview-text">{p.text}</pre>
                    <iframe class="message-html" sandbox="" title=move || t_string!(i18n, msg.html_part).to_string() srcdoc=p.html></iframe>
                </section>
            })}
        </div>
    }
}
