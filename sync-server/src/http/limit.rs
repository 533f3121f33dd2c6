//! Per-client rate limits of the public surfaces (sign-up, enrolment, the widget, sign-in
//! and the hosted pages): a governor layer keyed by the client's address, answered with
//! the JSON 429.

use super::{error, extract};
use crate::limits::{Limits, TrustedProxies};
use crate::state::AppState;
use axum::body::Body;
use axum::http::Request;
use axum::response::IntoResponse;
use governor::middleware::NoOpMiddleware;
use std::sync::Arc;
use std::time::Duration;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use utoipa_axum::router::OpenApiRouter;

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
pub fn limited_per_client(
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
pub fn limited(
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
