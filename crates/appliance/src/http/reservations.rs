//! Reservations: booking tables, the day's book, status changes and free slots.

use super::customers::nullable;
use super::error::{ApiError, ErrorBody};
use super::extract::{Authorized, Json, Path, Query, perm};
use crate::events::EventKind;
use crate::reservations::{
    self as ops, ClosedAt, NewReservation, ReservationChanges, ReservationError,
};
use crate::state::AppState;
use crate::store::reservations::ReservationRecord;
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::hours::Interval;
use dysa_domain::ids::{CustomerId, ReservationId, TableId};
use dysa_domain::reservation::{CapacityError, ReservationStatus, ReservationTransitionError};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_reservations, create_reservation))
        .routes(routes!(availability))
        .routes(routes!(get_reservation, update_reservation))
        .routes(routes!(change_status))
}

/// A reservation as clients see it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReservationView {
    /// The reservation's id.
    pub id: ReservationId,
    /// The table held.
    pub table_id: TableId,
    /// Where it is in its life.
    pub status: ReservationStatus,
    /// Start (RFC 3339, UTC).
    pub starts_at: Timestamp,
    /// End, exclusive (RFC 3339, UTC).
    pub ends_at: Timestamp,
    /// Local day of the start in the restaurant's time zone.
    pub local_date: Date,
    /// Local start time, `HH:MM` (24-hour).
    pub local_time: String,
    /// Length in minutes.
    pub duration_minutes: u32,
    /// How many people.
    pub party_size: u32,
    /// Name the booking is under.
    pub name: String,
    /// Contact phone, E.164.
    pub phone: Option<String>,
    /// The known diner, if linked.
    pub customer_id: Option<CustomerId>,
    /// Notes.
    pub notes: Option<String>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// Where it was made.
    pub channel: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
}

impl ReservationView {
    fn new(record: &ReservationRecord, tz: &TimeZone) -> Self {
        let local = record.starts_at.to_zoned(tz.clone());
        ReservationView {
            id: record.id,
            table_id: record.table_id,
            status: record.status,
            starts_at: record.starts_at,
            ends_at: record.ends_at,
            local_date: local.date(),
            local_time: local.strftime("%H:%M").to_string(),
            duration_minutes: record.duration_minutes,
            party_size: record.party_size,
            name: record.name.clone(),
            phone: record.phone.clone(),
            customer_id: record.customer_id,
            notes: record.notes.clone(),
            cancel_reason: record.cancel_reason.clone(),
            channel: record.channel.clone(),
            created_at: record.created_at.clone(),
        }
    }
}

/// A new reservation.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReservationRequest {
    /// Name the booking is under.
    pub name: String,
    /// Contact phone, any Chilean format; stored in E.164.
    pub phone: String,
    /// How many people, 1–100.
    pub party_size: u32,
    /// Start, RFC 3339 with an offset (`2026-11-27T19:30:00-03:00`); without an offset
    /// (`2026-11-27T19:30`) it is the restaurant's local time.
    pub starts_at: String,
    /// Length, 15–720 minutes (the restaurant's default, 90, when absent).
    #[serde(default)]
    pub duration_minutes: Option<u32>,
    /// A specific table; else the smallest free table that seats the party.
    #[serde(default)]
    pub table_id: Option<TableId>,
    /// The known diner; else linked by phone when a customer has it.
    #[serde(default)]
    pub customer_id: Option<CustomerId>,
    /// Notes (high chair, birthday).
    #[serde(default)]
    pub notes: Option<String>,
}

/// Changes to a booked or confirmed reservation; absent fields stay.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateReservationRequest {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// New party size.
    #[serde(default)]
    pub party_size: Option<u32>,
    /// New start, RFC 3339 (or local time without an offset).
    #[serde(default)]
    pub starts_at: Option<String>,
    /// New length in minutes.
    #[serde(default)]
    pub duration_minutes: Option<u32>,
    /// Move to this table. Without it the current table is kept when it still fits and
    /// is free, else the smallest free table that fits is chosen.
    #[serde(default)]
    pub table_id: Option<TableId>,
    /// New notes, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
}

/// A status change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// The new status.
    pub status: ReservationStatus,
    /// Why (kept for cancellations).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Filters of the day's reservations.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReservationListQuery {
    /// Local day of the restaurant (`YYYY-MM-DD`); today when absent.
    pub date: Option<Date>,
    /// Only this status.
    pub status: Option<ReservationStatus>,
    /// Only this table.
    pub table_id: Option<TableId>,
}

/// What to look for free slots for.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    /// The service day (`YYYY-MM-DD`, local).
    pub date: Date,
    /// How many people, 1–100.
    pub party_size: u32,
    /// Length, 15–720 minutes (the restaurant's default when absent).
    pub duration_minutes: Option<u32>,
}

/// Free start times of a service day.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AvailabilityView {
    /// The day asked for.
    pub date: Date,
    /// The party.
    pub party_size: u32,
    /// The length used, minutes.
    pub duration_minutes: u32,
    /// The bookable slots, in order (empty on a closed day).
    pub slots: Vec<SlotView>,
}

/// One bookable start time.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SlotView {
    /// The instant (RFC 3339, UTC); send it back as `starts_at`.
    pub starts_at: Timestamp,
    /// Local time, `HH:MM` (24-hour).
    pub local_time: String,
    /// The local UTC offset then (`-03:00`); tells apart the two 23:00 of the night the
    /// clocks go back.
    pub utc_offset: String,
    /// Tables in service that seat the party and are free for the whole duration.
    pub tables_free: u32,
}

fn weekday_name(day: Weekday) -> (&'static str, &'static str) {
    match day {
        Weekday::Monday => ("lunes", "Monday"),
        Weekday::Tuesday => ("martes", "Tuesday"),
        Weekday::Wednesday => ("miércoles", "Wednesday"),
        Weekday::Thursday => ("jueves", "Thursday"),
        Weekday::Friday => ("viernes", "Friday"),
        Weekday::Saturday => ("sábado", "Saturday"),
        Weekday::Sunday => ("domingo", "Sunday"),
    }
}

fn status_name(status: ReservationStatus) -> (&'static str, &'static str) {
    match status {
        ReservationStatus::Booked => ("reservada", "booked"),
        ReservationStatus::Confirmed => ("confirmada", "confirmed"),
        ReservationStatus::Seated => ("en mesa", "seated"),
        ReservationStatus::Completed => ("completada", "completed"),
        ReservationStatus::NoShow => ("no presentada", "a no-show"),
        ReservationStatus::Cancelled => ("cancelada", "cancelled"),
    }
}

fn local_hm(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned(tz.clone()).strftime("%H:%M").to_string()
}

fn field_error(field: &str, es: &str, en: &str) -> ApiError {
    let mut errors = FieldErrors::new();
    errors.add(
        field,
        FieldIssue::Other {
            es: es.into(),
            en: en.into(),
        },
    );
    ApiError::validation(errors)
}

fn closed_error(closed: &ClosedAt) -> ApiError {
    let (day_es, day_en) = weekday_name(closed.weekday);
    let date = closed.date.strftime("%d-%m-%Y").to_string();
    let hours: Vec<String> = closed
        .hours
        .iter()
        .map(|i| format!("{}–{}", i.open, i.close))
        .collect();
    let (es, en) = if hours.is_empty() {
        (
            format!("Fuera del horario: el {day_es} {date} el restaurante está cerrado"),
            format!("Outside opening hours: the restaurant is closed on {day_en} {date}"),
        )
    } else {
        let list = hours.join(", ");
        (
            format!(
                "Fuera del horario: el {day_es} {date} se atiende {list}; la reserva sería de {} a {}",
                closed.starts_local, closed.ends_local
            ),
            format!(
                "Outside opening hours: on {day_en} {date} the restaurant is open {list}; the booking would run {} to {}",
                closed.starts_local, closed.ends_local
            ),
        )
    };
    let intervals: Vec<&Interval> = closed.hours.iter().collect();
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "outside_opening_hours",
        es,
        en,
    )
    .with_details(json!({
        "date": closed.date,
        "weekday": day_en.to_lowercase(),
        "opening_hours": intervals,
        "starts_at_local": closed.starts_local,
        "ends_at_local": closed.ends_local,
    }))
}

fn capacity_error(error: CapacityError, tz: &TimeZone) -> ApiError {
    match error {
        CapacityError::InvalidPartySize => {
            field_error("party_size", "debe ser al menos 1", "must be at least 1")
        }
        CapacityError::InvalidTimeRange => field_error(
            "duration_minutes",
            "la reserva debe terminar después de empezar",
            "the booking must end after it starts",
        ),
        CapacityError::UnknownTable(_) => {
            field_error("table_id", "no existe esa mesa", "no such table")
        }
        CapacityError::TableInactive(table) => ApiError::conflict(
            "table_inactive",
            "Esa mesa no está en servicio",
            "That table is not in service",
        )
        .with_details(json!({ "table_id": table })),
        CapacityError::TableTooSmall {
            table,
            seats,
            party_size,
        } => ApiError::conflict(
            "table_too_small",
            format!("La mesa tiene {seats} puestos y el grupo es de {party_size}"),
            format!("The table seats {seats} and the party is {party_size}"),
        )
        .with_details(json!({ "table_id": table, "seats": seats, "party_size": party_size })),
        CapacityError::TableTaken {
            table,
            starts_at,
            ends_at,
        } => {
            let (from, to) = (local_hm(starts_at, tz), local_hm(ends_at, tz));
            ApiError::conflict(
                "table_taken",
                format!("La mesa ya está reservada de {from} a {to}"),
                format!("The table is already booked from {from} to {to}"),
            )
            .with_details(json!({ "table_id": table, "starts_at": starts_at, "ends_at": ends_at }))
        }
        CapacityError::NoTableLargeEnough {
            party_size,
            largest,
        } => ApiError::conflict(
            "party_too_large",
            format!(
                "Ninguna mesa es para {party_size} personas (la más grande tiene {largest} puestos)"
            ),
            format!("No table seats {party_size} (the largest seats {largest})"),
        )
        .with_details(json!({ "party_size": party_size, "largest_table": largest })),
        CapacityError::NoTableFree { party_size } => ApiError::conflict(
            "no_table_free",
            format!("Todas las mesas para {party_size} personas están reservadas a esa hora"),
            format!("Every table for {party_size} is booked at that time"),
        )
        .with_details(json!({ "party_size": party_size })),
    }
}

fn transition_error(error: ReservationTransitionError) -> ApiError {
    let (es, en, from, to) = match error {
        ReservationTransitionError::SameState(status) => {
            let (s_es, s_en) = status_name(status);
            (
                format!("La reserva ya está {s_es}"),
                format!("The reservation is already {s_en}"),
                status,
                Some(status),
            )
        }
        ReservationTransitionError::Terminal(status) => {
            let (s_es, s_en) = status_name(status);
            (
                format!("La reserva está {s_es} y ya no puede cambiar"),
                format!("The reservation is {s_en} and cannot change"),
                status,
                None,
            )
        }
        ReservationTransitionError::Backwards { from, to } => {
            let ((f_es, f_en), (t_es, t_en)) = (status_name(from), status_name(to));
            (
                format!("Una reserva {f_es} no puede volver a {t_es}"),
                format!("A {f_en} reservation cannot go back to {t_en}"),
                from,
                Some(to),
            )
        }
        ReservationTransitionError::NotAllowed { from, to } => {
            let ((f_es, f_en), (t_es, t_en)) = (status_name(from), status_name(to));
            (
                format!("Una reserva {f_es} no puede pasar a {t_es}"),
                format!("A {f_en} reservation cannot become {t_en}"),
                from,
                Some(to),
            )
        }
    };
    ApiError::conflict("illegal_transition", es, en).with_details(json!({ "from": from, "to": to }))
}

impl From<ReservationError> for ApiError {
    fn from(error: ReservationError) -> Self {
        match error {
            ReservationError::Invalid(fields) => ApiError::validation(fields),
            ReservationError::NotFound => ApiError::not_found("La reserva", "The reservation"),
            ReservationError::Closed(closed) => closed_error(&closed),
            ReservationError::Capacity(error, tz) => capacity_error(error, &tz),
            ReservationError::NotEditable(status) => {
                let (s_es, s_en) = status_name(status);
                ApiError::conflict(
                    "reservation_not_editable",
                    format!(
                        "Solo se modifica una reserva reservada o confirmada; esta está {s_es}"
                    ),
                    format!(
                        "Only booked or confirmed reservations can be changed; this one is {s_en}"
                    ),
                )
                .with_details(json!({ "status": status }))
            }
            ReservationError::Transition(error) => transition_error(error),
            ReservationError::Store(error) => ApiError::internal(&error),
        }
    }
}

async fn time_zone(state: &AppState) -> Result<TimeZone, ApiError> {
    Ok(state.restaurant.get(&state.db.read).await?.tz())
}

fn publish(state: &AppState, kind: EventKind, record: &ReservationRecord) {
    state.events.publish(
        kind,
        record.id.to_string(),
        json!({
            "table_id": record.table_id,
            "status": record.status,
            "starts_at": record.starts_at,
            "party_size": record.party_size,
        }),
    );
}

/// The reservations of a local day (today by default), by start time.
#[utoipa::path(get, path = "/reservations", tag = "reservations", security(("bearer" = ["reservations:read"])),
    params(ReservationListQuery),
    responses(
        (status = 200, body = Vec<ReservationView>),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn list_reservations(
    State(state): State<AppState>,
    _: Authorized<perm::ReservationsRead>,
    Query(query): Query<ReservationListQuery>,
) -> Result<axum::Json<Vec<ReservationView>>, ApiError> {
    let tz = time_zone(&state).await?;
    let (_, records) = ops::list(&state.db, query.date, query.status, query.table_id).await?;
    Ok(axum::Json(
        records
            .iter()
            .map(|r| ReservationView::new(r, &tz))
            .collect(),
    ))
}

/// Books a table: the given one, or the smallest free one that seats the party.
#[utoipa::path(post, path = "/reservations", tag = "reservations", security(("bearer" = ["reservations:create"])),
    request_body = CreateReservationRequest,
    responses(
        (status = 201, body = ReservationView),
        (status = 409, description = "`table_taken`, `table_too_small`, `table_inactive`, `no_table_free` or `party_too_large`", body = ErrorBody),
        (status = 422, description = "Invalid fields, a start in the past, or `outside_opening_hours`", body = ErrorBody),
    ))]
async fn create_reservation(
    State(state): State<AppState>,
    user: Authorized<perm::ReservationsCreate>,
    Json(body): Json<CreateReservationRequest>,
) -> Result<(StatusCode, axum::Json<ReservationView>), ApiError> {
    let record = ops::create(
        &state.db,
        &state.writer,
        NewReservation {
            name: body.name,
            phone: body.phone,
            party_size: body.party_size,
            starts_at: body.starts_at,
            duration_minutes: body.duration_minutes,
            table_id: body.table_id,
            customer_id: body.customer_id,
            notes: body.notes,
            channel: "counter".to_owned(),
            created_by: Some(user.0.id),
        },
    )
    .await?;
    publish(&state, EventKind::ReservationCreated, &record);
    let tz = time_zone(&state).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(ReservationView::new(&record, &tz)),
    ))
}

/// Free start times of a service day for a party.
#[utoipa::path(get, path = "/reservations/availability", tag = "reservations", security(("bearer" = ["reservations:read"])),
    params(AvailabilityQuery),
    responses(
        (status = 200, body = AvailabilityView),
        (status = 422, description = "Missing or invalid date, party size or duration", body = ErrorBody),
    ))]
async fn availability(
    State(state): State<AppState>,
    _: Authorized<perm::ReservationsRead>,
    Query(query): Query<AvailabilityQuery>,
) -> Result<axum::Json<AvailabilityView>, ApiError> {
    let found = ops::availability(
        &state.db,
        query.date,
        query.party_size,
        query.duration_minutes,
    )
    .await?;
    let slots = found
        .slots
        .iter()
        .map(|slot| {
            let local = slot.starts_at.to_zoned(found.tz.clone());
            SlotView {
                starts_at: slot.starts_at,
                local_time: local.strftime("%H:%M").to_string(),
                utc_offset: local.strftime("%:z").to_string(),
                tables_free: slot.tables_free,
            }
        })
        .collect();
    Ok(axum::Json(AvailabilityView {
        date: found.date,
        party_size: found.party_size,
        duration_minutes: found.duration_minutes,
        slots,
    }))
}

/// One reservation.
#[utoipa::path(get, path = "/reservations/{id}", tag = "reservations", security(("bearer" = ["reservations:read"])),
    params(("id" = ReservationId, Path, description = "Reservation id")),
    responses((status = 200, body = ReservationView), (status = 404, body = ErrorBody)))]
async fn get_reservation(
    State(state): State<AppState>,
    _: Authorized<perm::ReservationsRead>,
    Path(id): Path<ReservationId>,
) -> Result<axum::Json<ReservationView>, ApiError> {
    let record = ops::find(&state.db, id).await?;
    let tz = time_zone(&state).await?;
    Ok(axum::Json(ReservationView::new(&record, &tz)))
}

/// Changes time, length, party, table, name, phone or notes of a booked or confirmed
/// reservation; hours and capacity are checked again (the reservation does not
/// conflict with itself).
#[utoipa::path(patch, path = "/reservations/{id}", tag = "reservations", security(("bearer" = ["reservations:update"])),
    params(("id" = ReservationId, Path, description = "Reservation id")),
    request_body = UpdateReservationRequest,
    responses(
        (status = 200, body = ReservationView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Capacity codes as for creation, or `reservation_not_editable`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn update_reservation(
    State(state): State<AppState>,
    _: Authorized<perm::ReservationsUpdate>,
    Path(id): Path<ReservationId>,
    Json(body): Json<UpdateReservationRequest>,
) -> Result<axum::Json<ReservationView>, ApiError> {
    let record = ops::update(
        &state.db,
        &state.writer,
        id,
        ReservationChanges {
            name: body.name,
            phone: body.phone,
            party_size: body.party_size,
            starts_at: body.starts_at,
            duration_minutes: body.duration_minutes,
            table_id: body.table_id,
            notes: body.notes,
        },
    )
    .await?;
    publish(&state, EventKind::ReservationUpdated, &record);
    let tz = time_zone(&state).await?;
    Ok(axum::Json(ReservationView::new(&record, &tz)))
}

/// Moves a reservation along booked → confirmed → seated → completed, or to `no_show`
/// or `cancelled` (with a reason). The status it already has answers 200 unchanged.
#[utoipa::path(post, path = "/reservations/{id}/status", operation_id = "change_reservation_status", tag = "reservations", security(("bearer" = ["reservations:update"])),
    params(("id" = ReservationId, Path, description = "Reservation id")),
    request_body = StatusRequest,
    responses(
        (status = 200, body = ReservationView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`illegal_transition`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn change_status(
    State(state): State<AppState>,
    _: Authorized<perm::ReservationsUpdate>,
    Path(id): Path<ReservationId>,
    Json(body): Json<StatusRequest>,
) -> Result<axum::Json<ReservationView>, ApiError> {
    let (record, changed) =
        ops::change_status(&state.db, &state.writer, id, body.status, body.reason).await?;
    if changed {
        publish(&state, EventKind::ReservationUpdated, &record);
    }
    let tz = time_zone(&state).await?;
    Ok(axum::Json(ReservationView::new(&record, &tz)))
}
