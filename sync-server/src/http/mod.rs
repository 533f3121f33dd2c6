//! The HTTP API, grouped by audience: [`public`] (no session: widget, sign-up, enrolment),
//! [`owners`] (the dashboard's authenticated routes), [`devices`] (sync and join, with a
//! device token) and [`platform`] (the super-admin). One router per resource file; the
//! shared pieces (errors, extractors, per-client limits, health and metrics) sit here.
//! The website is [`crate::site`]; [`crate::app`] assembles both with the layers.

pub mod devices;
pub mod error;
pub mod extract;
pub mod health;
pub mod limit;
pub mod metrics;
pub mod owners;
pub mod platform;
pub mod public;
pub mod suspension;

use crate::limits::Limits;
use crate::state::AppState;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

/// The OpenAPI document's fixed parts; paths are collected from the routers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "ChatBotDysa — cloud API",
        description = "The multi-tenant cloud service: sign-up, owners' dashboard, devices, \
            platform administration. \
            Errors always answer `{\"error\":{\"code\",\"message\",\"fields\"?}}`. \
            Accounts authenticate with `Authorization: Bearer <access_token>` or the \
            `dysa_cloud_access` cookie; devices with `Authorization: Bearer <device_token>` \
            (read permissions, plus the sync API). A route's security scope is the permission \
            it requires; `device` marks the routes only a device token may call; \
            `platform:admin` routes are for the platform's super_admin only, who in turn \
            is refused on every tenant route.",
    ),
    modifiers(&SecuritySchemes),
    components(schemas(error::ErrorBody, dysa_domain::rbac::Permission, dysa_domain::audit::AuditAction)),
    tags(
        (name = "audit", description = "The audit log of every location: who did what, read-only"),
        (name = "health", description = "Liveness and dependencies"),
        (name = "website", description = "Demo requests and sign-up (rate-limited)"),
        (name = "auth", description = "Owner sign-in and sessions"),
        (name = "devices", description = "Enrolled appliances"),
        (name = "locations", description = "The tenant's restaurants"),
        (name = "analytics", description = "Sales across locations"),
        (name = "closing", description = "Closed business days and their Z reports, per location"),
        (name = "orders", description = "Orders from every location"),
        (name = "reservations", description = "Reservations of every location"),
        (name = "customers", description = "The tenant's customers"),
        (name = "customer-data", description = "Export and erasure of the diners' data on request (owner only)"),
        (name = "menu", description = "Menus, and edits that sync to the restaurants"),
        (name = "users", description = "Staff of the restaurants"),
        (name = "accounts", description = "The tenant's dashboard accounts (owner only)"),
        (name = "notifications", description = "The owner's weekly summary and alerts: the channel of each (owner only)"),
        (name = "platform", description = "Platform administration (super_admin only)"),
        (name = "widget", description = "The diners' widget (no session, rate-limited per client)"),
        (name = "webhooks", description = "Providers' signed callbacks (SendGrid's events, WhatsApp, Mercado Pago, Twilio)"),
        (name = "messaging", description = "The tenant's SMS account (Twilio), write-only credentials"),
        (name = "sync", description = "Devices' push, pull and live channel (docs/SYNC.md)"),
        (name = "widget", description = "The diners' widget: public per-restaurant API, and its settings"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        dysa_web::docs::add_security_schemes(openapi, extract::ACCESS_COOKIE, None);
    }
}

/// Every route of the API with its OpenAPI description, with limiters of their own
/// (for the spec; [`crate::app`] builds them over the state's [`Limits`]).
pub fn api(settings: &crate::settings::Settings) -> OpenApiRouter<AppState> {
    api_with(settings, &Limits::new(settings.limits()))
}

/// Every route of the API with its OpenAPI description. Sign-up with demo requests,
/// device enrolment, the widget and every `/auth/*` route are each rate-limited per
/// client (separate budgets, kept in `limits`).
pub fn api_with(settings: &crate::settings::Settings, limits: &Limits) -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(public::router(settings, limits))
        .merge(owners::router(settings, limits))
        .merge(devices::router())
        .merge(platform::router());
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .nest("/api/v1", v1)
}

/// The OpenAPI document as JSON (`dysa-cloud openapi`; the dashboard's typed client is
/// generated from it).
pub fn openapi_json() -> String {
    let (_, spec) = api(&crate::settings::Settings::default()).split_for_parts();
    spec.to_pretty_json().unwrap_or_else(|_| "{}".to_owned())
}
