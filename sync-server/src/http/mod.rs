//! The HTTP API: one router per resource file, assembled here with the shared layers.

pub mod accounts;
pub mod analytics;
pub mod audit;
pub mod auth;
pub mod customers;
pub mod dashboard_assets;
pub mod devices;
pub mod enroll;
pub mod error;
pub mod extract;
pub mod health;
pub mod join;
pub mod locations;
pub mod mail_webhook;
pub mod menu;
pub mod metrics;
pub mod orders;
pub mod overview;
pub mod platform;
pub mod public;
pub mod public_chat;
pub mod public_orders;
pub mod public_reservations;
pub mod public_settings;
pub mod public_widget;
pub mod reservations;
pub mod sync;
pub mod users;
pub mod widget_assets;

use crate::limits::{Limits, TrustedProxies};
use crate::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::middleware;
use axum::response::IntoResponse;
use dysa_web::layers::{PlainErrors, ServerLayers};
use governor::middleware::NoOpMiddleware;
use std::sync::Arc;
use std::time::Duration;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_http::cors::{AllowOrigin, CorsLayer};
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
        (name = "orders", description = "Orders from every location"),
        (name = "reservations", description = "Reservations of every location"),
        (name = "customers", description = "The tenant's customers"),
        (name = "menu", description = "Menus, and edits that sync to the restaurants"),
        (name = "users", description = "Staff of the restaurants"),
        (name = "accounts", description = "The tenant's dashboard accounts (owner only)"),
        (name = "platform", description = "Platform administration (super_admin only)"),
        (name = "widget", description = "The diners' widget (no session, rate-limited per client)"),
        (name = "webhooks", description = "Providers' signed callbacks (SendGrid's events)"),
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

/// Rate-limit key: the client address (see [`extract::client_ip`]).
#[derive(Clone, Debug)]
pub struct ClientKey {
    proxies: TrustedProxies,
}

impl KeyExtractor for ClientKey {
    type Key = String;

    fn extract<T>(&self, req: &Request<T>) -> Result<Self::Key, GovernorError> {
        Ok(extract::client_ip(
            req.headers(),
            req.extensions(),
            &self.proxies,
        ))
    }
}

/// A per-client rate limit (`burst` requests, then one more every `period`), keyed by
/// [`extract::client_ip`], answered by `refused` when spent. Registered in `limits`,
/// which forgets clients whose budget is whole again (bounded memory).
pub fn per_client_layer(
    limits: &Limits,
    period: Duration,
    burst: u32,
    refused: fn(GovernorError) -> axum::http::Response<Body>,
) -> Option<GovernorLayer<ClientKey, NoOpMiddleware, Body>> {
    let config = GovernorConfigBuilder::default()
        .period(period.max(Duration::from_millis(1)))
        .burst_size(burst.max(1))
        .key_extractor(ClientKey {
            proxies: limits.proxies().clone(),
        })
        .finish()?;
    let limiter = config.limiter().clone();
    limits.register(move || {
        limiter.retain_recent();
        limiter.shrink_to_fit();
        limiter.len()
    });
    Some(GovernorLayer::new(Arc::new(config)).error_handler(refused))
}

/// `router` with a per-client rate limit of its own: `public_rate_burst` requests, then
/// one more every `public_rate_period_secs`, keyed by [`extract::client_ip`].
fn limited_per_client(
    router: OpenApiRouter<AppState>,
    settings: &crate::settings::Settings,
    limits: &Limits,
) -> OpenApiRouter<AppState> {
    limited(
        router,
        limits,
        Duration::from_secs(settings.public_rate_period_secs),
        settings.public_rate_burst,
    )
}

/// `router` with a per-client budget of its own: `burst` requests, then one more every
/// `period`, keyed by [`extract::client_ip`] and registered in `limits` for pruning.
fn limited(
    router: OpenApiRouter<AppState>,
    limits: &Limits,
    period: Duration,
    burst: u32,
) -> OpenApiRouter<AppState> {
    match per_client_layer(limits, period, burst, rate_limited) {
        Some(layer) => router.layer(layer),
        None => router,
    }
}

/// Every route of the API with its OpenAPI description, with limiters of their own
/// (for the spec; [`app`] builds them over the state's [`Limits`]).
pub fn api(settings: &crate::settings::Settings) -> OpenApiRouter<AppState> {
    api_with(settings, &Limits::new(settings.limits()))
}

/// Every route of the API with its OpenAPI description. Sign-up with demo requests,
/// device enrolment, the widget and every `/auth/*` route are each rate-limited per
/// client (separate budgets, kept in `limits`).
pub fn api_with(settings: &crate::settings::Settings, limits: &Limits) -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(limited_per_client(public::router(), settings, limits))
        .merge(limited_per_client(enroll::router(), settings, limits))
        .merge(limited_per_client(public_chat::router(), settings, limits))
        .merge(public_widget::limited_router(settings, limits))
        .merge(public_settings::router())
        .merge(limited(
            auth::router(),
            limits,
            Duration::from_millis(settings.auth_rate_period_ms),
            settings.auth_rate_burst,
        ))
        .merge(devices::router())
        .merge(locations::router())
        .merge(analytics::router())
        .merge(orders::router())
        .merge(reservations::router())
        .merge(customers::router())
        .merge(menu::router())
        .merge(users::router())
        .merge(accounts::router())
        .merge(overview::router())
        .merge(platform::router())
        .merge(sync::router())
        .merge(join::router())
        .merge(audit::router())
        .merge(mail_webhook::router());
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .nest("/api/v1", v1)
}

/// The JSON 429 of a per-client limit, with `Retry-After`.
pub fn rate_limited(error: GovernorError) -> axum::http::Response<Body> {
    let wait = match &error {
        GovernorError::TooManyRequests { wait_time, .. } => *wait_time,
        _ => 1,
    };
    let mut response = error::ApiError::too_many_requests(wait).into_response();
    if let GovernorError::TooManyRequests {
        headers: Some(extra),
        ..
    } = error
    {
        response.headers_mut().extend(extra);
    }
    response
}

fn cors(origins: &[String]) -> Option<CorsLayer> {
    let list: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    if list.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(list))
            .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::ACCEPT_LANGUAGE,
            ])
            .allow_credentials(true)
            .max_age(Duration::from_secs(600)),
    )
}

/// The OpenAPI document as JSON (`dysa-cloud openapi`; the dashboard's typed client is
/// generated from it).
pub fn openapi_json() -> String {
    let (_, spec) = api(&crate::settings::Settings::default()).split_for_parts();
    spec.to_pretty_json().unwrap_or_else(|_| "{}".to_owned())
}

/// The full application: routes, docs and the shared layers (`dysa_web::layers`), bound
/// to `state`. The hosted site keeps its HTML error pages; CORS (the dashboard's origins,
/// then each restaurant's widget origins) sits outside the hardening headers.
pub fn app(state: AppState) -> Router {
    let (routes, spec) = api_with(&state.settings, &state.limits).split_for_parts();
    let mut router = routes
        .merge(dysa_web::docs::router(spec, "API de la nube"))
        .merge(dashboard_assets::router())
        .merge(widget_assets::router(&state))
        .record_routes()
        .route_layer(middleware::from_fn(dysa_web::metrics::track))
        .merge(metrics::router(&state))
        .fallback(|| async { error::for_status(StatusCode::NOT_FOUND) })
        .bounded(
            state.settings.max_body_bytes,
            state.settings.request_timeout(),
        )
        .json_errors(PlainErrors::KeepHtml)
        .merge(crate::site::router(&state))
        .security_headers();
    if let Some(cors) = cors(&state.settings.cors_origins) {
        router = router.layer(cors);
    }
    router
        .layer(middleware::from_fn_with_state(
            state.clone(),
            public_widget::cors,
        ))
        .traced()
        .with_state(state)
}
