//! Reservations of every location, from synced data.

use crate::bookings::{self, BookingChannel, BookingError, BookingOutcome, NewBooking};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Json, Path, Query, perm};
use crate::state::AppState;
use crate::store::owners::{self, ReservationRow};
use axum::extract::State;
use chrono::{DateTime, Utc};
use dysa_domain::ids::LocationId;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, book))
        .routes(routes!(detail))
}

/// Filters of the reservation list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReservationsQuery {
    /// Only this location.
    #[param(value_type = Option<String>, format = Uuid)]
    pub location_id: Option<LocationId>,
    /// Starting at or after (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Starting before (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// At most this many (default 200, at most 1000).
    pub limit: Option<i64>,
}

/// Reservations in time order.
#[utoipa::path(get, path = "/reservations", tag = "reservations", security(("bearer" = ["reservations:read"])),
    params(ReservationsQuery),
    responses((status = 200, body = Vec<ReservationRow>), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::ReservationsRead>,
    Query(q): Query<ReservationsQuery>,
) -> Result<axum::Json<Vec<ReservationRow>>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let limit = q.limit.unwrap_or(200).clamp(1, 1000);
    Ok(axum::Json(
        owners::reservations(&mut tx, &state.vault, q.location_id, q.from, q.to, limit).await?,
    ))
}

/// One reservation.
#[utoipa::path(get, path = "/reservations/{id}", tag = "reservations", security(("bearer" = ["reservations:read"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ReservationRow), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::ReservationsRead>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<ReservationRow>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    owners::reservation(&mut tx, &state.vault, id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("La reserva", "The reservation"))
}

impl From<BookingError> for ApiError {
    fn from(error: BookingError) -> Self {
        match error {
            BookingError::Invalid(fields) => ApiError::validation(fields),
            BookingError::UnknownLocation => ApiError::not_found("El local", "The location"),
            BookingError::Store(e) => ApiError::internal(&e),
            refused @ BookingError::Refused(_) => ApiError::internal(&refused),
        }
    }
}

/// A booking made by an owner or manager on the dashboard.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OwnerBooking {
    /// The location.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Name the booking is under.
    pub name: String,
    /// Contact phone.
    pub phone: String,
    /// Contact email.
    pub email: Option<String>,
    /// How many people.
    pub party_size: u32,
    /// Start: one of the location's slots (RFC 3339, or local wall-clock time).
    pub starts_at: String,
    /// A note for the restaurant.
    pub note: Option<String>,
}

/// Books a table from the dashboard, under the same rule as the widget: while the
/// restaurant is online it decides (`pending`); while it is offline the cloud confirms
/// within the location's online quota per slot (`bookings.online_quota_per_slot`).
#[utoipa::path(post, path = "/reservations", tag = "reservations",
    security(("bearer" = ["reservations:create"])),
    request_body = OwnerBooking,
    responses((status = 201, body = BookingOutcome), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn book(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::ReservationsCreate>,
    Json(body): Json<OwnerBooking>,
) -> Result<(axum::http::StatusCode, axum::Json<BookingOutcome>), ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let online = bookings::location_recently_seen(&mut tx, body.location_id).await?;
    let booking = NewBooking {
        id: Uuid::now_v7(),
        name: body.name,
        phone: body.phone,
        email: body.email,
        party_size: body.party_size,
        starts_at: body.starts_at,
        note: body.note,
        channel: BookingChannel::Dashboard,
    };
    let outcome = bookings::book(&state, &mut tx, body.location_id, booking, online).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok((axum::http::StatusCode::CREATED, axum::Json(outcome)))
}
