//! The layer stack both servers wrap their routes in: request limits, JSON error bodies
//! in the caller's language, hardening headers, and request ids with a trace span per
//! request. Each piece is a method of [`ServerLayers`] so a server composes them in one
//! chain and can slot a layer of its own (a guard, CORS, metrics) between two of them.

use crate::error::{REQUEST_LANG, for_status};
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use dysa_domain::validate::Lang;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Headers that harden every answer against framing, sniffing and leaks.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    (
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    ),
    (
        "content-security-policy",
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
];

/// Which error answers made outside the handlers keep their own body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlainErrors {
    /// Every non-JSON error gets the JSON body (an API-only server).
    Replace,
    /// HTML error pages (a hosted page's 404) are deliberate answers for browsers and
    /// stay as they are; other non-JSON errors get the JSON body.
    KeepHtml,
}

/// The layers of [`ServerLayers`], as methods on an axum [`Router`].
pub trait ServerLayers: Sized {
    /// Records the matched route template in each request's span (a route layer: only
    /// matched routes have a template).
    fn record_routes(self) -> Self;
    /// Bounds request bodies to `max_body_bytes` (413) and each request to `timeout` (408).
    fn bounded(self, max_body_bytes: usize, timeout: Duration) -> Self;
    /// As [`ServerLayers::bounded`], except that requests to the exact paths in
    /// `long_running` are not timed out: work that must finish once started (bringing back
    /// a whole location) would otherwise be cut at `timeout` and answered 408 while it
    /// still runs.
    fn bounded_except(
        self,
        max_body_bytes: usize,
        timeout: Duration,
        long_running: &'static [&'static str],
    ) -> Self;
    /// Error answers made outside the handlers (unknown route, wrong method, body limit,
    /// timeout) get the same JSON body as ours, in the language of `Accept-Language`.
    fn json_errors(self, plain: PlainErrors) -> Self;
    /// Adds [`SECURITY_HEADERS`] to every answer that does not set them itself.
    fn security_headers(self) -> Self;
    /// The outermost stack: a panic answers the JSON 500, credentials are kept out of
    /// logs, every request gets an `x-request-id` (echoed back) and an INFO span named
    /// `request` with `request_id`, `method`, `path`, and `route`, `tenant_id` and
    /// `user_id` filled in later by [`record_route`] and the extractors.
    fn traced(self) -> Self;
}

impl<S: Clone + Send + Sync + 'static> ServerLayers for Router<S> {
    fn record_routes(self) -> Self {
        self.route_layer(middleware::from_fn(record_route))
    }

    fn bounded(self, max_body_bytes: usize, timeout: Duration) -> Self {
        self.bounded_except(max_body_bytes, timeout, &[])
    }

    fn bounded_except(
        self,
        max_body_bytes: usize,
        timeout: Duration,
        long_running: &'static [&'static str],
    ) -> Self {
        self.layer(DefaultBodyLimit::max(max_body_bytes))
            .layer(middleware::from_fn(
                move |request: Request, next: Next| async move {
                    if long_running.contains(&request.uri().path()) {
                        return next.run(request).await;
                    }
                    tokio::time::timeout(timeout, next.run(request))
                        .await
                        .unwrap_or_else(|_| StatusCode::REQUEST_TIMEOUT.into_response())
                },
            ))
    }

    fn json_errors(self, plain: PlainErrors) -> Self {
        let router = match plain {
            PlainErrors::Replace => self.layer(middleware::from_fn(json_error_bodies)),
            PlainErrors::KeepHtml => self.layer(middleware::from_fn(json_error_bodies_keep_html)),
        };
        router.layer(middleware::from_fn(language))
    }

    fn security_headers(self) -> Self {
        let mut router = self;
        for (name, value) in SECURITY_HEADERS {
            router = router.layer(SetResponseHeaderLayer::if_not_present(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            ));
        }
        router
    }

    fn traced(self) -> Self {
        let request_id = HeaderName::from_static("x-request-id");
        self.layer(
            ServiceBuilder::new()
                .layer(CatchPanicLayer::custom(|_| {
                    for_status(StatusCode::INTERNAL_SERVER_ERROR).into_response()
                }))
                .layer(SetSensitiveRequestHeadersLayer::new([
                    header::AUTHORIZATION,
                    header::COOKIE,
                ]))
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .on_response(
                            DefaultOnResponse::new()
                                .level(Level::INFO)
                                .latency_unit(LatencyUnit::Micros),
                        )
                        .on_failure(DefaultOnFailure::new().level(Level::WARN))
                        .make_span_with(|request: &Request<_>| {
                            let request_id = request
                                .headers()
                                .get("x-request-id")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_owned();
                            tracing::info_span!(
                                "request",
                                request_id = %request_id,
                                method = %request.method(),
                                path = %request.uri().path(),
                                route = tracing::field::Empty,
                                tenant_id = tracing::field::Empty,
                                user_id = tracing::field::Empty,
                            )
                        }),
                )
                .layer(PropagateRequestIdLayer::new(request_id)),
        )
    }
}

/// Records the matched route template (`/api/v1/users/{id}`) in the request's log span,
/// so logs group by route rather than by concrete path.
pub async fn record_route(route: MatchedPath, request: Request, next: Next) -> Response {
    tracing::Span::current().record("route", route.as_str());
    next.run(request).await
}

/// Runs the request with its language (from `Accept-Language`) in scope for error bodies.
pub async fn language(request: Request, next: Next) -> Response {
    let lang = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default();
    REQUEST_LANG.scope(lang, next.run(request)).await
}

/// [`PlainErrors::Replace`] as a middleware.
pub async fn json_error_bodies(request: Request, next: Next) -> Response {
    with_json_error_body(next.run(request).await, PlainErrors::Replace)
}

/// [`PlainErrors::KeepHtml`] as a middleware.
pub async fn json_error_bodies_keep_html(request: Request, next: Next) -> Response {
    with_json_error_body(next.run(request).await, PlainErrors::KeepHtml)
}

/// `response`, with our JSON error body in place of a non-JSON error body.
fn with_json_error_body(response: Response, plain: PlainErrors) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let keep = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.starts_with("application/json")
                || (plain == PlainErrors::KeepHtml && v.starts_with("text/html"))
        });
    if keep {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let mut replacement = for_status(status).into_response();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let body = std::mem::replace(replacement.body_mut(), Body::empty());
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn slow() -> &'static str {
        tokio::time::sleep(Duration::from_millis(200)).await;
        "done"
    }

    async fn status_of(app: Router, path: &str) -> StatusCode {
        let request = Request::get(path).body(Body::empty()).expect("a request");
        app.oneshot(request).await.expect("an answer").status()
    }

    #[tokio::test]
    async fn a_slow_request_is_cut_at_the_timeout_unless_its_path_is_long_running() {
        let app = Router::new()
            .route("/slow", get(slow))
            .route("/recover", get(slow))
            .bounded_except(1024, Duration::from_millis(20), &["/recover"]);
        assert_eq!(
            status_of(app.clone(), "/slow").await,
            StatusCode::REQUEST_TIMEOUT
        );
        assert_eq!(status_of(app, "/recover").await, StatusCode::OK);
    }

    #[tokio::test]
    async fn bounded_cuts_every_slow_request() {
        let app = Router::new()
            .route("/recover", get(slow))
            .bounded(1024, Duration::from_millis(20));
        assert_eq!(
            status_of(app, "/recover").await,
            StatusCode::REQUEST_TIMEOUT
        );
    }
}
