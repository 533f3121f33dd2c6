//! The diner's page of their booking (`/public/bookings/{tenant}/{id}/{token}`), linked
//! from the confirmation and the reminders: shows the booking and cancels it with one
//! button (see [`crate::booking_messages`]). The token is the tenant's keyed hash of the
//! booking's id, so only the diner's link opens it; a wrong one is 404. Spanish unless
//! `?lang=en`.

use crate::booking_messages::{self, BookingPage};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::Query;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Html;
use dysa_domain::ids::TenantId;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(booking_page, cancel_booking))
}

/// The page's language.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PageLang {
    /// `en` for English; Spanish otherwise.
    #[serde(default)]
    pub lang: Option<String>,
}

fn lang_of(query: &PageLang) -> &'static str {
    if query.lang.as_deref() == Some("en") {
        "en"
    } else {
        "es"
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn parse(tenant: &str, id: &str) -> Result<(TenantId, Uuid), ApiError> {
    let not_found = || ApiError::not_found("La reserva", "The booking");
    let tenant = tenant.parse::<Uuid>().map_err(|_| not_found())?;
    let id = id.parse::<Uuid>().map_err(|_| not_found())?;
    Ok((TenantId(tenant), id))
}

/// The page's HTML (es-CL or English), with the cancel button while it may be cancelled.
pub fn render(page: &BookingPage, lang: &str, just_cancelled: bool) -> String {
    let en = lang == "en";
    let t = |es: &'static str, english: &'static str| if en { english } else { es };
    let people = match (page.party_size, en) {
        (1, false) => "1 persona".to_owned(),
        (n, false) => format!("{n} personas"),
        (1, true) => "1 person".to_owned(),
        (n, true) => format!("{n} people"),
    };
    let state = if just_cancelled {
        format!(
            "<p class=\"ok\">{}</p>",
            t(
                "Listo: tu reserva quedó anulada. El restaurante ya lo sabe.",
                "Done: your booking is cancelled. The restaurant knows."
            )
        )
    } else if page.cancelled {
        format!(
            "<p>{}</p>",
            t("Esta reserva está anulada.", "This booking is cancelled.")
        )
    } else if page.cancellable {
        format!(
            "<form method=\"post\"><button type=\"submit\">{}</button></form><p class=\"note\">{}</p>",
            t("Anular mi reserva", "Cancel my booking"),
            t(
                "Si vienes, no tienes que hacer nada. ¡Te esperamos!",
                "If you are coming, there is nothing to do. See you soon!"
            )
        )
    } else {
        format!(
            "<p>{}</p>",
            t(
                "Esta reserva ya no se puede anular aquí; llama al restaurante.",
                "This booking can no longer be cancelled here; please call the restaurant."
            )
        )
    };
    format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} · {restaurant}</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1f2933}}\
h1{{font-size:1.4rem}}button{{min-height:44px;padding:.6rem 1.2rem;font-size:1rem;border:0;border-radius:8px;\
background:#b42318;color:#fff;cursor:pointer}}.ok{{color:#05603a;font-weight:600}}.note{{color:#52606d}}</style>\
</head><body><h1>{restaurant}</h1><p>{location}</p><p><strong>{heading}</strong><br>{when} · {people}</p>{state}</body></html>",
        code = if en { "en" } else { "es-CL" },
        title = t("Tu reserva", "Your booking"),
        heading = t("Tu reserva", "Your booking"),
        restaurant = escape(&page.restaurant),
        location = escape(&page.location),
        when = escape(&page.when),
    )
}

/// The diner's booking page.
#[utoipa::path(get, path = "/public/bookings/{tenant}/{id}/{token}", tag = "widget", security(()),
    params(("tenant" = Uuid, Path), ("id" = Uuid, Path), ("token" = String, Path), PageLang),
    responses(
        (status = 200, description = "The page", body = String, content_type = "text/html"),
        (status = 404, body = ErrorBody),
    ))]
async fn booking_page(
    State(state): State<AppState>,
    Path((tenant, id, token)): Path<(String, String, String)>,
    Query(query): Query<PageLang>,
) -> Result<Html<String>, ApiError> {
    let (tenant, id) = parse(&tenant, &id)?;
    let lang = lang_of(&query);
    let page = booking_messages::page(&state, tenant, id, &token, lang).await?;
    Ok(Html(render(&page, lang, false)))
}

/// The diner cancels their booking: written like any cloud change of the booking, so the
/// counter sees it cancelled. Pressing again shows it cancelled.
#[utoipa::path(post, path = "/public/bookings/{tenant}/{id}/{token}", tag = "widget", security(()),
    params(("tenant" = Uuid, Path), ("id" = Uuid, Path), ("token" = String, Path), PageLang),
    responses(
        (status = 200, description = "The page, cancelled", body = String, content_type = "text/html"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`booking_not_cancellable`"),
    ))]
async fn cancel_booking(
    State(state): State<AppState>,
    Path((tenant, id, token)): Path<(String, String, String)>,
    Query(query): Query<PageLang>,
) -> Result<Html<String>, ApiError> {
    let (tenant, id) = parse(&tenant, &id)?;
    let lang = lang_of(&query);
    let page = booking_messages::cancel_by_link(&state, tenant, id, &token, lang).await?;
    Ok(Html(render(&page, lang, true)))
}
