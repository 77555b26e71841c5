//! The member portal.

pub mod dashboard;
