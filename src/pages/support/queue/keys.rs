//! The queue's keyboard: j/k move, Enter opens, x selects, a assigns to
//! me, e resolves, / searches, ? shows the keys (in a dialog) — never while
//! typing in a field.

use std::collections::BTreeMap;

use leptos::ev;
use leptos::prelude::*;
use patron_core::feedback::TicketStatus;
use patron_core::support::{QueueItem, TicketUpdate};
use wasm_bindgen::JsCast;

use crate::components::dialog::Dialog;
use crate::i18n::*;

fn typing_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| {
            let tag = el.tag_name().to_ascii_uppercase();
            matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.has_attribute("contenteditable")
        })
        .unwrap_or(false)
}

/// Listens for the queue's keys on the window; remove the handle on cleanup.
#[allow(clippy::too_many_arguments)]
pub(super) fn queue_keys(
    rows: RwSignal<Vec<QueueItem>>,
    cursor: RwSignal<Option<usize>>,
    selected: RwSignal<BTreeMap<i64, i64>>,
    help_open: RwSignal<bool>,
    search_ref: NodeRef<leptos::html::Input>,
    open_row: impl Fn(i64) + 'static,
    me_id: impl Fn() -> Option<i64> + 'static,
    change_cursor_row: impl Fn(&dyn Fn(&QueueItem) -> TicketUpdate) + 'static,
) -> WindowListenerHandle {
    window_event_listener(ev::keydown, move |ev| {
        if ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
            || typing_in_a_field(&ev)
            || help_open.get_untracked()
        {
            return;
        }
        let len = rows.with_untracked(Vec::len);
        match ev.key().as_str() {
            "j" | "ArrowDown" if len > 0 => {
                ev.prevent_default();
                cursor.update(|c| *c = Some(c.map_or(0, |i| (i + 1).min(len - 1))));
            }
            "k" | "ArrowUp" if len > 0 => {
                ev.prevent_default();
                cursor.update(|c| *c = Some(c.map_or(0, |i| i.saturating_sub(1))));
            }
            "Enter" => {
                if let Some(row) = cursor
                    .get_untracked()
                    .and_then(|i| rows.with_untracked(|r| r.get(i).cloned()))
                {
                    ev.prevent_default();
                    open_row(row.id);
                }
            }
            "x" => {
                if let Some(row) = cursor
                    .get_untracked()
                    .and_then(|i| rows.with_untracked(|r| r.get(i).cloned()))
                {
                    selected.update(|s| {
                        if s.remove(&row.id).is_none() {
                            s.insert(row.id, row.version);
                        }
                    });
                }
            }
            "a" => {
                if let Some(me) = me_id() {
                    change_cursor_row(&|row| TicketUpdate {
                        version: row.version,
                        assignee_id: Some(Some(me)),
                        status: None,
                        priority: None,
                        labels: None,
                    });
                }
            }
            "e" => change_cursor_row(&|row| TicketUpdate {
                version: row.version,
                assignee_id: None,
                status: Some(TicketStatus::Resolved),
                priority: None,
                labels: None,
            }),
            "/" => {
                ev.prevent_default();
                if let Some(input) = search_ref.get_untracked() {
                    let _ = input.focus();
                }
            }
            "?" => help_open.set(true),
            _ => {}
        }
    })
}

/// The list of keys, opened with `?`.
pub(super) fn keys_help(help_open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Dialog open=help_open labelled_by="keys-title" on_close=move |_| help_open.set(false) testid="keys-help">
            <h2 id="keys-title">{t!(i18n, desk.keys_title)}</h2>
            <table class="table keys">
                <tbody>
                    <tr><td><kbd>"j"</kbd>" / "<kbd>"k"</kbd></td><td>{t!(i18n, desk.key_move)}</td></tr>
                    <tr><td><kbd>"Enter"</kbd></td><td>{t!(i18n, desk.key_open)}</td></tr>
                    <tr><td><kbd>"x"</kbd></td><td>{t!(i18n, desk.key_select)}</td></tr>
                    <tr><td><kbd>"a"</kbd></td><td>{t!(i18n, desk.key_assign)}</td></tr>
                    <tr><td><kbd>"e"</kbd></td><td>{t!(i18n, desk.key_resolve)}</td></tr>
                    <tr><td><kbd>"/"</kbd></td><td>{t!(i18n, desk.key_search)}</td></tr>
                    <tr><td><kbd>"?"</kbd></td><td>{t!(i18n, desk.key_help)}</td></tr>
                </tbody>
            </table>
            <div class="dialog-actions">
                <button class="btn" type="button" on:click=move |_| help_open.set(false)>{t!(i18n, desk.close)}</button>
            </div>
        </Dialog>
    }
}
