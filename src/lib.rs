//! Patron: loyalty member portal, admin console and support desk.

pub mod api;
pub mod app;
pub mod components;
pub mod format;
pub mod i18n;
pub mod labels;
pub mod pages;
pub mod routes;
pub mod state;

/// Reads the runtime config (API base URL), then mounts the app.
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        api::client::init().await;
        if let Some(boot) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("boot"))
        {
            boot.remove();
        }
        leptos::mount::mount_to_body(app::App);
    });
}
