//! The `/api/v1` routes.

pub mod auth;
pub mod health;
pub mod history;
pub mod member;
pub mod rewards;
pub mod staff;
pub mod tiers;

use axum::routing::{get, post};
use axum::Router;

use crate::error::ApiError;
use crate::state::AppState;

/// All API routes, to be nested under `/api/v1`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
        .route("/openapi.json", get(health::openapi))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::me))
        .route("/me/summary", get(member::my_summary))
        .route("/members/{id}/summary", get(member::member_summary))
        .route("/me/ledger", get(history::page))
        .route("/me/ledger.csv", get(history::csv))
        .route("/me/redemptions", get(rewards::wallet))
        .route("/rewards", get(rewards::list))
        .route("/redemptions", post(rewards::redeem))
        .route("/tiers", get(tiers::list))
        .route("/admin/overview", get(staff::admin_overview))
        .route("/support/overview", get(staff::support_overview))
        .fallback(|| async { ApiError::NotFound("No such endpoint.".into()) })
        .method_not_allowed_fallback(|| async {
            ApiError::BadRequest("This endpoint does not accept that method.".into())
        })
}
