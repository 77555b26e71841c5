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
    /// Called when the person closes it (Escape or a close button).
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
            on:close=move |_| on_close.run(())
        >
            {move || open.get().then(|| children())}
        </dialog>
    }
}
