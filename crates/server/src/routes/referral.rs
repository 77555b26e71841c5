//! Referral code and invitees; joining (with or without a code).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use patron_core::auth::{Me, Role};
use patron_core::error::ErrorEnvelope;
use patron_core::profile::password_problem;
use patron_core::referral::{InviteRequest, ReferralOverview, RegisterRequest};

use crate::auth::{
    hash_password, new_token, session_cookie, set_cookie, token_hash, CurrentUser, SESSION_SECS,
};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::limiter::MAX_FAILURES;
use crate::state::AppState;
use crate::store::referral::NewMember;

/// The member's referral code, link and the people they invited.
#[utoipa::path(get, path = "/api/v1/me/referrals", tag = "member", operation_id = "getMyReferrals",
    responses((status = 200, body = ReferralOverview), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn overview(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> ApiResult<Json<ReferralOverview>> {
    let member_id = user
        .member_id
        .ok_or_else(|| ApiError::Forbidden("Only members can refer friends.".into()))?;
    let code = state.store.referral_code(member_id).await?;
    let mut referees = state.store.open_invites_of(member_id).await?;
    referees.extend(state.store.referees_of(member_id).await?);
    Ok(Json(ReferralOverview {
        link: format!("/join?ref={code}"),
        code,
        points_earned: referees.iter().map(|r| r.points_awarded).sum(),
        referees,
        bonus_points: referral_points(&state).await?.1,
    }))
}

/// (friend, referrer) points of the active referral rule now; (0, 0)
/// when the programme has none.
async fn referral_points(state: &AppState) -> ApiResult<(i64, i64)> {
    let rules = state.store.earning_rules().await?;
    Ok(
        patron_core::earning::referral_terms(&rules, state.store.now())
            .map_or((0, 0), |t| (t.friend_points, t.referrer_points)),
    )
}

/// Invites a friend by email; they show as invited until they join. The
/// answer is the same whether or not the address belongs to a member (no
/// way to find out who is one); a member's invitations are throttled.
#[utoipa::path(post, path = "/api/v1/me/referrals/invites", tag = "member", operation_id = "inviteFriend", request_body = InviteRequest,
    responses((status = 201, body = ReferralOverview), (status = 401, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)),
    security(("session" = [])))]
pub async fn invite(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(req): ApiJson<InviteRequest>,
) -> ApiResult<(StatusCode, Json<ReferralOverview>)> {
    let member_id = user
        .member_id
        .ok_or_else(|| ApiError::Forbidden("Only members can refer friends.".into()))?;
    let email = req.email.trim().to_string();
    if !crate::json::plausible_email(&email) {
        return Err(ApiError::field("email", "Enter a valid email address."));
    }
    state
        .throttle(&[(&format!("invite:{member_id}"), MAX_FAILURES)])
        .await?;
    state
        .store
        .invite(member_id, &email, state.store.now().timestamp())
        .await?;
    let Json(o) = overview(State(state), CurrentUser(user)).await?;
    Ok((StatusCode::CREATED, Json(o)))
}

/// Creates a member account and signs it in. A valid referral code (or an
/// email invitation) records the referral; its bonuses are credited to the
/// new member and the referrer once, at the new member's first purchase.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", operation_id = "registerMember", request_body = RegisterRequest,
    responses((status = 201, body = Me), (status = 400, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)),
    security(()))]
pub async fn register(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> ApiResult<impl IntoResponse> {
    let ip_key = format!("register:{}", state.client_key(peer, &headers));
    state.not_locked_out(&ip_key).await?;
    let name = req.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::field(
            "name",
            "Enter your name (up to 100 characters).",
        ));
    }
    let email = req.email.trim().to_string();
    if !crate::json::plausible_email(&email) {
        return Err(ApiError::field("email", "Enter a valid email address."));
    }
    if let Some(p) = password_problem(&req.password) {
        return Err(ApiError::field("password", p));
    }
    let referrer_id = match req
        .referral_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        // No code: an invitation by email still counts.
        None => state.store.inviter_of(&email).await?,
        Some(code) => Some(
            state
                .store
                .member_by_referral_code(code)
                .await?
                .ok_or_else(|| {
                    ApiError::field("referral_code", "That referral code is not known.")
                })?,
        ),
    };
    let pw = req.password.clone();
    let hash = state.hash(move || hash_password(&pw)).await??;
    let programme = state.store.programme().await?;
    let now = state.store.now().timestamp();
    state.store.throttle_fail(&ip_key).await?; // counts sign-ups per address, successful or not
    let user_id = state
        .store
        .register_member(
            NewMember {
                name: name.clone(),
                email: email.clone(),
                password_hash: hash,
                referrer_id,
            },
            now,
        )
        .await?
        .ok_or_else(|| {
            ApiError::Conflict("An account with this email already exists. Sign in instead.".into())
        })?;
    let token = new_token();
    state
        .store
        .create_session(&token_hash(&token), user_id, now, now + SESSION_SECS)
        .await?;
    let user = state
        .store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| ApiError::internal("new user vanished"))?;
    let mut headers = HeaderMap::new();
    set_cookie(&mut headers, session_cookie(&token, state.secure_cookies));
    Ok((
        StatusCode::CREATED,
        headers,
        Json(Me {
            user_id,
            name,
            email,
            role: Role::Member,
            member_id: user.member_id,
            programme_name: programme.name,
            time_zone: programme.time_zone,
        }),
    ))
}
