//! The only code that talks HTTP: one client, one error type, one function
//! per endpoint.

pub mod account;
pub mod admin;
pub mod analytics;
pub mod auth;
pub mod client;
pub mod error;
pub mod feedback;
pub mod member;
pub mod messaging;
pub mod segments;
pub mod staff;
pub mod support;

pub use error::ApiError;
