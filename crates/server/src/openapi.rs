//! The API contract, generated from the handlers and types, and served at
//! `/api/v1/openapi.json` (mounted by `app.rs`, so no route module imports
//! it back). Checked in at `api/openapi.json`; a test fails when the two differ.

use axum::response::IntoResponse;
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
        serve,
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
        routes::admin::settings::get,
        routes::admin::settings::put,
        routes::expiry::overview,
        routes::expiry::run_now,
        routes::expiry::expiring,
        routes::admin::tiers::setup,
        routes::admin::tiers::preview,
        routes::admin::tiers::save,
        routes::admin::tiers::recalculate,
        routes::admin::earning::list,
        routes::admin::earning::create,
        routes::admin::earning::update,
        routes::admin::earning::delete,
        routes::admin::earning::simulate,
        routes::transactions::record,
        routes::transactions::record_return,
        routes::admin::members::list,
        routes::admin::members::profile,
        routes::admin::members::adjust,
        routes::admin::members::block,
        routes::admin::members::tier_lock,
        routes::admin::rewards::list,
        routes::admin::rewards::create,
        routes::admin::rewards::update,
        routes::admin::rewards::redemptions,
        routes::admin::rewards::set_status,
        routes::admin::audit::page,
        routes::admin::staff::list,
        routes::admin::staff::create,
        routes::admin::staff::reset_password,
        routes::admin::staff::set_active,
        routes::admin::staff::api_keys,
        routes::admin::staff::create_api_key,
        routes::admin::staff::revoke_api_key,
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
        routes::analytics::at_risk,
        routes::analytics::at_risk_csv,
        routes::analytics::score_run,
        routes::analytics::refresh_scores,
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

/// The OpenAPI document of this API.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "health", operation_id = "getOpenApiDocument",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")),
    security(()))]
pub async fn serve() -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        document(),
    )
}
