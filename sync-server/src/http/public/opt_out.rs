//! A diner's one-click email opt-out (`/public/opt-out/{tenant}/{token}`), linked from
//! every diner email and named in its `List-Unsubscribe` header (RFC 8058): `GET` shows
//! a page with one button and changes nothing (mail scanners open links); `POST` — the
//! button, or a mail client's one-click `List-Unsubscribe=One-Click` — records the
//! address's keyed hash in `diner_opt_outs`, after which no message of that restaurant
//! is queued to it. A token not made by the tenant is 404. Spanish unless `?lang=en`.

use super::booking_link::PageLang;
use crate::diner_messages;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::Query;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Html;
use dysa_domain::ids::TenantId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(opt_out_page, opt_out))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn tenant_of(tenant: &str) -> Result<TenantId, ApiError> {
    tenant
        .parse::<Uuid>()
        .map(TenantId)
        .map_err(|_| ApiError::not_found("El enlace", "The link"))
}

fn lang_of(query: &PageLang) -> &'static str {
    if query.lang.as_deref() == Some("en") {
        "en"
    } else {
        "es"
    }
}

/// The page (es-CL or English): the button, or that it is done.
pub fn render(restaurant: &str, lang: &str, done: bool) -> String {
    let en = lang == "en";
    let t = |es: &'static str, english: &'static str| if en { english } else { es };
    let body = if done {
        format!(
            "<p class=\"ok\">{}</p>",
            t(
                "Listo: no te enviaremos más mensajes de este restaurante.",
                "Done: you will get no more messages from this restaurant."
            )
        )
    } else {
        format!(
            "<p>{}</p><form method=\"post\"><button type=\"submit\">{}</button></form>",
            t(
                "¿No quieres recibir más correos de este restaurante sobre tus pedidos y reservas?",
                "Do you want no more emails from this restaurant about your orders and bookings?"
            ),
            t("No enviarme más mensajes", "Send me no more messages")
        )
    };
    format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} · {restaurant}</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1f2933}}\
h1{{font-size:1.4rem}}button{{min-height:44px;padding:.6rem 1.2rem;font-size:1rem;border:0;border-radius:8px;\
background:#b42318;color:#fff;cursor:pointer}}.ok{{color:#05603a;font-weight:600}}</style>\
</head><body><h1>{restaurant}</h1>{body}</body></html>",
        code = if en { "en" } else { "es-CL" },
        title = t("Mensajes", "Messages"),
        restaurant = escape(restaurant),
    )
}

/// The opt-out page: one button; opening it changes nothing.
#[utoipa::path(get, path = "/public/opt-out/{tenant}/{token}", tag = "widget", security(()),
    params(("tenant" = Uuid, Path), ("token" = String, Path), PageLang),
    responses(
        (status = 200, description = "The page", body = String, content_type = "text/html"),
        (status = 404, body = ErrorBody),
    ))]
async fn opt_out_page(
    State(state): State<AppState>,
    Path((tenant, token)): Path<(String, String)>,
    Query(query): Query<PageLang>,
) -> Result<Html<String>, ApiError> {
    let tenant = tenant_of(&tenant)?;
    let lang = lang_of(&query);
    let restaurant = diner_messages::opt_out_by_link(&state, tenant, &token, false).await?;
    Ok(Html(render(&restaurant, lang, false)))
}

/// The diner opts out (the page's button, or a mail client's RFC 8058 one-click POST):
/// recorded once; pressing again shows it done.
#[utoipa::path(post, path = "/public/opt-out/{tenant}/{token}", tag = "widget", security(()),
    params(("tenant" = Uuid, Path), ("token" = String, Path), PageLang),
    responses(
        (status = 200, description = "The page, done", body = String, content_type = "text/html"),
        (status = 404, body = ErrorBody),
    ))]
async fn opt_out(
    State(state): State<AppState>,
    Path((tenant, token)): Path<(String, String)>,
    Query(query): Query<PageLang>,
) -> Result<Html<String>, ApiError> {
    let tenant = tenant_of(&tenant)?;
    let lang = lang_of(&query);
    let restaurant = diner_messages::opt_out_by_link(&state, tenant, &token, true).await?;
    Ok(Html(render(&restaurant, lang, true)))
}
