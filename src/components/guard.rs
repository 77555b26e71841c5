//! Route guards: a courtesy for people, not security (the server checks).

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::components::forbidden::Forbidden;
use crate::components::skeleton::Skeleton;
use crate::routes::{sign_in_with_return, Route};
use crate::state::session::{Session, SessionState};

/// What the guard decided; a memo, so a refreshed session with the same
/// role does not re-create the page (and lose what is on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Checking,
    SignedOut,
    Allowed,
    Refused,
}

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
    let gate = Memo::new(move |_| match session.state() {
        SessionState::Checking => Gate::Checking,
        SessionState::SignedOut => Gate::SignedOut,
        SessionState::SignedIn(me) if route.roles().contains(&me.role) => Gate::Allowed,
        SessionState::SignedIn(_) => Gate::Refused,
    });
    move || match gate.get() {
        Gate::Checking => view! { <Skeleton /> }.into_any(),
        Gate::SignedOut => {
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            view! { <Redirect path=sign_in_with_return(&here) /> }.into_any()
        }
        Gate::Allowed => children().into_any(),
        Gate::Refused => view! { <Forbidden /> }.into_any(),
    }
}
