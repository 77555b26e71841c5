//! `/`: sends each person to their own start page.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::components::skeleton::Skeleton;
use crate::routes::Route;
use crate::state::session::{Session, SessionState};

/// Redirects by role (signed out: to sign-in).
#[component]
pub fn HomePage() -> impl IntoView {
    let session = Session::expect();
    move || match session.state() {
        SessionState::Checking => view! { <Skeleton /> }.into_any(),
        SessionState::SignedOut => view! { <Redirect path=Route::SignIn.path() /> }.into_any(),
        SessionState::SignedIn(me) => {
            view! { <Redirect path=Route::home_for(me.role).path() /> }.into_any()
        }
    }
}
