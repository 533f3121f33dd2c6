//! Widget bookings (`/public/{slug}/availability`, `/public/{slug}/reservations`): the
//! free start times of a day, and a booking with an Idempotency-Key. The decisions are
//! `crate::bookings`' (confirmed at once only while the restaurant is offline and within
//! the slot's online quota, else pending for the counter), told whether the location is
//! online by `presence`.

use super::restaurant::{LocationQuery, PublicRestaurant};
use crate::bookings::{self, BookingChannel, BookingOutcome, NewBooking, Slot};
use crate::http::error::{ApiError, ErrorBody, for_status};
use crate::http::extract::{Query, decode_json, idempotency_key};
use crate::limits::Budget;
use crate::state::AppState;
use crate::store::{StoreError, idempotency};
use crate::widget_orders::request_hash;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::NaiveDate;
use dysa_domain::ids::LocationId;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(availability))
        .routes(routes!(reserve))
}

fn bookings_off() -> ApiError {
    ApiError::conflict(
        "online_bookings_off",
        "Este restaurante no recibe reservas en línea",
        "This restaurant does not take online bookings",
    )
}

fn party_too_large(max: i32) -> ApiError {
    let mut fields = FieldErrors::new();
    fields.add(
        "party_size",
        FieldIssue::OutOfRange {
            min: 1,
            max: i64::from(max),
        },
    );
    fields.into()
}

/// The day and party asked about.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AvailabilityQuery {
    /// The day, `YYYY-MM-DD`, in the restaurant's time zone.
    pub date: NaiveDate,
    /// How many people.
    pub party_size: u32,
    /// One of the tenant's locations; absent: its first.
    #[param(value_type = Option<String>, format = Uuid)]
    pub location: Option<LocationId>,
}

/// The start times of a day.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Availability {
    /// The day.
    pub date: NaiveDate,
    /// The party.
    pub party_size: u32,
    /// Its start times, each free or not.
    pub slots: Vec<Slot>,
}

/// The start times of a day for a party, each saying whether a table is free.
#[utoipa::path(get, path = "/public/{slug}/availability", tag = "widget", security(()),
    params(("slug" = String, Path), AvailabilityQuery),
    responses(
        (status = 200, body = Availability),
        (status = 404, body = ErrorBody, description = "`restaurant_not_found`"),
        (status = 409, body = ErrorBody, description = "`online_bookings_off`"),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
async fn availability(
    State(state): State<AppState>,
    PublicRestaurant(restaurant): PublicRestaurant,
    Query(q): Query<AvailabilityQuery>,
) -> Result<axum::Json<Availability>, ApiError> {
    let settings = &restaurant.settings.bookings;
    if !settings.enabled {
        return Err(bookings_off());
    }
    if i64::from(q.party_size) > i64::from(settings.max_party_size) {
        return Err(party_too_large(settings.max_party_size));
    }
    let mut tx = state.db.tenant_tx(restaurant.tenant_id).await?;
    let slots =
        bookings::availability(&mut tx, restaurant.location_id, q.date, q.party_size).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(axum::Json(Availability {
        date: q.date,
        party_size: q.party_size,
        slots,
    }))
}

/// A booking from the widget.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReservationRequest {
    /// Name the booking is under.
    pub name: String,
    /// Phone.
    pub phone: String,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// How many people.
    pub party_size: u32,
    /// One of the day's start times (RFC 3339).
    pub starts_at: String,
    /// A note for the restaurant.
    #[serde(default)]
    pub note: Option<String>,
    /// Whether the diner accepts messages about this booking (confirmation, reminders) by
    /// WhatsApp or SMS (Ley 19.628); recorded with the booking. `false`: none is sent.
    /// Absent: the widget did not ask, and messages about the booking itself are sent
    /// (each offers BAJA).
    #[serde(default)]
    pub messages_consent: Option<bool>,
    /// `es` or `en`: the language of those messages.
    #[serde(default)]
    pub language: Option<String>,
}

/// The answer to a booking.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReservationAccepted {
    /// The reservation.
    pub id: Uuid,
    /// `confirmed` (a table is held) or `pending` (the restaurant confirms).
    pub status: String,
    /// Its start.
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// The party.
    pub party_size: u32,
    /// The table's name when confirmed.
    pub table: Option<String>,
}

fn accepted(outcome: &BookingOutcome) -> ReservationAccepted {
    let status = serde_json::to_value(outcome.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "pending".to_owned());
    ReservationAccepted {
        id: outcome.id,
        status,
        starts_at: outcome.starts_at,
        party_size: outcome.party_size,
        table: outcome.table.clone(),
    }
}

/// Books a table. `Idempotency-Key` is required: the same key with the same body answers
/// the first answer again; with another body, 409 `idempotency_conflict`.
#[utoipa::path(post, path = "/public/{slug}/reservations", tag = "widget", security(()),
    params(("slug" = String, Path), LocationQuery,
           ("Idempotency-Key" = String, Header, description = "A UUID, or 8–64 letters and digits")),
    request_body = ReservationRequest,
    responses(
        (status = 201, body = ReservationAccepted),
        (status = 400, body = ErrorBody, description = "`idempotency_key_required`"),
        (status = 404, body = ErrorBody, description = "`restaurant_not_found`"),
        (status = 403, body = ErrorBody, description = "`tenant_suspended`, `location_closed`, `widget_not_in_plan`"),
        (status = 409, body = ErrorBody, description = "`idempotency_conflict`, `online_bookings_off`, `ordering_paused` (billing read-only)"),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "Per-client limit, or `bookings_budget_spent` (the location's hourly budget, with `Retry-After`)"),
    ))]
async fn reserve(
    State(state): State<AppState>,
    PublicRestaurant(restaurant): PublicRestaurant,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, axum::Json<ReservationAccepted>), ApiError> {
    let key = idempotency_key(&headers)?;
    // Read-only (an unpaid plan past its grace): bookings pause like orders.
    crate::billing::widget_open(&state, restaurant.tenant_id).await?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if !is_json {
        return Err(for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    let value: serde_json::Value = decode_json(&body)?;
    let request: ReservationRequest = decode_json(&body)?;
    let hash = request_hash(&value);
    let settings = &restaurant.settings.bookings;
    if !settings.enabled {
        return Err(bookings_off());
    }
    let mut tx = state.db.tenant_tx(restaurant.tenant_id).await?;
    idempotency::lock(&mut tx, idempotency::RESERVATIONS, &key).await?;
    let kept =
        idempotency::kept::<ReservationAccepted>(&mut tx, idempotency::RESERVATIONS, &key).await?;
    if let Some(kept) = kept {
        if kept.request_hash != hash {
            return Err(ApiError::conflict(
                "idempotency_conflict",
                "Esa clave de idempotencia ya se usó con otra reserva",
                "That Idempotency-Key was already used with another booking",
            ));
        }
        return Ok((StatusCode::CREATED, axum::Json(kept.response)));
    }
    if i64::from(request.party_size) > i64::from(settings.max_party_size) {
        return Err(party_too_large(settings.max_party_size));
    }
    // A replay (above) is free; every new booking spends the location's hourly budget,
    // so nobody fills every slot's online quota while the restaurant is offline.
    super::restaurant::spend(
        &state,
        restaurant.location_id,
        Budget::Bookings,
        restaurant.settings.budgets.bookings_per_hour,
    )?;
    let online = crate::presence::location_online(&mut tx, restaurant.location_id).await?;
    let email = request.email.clone();
    let outcome = bookings::book(
        &state,
        &mut tx,
        restaurant.location_id,
        NewBooking {
            id: Uuid::now_v7(),
            name: request.name,
            phone: request.phone,
            email: request.email,
            party_size: request.party_size,
            starts_at: request.starts_at,
            note: request.note,
            channel: BookingChannel::Online,
        },
        online,
    )
    .await?;
    // The diner's consent and the confirmation, in the booking's transaction: a
    // replayed request (answered above) queues nothing again.
    let notified = crate::booking_messages::confirm_new_booking(
        &state,
        &mut tx,
        restaurant.tenant_id,
        outcome.id,
        request.messages_consent,
        email.as_deref(),
        request.language.as_deref().unwrap_or("es"),
    )
    .await?
    .is_some();
    let answer = accepted(&outcome);
    idempotency::keep(
        &mut tx,
        idempotency::RESERVATIONS,
        &key,
        &hash,
        answer.id,
        &answer,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    if notified {
        crate::booking_messages::wake(&state, restaurant.tenant_id);
    }
    Ok((StatusCode::CREATED, axum::Json(answer)))
}
