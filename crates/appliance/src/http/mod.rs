//! The HTTP API: one router per resource file, assembled here with the shared layers.

pub mod analytics;
pub mod audit;
pub mod auth;
pub mod backups;
pub mod conversations;
pub mod customers;
pub mod drawers;
pub mod error;
pub mod events;
pub mod extract;
pub mod fiscal;
pub mod health;
pub mod join;
pub mod kitchen;
pub mod known_device;
pub mod menu;
pub mod metrics;
pub mod orders;
pub mod panel;
pub mod payments;
pub mod printers;
pub mod recovery;
pub mod reports;
pub mod reservations;
pub mod security;
pub mod settings;
pub mod setup;
pub mod sync;
pub mod tables;
pub mod users;

use crate::state::AppState;
use axum::Router;
use axum::middleware;
use dysa_web::layers::{PlainErrors, ServerLayers};
use tower_http::compression::CompressionLayer;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

/// The OpenAPI document's fixed parts; paths are collected from the routers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "ChatBotDysa — appliance API",
        description = "The restaurant's local server: staff accounts, operations, assistant and sync. \
            Errors always answer `{\"error\":{\"code\",\"message\",\"fields\"?}}`. \
            Authenticate with `Authorization: Bearer <access_token>` or the `dysa_access` cookie \
            (cookie-authenticated writes must come from the panel's own origin). \
            A route's security scope is the permission it requires.",
    ),
    modifiers(&SecuritySchemes),
    components(schemas(error::ErrorBody, dysa_domain::rbac::Permission, dysa_domain::rbac::Role)),
    tags(
        (name = "health", description = "Liveness and dependencies"),
        (name = "setup", description = "First run"),
        (name = "auth", description = "Sign-in and sessions"),
        (name = "users", description = "Staff accounts"),
        (name = "settings", description = "Restaurant settings"),
        (name = "orders", description = "Orders from every channel"),
        (name = "payments", description = "Payments and refunds"),
        (name = "drawers", description = "Cash drawers: sessions, pay-ins and pay-outs, blind counts"),
        (name = "fiscal", description = "Boletas, facturas and credit notes through the fiscal provider (Bsale), and their queue"),
        (name = "analytics", description = "Sales reports"),
        (name = "events", description = "Live updates (Server-Sent Events)"),
        (name = "menu", description = "Menu: categories, items, modifier groups, CSV"),
        (name = "tables", description = "Dining-room tables and their live status"),
        (name = "customers", description = "Diners the restaurant knows, their search and history"),
        (name = "reservations", description = "Table bookings, their status and free slots"),
        (name = "conversations", description = "Chats with diners, the assistant and its model"),
        (name = "sync", description = "The cloud link and sync status"),
        (name = "backups", description = "Encrypted, verified backups of the database"),
        (name = "kitchen", description = "Firing courses, the kitchen screens' tickets, bump and recall"),
        (name = "printing", description = "ESC/POS printers per station, the print queue, pre-bills and receipts"),
        (name = "audit", description = "The audit log: who did what, read-only"),
        (name = "reports", description = "Closing the day: X and Z reports, CSV, printing, tip-outs"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        dysa_web::docs::add_security_schemes(openapi, extract::ACCESS_COOKIE, Some("JWT"));
    }
}

/// Every route of the API with its OpenAPI description. Every `/auth/*` route is
/// rate-limited per client (`auth_rate_burst`, `auth_rate_period_ms`).
pub fn api(settings: &crate::settings::Settings) -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(setup::router())
        .merge(auth::limited_router(settings))
        .merge(users::router())
        .merge(settings::router())
        .merge(orders::router())
        .merge(payments::router())
        .merge(drawers::router())
        .merge(fiscal::router())
        .merge(reports::router())
        .merge(analytics::router())
        .merge(events::router())
        .merge(menu::router())
        .merge(tables::router())
        .merge(customers::router())
        .merge(reservations::router())
        .merge(conversations::router())
        .merge(sync::router())
        .merge(join::router())
        .merge(backups::router())
        .merge(kitchen::router())
        .merge(printers::router())
        .merge(audit::router());
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .routes(utoipa_axum::routes!(menu::media))
        .nest("/api/v1", v1)
}

/// The OpenAPI document exactly as `/api/openapi.json` serves it (pretty JSON); the
/// panel's typed client is generated from it (`dysa-appliance openapi`).
pub fn openapi_json() -> String {
    let (_, spec) = api(&crate::settings::Settings::default()).split_for_parts();
    spec.to_pretty_json().unwrap_or_else(|_| "{}".to_owned())
}

/// The full application: routes, docs and the shared layers (`dysa_web::layers`), bound
/// to `state`. Between the limits and the JSON error bodies sits this server's own guard
/// (Host and Origin checks, `security::guard`).
pub fn app(state: AppState) -> Router {
    let (routes, spec) = api(&state.settings).split_for_parts();
    routes
        .merge(dysa_web::docs::router(spec, "API del equipo local"))
        .record_routes()
        .route_layer(middleware::from_fn(dysa_web::metrics::track))
        .merge(metrics::router(&state))
        .fallback(panel::fallback)
        .layer(CompressionLayer::new())
        .bounded_except(
            state.settings.max_body_bytes,
            state.settings.request_timeout(),
            join::LONG_RUNNING,
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .json_errors(PlainErrors::Replace)
        .security_headers()
        .traced()
        .with_state(state)
}

#[cfg(test)]
mod tests {
    /// Generated clients name their functions after operation ids, so two routes must
    /// never share one.
    #[test]
    fn operation_ids_are_unique() {
        let spec: serde_json::Value =
            serde_json::from_str(&super::openapi_json()).expect("the spec is JSON");
        let mut seen = std::collections::BTreeSet::new();
        for (path, operations) in spec["paths"].as_object().expect("paths") {
            for (method, operation) in operations.as_object().expect("operations") {
                let id = operation["operationId"].as_str().unwrap_or_default();
                assert!(
                    seen.insert(id.to_owned()),
                    "{method} {path}: duplicate operationId {id}"
                );
            }
        }
    }
}
