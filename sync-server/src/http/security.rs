//! Response hygiene: the request's language for error bodies, JSON bodies for errors made
//! outside the handlers, and hardening headers.

use super::error::{REQUEST_LANG, for_status};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dysa_domain::validate::Lang;

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

/// Gives error answers made outside our handlers (unknown route, wrong method, body
/// limit, timeout) the same JSON body as ours. HTML error pages (a hosted page's 404)
/// are deliberate answers for browsers and stay as they are.
pub async fn json_error_bodies(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    if is_json {
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
