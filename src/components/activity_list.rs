//! Recent ledger entries.

use leptos::prelude::*;
use patron_core::summary::{EntryKind, LedgerEntry, LotState};

use crate::format::{date, number};
use crate::i18n::*;
use crate::labels::sentence;
use leptos_i18n::I18nContext;

fn kind_label(i18n: I18nContext<Locale>, kind: EntryKind) -> String {
    match kind {
        EntryKind::Earn => t_string!(i18n, activity.earn).to_string(),
        EntryKind::Spend => t_string!(i18n, activity.spend).to_string(),
        EntryKind::Adjust => t_string!(i18n, activity.adjust).to_string(),
        EntryKind::Expire => t_string!(i18n, activity.expire).to_string(),
        EntryKind::Reverse => t_string!(i18n, activity.reverse).to_string(),
    }
}

/// One entry: what happened, why, when, and how many points.
#[component]
pub fn ActivityRow(
    /// The entry.
    entry: LedgerEntry,
    /// IANA zone for dates.
    time_zone: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let e = entry;
    let reason = e.reason.clone();
    let tz = time_zone.clone();
    let tz2 = time_zone;
    let sign = if e.points > 0 { "+" } else { "" };
    let class = if e.points > 0 {
        "points positive"
    } else {
        "points negative"
    };
    let note = match (e.state, e.available_at, e.expires_at) {
        (Some(LotState::Pending), Some(a), _) => {
            let d = move || date(i18n.get_locale(), a, &tz2);
            Some(view! { {t!(i18n, activity.pending_until, date = d)} }.into_any())
        }
        (Some(LotState::Active), _, Some(x)) => {
            let d = move || date(i18n.get_locale(), x, &tz2);
            Some(view! { {t!(i18n, activity.expires_on, date = d)} }.into_any())
        }
        _ => None,
    };
    view! {
        <div class="activity-row">
            <span class="activity-kind">{move || kind_label(i18n, e.kind)}</span>
            <span class="activity-reason">{move || sentence(i18n, &reason)}</span>
            <time class="activity-date" datetime=e.created_at.to_rfc3339()>
                {move || date(i18n.get_locale(), e.created_at, &tz)}
            </time>
            <span class=class>{move || format!("{sign}{}", number(i18n.get_locale(), e.points))}</span>
            <span class="activity-note">{note}
                {e.actor.clone().map(|a| view! { <span class="activity-actor">{move || t_string!(i18n, activity.by).to_string().replace("{name}", &a)}</span> })}
            </span>
        </div>
    }
}

/// Newest first: what happened, why, when, and how many points.
#[component]
pub fn ActivityList(
    /// Entries, newest first.
    entries: Vec<LedgerEntry>,
    /// IANA zone for dates.
    time_zone: String,
) -> impl IntoView {
    let i18n = use_i18n();
    if entries.is_empty() {
        return view! { <p class="empty" data-testid="activity-empty">{t!(i18n, activity.empty)}</p> }
            .into_any();
    }
    let rows = entries
        .into_iter()
        .map(|e| view! { <ActivityRow entry=e time_zone=time_zone.clone() /> })
        .collect::<Vec<_>>();
    view! {
        <ol class="activity-list" data-testid="activity-list">
            {rows.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
        </ol>
    }
    .into_any()
}
