//! What search engines read: the sitemap (every indexable page in both languages, with
//! its alternates) and robots.txt.

use super::LangPath;
use super::blog;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use dysa_domain::validate::Lang;
use std::fmt::Write as _;

/// Every indexable page, by its Spanish path (articles are added from the blog).
pub const PAGES: &[&str] = &[
    "/",
    "/planes",
    "/demo",
    "/registro",
    "/roi",
    "/casos-exito",
    "/blog",
    "/contacto",
    "/terminos",
    "/privacidad",
];

/// Every indexable Spanish path, articles included.
pub fn indexable_paths() -> Vec<String> {
    let mut paths: Vec<String> = PAGES.iter().map(|p| (*p).to_owned()).collect();
    paths.extend(
        blog::articles(Lang::Es)
            .filter(|es| blog::articles(Lang::En).any(|en| en.slug == es.slug))
            .map(|a| format!("/blog/{}", a.slug)),
    );
    paths
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /sitemap.xml`.
pub async fn sitemap(State(state): State<AppState>) -> Response {
    let base = state.settings.public_url.trim_end_matches('/');
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for path in indexable_paths() {
        let es = xml_escape(&format!("{base}{}", Lang::Es.path(&path)));
        let en = xml_escape(&format!("{base}{}", Lang::En.path(&path)));
        for loc in [&es, &en] {
            let _ = writeln!(
                xml,
                "  <url><loc>{loc}</loc>\
                 <xhtml:link rel=\"alternate\" hreflang=\"es-CL\" href=\"{es}\"/>\
                 <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{en}\"/>\
                 <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{es}\"/></url>"
            );
        }
    }
    xml.push_str("</urlset>\n");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/xml; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        xml,
    )
        .into_response()
}

/// `GET /robots.txt`: the site is open; the API, the dashboard and the welcome page
/// are not for search engines.
pub async fn robots(State(state): State<AppState>) -> Response {
    let base = state.settings.public_url.trim_end_matches('/');
    let body = format!(
        "User-agent: *\n\
         Allow: /\n\
         Disallow: /api/\n\
         Disallow: /dashboard/\n\
         Disallow: /welcome\n\
         Disallow: /en/welcome\n\
         \n\
         Sitemap: {base}/sitemap.xml\n"
    );
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
        .into_response()
}
