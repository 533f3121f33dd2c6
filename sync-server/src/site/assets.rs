//! The site's static files (one stylesheet, one small script), embedded in the binary and
//! served under URLs versioned by their content, so browsers may cache them for a year.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

#[derive(RustEmbed)]
#[folder = "static/site/"]
struct SiteFiles;

/// Each file's content hash (hex), computed once.
static VERSIONS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    SiteFiles::iter()
        .filter_map(|name| {
            let file = SiteFiles::get(&name)?;
            let mut hex = String::with_capacity(64);
            for byte in file.metadata.sha256_hash() {
                let _ = write!(hex, "{byte:02x}");
            }
            Some((name.into_owned(), hex))
        })
        .collect()
});

/// Versioned URLs handed to the templates (leaked once per file: they live as long as
/// the process anyway).
static URLS: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    VERSIONS
        .iter()
        .map(|(name, hash)| {
            let url: &'static str =
                Box::leak(format!("/static/site/{name}?v={}", &hash[..12]).into_boxed_str());
            (name.clone(), url)
        })
        .collect()
});

/// The versioned URL of the embedded file `name`.
pub fn url(name: &str) -> &'static str {
    URLS.get(name).copied().unwrap_or("/static/site/missing")
}

/// `GET /static/site/{file}`: the file with a year of caching and an ETag.
pub async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let (Some(content), Some(hash)) = (SiteFiles::get(&file), VERSIONS.get(&file)) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let etag = format!("\"{}\"", &hash[..32]);
    let cache = [
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ),
        (
            header::ETAG,
            HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\"")),
        ),
    ];
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    if unchanged {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    let mime = HeaderValue::from_str(content.metadata.mimetype())
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (
        cache,
        [(header::CONTENT_TYPE, mime)],
        content.data.into_owned(),
    )
        .into_response()
}
