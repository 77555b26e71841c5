//! Success toasts: a short message in a live region that leaves by itself.
//! Errors stay next to what failed instead.

use leptos::prelude::*;

/// How long a toast stays, in ms.
const SHOW_MS: u32 = 4_000;

/// The toasts shown now (newest last).
#[derive(Clone, Copy)]
pub struct Toasts(RwSignal<Vec<(u64, String)>>);

impl Toasts {
    /// Makes the toast list available below this point.
    pub fn provide() -> Self {
        let t = Toasts(RwSignal::new(Vec::new()));
        provide_context(t);
        t
    }

    /// The list provided above (a detached one in tests without a provider).
    pub fn expect() -> Self {
        use_context::<Toasts>().unwrap_or_else(|| Toasts(RwSignal::new(Vec::new())))
    }

    /// Shows `message` for a few seconds.
    pub fn show(&self, message: impl Into<String>) {
        let id = (js_sys::Math::random() * 1e15) as u64;
        let list = self.0;
        list.update(|l| l.push((id, message.into())));
        set_timeout(
            move || list.update(|l| l.retain(|(i, _)| *i != id)),
            std::time::Duration::from_millis(SHOW_MS as u64),
        );
    }
}

/// Where toasts appear (once, in the layout).
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = Toasts::expect();
    view! {
        <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
            <For each=move || toasts.0.get() key=|(id, _)| *id let:t>
                <p class="toast">{t.1}</p>
            </For>
        </div>
    }
}
