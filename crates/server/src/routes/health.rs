//! Liveness and the API contract.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// `GET /health` answer.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the server and its database answer.
    pub status: String,
    pub database: String,
}

/// Whether the server and its database are up.
#[utoipa::path(get, path = "/api/v1/health", tag = "health", operation_id = "getHealth",
    responses((status = 200, body = Health), (status = 503, body = Health)),
    security(()))]
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let db = state.store.ping().await;
    let status = if db {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Health {
            status: if db { "ok" } else { "degraded" }.into(),
            database: if db { "ok" } else { "unavailable" }.into(),
        }),
    )
}
