//! The public website, server-rendered: Spanish at `/…`, English at `/en/…`.
//!
//! Pages are askama templates compiled into the binary (`templates/site/`), the one CSS
//! file and the few lines of JS are embedded too (`static/site/`), and blog articles are
//! Markdown files embedded from `content/blog/`. Every page works without JavaScript: the
//! forms post to the server, which validates, re-renders with field errors and keeps what
//! was typed. The pages are outside the OpenAPI spec (they are HTML, not the API).

pub mod assets;
pub mod blog;
pub mod checkout;
pub mod forms;
pub mod pages;
pub mod roi;
pub mod seo;
pub mod tokens;

use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get};
use dysa_domain::validate::Lang;
use std::time::Duration;
use tower_governor::GovernorError;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

/// The site pages' Content-Security-Policy: everything from this origin only, no inline
/// script or style, no framing, forms post only here.
pub const SITE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
    frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Largest form body the site accepts (the longest field is a 2,000-character message).
const FORM_BODY_LIMIT: usize = 32 * 1024;

/// Every page of the site, the sitemap, robots.txt and the static files.
///
/// Merged into the app after the JSON error middleware, so a form's 422 and an unknown
/// article's 404 stay HTML pages; the security headers, CORS and tracing still apply.
/// The form posts are rate-limited per client with a budget of their own.
pub fn router(state: &AppState) -> Router<AppState> {
    let settings = &state.settings;
    let limited = |method: MethodRouter<AppState>| -> MethodRouter<AppState> {
        match crate::http::limit::per_client_layer(
            &state.limits,
            Duration::from_secs(settings.public_rate_period_secs),
            settings.public_rate_burst,
            rate_limited,
        ) {
            Some(layer) => method.layer(layer),
            None => method,
        }
    };
    let mut router = Router::new();
    for (path, method) in [
        ("/", get(pages::home)),
        ("/planes", get(pages::plans)),
        ("/casos-exito", get(pages::stories)),
        ("/terminos", get(pages::terms)),
        ("/privacidad", get(pages::privacy)),
        ("/roi", get(roi::page)),
        ("/blog", get(blog::index)),
        ("/blog/{slug}", get(blog::article)),
        ("/welcome", get(forms::welcome)),
        (
            "/demo",
            get(forms::lead_page::<forms::DemoFields>).merge(limited(axum::routing::post(
                forms::lead_submit::<forms::DemoFields>,
            ))),
        ),
        (
            "/contacto",
            get(forms::lead_page::<forms::ContactFields>).merge(limited(axum::routing::post(
                forms::lead_submit::<forms::ContactFields>,
            ))),
        ),
        (
            "/registro",
            get(forms::signup_page).merge(limited(axum::routing::post(forms::signup_submit))),
        ),
        (
            "/checkout/payment",
            get(checkout::checkout_page)
                .merge(limited(axum::routing::post(checkout::checkout_submit))),
        ),
    ] {
        router = router
            .route(path, method.clone())
            .route(&Lang::En.path(path), method);
    }
    router
        .route("/en", get(|| async { Redirect::permanent("/en/") }))
        .route("/sitemap.xml", get(seo::sitemap))
        .route("/robots.txt", get(seo::robots))
        .route("/static/site/{file}", get(assets::serve))
        .layer(CompressionLayer::new())
        .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            settings.request_timeout(),
        ))
}

/// The site's paths in each language.
pub trait LangPath {
    /// `path` (a Spanish path like `/planes`) in this language: `/en/planes` in English,
    /// `/en/` for the home page.
    fn path(self, path: &str) -> String;
    /// The language a request path is in.
    fn of_path(path: &str) -> Lang;
}

impl LangPath for Lang {
    fn path(self, path: &str) -> String {
        match (self, path) {
            (Lang::Es, _) => path.to_owned(),
            (Lang::En, "/") => "/en/".to_owned(),
            (Lang::En, _) => format!("/en{path}"),
        }
    }

    fn of_path(path: &str) -> Lang {
        if path == "/en" || path.starts_with("/en/") {
            Lang::En
        } else {
            Lang::Es
        }
    }
}

/// The language of the page asked for, from its path.
#[derive(Clone, Copy, Debug)]
pub struct PageLang(pub Lang);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(PageLang(Lang::of_path(parts.uri.path())))
    }
}

/// What the layout of every page needs: language, titles, canonical and alternate URLs.
#[derive(Clone, Debug)]
pub struct Meta {
    /// Whether the page is the English one (templates branch on it).
    pub en: bool,
    /// `es-CL` or `en`.
    pub html_lang: &'static str,
    /// The `<title>`.
    pub title: String,
    /// The meta description (also Open Graph).
    pub description: String,
    /// This page's Spanish path (the key of the page in both languages).
    pub path: String,
    /// Absolute URL of this page in its language.
    pub canonical: String,
    /// Absolute URL of the Spanish version.
    pub url_es: String,
    /// Absolute URL of the English version.
    pub url_en: String,
    /// Whether search engines should skip it (the welcome page, form results).
    pub noindex: bool,
    /// The stylesheet's URL, versioned by its content.
    pub css: &'static str,
    /// The script's URL, versioned by its content.
    pub js: &'static str,
}

impl Meta {
    /// The layout facts of the page at Spanish path `path` in `lang`.
    pub fn new(
        state: &AppState,
        lang: Lang,
        path: &str,
        title: impl Into<String>,
        description: impl Into<String>,
    ) -> Meta {
        let base = state.settings.public_url.trim_end_matches('/');
        Meta {
            en: lang == Lang::En,
            html_lang: lang.pick("es-CL", "en"),
            title: title.into(),
            description: description.into(),
            path: path.to_owned(),
            canonical: format!("{base}{}", lang.path(path)),
            url_es: format!("{base}{}", Lang::Es.path(path)),
            url_en: format!("{base}{}", Lang::En.path(path)),
            noindex: false,
            css: assets::url("site.css"),
            js: assets::url("site.js"),
        }
    }

    /// The language of the page.
    pub fn lang(&self) -> Lang {
        if self.en { Lang::En } else { Lang::Es }
    }

    /// A link to another page of the site (given by its Spanish path) in this language.
    pub fn link(&self, path: &str) -> String {
        self.lang().path(path)
    }

    /// The path of this page in the other language, for the language switch.
    pub fn other_lang_path(&self) -> String {
        match self.lang() {
            Lang::Es => Lang::En.path(&self.path),
            Lang::En => Lang::Es.path(&self.path),
        }
    }

    /// `aria-current="page"` for the navigation entry of this page's section.
    pub fn current(&self, section: &str) -> &'static str {
        let here = &self.path;
        let same = if section == "/" {
            here == "/"
        } else {
            here == section || here.starts_with(&format!("{section}/"))
        };
        if same { "page" } else { "false" }
    }
}

/// Pesos as a page in `en` shows them: Chileans read `$12.990`; an English reader is told
/// the currency too (`$12.990 CLP`), since `$` alone reads as US dollars.
pub fn money(en: bool, amount: i64) -> String {
    if en {
        format!("{} CLP", clp(amount))
    } else {
        clp(amount)
    }
}

/// Formats integer pesos the Chilean way: `$12.990`, `-$1.500`.
pub fn clp(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    if amount < 0 {
        format!("-${grouped}")
    } else {
        format!("${grouped}")
    }
}

/// How a rendered page may be cached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caching {
    /// The same for everyone: shared caches may keep it a few minutes.
    Public,
    /// Carries a per-visitor token or secret: never stored.
    NoStore,
}

/// Renders `template` into an HTML answer with the site's CSP; a template failure is
/// logged and answered with a bare 500 page.
pub fn html(status: StatusCode, caching: Caching, template: &impl Template) -> Response {
    match template.render() {
        Ok(body) => {
            let mut response = (status, body).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(SITE_CSP),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static(match caching {
                    Caching::Public => "public, max-age=300",
                    Caching::NoStore => "no-store",
                }),
            );
            headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
            response
        }
        Err(error) => {
            tracing::error!(%error, "site template failed");
            let mut response = (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Error interno / Internal error",
            )
                .into_response();
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(SITE_CSP),
            );
            response
        }
    }
}

/// The not-found page of the site (an unknown article), in the page's language.
pub fn not_found(state: &AppState, lang: Lang, uri: &Uri) -> Response {
    let mut meta = Meta::new(
        state,
        lang,
        uri.path(),
        lang.pick(
            "Página no encontrada — ChatBotDysa",
            "Page not found — ChatBotDysa",
        ),
        lang.pick(
            "La página que buscas no existe.",
            "The page you are looking for does not exist.",
        ),
    );
    meta.noindex = true;
    meta.path = "/".to_owned();
    html(
        StatusCode::NOT_FOUND,
        Caching::Public,
        &pages::NotFoundPage { meta },
    )
}

fn rate_limited(error: GovernorError) -> Response<Body> {
    let wait = match &error {
        GovernorError::TooManyRequests { wait_time, .. } => *wait_time,
        _ => 1,
    };
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        format!(
            "Demasiadas solicitudes; espera {wait} s y vuelve a intentarlo.\n\
             Too many requests; wait {wait} s and try again.\n"
        ),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pesos_are_grouped_with_dots() {
        assert_eq!(clp(0), "$0");
        assert_eq!(clp(990), "$990");
        assert_eq!(clp(12_990), "$12.990");
        assert_eq!(clp(1_234_567), "$1.234.567");
        assert_eq!(clp(-1_500), "-$1.500");
        assert_eq!(money(false, 12_990), "$12.990");
        assert_eq!(money(true, 12_990), "$12.990 CLP");
    }

    #[test]
    fn paths_map_between_languages() {
        assert_eq!(Lang::En.path("/"), "/en/");
        assert_eq!(Lang::En.path("/planes"), "/en/planes");
        assert_eq!(Lang::Es.path("/planes"), "/planes");
        assert_eq!(Lang::of_path("/en/planes"), Lang::En);
        assert_eq!(Lang::of_path("/en"), Lang::En);
        assert_eq!(Lang::of_path("/entradas"), Lang::Es);
    }
}
