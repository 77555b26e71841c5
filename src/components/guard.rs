//! Route guards: a courtesy for people, not security (the server checks).

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::components::forbidden::Forbidden;
use crate::components::skeleton::Skeleton;
use crate::routes::{sign_in_with_return, Route};
use crate::state::session::{Session, SessionState};

/// Renders `children` only for people whose role may open `route`; sends
/// signed-out people to sign-in (and back here after).
#[component]
pub fn RequireRole(
    /// The page being guarded.
    route: Route,
    /// The page.
    children: ChildrenFn,
) -> impl IntoView {
    let session = Session::expect();
    let location = use_location();
    move || match session.state() {
        SessionState::Checking => view! { <Skeleton /> }.into_any(),
        SessionState::SignedOut => {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            view! { <Redirect path=sign_in_with_return(&here) /> }.into_any()
        }
        SessionState::SignedIn(me) if route.roles().contains(&me.role) => children().into_any(),
        SessionState::SignedIn(_) => view! { <Forbidden /> }.into_any(),
    }
}
