//! The `/api/v1` routes.

pub mod admin;
pub mod analytics;
pub mod auth;
pub mod campaigns;
pub mod csv;
pub mod expiry;
pub mod feedback;
pub mod health;
pub mod history;
pub mod idempotent;
pub mod member;
pub mod messaging;
pub mod paging;
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

/// All API routes, to be nested under `/api/v1`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
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
            get(admin::settings::get).put(admin::settings::put),
        )
        .route(
            "/admin/tiers",
            get(admin::tiers::setup).put(admin::tiers::save),
        )
        .route(
            "/admin/campaigns",
            get(campaigns::list).post(campaigns::create),
        )
        .route(
            "/admin/campaigns/{id}",
            get(campaigns::get).put(campaigns::update),
        )
        .route("/admin/campaigns/{id}/schedule", post(campaigns::schedule))
        .route("/admin/campaigns/{id}/cancel", post(campaigns::cancel))
        .route("/admin/campaigns/{id}/preview", get(campaigns::preview))
        .route("/admin/campaigns/{id}/report", get(campaigns::report))
        .route("/admin/messaging/outbox", get(messaging::outbox::list))
        .route("/admin/messaging/outbox/{id}", get(messaging::outbox::get))
        .route(
            "/admin/messaging/outbox/{id}/retry",
            post(messaging::outbox::retry),
        )
        .route(
            "/admin/messaging/templates",
            get(messaging::templates::list),
        )
        .route(
            "/admin/messaging/templates/{key}/{language}",
            put(messaging::templates::save),
        )
        .route(
            "/admin/messaging/templates/{key}/{language}/preview",
            post(messaging::templates::preview),
        )
        .route("/unsubscribe/{token}", post(messaging::unsubscribe::api))
        .route(
            "/admin/messaging/automations",
            get(messaging::automations::get),
        )
        .route(
            "/admin/messaging/automations/{key}",
            put(messaging::automations::update),
        )
        .route(
            "/admin/messaging/settings",
            put(messaging::automations::save_settings),
        )
        .route(
            "/admin/messaging/holidays",
            post(messaging::automations::create_holiday),
        )
        .route(
            "/admin/messaging/holidays/{id}",
            put(messaging::automations::update_holiday)
                .delete(messaging::automations::delete_holiday),
        )
        .route(
            "/admin/messaging/suppressions",
            get(messaging::suppressions::list).post(messaging::suppressions::add),
        )
        .route(
            "/admin/messaging/suppressions/{email}",
            delete(messaging::suppressions::lift),
        )
        .route("/messaging/reports", post(messaging::suppressions::report))
        .route("/me/messages", get(messaging::centre::mine))
        .route("/admin/expiry", get(expiry::overview))
        .route("/admin/expiry/runs", post(expiry::run_now))
        .route("/admin/expiring", get(expiry::expiring))
        .route("/admin/tiers/preview", post(admin::tiers::preview))
        .route("/admin/tiers/recalculate", post(admin::tiers::recalculate))
        .route(
            "/admin/earning-rules",
            get(admin::earning::list).post(admin::earning::create),
        )
        .route(
            "/admin/earning-rules/{id}",
            put(admin::earning::update).delete(admin::earning::delete),
        )
        .route(
            "/admin/earning-rules/simulate",
            post(admin::earning::simulate),
        )
        .route("/transactions", post(transactions::record))
        .route(
            "/transactions/{order_ref}/returns",
            post(transactions::record_return),
        )
        .route("/admin/members", get(admin::members::list))
        .route("/admin/members/{id}", get(admin::members::profile))
        .route(
            "/admin/members/{id}/adjustments",
            post(admin::members::adjust),
        )
        .route("/admin/members/{id}/block", put(admin::members::block))
        .route(
            "/admin/members/{id}/tier-lock",
            put(admin::members::tier_lock),
        )
        .route(
            "/admin/rewards",
            get(admin::rewards::list).post(admin::rewards::create),
        )
        .route("/admin/rewards/{id}", put(admin::rewards::update))
        .route("/admin/redemptions", get(admin::rewards::redemptions))
        .route("/admin/redemptions/{id}", patch(admin::rewards::set_status))
        .route("/admin/audit", get(admin::audit::page))
        .route(
            "/admin/staff",
            get(admin::staff::list).post(admin::staff::create),
        )
        .route(
            "/admin/staff/{id}/password",
            post(admin::staff::reset_password),
        )
        .route("/admin/staff/{id}/active", put(admin::staff::set_active))
        .route(
            "/admin/api-keys",
            get(admin::staff::api_keys).post(admin::staff::create_api_key),
        )
        .route("/admin/api-keys/{id}", delete(admin::staff::revoke_api_key))
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
        .route("/analytics/at-risk", get(analytics::at_risk))
        .route("/analytics/at-risk.csv", get(analytics::at_risk_csv))
        .route("/analytics/scores", get(analytics::score_run))
        .route("/analytics/scores/refresh", post(analytics::refresh_scores))
        .fallback(|| async { ApiError::NotFound("No such endpoint.".into()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}
