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
        routes::campaigns::list,
        routes::campaigns::create,
        routes::campaigns::get,
        routes::campaigns::update,
        routes::campaigns::schedule,
        routes::campaigns::cancel,
        routes::campaigns::preview,
        routes::campaigns::report,
        routes::messaging::outbox::list,
        routes::messaging::outbox::get,
        routes::messaging::outbox::retry,
        routes::messaging::templates::list,
        routes::messaging::templates::save,
        routes::messaging::templates::preview,
        routes::messaging::unsubscribe::api,
        routes::messaging::automations::get,
        routes::messaging::automations::update,
        routes::messaging::automations::save_settings,
        routes::messaging::automations::create_holiday,
        routes::messaging::automations::update_holiday,
        routes::messaging::automations::delete_holiday,
        routes::messaging::suppressions::list,
        routes::messaging::suppressions::add,
        routes::messaging::suppressions::lift,
        routes::messaging::suppressions::report,
        routes::messaging::centre::mine,
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
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises");
    declare_shared_errors(&mut doc);
    let mut s = serde_json::to_string_pretty(&doc).expect("the OpenAPI document serialises");
    s.push('\n');
    s
}

/// The error answers that come from the layers every handler sits behind,
/// not from the handler itself, declared on each operation they can reach
/// (a handler's own declaration of the same status is kept):
/// - a session (any security requirement that is not the empty one): 401
///   without one, 403 when the role or the object is not the caller's;
/// - a JSON body: 400 malformed, 415 not `application/json`, 422 a field
///   out of its rules;
/// - query or path parameters: 400 when one does not parse; a path id: 404
///   when nothing has it;
/// - every operation: 500 when the handler fails (the catch-panic layer
///   answers in the envelope).
fn declare_shared_errors(doc: &mut serde_json::Value) {
    use serde_json::{json, Value};
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(ops) = item.as_object_mut() else {
            continue;
        };
        for op in ops.values_mut().filter_map(Value::as_object_mut) {
            let signed_in = op
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(|reqs| {
                    reqs.iter()
                        .any(|r| r.as_object().is_some_and(|m| !m.is_empty()))
                });
            let body = op.contains_key("requestBody");
            let params = op
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|ps| !ps.is_empty());
            let mut statuses: Vec<(&str, &str)> = Vec::new();
            if signed_in {
                statuses.push(("401", "Not signed in, or the session has ended."));
                statuses.push((
                    "403",
                    "Signed in, but this role may not do this, or the object is not the caller's.",
                ));
            }
            if body || params {
                statuses.push(("400", "The body, query or path does not parse."));
            }
            if body {
                statuses.push(("415", "The body is not `application/json`."));
                statuses.push(("422", "A field breaks its rules; `fields` names each one."));
            }
            if path.contains('{') {
                statuses.push(("404", "Nothing with this id, or not visible to the caller."));
            }
            statuses.push((
                "500",
                "The server failed; the envelope's `code` is `internal`.",
            ));
            let responses = op
                .entry("responses")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("responses is an object");
            for (status, description) in statuses {
                responses.entry(status).or_insert_with(|| {
                    json!({
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
                    })
                });
            }
        }
    }
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
