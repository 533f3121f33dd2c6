//! The diners' widget as restaurants embed it: `GET /widget.js` (the script built into
//! `ui/dist-widget/`, embedded in the binary) and `GET /r/{slug}`, a hosted page with the
//! widget open full-page for restaurants without a website of their own.
//!
//! These are asset and page routes, kept out of the OpenAPI document. The page resolves
//! the slug exactly as the public widget API does ([`crate::widget::WidgetCache`]), so one
//! code path decides which restaurants are public and what their name is.

use crate::state::AppState;
use crate::widget::{LocationContact, LocationRef};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use dysa_domain::validate::Lang;
use rust_embed::RustEmbed;
use std::fmt::Write as _;
use std::sync::OnceLock;
use tower_http::compression::CompressionLayer;

/// The built widget (`ui/dist-widget`, made by `npm run build:widget` in `ui/`).
#[derive(RustEmbed)]
#[folder = "../ui/dist-widget/"]
struct WidgetDist;

/// Short enough that a new widget reaches every restaurant's site within minutes, long
/// enough that a diner browsing several pages fetches it once.
const SCRIPT_CACHE: &str = "public, max-age=300";

/// The hosted page's policy: the widget script and API from this origin only, logos from
/// any https site (owners host them anywhere), inline styles for the shadow root.
const PAGE_CSP: &str = "default-src 'self'; script-src 'self'; img-src 'self' data: https:; \
    style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; \
    base-uri 'none'; form-action 'none'";

/// Routes for `/widget.js` and `/r/{slug}` (gzip when the client accepts it). The hosted
/// page looks its slug up, so it spends the widget API's per-client budget (a budget of
/// its own, with the same numbers): random slugs cannot reach the database unlimited.
pub fn router(state: &AppState) -> Router<AppState> {
    let settings = &state.settings;
    let layer = crate::http::limit::per_client_layer(
        &state.limits,
        std::time::Duration::from_millis(settings.widget_rate_period_ms),
        settings.widget_rate_burst,
        crate::http::limit::rate_limited,
    );
    let (page, location_page) = match layer {
        Some(layer) => (
            get(hosted_page).layer(layer.clone()),
            get(hosted_location_page).layer(layer),
        ),
        None => (get(hosted_page), get(hosted_location_page)),
    };
    Router::new()
        .route("/widget.js", get(widget_js))
        .route("/r/{slug}", page)
        .route("/r/{slug}/{location}", location_page)
        .layer(CompressionLayer::new().gzip(true))
}

/// The script and its validator, read once.
fn script() -> Option<&'static (Vec<u8>, String)> {
    static SCRIPT: OnceLock<Option<(Vec<u8>, String)>> = OnceLock::new();
    SCRIPT
        .get_or_init(|| {
            let file = WidgetDist::get("widget.js")?;
            let hash = file.metadata.sha256_hash();
            let mut etag = String::from("\"");
            for byte in &hash[..12] {
                let _ = write!(etag, "{byte:02x}");
            }
            etag.push('"');
            Some((file.data.into_owned(), etag))
        })
        .as_ref()
}

/// Whether `If-None-Match` names `etag` (or is `*`).
fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

async fn widget_js(headers: HeaderMap) -> Response {
    let Some((bytes, etag)) = script() else {
        return crate::http::error::for_status(StatusCode::NOT_FOUND).into_response();
    };
    let mut response = if matches_etag(&headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        bytes.clone().into_response()
    };
    let out = response.headers_mut();
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    out.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(SCRIPT_CACHE),
    );
    if let Ok(value) = HeaderValue::from_str(etag) {
        out.insert(header::ETAG, value);
    }
    // Any website may load the script: open CORS for the file itself (the API it calls
    // keeps its exact-origin list), and a resource policy that lets other sites embed it
    // (the service's default is same-origin).
    out.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    out.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    response
}

/// `?lang=en` on the hosted page.
#[derive(Debug, serde::Deserialize)]
struct PageQuery {
    lang: Option<String>,
}

/// Text made safe for HTML content and double-quoted attributes.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// What the public widget endpoint says about a slug.
enum Restaurant {
    Found {
        name: String,
        /// The location's slug when the page is a location's (`/r/{slug}/{location}`).
        location: Option<String>,
        // Boxed: the details are large next to the other variants.
        contact: Box<LocationContact>,
    },
    Unknown,
    Unavailable,
}

/// Resolves the slug as the public widget API does (same cache, same SECURITY DEFINER
/// lookup); a suspended restaurant is not shown.
async fn restaurant(state: &AppState, slug: &str, location: Option<&str>) -> Restaurant {
    let wanted = location.map(|l| LocationRef::Slug(l.to_owned()));
    match state.widget.restaurant(&state.db, slug, wanted).await {
        Ok(Some(found)) if !found.suspended => {
            // The page still shows (name and widget) when the details cannot be read.
            let contact = contact_of(state, found.tenant_id, found.location_id)
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, "hosted page: the location's details failed");
                    LocationContact::default()
                });
            Restaurant::Found {
                name: match location {
                    Some(_) => format!("{} — {}", found.name, found.location_name),
                    None => found.name.clone(),
                },
                location: location.map(|_| found.location_slug.clone()),
                contact: Box::new(contact),
            }
        }
        Ok(_) => Restaurant::Unknown,
        Err(error) => {
            tracing::warn!(%error, "hosted page: the restaurant lookup failed");
            Restaurant::Unavailable
        }
    }
}

async fn contact_of(
    state: &AppState,
    tenant: dysa_domain::ids::TenantId,
    location: dysa_domain::ids::LocationId,
) -> Result<LocationContact, crate::store::StoreError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let contact = crate::widget::location_contact(&mut tx, location).await?;
    tx.commit().await?;
    Ok(contact)
}

fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Es => "es",
    }
}

async fn hosted_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    page(&state, &slug, None, &query, &headers).await
}

/// A location's own page (`/r/{slug}/{location}`, the location by its slug): the same
/// page with the widget bound to that location.
async fn hosted_location_page(
    State(state): State<AppState>,
    Path((slug, location)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    page(&state, &slug, Some(&location), &query, &headers).await
}

async fn page(
    state: &AppState,
    slug: &str,
    location: Option<&str>,
    query: &PageQuery,
    headers: &HeaderMap,
) -> Response {
    let lang = match query.lang.as_deref() {
        Some("en") => Lang::En,
        Some("es") => Lang::Es,
        _ => headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default(),
    };
    let location_ok = location.is_none_or(crate::locations::is_valid_slug);
    let found = if crate::widget::plausible_slug(slug) && location_ok {
        restaurant(state, slug, location).await
    } else {
        Restaurant::Unknown
    };
    let (status, html) = match found {
        Restaurant::Found {
            name,
            location,
            contact,
        } => (
            StatusCode::OK,
            restaurant_page(slug, location.as_deref(), &name, &contact, lang),
        ),
        Restaurant::Unknown => (StatusCode::NOT_FOUND, message_page(lang, false)),
        Restaurant::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, message_page(lang, true)),
    };
    let mut response = (status, html).into_response();
    let out = response.headers_mut();
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    out.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    out.insert(header::VARY, HeaderValue::from_static("accept-language"));
    response
}

const PAGE_STYLE: &str = "html,body{margin:0;height:100%;font-family:system-ui,sans-serif;background:#f6f6f6;color:#222}\
main{max-width:32rem;margin:0 auto;padding:2rem 1rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}";

/// `text` percent-encoded for a URL's query (everything but the unreserved characters).
fn query_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The week's hours as lines ("lunes: 12:00–23:00"), in the page's language.
fn hours_lines(
    hours: &dysa_domain::hours::OpeningHours,
    lang: Lang,
) -> Vec<(&'static str, String)> {
    let days: [(&'static str, &'static str, &[dysa_domain::hours::Interval]); 7] = [
        ("lunes", "Monday", &hours.monday),
        ("martes", "Tuesday", &hours.tuesday),
        ("miércoles", "Wednesday", &hours.wednesday),
        ("jueves", "Thursday", &hours.thursday),
        ("viernes", "Friday", &hours.friday),
        ("sábado", "Saturday", &hours.saturday),
        ("domingo", "Sunday", &hours.sunday),
    ];
    days.into_iter()
        .map(|(es, en, spans)| {
            let text = if spans.is_empty() {
                match lang {
                    Lang::En => "Closed".to_owned(),
                    Lang::Es => "Cerrado".to_owned(),
                }
            } else {
                spans
                    .iter()
                    .map(|i| format!("{}–{}", i.open, i.close))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            (if lang == Lang::En { en } else { es }, text)
        })
        .collect()
}

/// The location's address (with a map link), phone (a `tel:` link) and hours, as HTML;
/// empty when the owner set none of them.
fn contact_html(contact: &LocationContact, lang: Lang) -> String {
    let en = lang == Lang::En;
    let mut html = String::new();
    if let Some(address) = &contact.address {
        let _ = write!(
            html,
            "<dt>{}</dt><dd>{} · <a href=\"https://www.google.com/maps/search/?api=1&amp;query={}\" rel=\"noopener\" target=\"_blank\">{}</a></dd>",
            if en { "Address" } else { "Dirección" },
            escape_html(address),
            query_encode(address),
            if en {
                "See on the map"
            } else {
                "Ver en el mapa"
            },
        );
    }
    if let Some(phone) = &contact.phone {
        let dial: String = phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        let _ = write!(
            html,
            "<dt>{}</dt><dd><a href=\"tel:{}\">{}</a></dd>",
            if en { "Phone" } else { "Teléfono" },
            escape_html(&dial),
            escape_html(phone),
        );
    }
    if let Some(hours) = &contact.opening_hours {
        let _ = write!(
            html,
            "<dt>{}</dt><dd>",
            if en { "Hours" } else { "Horario" }
        );
        for (day, text) in hours_lines(hours, lang) {
            let _ = write!(html, "{day}: {text}<br>");
        }
        html.push_str("</dd>");
    }
    if html.is_empty() {
        html
    } else {
        format!("<dl class=\"contact\">{html}</dl>\n")
    }
}

/// The restaurant's page: its name in the title, the widget open over the whole page
/// (bound to `location`, a location slug, when the page is a location's).
fn restaurant_page(
    slug: &str,
    location: Option<&str>,
    name: &str,
    contact: &LocationContact,
    lang: Lang,
) -> String {
    let name = escape_html(name);
    // Location slugs are `a-z 0-9 -` (checked before the lookup): nothing to escape.
    let (path, bound) = match location {
        Some(l) => (format!("{slug}/{l}"), format!(" data-location=\"{l}\"")),
        None => (slug.to_owned(), String::new()),
    };
    let details = contact_html(contact, lang);
    let tag = lang_tag(lang);
    let (tagline, noscript, other, other_label) = match lang {
        Lang::En => (
            "chat, order and book online",
            "Enable JavaScript to chat, order and book a table.",
            "es",
            "Español",
        ),
        Lang::Es => (
            "conversa, pide y reserva en línea",
            "Activa JavaScript para conversar, pedir y reservar.",
            "en",
            "English",
        ),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{tag}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, viewport-fit=cover\">\n\
<title>{name} — {tagline}</title>\n<meta name=\"description\" content=\"{name}: {tagline}.\">\n\
<meta property=\"og:title\" content=\"{name}\">\n\
<link rel=\"alternate\" hreflang=\"{other}\" href=\"/r/{path}?lang={other}\">\n\
<style>{PAGE_STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{name}</h1>\n{details}\
<noscript><p>{noscript}</p></noscript>\n<p><a href=\"/r/{path}?lang={other}\" hreflang=\"{other}\">{other_label}</a></p>\n</main>\n\
<script src=\"/widget.js\" data-restaurant=\"{slug}\"{bound} data-lang=\"{tag}\" data-open=\"page\" async></script>\n\
</body>\n</html>\n"
    )
}

/// The page for an unknown slug, or when the restaurant cannot be looked up right now.
fn message_page(lang: Lang, unavailable: bool) -> String {
    let tag = lang_tag(lang);
    let (title, text) = match (lang, unavailable) {
        (Lang::En, false) => (
            "Restaurant not found",
            "There is no restaurant at this address. Check the link you were given.",
        ),
        (Lang::En, true) => (
            "Try again in a moment",
            "We could not load this restaurant right now.",
        ),
        (Lang::Es, false) => (
            "Restaurante no encontrado",
            "No hay un restaurante en esta dirección. Revisa el enlace que te dieron.",
        ),
        (Lang::Es, true) => (
            "Intenta de nuevo en un momento",
            "No pudimos cargar este restaurante ahora.",
        ),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{tag}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n\
<title>{title} — ChatBotDysa</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n<p>{text}</p>\n</main>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_in_the_page() {
        let page = restaurant_page(
            "donde-pepe",
            None,
            "<script>alert(1)</script> & \"Pepe's\"",
            &LocationContact::default(),
            Lang::Es,
        );
        assert!(!page.contains("<script>alert"));
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Pepe&#39;s&quot;")
        );
        assert!(page.contains("<html lang=\"es\">"));
        assert!(page.contains("data-restaurant=\"donde-pepe\""));
        assert!(!page.contains("data-location"));
    }

    #[test]
    fn a_location_page_binds_the_widget_to_the_location() {
        let page = restaurant_page(
            "donde-pepe",
            Some("providencia"),
            "Donde Pepe — Providencia",
            &LocationContact::default(),
            Lang::Es,
        );
        assert!(page.contains("data-restaurant=\"donde-pepe\" data-location=\"providencia\""));
        assert!(page.contains("href=\"/r/donde-pepe/providencia?lang=en\""));
    }

    #[test]
    fn the_page_shows_address_map_phone_and_hours_escaped() {
        let hours: dysa_domain::hours::OpeningHours = serde_json::from_value(serde_json::json!({
            "monday": [], "tuesday": [{"open": "12:00", "close": "16:00"}, {"open": "19:00", "close": "23:30"}],
            "wednesday": [], "thursday": [], "friday": [], "saturday": [], "sunday": []
        }))
        .unwrap_or_default();
        let contact = LocationContact {
            address: Some("Av. Italia 1234, Ñuñoa <b>".into()),
            phone: Some("+56 9 8765 4321".into()),
            opening_hours: Some(hours),
        };
        let es = restaurant_page("donde-pepe", None, "Donde Pepe", &contact, Lang::Es);
        assert!(es.contains("Av. Italia 1234, Ñuñoa &lt;b&gt;"), "{es}");
        assert!(es.contains("query=Av.%20Italia%201234%2C%20%C3%91u%C3%B1oa%20%3Cb%3E"));
        assert!(es.contains("Ver en el mapa"));
        assert!(es.contains("href=\"tel:+56987654321\""));
        assert!(es.contains("lunes: Cerrado") && es.contains("martes: 12:00–16:00, 19:00–23:30"));
        let en = restaurant_page("donde-pepe", None, "Donde Pepe", &contact, Lang::En);
        assert!(en.contains("Monday: Closed") && en.contains("See on the map"));
        let bare = restaurant_page(
            "donde-pepe",
            None,
            "Donde Pepe",
            &LocationContact::default(),
            Lang::Es,
        );
        assert!(
            !bare.contains("<dl"),
            "nothing shown that the owner did not set"
        );
    }

    #[test]
    fn etag_matching_accepts_lists_and_weak_tags() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"old\", W/\"abc\""),
        );
        assert!(matches_etag(&headers, "\"abc\""));
        assert!(!matches_etag(&headers, "\"abd\""));
        assert!(!matches_etag(&HeaderMap::new(), "\"abc\""));
    }
}
