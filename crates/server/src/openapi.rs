//! The API contract, generated from the handlers and types. Checked in at
//! `api/openapi.json`; a test fails when the two differ.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;

/// The OpenAPI 3.1 description of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(title = "Patron API", version = "1.0.0",
        description = "Loyalty programme API: members, points ledger, tiers, staff. Errors use the envelope {\"error\":{\"code\",\"message\",\"fields\"}}; `message` and `fields` follow Accept-Language (en or zh; English otherwise, with Content-Language set when translated), `code` never changes."),
    servers((url = "/", description = "The server that serves this document (the reference backend: `make run`, http://127.0.0.1:8080)")),
    paths(
        routes::health::health,
        routes::health::openapi,
        routes::auth::login,
        routes::auth::logout,
        routes::auth::me,
        routes::member::my_summary,
        routes::member::member_summary,
        routes::history::page,
        routes::history::csv,
        routes::rewards::list,
        routes::rewards::redeem,
        routes::rewards::wallet,
        routes::tiers::list,
        routes::profile::get,
        routes::profile::update,
        routes::profile::change_email,
        routes::profile::change_password,
        routes::referral::overview,
        routes::referral::invite,
        routes::referral::register,
        routes::feedback::submit,
        routes::feedback::orders,
        routes::feedback::my_tickets,
        routes::feedback::my_ticket,
        routes::feedback::my_reply,
        routes::feedback::rate,
        routes::support::queue,
        routes::support::agents,
        routes::support::ticket,
        routes::support::update,
        routes::support::bulk,
        routes::support::reply,
        routes::support::canned,
        routes::support::create_canned,
        routes::support::update_canned,
        routes::support::delete_canned,
        routes::support::sla_policy,
        routes::support::set_sla_policy,
        routes::support::views,
        routes::support::save_view,
        routes::support::delete_view,
        routes::support::sla_report,
        routes::support::sla_report_csv,
        routes::support::survey_report,
        routes::staff::admin_overview,
        routes::staff::support_overview,
        routes::admin_settings::get,
        routes::admin_settings::put,
        routes::expiry::overview,
        routes::expiry::run_now,
        routes::expiry::expiring,
        routes::admin_tiers::setup,
        routes::admin_tiers::preview,
        routes::admin_tiers::save,
        routes::admin_tiers::recalculate,
        routes::earning_rules::list,
        routes::earning_rules::create,
        routes::earning_rules::update,
        routes::earning_rules::delete,
        routes::earning_rules::simulate,
        routes::transactions::record,
        routes::transactions::record_return,
        routes::admin_members::list,
        routes::admin_members::profile,
        routes::admin_members::adjust,
        routes::admin_members::block,
        routes::admin_members::tier_lock,
        routes::admin_rewards::list,
        routes::admin_rewards::create,
        routes::admin_rewards::update,
        routes::admin_rewards::redemptions,
        routes::admin_rewards::set_status,
        routes::admin_audit::page,
        routes::admin_staff::list,
        routes::admin_staff::create,
        routes::admin_staff::reset_password,
        routes::admin_staff::set_active,
        routes::admin_staff::api_keys,
        routes::admin_staff::create_api_key,
        routes::admin_staff::revoke_api_key,
        routes::analytics::kpis,
        routes::analytics::trends,
        routes::analytics::targets,
        routes::analytics::create_target,
        routes::analytics::delete_target,
        routes::segments::count,
        routes::segments::charts,
        routes::segments::options,
        routes::segments::list,
        routes::segments::create,
        routes::segments::get_one,
        routes::segments::update,
        routes::segments::delete,
        routes::segments::refresh,
        routes::segments::members,
        routes::segments::export,
        routes::segments::at_risk,
        routes::segments::at_risk_csv,
        routes::segments::score_run,
        routes::segments::refresh_scores,
    ),
    modifiers(&SessionCookie)
)]
pub struct ApiDoc;

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::COOKIE_NAME))),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(utoipa::openapi::security::Http::new(
                utoipa::openapi::security::HttpAuthScheme::Bearer,
            )),
        );
    }
}

/// The document as pretty JSON with a trailing newline (the checked-in form).
pub fn document() -> String {
    let mut s = ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    s.push('\n');
    s
}
