//! A modal dialog on the native `<dialog>`: focus stays inside, Escape
//! closes, the page behind is inert.

use leptos::html;
use leptos::prelude::*;

/// Shows `children` modally while `open` is true.
#[component]
pub fn Dialog(
    /// Whether the dialog is shown.
    #[prop(into)]
    open: Signal<bool>,
    /// Id of the element that names the dialog (its heading).
    labelled_by: &'static str,
    /// Called when the person closes it (Escape or a close button); may be
    /// called twice for one Escape.
    #[prop(into)]
    on_close: Callback<()>,
    /// For tests.
    #[prop(optional)]
    testid: &'static str,
    /// The content.
    children: ChildrenFn,
) -> impl IntoView {
    let node = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        let Some(d) = node.get() else { return };
        if open.get() {
            if !d.open() {
                let _ = d.show_modal();
            }
        } else if d.open() {
            d.close();
        }
    });
    view! {
        <dialog
            node_ref=node
            class="dialog"
            aria-labelledby=labelled_by
            data-testid=testid
            // Escape's `cancel` tells the owner at once: the `close` event
            // that follows comes a task later, and a key pressed in between
            // must already find the dialog closed. Owners' `on_close` may run
            // twice; it only clears their state.
            on:cancel=move |_: web_sys::Event| on_close.run(())
            on:close=move |_| on_close.run(())
        >
            {move || open.get().then(|| children())}
        </dialog>
    }
}
