//! One row of the queue list: how it is drawn, and how it follows a
//! change made to its ticket.

use std::collections::BTreeMap;

use leptos::prelude::*;
use patron_core::support::{QueueItem, StaffTicket};

use crate::i18n::*;
use crate::labels;
use crate::routes::support_ticket_href;

/// Height of a queue row in px (the virtual list needs it fixed).
pub const ROW_HEIGHT: f64 = 64.0;

fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Copies what a ticket now is into its queue row.
pub(super) fn refresh_row(row: &mut QueueItem, t: &StaffTicket) {
    row.status = t.ticket.summary.status;
    row.priority = t.priority;
    row.assignee = t.assignee.clone();
    row.labels = t.labels.clone();
    row.version = t.version;
    row.sla_state = t.sla.state;
    row.sla_due_at = t.sla.due_at;
    row.updated_at = t.ticket.summary.updated_at;
}

/// Draws the queue row of `row` (the cursor and selection are live).
pub(super) fn queue_row(
    row: QueueItem,
    i18n: leptos_i18n::I18nContext<Locale>,
    rows: RwSignal<Vec<QueueItem>>,
    cursor: RwSignal<Option<usize>>,
    selected: RwSignal<BTreeMap<i64, i64>>,
    tz: &str,
) -> impl IntoView {
    let id = row.id;
    let version = row.version;
    let now = now_secs();
    let age = labels::duration(i18n, now - row.created_at.timestamp());
    let active = t_string!(i18n, desk.active_ago).to_string().replace(
        "{t}",
        &labels::duration(i18n, now - row.updated_at.timestamp()),
    );
    let sla_text = labels::sla_clock(i18n, row.sla_state, row.sla_due_at, now, "—");
    let index = rows
        .with_untracked(|r| r.iter().position(|x| x.id == id))
        .unwrap_or(0);
    let is_cursor = move || cursor.get() == Some(index);
    let checked = move || selected.with(|s| s.contains_key(&id));
    let assignee = row
        .assignee
        .as_ref()
        .map(|a| a.name.clone())
        .unwrap_or_else(|| t_string!(i18n, desk.unassigned).to_string());
    let mut hint = format!("{} · {}", row.reference, labels::kind(i18n, row.kind));
    if let Some(s) = row.score {
        hint.push_str(&format!(" · {s}"));
    }
    hint.push_str(&format!(" · {}", row.member_name));
    if let Some(t) = &row.tier {
        hint.push_str(&format!(" · {t}"));
    }
    if !row.labels.is_empty() {
        hint.push_str(&format!(" · {}", row.labels.join(", ")));
    }
    hint.push_str(&format!(" · {active}"));
    let sla_class = format!("badge sla sla-{}", row.sla_state.as_str());
    let priority_class = format!("badge priority priority-{}", row.priority.as_str());
    let _ = &tz;
    view! {
        <div class="queue-row" aria-current=move || is_cursor().then_some("true") data-testid="queue-row" data-id=id>
            <input
                type="checkbox"
                aria-label=format!("{} {}", t_string!(i18n, desk.select), row.reference)
                prop:checked=checked
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    selected.update(|s| {
                        if on {
                            s.insert(id, version);
                        } else {
                            s.remove(&id);
                        }
                    });
                }
            />
            <div class="queue-main">
                <a href=support_ticket_href(id) class="queue-subject">{row.subject.clone()}</a>
                // One text node: a row is drawn many times while scrolling.
                <span class="hint">{hint}</span>
            </div>
            <span class="badge status" data-testid="row-status">{labels::status(i18n, row.status)}</span>
            <span class=priority_class>{labels::priority(i18n, row.priority)}</span>
            <span class="assignee" data-testid="row-assignee">{assignee}</span>
            <span class="age" title=t_string!(i18n, desk.age).to_string()>{age}</span>
            <span class=sla_class data-testid="row-sla">{sla_text}</span>
        </div>
    }
}
