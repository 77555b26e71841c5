//! The demo sign-ins: a member, an admin and three support agents.

use patron_core::auth::Role;

/// The demo sign-ins: (email, password, role, name).
pub const DEMO_ACCOUNTS: [(&str, &str, Role, &str); 5] = [
    (
        "member@patron.test",
        "patron-member",
        Role::Member,
        "Li Wei",
    ),
    (
        "admin@patron.test",
        "patron-admin",
        Role::Admin,
        "Ada Admin",
    ),
    (
        "support@patron.test",
        "patron-support",
        Role::Support,
        "Sam Support",
    ),
    (
        "kai@patron.test",
        "patron-support",
        Role::Support,
        "Kai Lin",
    ),
    (
        "noor@patron.test",
        "patron-support",
        Role::Support,
        "Noor Haddad",
    ),
];
