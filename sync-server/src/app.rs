//! The whole application: the API ([`crate::http`]), the docs page, the dashboard's and
//! widget's files, metrics and the website ([`crate::site`]) under the shared layers
//! (`dysa_web::layers`). Apart from `http`, so the website can use the API's pieces
//! without the API depending on the website.

use crate::http::owners::dashboard_assets;
use crate::http::public::{widget, widget_assets};
use crate::http::{api_with, error, metrics};
use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware;
use dysa_web::layers::{PlainErrors, ServerLayers};
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

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
        .layer(middleware::from_fn_with_state(state.clone(), widget::cors))
        .traced()
        .with_state(state)
}
