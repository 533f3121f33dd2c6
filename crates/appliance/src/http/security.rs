//! Loopback safety and response hygiene.
//!
//! Any web page a staff member opens can send requests to `127.0.0.1`. Two guards stop
//! it from abusing the appliance: the `Host` check defeats DNS rebinding (a hostile
//! domain re-pointed at 127.0.0.1 still sends its own name as Host), and the `Origin`
//! check defeats cross-site writes that ride on the staff's cookies (CSRF).

use super::error::{ApiError, REQUEST_LANG, for_status};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dysa_domain::validate::Lang;
use std::net::IpAddr;

/// Whether a method only reads (no CSRF check, no `Origin` needed).
pub fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The host part of a `Host` header or an origin's authority, without port or brackets.
fn host_name(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    }
}

/// Whether requests naming `host` may be served: IP literals (a rebinding attack needs a
/// domain name), `localhost`, and names the operator listed.
pub fn host_is_allowed(host: &str, state: &AppState) -> bool {
    let name = host_name(host).trim_end_matches('.');
    name.parse::<IpAddr>().is_ok()
        || name.eq_ignore_ascii_case("localhost")
        || state
            .settings
            .allowed_hosts
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(name))
}

/// Whether the request's `Origin` (or, lacking it, `Referer`) is this server itself or
/// an origin the operator allowed. A request with neither is not trusted.
pub fn origin_is_trusted(headers: &HeaderMap, state: &AppState) -> bool {
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            let referer = headers.get(header::REFERER)?.to_str().ok()?;
            let (scheme, rest) = referer.split_once("://")?;
            let authority = rest.split('/').next()?;
            Some(format!("{scheme}://{authority}"))
        });
    let Some(origin) = origin else {
        return false;
    };
    origin_matches(&origin, headers, state)
}

fn origin_matches(origin: &str, headers: &HeaderMap, state: &AppState) -> bool {
    if state
        .settings
        .allowed_origins
        .iter()
        .any(|allowed| allowed.trim_end_matches('/').eq_ignore_ascii_case(origin))
    {
        return true;
    }
    let Some((_, authority)) = origin.split_once("://") else {
        return false;
    };
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|host| host.eq_ignore_ascii_case(authority))
}

/// The refusal for a cross-site write.
pub fn cross_origin_refusal() -> ApiError {
    ApiError::forbidden(
        "cross_origin",
        "Solicitud rechazada: no proviene del panel de este equipo",
        "Request refused: it does not come from this server's panel",
    )
}

/// Refuses requests for foreign host names, and writes whose `Origin` is foreign.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.to_string()));
    if let Some(host) = host
        && !host_is_allowed(&host, &state)
    {
        tracing::warn!(%host, "refused request for a foreign Host (DNS rebinding guard)");
        return ApiError::forbidden(
            "host_not_allowed",
            "Nombre de servidor no permitido",
            "Host name not allowed",
        )
        .into_response();
    }
    if !is_safe_method(request.method())
        && let Some(origin) = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
        && !origin_matches(origin, request.headers(), &state)
    {
        tracing::warn!(%origin, "refused cross-origin write");
        return cross_origin_refusal().into_response();
    }
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

/// Gives error answers made outside our handlers (unknown route, wrong method, body
/// limit, timeout) the same JSON body as ours.
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
        .is_some_and(|v| v.starts_with("application/json"));
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
