//! Profile, referral and joining.

use patron_core::auth::Me;
use patron_core::profile::{EmailChange, PasswordChange, Profile, ProfileUpdate};
use patron_core::referral::{ReferralOverview, RegisterRequest};

use super::{client, ApiError};

/// The member's profile and preferences.
pub async fn profile() -> Result<Profile, ApiError> {
    client::get("/me/profile").await
}

/// Saves the fields that are set.
pub async fn update_profile(u: ProfileUpdate) -> Result<Profile, ApiError> {
    client::patch("/me/profile", &u).await
}

/// Changes the sign-in email (password required).
pub async fn change_email(c: EmailChange) -> Result<(), ApiError> {
    client::post_no_content("/me/email", &c).await
}

/// Changes the password; other sessions end.
pub async fn change_password(c: PasswordChange) -> Result<(), ApiError> {
    client::post_no_content("/me/password", &c).await
}

/// Referral code, link and invitees.
pub async fn referrals() -> Result<ReferralOverview, ApiError> {
    client::get("/me/referrals").await
}

/// Creates a member account and signs it in.
pub async fn register(r: RegisterRequest) -> Result<Me, ApiError> {
    client::post("/auth/register", &r).await
}

/// Invites a friend by email.
pub async fn invite(email: String) -> Result<ReferralOverview, ApiError> {
    client::post(
        "/me/referrals/invites",
        &patron_core::referral::InviteRequest { email },
    )
    .await
}
