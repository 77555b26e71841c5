//! A fixed-row-height virtual list: only the rows in view (plus a few) are
//! in the DOM, however many the server has.

use std::ops::Range;

use leptos::html;
use leptos::prelude::*;

/// Rows kept in the DOM above and below the visible ones.
pub const OVERSCAN: usize = 3;

/// Which rows to render for a scroll position.
pub fn window(scroll_top: f64, viewport: f64, row_height: f64, len: usize) -> Range<usize> {
    if len == 0 || row_height <= 0.0 {
        return 0..0;
    }
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let visible = (viewport / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(OVERSCAN).min(len);
    let end = (first + visible + OVERSCAN).min(len);
    start..end
}

/// A scrollable list of `rows`, sized for `total` rows; asks for more when
/// the window nears the end of what is loaded.
#[component]
pub fn VirtualList<T, F, V>(
    /// Rows loaded so far.
    #[prop(into)]
    rows: Signal<Vec<T>>,
    /// Rows that exist (sets the scroll height).
    #[prop(into)]
    total: Signal<usize>,
    /// Height of every row in px.
    row_height: f64,
    /// Height of the scroll area in px.
    height: f64,
    /// Renders one row.
    render: F,
    /// Called when rows past the loaded ones come into view.
    #[prop(into)]
    on_need_more: Callback<()>,
    /// Accessible name of the list.
    #[prop(into)]
    label: Signal<String>,
    /// For tests.
    #[prop(optional)]
    testid: &'static str,
    /// Identity of a row's content (e.g. id and version): a row whose key
    /// changes is drawn again. Without it rows never change once drawn.
    #[prop(optional)]
    row_key: Option<fn(&T) -> i64>,
    /// When this changes (e.g. the filters), the list scrolls to the top.
    #[prop(optional, into)]
    reset_on: Option<Signal<String>>,
    /// A row to keep in view (e.g. the keyboard cursor).
    #[prop(optional, into)]
    scroll_to: Option<Signal<Option<usize>>>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let scroll_top = RwSignal::new(0.0_f64);
    let node = NodeRef::<html::Div>::new();
    let range =
        Memo::new(move |_| window(scroll_top.get(), height, row_height, rows.with(Vec::len)));
    Effect::new(move |_| {
        let r = range.get();
        let loaded = rows.with(Vec::len);
        if r.end + OVERSCAN >= loaded && loaded < total.get() {
            on_need_more.run(());
        }
    });
    if let Some(reset) = reset_on {
        Effect::new(move |prev: Option<String>| {
            let now = reset.get();
            // Only when scrolled: writing scrollTop forces a layout.
            if prev.is_some_and(|p| p != now) && scroll_top.get_untracked() > 0.0 {
                if let Some(el) = node.get_untracked() {
                    el.set_scroll_top(0);
                }
                scroll_top.set(0.0);
            }
            now
        });
    }
    if let Some(target) = scroll_to {
        Effect::new(move |_| {
            let (Some(i), Some(el)) = (target.get(), node.get_untracked()) else {
                return;
            };
            let top = i as f64 * row_height;
            let current = el.scroll_top() as f64;
            if top < current {
                el.set_scroll_top(top as i32);
            } else if top + row_height > current + height {
                el.set_scroll_top((top + row_height - height) as i32);
            }
        });
    }
    let visible = move || {
        let r = range.get();
        rows.with(|all| {
            all[r.clone()]
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, row)| (r.start + i, row_key.map_or(0, |k| k(&row)), row))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div
            node_ref=node
            class="virtual-list"
            role="list"
            aria-label=move || label.get()
            tabindex="0"
            data-testid=testid
            style:height=format!("{height}px")
            style:overflow-y="auto"
            style:position="relative"
            on:scroll=move |_| {
                if let Some(el) = node.get() {
                    scroll_top.set(el.scroll_top() as f64);
                }
            }
        >
            <div class="virtual-spacer" style:position="relative" style:height=move || format!("{}px", total.get().max(rows.with(Vec::len)) as f64 * row_height)>
                <For each=visible key=|(i, k, _)| (*i, *k) let((i, _k, row))>
                    <div
                        class="virtual-row"
                        role="listitem"
                        aria-posinset=i + 1
                        aria-setsize=total.get_untracked()
                        style:height=format!("{row_height}px")
                        style:transform=format!("translateY({}px)", i as f64 * row_height)
                    >
                        {render.clone()(row)}
                    </div>
                </For>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_covers_the_viewport_plus_overscan() {
        // 600 px viewport of 60 px rows: 10 visible (+1 partial) + overscan.
        assert_eq!(window(0.0, 600.0, 60.0, 50_000), 0..14);
        let r = window(60_000.0, 600.0, 60.0, 50_000);
        assert_eq!(r, 997..1014);
        assert!(r.len() <= 11 + 2 * OVERSCAN);
    }

    #[test]
    fn window_stays_inside_the_rows() {
        assert_eq!(window(10_000.0, 600.0, 60.0, 20), 20..20);
        assert_eq!(window(0.0, 600.0, 60.0, 0), 0..0);
        assert_eq!(window(-50.0, 600.0, 60.0, 5), 0..5);
    }
}
