//! The admin console.

pub mod home;
