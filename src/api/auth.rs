//! `/auth/*`.

use patron_core::auth::{LoginRequest, Me};

use super::{client, ApiError};

/// Signs in; the server sets the HttpOnly session cookie.
pub async fn login(req: LoginRequest) -> Result<Me, ApiError> {
    client::post("/auth/login", &req).await
}

/// Ends the session on the server.
pub async fn logout() -> Result<(), ApiError> {
    client::post_empty("/auth/logout").await
}

/// Who is signed in.
pub async fn me() -> Result<Me, ApiError> {
    client::get("/auth/me").await
}
