//! Loopback safety (response hygiene is the shared `dysa_web::layers`).
//!
//! Any web page a staff member opens can send requests to `127.0.0.1`. Two guards stop
//! it from abusing the appliance: the `Host` check defeats DNS rebinding (a hostile
//! domain re-pointed at 127.0.0.1 still sends its own name as Host), and the `Origin`
//! check defeats cross-site writes that ride on the staff's cookies (CSRF).

use super::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dysa_web::auth::{origin_is_own_host, request_origin};
use std::net::IpAddr;

use dysa_web::auth::is_safe_method;

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
    let Some(origin) = request_origin(headers) else {
        return false;
    };
    origin_matches(&origin, headers, state)
}

fn origin_matches(origin: &str, headers: &HeaderMap, state: &AppState) -> bool {
    state
        .settings
        .allowed_origins
        .iter()
        .any(|allowed| allowed.trim_end_matches('/').eq_ignore_ascii_case(origin))
        || origin_is_own_host(origin, headers)
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
