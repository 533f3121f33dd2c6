//! The admin panel: the files of `ui/dist` (built by `npm run build` in `ui/`, committed
//! so a fresh clone serves a working panel), embedded in the binary and served at `/`.
//!
//! Files with a content hash (`/assets/…`) are cached for a year; everything else, and
//! the `index.html` answered for panel routes (`/orders/…`, the single-page app's own
//! paths), must be revalidated. Paths under `/api/` and `/health` never reach here as
//! pages: an unknown API path still answers the JSON 404.

use super::error;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

/// The built panel (`ui/dist`).
#[derive(RustEmbed)]
#[folder = "../../ui/dist/"]
struct Dist;

/// Shown when the binary was built without the panel's files.
const NOT_BUILT: &str = "<!DOCTYPE html><html lang=\"es\"><head><meta charset=\"utf-8\">\
<title>ChatBotDysa</title></head><body><h1>Panel no compilado</h1>\
<p>Compila el panel con <code>cd ui &amp;&amp; npm ci &amp;&amp; npm run build</code> y vuelve a \
compilar el equipo. La API sigue en <a href=\"/api/docs\">/api/docs</a>.</p></body></html>";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Whether a path belongs to the API (so it must never answer with the panel).
fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path == "/health" || path.starts_with("/health/")
}

/// Whether a path names a file (its last segment has an extension) rather than a
/// panel route.
fn looks_like_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

fn file(path: &str, cache: &'static str) -> Option<Response> {
    let asset = Dist::get(path)?;
    Some(dysa_web::assets::file_response(
        asset.data.into_owned(),
        asset.metadata.mimetype(),
        cache,
    ))
}

fn index() -> Response {
    file("index.html", REVALIDATE).unwrap_or_else(|| {
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

/// The router's fallback: the panel's files and routes for `GET`/`HEAD`, the JSON 404
/// for everything else (unknown API paths included).
pub async fn fallback(request: Request) -> Response {
    let path = request.uri().path();
    if !(request.method() == Method::GET || request.method() == Method::HEAD) || is_api_path(path) {
        return error::for_status(StatusCode::NOT_FOUND).into_response();
    }
    let relative = path.trim_start_matches('/');
    if relative.is_empty() || relative == "index.html" {
        return index();
    }
    let cache = if relative.starts_with("assets/") {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    if let Some(response) = file(relative, cache) {
        return response;
    }
    if looks_like_file(relative) {
        return error::for_status(StatusCode::NOT_FOUND).into_response();
    }
    index()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_are_never_panel_routes() {
        assert!(is_api_path("/api/v1/nope"));
        assert!(is_api_path("/api"));
        assert!(is_api_path("/health"));
        assert!(!is_api_path("/apiary"));
        assert!(!is_api_path("/orders/123"));
    }

    #[test]
    fn files_have_an_extension() {
        assert!(looks_like_file("assets/index-abc.js"));
        assert!(looks_like_file("favicon.svg"));
        assert!(!looks_like_file("orders/0190a1b2"));
    }
}
