//! "You have unsaved changes": asks before the person leaves a form they
//! changed, by closing the tab or following a link in the app.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// While `dirty` is true, leaving the page asks first. `message` is the
/// question shown for in-app links (browsers show their own on unload).
pub fn guard_unsaved(dirty: Signal<bool>, message: Signal<String>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let before_unload = Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(
        move |ev: web_sys::BeforeUnloadEvent| {
            if dirty.get_untracked() {
                ev.prevent_default();
                ev.set_return_value("unsaved");
            }
        },
    );
    // Capture phase: runs before the router handles the click.
    let click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        if !dirty.get_untracked() {
            return;
        }
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        if link.is_none() {
            return;
        }
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message(&message.get_untracked()).ok())
            .unwrap_or(true);
        if !ok {
            ev.prevent_default();
            ev.stop_immediate_propagation();
        }
    });
    let opts = web_sys::AddEventListenerOptions::new();
    opts.set_capture(true);
    let _ = window
        .add_event_listener_with_callback("beforeunload", before_unload.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
        "click",
        click.as_ref().unchecked_ref(),
        &opts,
    );
    let handles = send_wrapper::SendWrapper::new((before_unload, click));
    on_cleanup(move || {
        let (before_unload, click) = handles.take();
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback(
                "beforeunload",
                before_unload.as_ref().unchecked_ref(),
            );
            let _ = w.remove_event_listener_with_callback_and_bool(
                "click",
                click.as_ref().unchecked_ref(),
                true,
            );
        }
    });
}
