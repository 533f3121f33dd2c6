//! The owners' dashboard: the files of `ui/dist-dashboard` (built by
//! `npx vite build -c vite.dashboard.config.ts` in `ui/`, committed like the panel's
//! `ui/dist`), embedded in the binary and served under `/dashboard/`.
//!
//! Hashed files (`/dashboard/assets/…`) are cached for a year; `dashboard.html`, answered
//! for every client route (`/dashboard/menu`, `/dashboard/{slug}` from the sign-up's link),
//! must be revalidated so a new release is picked up at once. Same origin as the API, so
//! the session cookies (path `/`) travel with the dashboard's calls. Not in the OpenAPI
//! spec: these are pages, not API.

use crate::http::error;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

/// The built dashboard (`ui/dist-dashboard`).
#[derive(RustEmbed)]
#[folder = "../ui/dist-dashboard/"]
struct DashboardDist;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
/// The page shows the owner's logo from their own site (any https host); everything else
/// stays `'self'` as in the API's default policy.
const PAGE_CSP: &str = "default-src 'self'; img-src 'self' data: blob: https:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Shown when the binary was built without the dashboard's files.
const NOT_BUILT: &str = "<!DOCTYPE html><html lang=\"es-CL\"><head><meta charset=\"utf-8\">\
<title>ChatBotDysa</title></head><body><h1>Panel de dueños no compilado</h1>\
<p>Compílalo con <code>cd ui &amp;&amp; npm ci &amp;&amp; npm run build:dashboard</code>. \
La API sigue en <a href=\"/api/docs\">/api/docs</a>.</p></body></html>";

/// Routes for `/dashboard`, `/dashboard/` and everything below it.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route(
            "/dashboard",
            get(|| async { Redirect::permanent("/dashboard/") }),
        )
        .route("/dashboard/", get(|| async { page() }))
        .route(
            "/dashboard/{*path}",
            get(|Path(path): Path<String>| async move { asset_or_page(&path) }),
        )
}

/// Whether the last segment of a path has an extension (a file, not a client route).
fn looks_like_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// Which cache policy a built file gets: content-hashed assets never change.
fn cache_policy(path: &str) -> &'static str {
    if path.starts_with("assets/") {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

fn file(path: &str) -> Option<Response> {
    let asset = DashboardDist::get(path)?;
    let mime = asset.metadata.mimetype();
    let mut response =
        dysa_web::assets::file_response(asset.data.into_owned(), mime, cache_policy(path));
    if mime == "text/html" {
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_CSP),
        );
    }
    Some(response)
}

/// The single page (for `/dashboard/` and every client route).
fn page() -> Response {
    file("dashboard.html").unwrap_or_else(|| {
        (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, REVALIDATE),
            ],
            NOT_BUILT,
        )
            .into_response()
    })
}

fn asset_or_page(path: &str) -> Response {
    if let Some(response) = file(path) {
        return response;
    }
    if looks_like_file(path) {
        return error::for_status(StatusCode::NOT_FOUND).into_response();
    }
    page()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_routes_are_not_files() {
        assert!(looks_like_file("assets/dashboard-abc123.js"));
        assert!(!looks_like_file("locations/0190a1b2-7c3d"));
        assert!(!looks_like_file("picada-tito"));
    }

    #[test]
    fn only_hashed_assets_are_immutable() {
        assert_eq!(cache_policy("assets/dashboard-abc123.js"), IMMUTABLE);
        assert_eq!(cache_policy("dashboard.html"), REVALIDATE);
        assert_eq!(cache_policy("favicon.svg"), REVALIDATE);
    }
}
