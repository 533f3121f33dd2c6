//! Answers for files built into the binary (the panel, the dashboard, the widget).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// `data` as a file of type `mime` (text types in UTF-8) with the cache policy `cache`.
pub fn file_response(data: Vec<u8>, mime: &str, cache: &'static str) -> Response {
    let content_type = if mime.starts_with("text/") || mime == "application/javascript" {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_owned()
    };
    let mut response = data.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}
