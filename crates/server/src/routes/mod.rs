//! The `/api/v1` routes.

pub mod admin_audit;
pub mod admin_members;
pub mod admin_rewards;
pub mod admin_settings;
pub mod admin_staff;
pub mod admin_tiers;
pub mod analytics;
pub mod auth;
pub mod earning_rules;
pub mod expiry;
pub mod feedback;
pub mod health;
pub mod history;
pub mod idempotent;
pub mod member;
pub mod profile;
pub mod referral;
pub mod rewards;
pub mod segments;
pub mod staff;
pub mod support;
pub mod tiers;
pub mod transactions;

use axum::routing::{delete, get, patch, post, put};
use axum::Router;

use crate::error::ApiError;
use crate::state::AppState;

/// A path id as a number, or a 400 naming `what` it should have been.
pub fn parse_id(id: &str, what: &str) -> Result<i64, ApiError> {
    id.parse()
        .map_err(|_| ApiError::BadRequest(format!("The {what} id must be a number.")))
}

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
        .route("/me/profile", get(profile::get).patch(profile::update))
        .route("/me/email", post(profile::change_email))
        .route("/me/password", post(profile::change_password))
        .route("/me/referrals", get(referral::overview))
        .route("/me/referrals/invites", post(referral::invite))
        .route("/auth/register", post(referral::register))
        .route("/feedback", post(feedback::submit))
        .route("/me/orders", get(feedback::orders))
        .route("/me/tickets", get(feedback::my_tickets))
        .route("/me/tickets/{id}", get(feedback::my_ticket))
        .route("/me/tickets/{id}/messages", post(feedback::my_reply))
        .route("/me/tickets/{id}/csat", post(feedback::rate))
        .route("/support/queue", get(support::queue))
        .route("/support/agents", get(support::agents))
        .route("/support/tickets/bulk", post(support::bulk))
        .route(
            "/support/tickets/{id}",
            get(support::ticket).patch(support::update),
        )
        .route("/support/tickets/{id}/messages", post(support::reply))
        .route("/support/canned-replies", get(support::canned))
        .route("/admin/canned-replies", post(support::create_canned))
        .route(
            "/admin/canned-replies/{id}",
            put(support::update_canned).delete(support::delete_canned),
        )
        .route("/support/sla-policy", get(support::sla_policy))
        .route("/admin/sla-policy", put(support::set_sla_policy))
        .route(
            "/support/views",
            get(support::views).post(support::save_view),
        )
        .route("/support/views/{id}", delete(support::delete_view))
        .route("/support/reports/sla", get(support::sla_report))
        .route("/support/reports/sla.csv", get(support::sla_report_csv))
        .route("/support/reports/surveys", get(support::survey_report))
        .route("/admin/overview", get(staff::admin_overview))
        .route("/support/overview", get(staff::support_overview))
        .route(
            "/admin/programme",
            get(admin_settings::get).put(admin_settings::put),
        )
        .route(
            "/admin/tiers",
            get(admin_tiers::setup).put(admin_tiers::save),
        )
        .route("/admin/expiry", get(expiry::overview))
        .route("/admin/expiry/runs", post(expiry::run_now))
        .route("/admin/expiring", get(expiry::expiring))
        .route("/admin/tiers/preview", post(admin_tiers::preview))
        .route("/admin/tiers/recalculate", post(admin_tiers::recalculate))
        .route(
            "/admin/earning-rules",
            get(earning_rules::list).post(earning_rules::create),
        )
        .route(
            "/admin/earning-rules/{id}",
            put(earning_rules::update).delete(earning_rules::delete),
        )
        .route(
            "/admin/earning-rules/simulate",
            post(earning_rules::simulate),
        )
        .route("/transactions", post(transactions::record))
        .route(
            "/transactions/{order_ref}/returns",
            post(transactions::record_return),
        )
        .route("/admin/members", get(admin_members::list))
        .route("/admin/members/{id}", get(admin_members::profile))
        .route(
            "/admin/members/{id}/adjustments",
            post(admin_members::adjust),
        )
        .route("/admin/members/{id}/block", put(admin_members::block))
        .route(
            "/admin/members/{id}/tier-lock",
            put(admin_members::tier_lock),
        )
        .route(
            "/admin/rewards",
            get(admin_rewards::list).post(admin_rewards::create),
        )
        .route("/admin/rewards/{id}", put(admin_rewards::update))
        .route("/admin/redemptions", get(admin_rewards::redemptions))
        .route("/admin/redemptions/{id}", patch(admin_rewards::set_status))
        .route("/admin/audit", get(admin_audit::page))
        .route(
            "/admin/staff",
            get(admin_staff::list).post(admin_staff::create),
        )
        .route(
            "/admin/staff/{id}/password",
            post(admin_staff::reset_password),
        )
        .route("/admin/staff/{id}/active", put(admin_staff::set_active))
        .route(
            "/admin/api-keys",
            get(admin_staff::api_keys).post(admin_staff::create_api_key),
        )
        .route("/admin/api-keys/{id}", delete(admin_staff::revoke_api_key))
        .route("/analytics/kpis", get(analytics::kpis))
        .route("/analytics/trends", get(analytics::trends))
        .route(
            "/analytics/targets",
            get(analytics::targets).post(analytics::create_target),
        )
        .route("/analytics/targets/{id}", delete(analytics::delete_target))
        .route("/analytics/segments/count", post(segments::count))
        .route("/analytics/segments/charts", post(segments::charts))
        .route("/analytics/segments/options", get(segments::options))
        .route(
            "/analytics/segments",
            get(segments::list).post(segments::create),
        )
        .route(
            "/analytics/segments/{id}",
            get(segments::get_one)
                .put(segments::update)
                .delete(segments::delete),
        )
        .route("/analytics/segments/{id}/refresh", post(segments::refresh))
        .route("/analytics/segments/{id}/members", get(segments::members))
        .route(
            "/analytics/segments/{id}/members.csv",
            get(segments::export),
        )
        .route("/analytics/at-risk", get(segments::at_risk))
        .route("/analytics/at-risk.csv", get(segments::at_risk_csv))
        .route("/analytics/scores", get(segments::score_run))
        .route("/analytics/scores/refresh", post(segments::refresh_scores))
        .fallback(|| async { ApiError::NotFound("No such endpoint.".into()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}
