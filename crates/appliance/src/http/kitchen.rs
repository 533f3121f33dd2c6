//! The kitchen: firing a course ("Marchar"), the kitchen screens' tickets, bump and recall,
//! reprints, and the preparation times per station.

use super::error::ApiError;
use super::extract::{Authorized, Json, Path, Query, perm};
use crate::state::AppState;
use crate::store::kitchen::{KitchenTicket, StationPrep};
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::ids::{OrderId, OrderLineId};
use dysa_domain::kitchen::Course;
use dysa_domain::menu::Station;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(fire_course))
        .routes(routes!(open_tickets))
        .routes(routes!(order_tickets))
        .routes(routes!(bump_ticket))
        .routes(routes!(bump_line))
        .routes(routes!(recall))
        .routes(routes!(reprint_ticket))
        .routes(routes!(prep_times))
}

/// Which course to fire.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FireCourse {
    /// The course; absent or null fires the lines ordered without a course.
    #[serde(default)]
    pub course: Option<Course>,
}

/// The tickets a fire made, one per station.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Fired {
    /// The new tickets.
    pub tickets: Vec<KitchenTicket>,
}

/// "Marchar": sends a course of an order to the kitchen now. Its lines not sent before
/// become one ticket per station (screens and printers); firing a course with nothing
/// waiting answers 422, so a double tap never cooks twice. Lines of other courses wait
/// ("Esperar") until their own course is fired.
#[utoipa::path(post, path = "/orders/{id}/fire", tag = "kitchen", security(("bearer" = ["orders:create"])),
    params(("id" = OrderId, Path)),
    request_body = FireCourse,
    responses(
        (status = 201, body = Fired),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn fire_course(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::OrdersCreate>,
    Path(id): Path<OrderId>,
    Json(body): Json<FireCourse>,
) -> Result<(StatusCode, axum::Json<Fired>), ApiError> {
    let tickets = state.kitchen.fire(id, body.course, Some(user.id)).await?;
    Ok((StatusCode::CREATED, axum::Json(Fired { tickets })))
}

/// Which screen.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketQuery {
    /// One station (`kitchen`, `bar`, `dessert`); all when absent.
    pub station: Option<String>,
}

/// What a kitchen screen shows.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OpenTickets {
    /// Tickets not bumped yet, oldest first.
    pub items: Vec<KitchenTicket>,
    /// The appliance's clock (RFC 3339), so a tablet with a wrong clock still shows the
    /// right elapsed times.
    pub server_time: String,
}

fn station_param(text: Option<&str>) -> Result<Option<Station>, ApiError> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    text.parse::<Station>().map(Some).map_err(|_| {
        let mut errors = FieldErrors::new();
        errors.add(
            "station",
            FieldIssue::Other {
                es: format!("estación desconocida: {text}"),
                en: format!("unknown station: {text}"),
            },
        );
        ApiError::validation(errors)
    })
}

/// The tickets on the kitchen screens: one station's or all, oldest first.
#[utoipa::path(get, path = "/kitchen/tickets", tag = "kitchen", security(("bearer" = ["orders:read"])),
    params(TicketQuery),
    responses((status = 200, body = OpenTickets), (status = 422, body = super::error::ErrorBody)))]
async fn open_tickets(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersRead>,
    Query(query): Query<TicketQuery>,
) -> Result<axum::Json<OpenTickets>, ApiError> {
    let station = station_param(query.station.as_deref())?;
    Ok(axum::Json(OpenTickets {
        items: state.kitchen.open_tickets(station).await?,
        server_time: crate::store::instant_text(jiff::Timestamp::now()),
    }))
}

/// An order's kitchen tickets.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderTickets {
    /// Every ticket of the order, bumped or not, in firing order.
    pub items: Vec<KitchenTicket>,
}

/// An order's kitchen tickets, bumped or not, oldest first: the tab sheet marks each line
/// "En espera" (in no ticket), "Marchado hh:mm" (on a screen) or "Listo" (bumped).
#[utoipa::path(get, path = "/orders/{id}/kitchen-tickets", tag = "kitchen", security(("bearer" = ["orders:read"])),
    params(("id" = OrderId, Path)),
    responses(
        (status = 200, body = OrderTickets),
        (status = 404, body = super::error::ErrorBody),
    ))]
async fn order_tickets(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersRead>,
    Path(id): Path<OrderId>,
) -> Result<axum::Json<OrderTickets>, ApiError> {
    Ok(axum::Json(OrderTickets {
        items: state.kitchen.tickets_of_order(id).await?,
    }))
}

/// Bumps a ticket off the screens (the course is ready); its lines' preparation times are
/// recorded.
#[utoipa::path(post, path = "/kitchen/tickets/{id}/bump", tag = "kitchen", security(("bearer" = ["orders:create"])),
    params(("id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = KitchenTicket),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody),
    ))]
async fn bump_ticket(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::OrdersCreate>,
    Path(id): Path<uuid::Uuid>,
) -> Result<axum::Json<KitchenTicket>, ApiError> {
    Ok(axum::Json(
        state.kitchen.bump_ticket(id, Some(user.id)).await?,
    ))
}

/// Bumps one line of a ticket (one plate is ready); the last one bumps the ticket.
#[utoipa::path(post, path = "/kitchen/tickets/{id}/lines/{line_id}/bump", tag = "kitchen", security(("bearer" = ["orders:create"])),
    params(("id" = uuid::Uuid, Path), ("line_id" = OrderLineId, Path)),
    responses(
        (status = 200, body = KitchenTicket),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody),
    ))]
async fn bump_line(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::OrdersCreate>,
    Path((id, line_id)): Path<(uuid::Uuid, OrderLineId)>,
) -> Result<axum::Json<KitchenTicket>, ApiError> {
    Ok(axum::Json(
        state.kitchen.bump_line(id, line_id, Some(user.id)).await?,
    ))
}

/// Which station's last bumped ticket to bring back.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Recall {
    /// The station.
    pub station: Station,
}

/// Brings back the station's last bumped ticket (bumped too soon).
#[utoipa::path(post, path = "/kitchen/recall", tag = "kitchen", security(("bearer" = ["orders:create"])),
    request_body = Recall,
    responses(
        (status = 200, body = KitchenTicket),
        (status = 404, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn recall(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersCreate>,
    Json(body): Json<Recall>,
) -> Result<axum::Json<KitchenTicket>, ApiError> {
    Ok(axum::Json(state.kitchen.recall(body.station).await?))
}

/// A queued reprint.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reprint {
    /// The print job, marked COPIA; none when the station has no printer.
    pub job_id: Option<uuid::Uuid>,
}

/// Reprints a kitchen ticket, marked COPIA (the same ticket, never a new order).
#[utoipa::path(post, path = "/kitchen/tickets/{id}/reprint", tag = "kitchen", security(("bearer" = ["orders:create"])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 202, body = Reprint), (status = 404, body = super::error::ErrorBody)))]
async fn reprint_ticket(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersCreate>,
    Path(id): Path<uuid::Uuid>,
) -> Result<(StatusCode, axum::Json<Reprint>), ApiError> {
    let job_id = state.kitchen.reprint(id).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(Reprint { job_id })))
}

/// The period of the preparation times.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrepQuery {
    /// From this local day (`YYYY-MM-DD`) or instant, inclusive; default: today.
    pub from: Option<String>,
    /// Until this local day (inclusive) or instant (exclusive); default: today.
    pub to: Option<String>,
}

/// Average preparation time per station (bump − fire of each line).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PrepTimes {
    /// One row per station with bumped lines.
    pub stations: Vec<StationPrep>,
}

/// Preparation times per station over a period, for the analytics page.
#[utoipa::path(get, path = "/kitchen/prep-times", tag = "kitchen", security(("bearer" = ["reports:read"])),
    params(PrepQuery),
    responses((status = 200, body = PrepTimes), (status = 422, body = super::error::ErrorBody)))]
async fn prep_times(
    State(state): State<AppState>,
    _: Authorized<perm::ReportsRead>,
    Query(query): Query<PrepQuery>,
) -> Result<axum::Json<PrepTimes>, ApiError> {
    let settings = state.restaurant.get(&state.db.read).await?;
    let tz = settings.tz();
    let today = jiff::Timestamp::now()
        .to_zoned(tz.clone())
        .date()
        .to_string();
    let mut errors = FieldErrors::new();
    let mut bound = |field: &str, text: Option<&str>, end: bool| {
        let parsed = super::orders::parse_bound(text.unwrap_or(&today), &tz, end);
        if parsed.is_none() {
            errors.add(
                field,
                FieldIssue::Other {
                    es: "fecha no válida (YYYY-MM-DD o RFC 3339)".into(),
                    en: "invalid date (YYYY-MM-DD or RFC 3339)".into(),
                },
            );
        }
        parsed.unwrap_or_default()
    };
    let from = bound("from", query.from.as_deref(), false);
    let to = bound("to", query.to.as_deref(), true);
    errors.into_result()?;
    Ok(axum::Json(PrepTimes {
        stations: crate::store::kitchen::prep_times(&state.db.read, &from, &to).await?,
    }))
}
