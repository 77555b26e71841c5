//! Route components. Member, admin and support pages never import from
//! each other.

pub mod admin;
pub mod console_redirect;
pub mod home;
pub mod join;
pub mod member;
pub mod not_found;
pub mod sign_in;
pub mod support;
