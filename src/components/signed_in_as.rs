//! "Signed in as Ada Admin (administrator)": the greeting of staff pages.

use leptos::prelude::*;
use patron_core::auth::Role;

use crate::i18n::*;
use crate::state::session::Session;

/// The signed-in person's name and role, as a paragraph.
#[component]
pub fn SignedInAs() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::expect();
    let who = move || {
        session.me().map(|me| {
            let name = me.name.clone();
            let role = move || match me.role {
                Role::Admin => t_string!(i18n, role.admin).to_string(),
                Role::Support => t_string!(i18n, role.support).to_string(),
                Role::Member => t_string!(i18n, role.member).to_string(),
            };
            view! { {t!(i18n, nav.signed_in_as, name = move || name.clone())} " (" {role} ")" }
        })
    };
    view! { <p class="greeting" data-testid="who">{who}</p> }
}
