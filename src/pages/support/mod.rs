//! The support desk.

pub mod home;
