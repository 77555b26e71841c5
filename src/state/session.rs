//! Who is signed in, as far as the browser knows. The server decides what
//! anyone may do; this only shapes navigation.

use leptos::prelude::*;
use patron_core::auth::{Me, Role};

/// Whether we have asked the server who we are yet, and its answer.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// `/auth/me` has not answered yet.
    Checking,
    /// Nobody is signed in.
    SignedOut,
    /// Signed in.
    SignedIn(Me),
}

/// The session context.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    state: RwSignal<SessionState>,
}

impl Session {
    /// Creates the context (once, in the app root).
    pub fn provide() -> Self {
        let s = Self {
            state: RwSignal::new(SessionState::Checking),
        };
        provide_context(s);
        s
    }

    /// The context provided by the app root.
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// The current state (tracked).
    pub fn state(&self) -> SessionState {
        self.state.get()
    }

    /// The signed-in person (tracked).
    pub fn me(&self) -> Option<Me> {
        match self.state.get() {
            SessionState::SignedIn(me) => Some(me),
            _ => None,
        }
    }

    /// The signed-in role (tracked).
    pub fn role(&self) -> Option<Role> {
        self.me().map(|m| m.role)
    }

    /// The time zone dates are shown in (the programme's), UTC before sign-in.
    /// Untracked: it never changes while someone is signed in, and a page
    /// that awaited its data must not run again when the session ends (its
    /// guard is about to drop it, and its data with it).
    pub fn time_zone(&self) -> String {
        match self.state.get_untracked() {
            SessionState::SignedIn(me) => me.time_zone,
            _ => "UTC".to_string(),
        }
    }

    /// Records a successful sign-in.
    pub fn signed_in(&self, me: Me) {
        self.state.set(SessionState::SignedIn(me));
    }

    /// Forgets the session (sign-out, or the server answered 401).
    pub fn clear(&self) {
        self.state.set(SessionState::SignedOut);
    }
}
