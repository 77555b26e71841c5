//! Patron's reference backend: the JSON API at `/api/v1` over SQLite, and
//! the built SPA. Any backend implementing `api/openapi.json` can replace it.

pub mod app;
pub mod auth;
pub mod campaigns;
pub mod client_ip;
pub mod clock;
pub mod demo_feedback;
pub mod earning;
pub mod envelope;
pub mod error;
pub mod jobs;
pub mod json;
pub mod limiter;
pub mod messaging;
pub mod openapi;
pub mod routes;
pub mod seed;
pub mod state;
pub mod store;
pub mod summary;
pub mod web;
