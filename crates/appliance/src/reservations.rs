//! Reservation operations: booking a table, moving a booking, its status changes, the
//! day's list and the free slots.
//!
//! Capacity is decided in one write transaction on the single writer: the tables, the
//! bookings that overlap and the insert are read and written by one job of the
//! group-commit writer, and the writer runs jobs one after another, so two requests can
//! never both see a table free and both take it.

use crate::restaurant::{self, RestaurantSettings};
use crate::store::customers as customer_store;
use crate::store::reservations::{self as store, ReservationRecord};
use crate::store::writer::Writer;
use crate::store::{Db, StoreError, now_text};
use dysa_domain::hours::{self, Interval};
use dysa_domain::ids::{CustomerId, ReservationId, TableId, UserId};
use dysa_domain::reservation::{
    Booking, CapacityError, QuotaSlot, ReservationStatus, ReservationTransitionError,
    TableCapacity, check_reservation_transition, choose_table, quota_holds,
};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use sqlx::SqliteConnection;

/// Why a reservation operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ReservationError {
    /// The input is invalid (including a start in the past).
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// No such reservation.
    #[error("reservation not found")]
    NotFound,
    /// The booking falls outside the opening hours.
    #[error("outside opening hours")]
    Closed(Box<ClosedAt>),
    /// No table can take the party then (or the requested one cannot). The time zone
    /// words the times of a conflicting booking in local time.
    #[error("{0}")]
    Capacity(CapacityError, TimeZone),
    /// Only booked or confirmed reservations can be edited.
    #[error("a {0} reservation cannot be edited")]
    NotEditable(ReservationStatus),
    /// The status change is not allowed.
    #[error(transparent)]
    Transition(ReservationTransitionError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ReservationError {
    fn from(error: sqlx::Error) -> Self {
        ReservationError::Store(StoreError::Sqlx(error))
    }
}

/// A booking outside the opening hours, with what the restaurant's hours are that day.
#[derive(Clone, Debug)]
pub struct ClosedAt {
    /// The local day of the requested start.
    pub date: Date,
    /// Its weekday.
    pub weekday: Weekday,
    /// The opening intervals of that weekday (empty: closed all day).
    pub hours: Vec<Interval>,
    /// Requested start, local `HH:MM`.
    pub starts_local: String,
    /// Requested end, local `HH:MM`.
    pub ends_local: String,
}

/// A new reservation as received.
#[derive(Debug)]
pub struct NewReservation {
    /// Name the booking is under.
    pub name: String,
    /// Contact phone, any Chilean format.
    pub phone: String,
    /// How many people.
    pub party_size: u32,
    /// Start, RFC 3339 with an offset.
    pub starts_at: String,
    /// Length; the restaurant's default when absent.
    pub duration_minutes: Option<u32>,
    /// A specific table, or the smallest free one that fits.
    pub table_id: Option<TableId>,
    /// The known diner; when absent, the customer with this phone (if any).
    pub customer_id: Option<CustomerId>,
    /// Notes.
    pub notes: Option<String>,
    /// Where it was made (`counter`, `phone`, …).
    pub channel: String,
    /// The staff member making it.
    pub created_by: Option<UserId>,
}

/// Changes to a booked or confirmed reservation; absent fields stay.
#[derive(Debug, Default)]
pub struct ReservationChanges {
    /// New name.
    pub name: Option<String>,
    /// New phone.
    pub phone: Option<String>,
    /// New party size.
    pub party_size: Option<u32>,
    /// New start, RFC 3339.
    pub starts_at: Option<String>,
    /// New length.
    pub duration_minutes: Option<u32>,
    /// Move to this table (else the current table is kept when it still fits and is
    /// free, or the smallest free table that fits is chosen).
    pub table_id: Option<TableId>,
    /// New notes, or clear them.
    pub notes: Option<Option<String>>,
}

/// One bookable start time.
#[derive(Clone, Debug)]
pub struct FreeSlot {
    /// The instant.
    pub starts_at: Timestamp,
    /// How many tables in service seat the party and are free for the whole duration.
    pub tables_free: u32,
}

/// Free start times of one service day.
#[derive(Clone, Debug)]
pub struct Availability {
    /// The day asked for.
    pub date: Date,
    /// The party.
    pub party_size: u32,
    /// The length used.
    pub duration_minutes: u32,
    /// The restaurant's time zone.
    pub tz: TimeZone,
    /// The free slots, in order.
    pub slots: Vec<FreeSlot>,
}

const NAME_MAX: usize = 120;
const NOTES_MAX: usize = 2000;
const REASON_MAX: usize = 500;
const PARTY_MAX: u32 = 100;
const DURATION_MIN: u32 = 15;
const DURATION_MAX: u32 = store::MAX_DURATION_MINUTES;

fn check_party(errors: &mut FieldErrors, party_size: u32) {
    errors.check(
        (1..=PARTY_MAX).contains(&party_size),
        "party_size",
        FieldIssue::OutOfRange {
            min: 1,
            max: i64::from(PARTY_MAX),
        },
    );
}

fn check_duration(errors: &mut FieldErrors, duration: u32) {
    errors.check(
        (DURATION_MIN..=DURATION_MAX).contains(&duration),
        "duration_minutes",
        FieldIssue::OutOfRange {
            min: i64::from(DURATION_MIN),
            max: i64::from(DURATION_MAX),
        },
    );
}

/// Parses a start time, to whole seconds (how instants are stored): RFC 3339 with an
/// offset, or a wall-clock date-time without one (`2026-11-27T19:30`), read in the
/// restaurant's time zone (a time skipped by DST moves past the gap, a repeated one is
/// its first occurrence).
fn parse_start(errors: &mut FieldErrors, text: &str, tz: &TimeZone) -> Option<Timestamp> {
    let text = text.trim();
    let parsed = text.parse::<Timestamp>().ok().or_else(|| {
        let local = text.parse::<jiff::civil::DateTime>().ok()?;
        tz.to_ambiguous_timestamp(local).compatible().ok()
    });
    match parsed.and_then(|ts| Timestamp::from_second(ts.as_second()).ok()) {
        Some(ts) => Some(ts),
        None => {
            errors.add(
                "starts_at",
                FieldIssue::Other {
                    es: "debe ser una fecha y hora RFC 3339 (p. ej. 2026-11-27T19:30:00-03:00, o 2026-11-27T19:30 en hora local)".into(),
                    en: "must be an RFC 3339 date-time (e.g. 2026-11-27T19:30:00-03:00, or 2026-11-27T19:30 in local time)".into(),
                },
            );
            None
        }
    }
}

fn optional_text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn end_of(starts_at: Timestamp, duration_minutes: u32) -> Result<Timestamp, ReservationError> {
    starts_at
        .checked_add(SignedDuration::from_mins(i64::from(duration_minutes)))
        .map_err(|_| {
            let mut errors = FieldErrors::new();
            errors.add(
                "starts_at",
                FieldIssue::Other {
                    es: "está fuera del rango de fechas".into(),
                    en: "is out of range".into(),
                },
            );
            ReservationError::Invalid(errors)
        })
}

/// Refuses a start in the past and a booking outside the opening hours.
fn check_time(
    settings: &RestaurantSettings,
    starts_at: Timestamp,
    duration_minutes: u32,
) -> Result<(), ReservationError> {
    if starts_at <= Timestamp::now() {
        let mut errors = FieldErrors::new();
        errors.add(
            "starts_at",
            FieldIssue::Other {
                es: "ya pasó; elige una hora futura".into(),
                en: "is in the past; choose a future time".into(),
            },
        );
        return Err(ReservationError::Invalid(errors));
    }
    let tz = settings.tz();
    if hours::is_open(&settings.opening_hours, &tz, starts_at, duration_minutes) {
        return Ok(());
    }
    let local = starts_at.to_zoned(tz.clone());
    let ends_at = end_of(starts_at, duration_minutes)?;
    Err(ReservationError::Closed(Box::new(ClosedAt {
        date: local.date(),
        weekday: local.weekday(),
        hours: settings.opening_hours.day(local.weekday()).to_vec(),
        starts_local: local.strftime("%H:%M").to_string(),
        ends_local: ends_at.to_zoned(tz).strftime("%H:%M").to_string(),
    })))
}

fn unknown_customer() -> ReservationError {
    let mut errors = FieldErrors::new();
    errors.add(
        "customer_id",
        FieldIssue::Other {
            es: "no existe ese cliente".into(),
            en: "no such customer".into(),
        },
    );
    ReservationError::Invalid(errors)
}

/// Books a table. The table choice and the insert run in one job of the single writer.
pub async fn create(
    db: &Db,
    writer: &Writer,
    input: NewReservation,
) -> Result<ReservationRecord, ReservationError> {
    let settings = restaurant::load(&db.read).await?;
    let mut errors = FieldErrors::new();
    errors.text("name", &input.name, NAME_MAX);
    let phone = crate::customers::phone_field(&mut errors, "phone", &input.phone);
    check_party(&mut errors, input.party_size);
    let duration = input
        .duration_minutes
        .unwrap_or(settings.reservation_duration_minutes);
    check_duration(&mut errors, duration);
    let notes = optional_text(input.notes);
    errors.optional_text("notes", notes.as_deref(), NOTES_MAX);
    let starts_at = parse_start(&mut errors, &input.starts_at, &settings.tz());
    errors.into_result().map_err(ReservationError::Invalid)?;
    let (Some(starts_at), Some(phone)) = (starts_at, phone) else {
        // Field validation refused missing values already; an error, never a panic.
        return Err(ReservationError::Invalid(FieldErrors::new()));
    };
    check_time(&settings, starts_at, duration)?;
    let ends_at = end_of(starts_at, duration)?;
    let tz = settings.tz();
    let db = db.clone();
    let party_size = input.party_size;
    writer
        .write(move |conn| {
            Box::pin(async move {
                let tables = store::tables(&mut *conn).await?;
                let mut existing = store::holding_bookings(conn, starts_at, ends_at, None).await?;
                existing.extend(quota_held(conn, &settings, &tables, starts_at, ends_at).await?);
                let table_id = choose_table(
                    &tables,
                    &existing,
                    party_size,
                    starts_at,
                    ends_at,
                    input.table_id,
                )
                .map_err(|e| ReservationError::Capacity(e, tz))?;
                let customer_id = link_customer(conn, input.customer_id, &phone).await?;
                let record = ReservationRecord {
                    id: ReservationId::new(),
                    customer_id,
                    name: input.name.trim().to_owned(),
                    phone: Some(phone),
                    party_size,
                    starts_at,
                    ends_at,
                    duration_minutes: duration,
                    table_id,
                    status: ReservationStatus::Booked,
                    channel: input.channel,
                    notes,
                    cancel_reason: None,
                    created_by: input.created_by,
                    created_at: now_text(),
                    updated_at: db.tick(),
                };
                store::save(conn, &record).await?;
                Ok(record)
            })
        })
        .await
}

/// While the cloud link is down, the tables the cloud may be confirming on its own in the
/// slots that overlap `[starts_at, ends_at)` (`dysa_domain::reservation::quota_holds`),
/// as bookings to add to the existing ones: the counter must not give away what the cloud
/// may have promised online meanwhile. Nothing while the link is up or there is no cloud.
async fn quota_held(
    conn: &mut SqliteConnection,
    settings: &RestaurantSettings,
    tables: &[TableCapacity],
    starts_at: Timestamp,
    ends_at: Timestamp,
) -> Result<Vec<Booking>, ReservationError> {
    let Some(quota) = store::quota_to_hold(conn).await? else {
        return Ok(Vec::new());
    };
    if quota == 0 {
        return Ok(Vec::new());
    }
    let tz = settings.tz();
    let length = SignedDuration::from_mins(i64::from(settings.reservation_duration_minutes));
    // Slots of the service days around the booking (late hours run past midnight).
    let day = hours::local_day(starts_at, &tz);
    let mut slots: Vec<QuotaSlot> = Vec::new();
    for date in [day.yesterday().ok(), Some(day), day.tomorrow().ok()]
        .into_iter()
        .flatten()
    {
        for start in hours::slots(
            &settings.opening_hours,
            &tz,
            date,
            settings.reservation_slot_minutes,
            settings.reservation_duration_minutes,
        ) {
            let Ok(end) = start.checked_add(length) else {
                continue;
            };
            if start < ends_at && starts_at < end {
                slots.push(QuotaSlot {
                    starts_at: start,
                    ends_at: end,
                });
            }
        }
    }
    let (Some(first), Some(last)) = (
        slots.iter().map(|s| s.starts_at).min(),
        slots.iter().map(|s| s.ends_at).max(),
    ) else {
        return Ok(Vec::new());
    };
    let (here, cloud) = store::holding_bookings_by_origin(conn, first, last).await?;
    Ok(quota_holds(
        tables, &here, &cloud, &slots, quota, starts_at, ends_at,
    ))
}

/// A booking made on the cloud, as parked until the restaurant decides it.
#[derive(serde::Deserialize)]
struct CloudBookingRow {
    id: ReservationId,
    name: String,
    phone: Option<String>,
    party_size: u32,
    starts_at: Timestamp,
    ends_at: Timestamp,
    duration_minutes: u32,
    channel: String,
    notes: Option<String>,
    created_at: String,
}

/// Why the restaurant declined a booking made online (shown to the owner and the diner).
pub const NO_TABLE_REASON: &str = "Sin mesa disponible a esa hora";

#[derive(serde::Serialize)]
struct Declined<'a> {
    id: ReservationId,
    status: ReservationStatus,
    cancel_reason: &'a str,
    updated_at: dysa_domain::hlc::Hlc,
}

/// Decides the bookings made on the cloud while this restaurant was online (pending):
/// the same capacity check as a booking at the counter (`choose_table`, on the writer,
/// inside the transaction that pulled them) seats each one and confirms it, or declines
/// it with [`NO_TABLE_REASON`] when no table fits. Both answers sync back to the cloud.
/// Returns the bookings seated here.
pub async fn decide_cloud_bookings(
    conn: &mut SqliteConnection,
    db: &Db,
) -> Result<Vec<ReservationId>, StoreError> {
    let parked =
        store::undecided_cloud_bookings(conn, crate::sync::apply::UNDECIDED_BOOKING).await?;
    let mut seated = Vec::new();
    for text in parked {
        let Ok(change) = serde_json::from_str::<dysa_domain::sync::ChangeRecord>(&text) else {
            continue;
        };
        let Ok(row) = serde_json::from_value::<CloudBookingRow>(serde_json::Value::Object(
            change.row.clone(),
        )) else {
            continue;
        };
        let tables = store::tables(&mut *conn).await?;
        let existing = store::holding_bookings(conn, row.starts_at, row.ends_at, None).await?;
        let hlc = db.tick();
        match choose_table(
            &tables,
            &existing,
            row.party_size,
            row.starts_at,
            row.ends_at,
            None,
        ) {
            Ok(table_id) => {
                let phone = row.phone.clone();
                let customer_id = match &phone {
                    Some(phone) => customer_store::find_by_phone(&mut *conn, phone)
                        .await?
                        .map(|c| c.id),
                    None => None,
                };
                let record = ReservationRecord {
                    id: row.id,
                    customer_id,
                    name: row.name,
                    phone,
                    party_size: row.party_size,
                    starts_at: row.starts_at,
                    ends_at: row.ends_at,
                    duration_minutes: row.duration_minutes,
                    table_id,
                    status: ReservationStatus::Confirmed,
                    channel: row.channel,
                    notes: row.notes,
                    cancel_reason: None,
                    created_by: None,
                    created_at: row.created_at,
                    updated_at: hlc,
                };
                store::save(conn, &record).await?;
                seated.push(row.id);
            }
            Err(_) => {
                let declined = Declined {
                    id: row.id,
                    status: ReservationStatus::Cancelled,
                    cancel_reason: NO_TABLE_REASON,
                    updated_at: hlc,
                };
                crate::store::outbox::record(
                    conn,
                    dysa_domain::sync::Entity::Reservation,
                    &row.id.to_string(),
                    dysa_domain::sync::Op::Upsert,
                    &declined,
                    hlc,
                )
                .await?;
            }
        }
        crate::store::sync::unpark(conn, "reservation", &change.entity_id, change.version).await?;
    }
    Ok(seated)
}

/// The given customer (which must exist), else the live customer with this phone.
async fn link_customer(
    conn: &mut SqliteConnection,
    given: Option<CustomerId>,
    phone: &str,
) -> Result<Option<CustomerId>, ReservationError> {
    match given {
        Some(id) => customer_store::find(&mut *conn, id)
            .await?
            .map(|c| Some(c.id))
            .ok_or_else(unknown_customer),
        None => Ok(customer_store::find_by_phone(&mut *conn, phone)
            .await?
            .map(|c| c.id)),
    }
}

/// Picks the table for a moved reservation: the requested one strictly; else the current
/// one when it still fits and is free; else the smallest free table that fits.
fn table_for_move(
    tables: &[TableCapacity],
    existing: &[dysa_domain::reservation::Booking],
    record: &ReservationRecord,
    requested: Option<TableId>,
) -> Result<TableId, CapacityError> {
    let pick = |preferred| {
        choose_table(
            tables,
            existing,
            record.party_size,
            record.starts_at,
            record.ends_at,
            preferred,
        )
    };
    match requested {
        Some(table) => pick(Some(table)),
        None => pick(Some(record.table_id)).or_else(|_| pick(None)),
    }
}

/// Changes a booked or confirmed reservation, re-checking hours and capacity (without
/// counting the reservation itself) when its time, length, party or table change.
pub async fn update(
    db: &Db,
    writer: &Writer,
    id: ReservationId,
    changes: ReservationChanges,
) -> Result<ReservationRecord, ReservationError> {
    let settings = restaurant::load(&db.read).await?;
    let mut errors = FieldErrors::new();
    if let Some(name) = &changes.name {
        errors.text("name", name, NAME_MAX);
    }
    let phone = changes
        .phone
        .as_deref()
        .map(|p| crate::customers::phone_field(&mut errors, "phone", p));
    if let Some(party) = changes.party_size {
        check_party(&mut errors, party);
    }
    if let Some(duration) = changes.duration_minutes {
        check_duration(&mut errors, duration);
    }
    let notes = changes.notes.map(optional_text);
    if let Some(notes) = &notes {
        errors.optional_text("notes", notes.as_deref(), NOTES_MAX);
    }
    let starts_at = changes
        .starts_at
        .as_deref()
        .map(|s| parse_start(&mut errors, s, &settings.tz()));
    errors.into_result().map_err(ReservationError::Invalid)?;
    let db = db.clone();
    writer
        .write(move |conn| {
            Box::pin(async move {
                let before = store::find(&mut *conn, id)
                    .await?
                    .ok_or(ReservationError::NotFound)?;
                if !matches!(
                    before.status,
                    ReservationStatus::Booked | ReservationStatus::Confirmed
                ) {
                    return Err(ReservationError::NotEditable(before.status));
                }
                let mut record = before.clone();
                if let Some(name) = changes.name {
                    record.name = name.trim().to_owned();
                }
                if let Some(Some(phone)) = phone {
                    if record.customer_id.is_none() {
                        record.customer_id = customer_store::find_by_phone(&mut *conn, &phone)
                            .await?
                            .map(|c| c.id);
                    }
                    record.phone = Some(phone);
                }
                if let Some(notes) = notes {
                    record.notes = notes;
                }
                if let Some(party) = changes.party_size {
                    record.party_size = party;
                }
                if let Some(Some(starts_at)) = starts_at {
                    record.starts_at = starts_at;
                }
                if let Some(duration) = changes.duration_minutes {
                    record.duration_minutes = duration;
                }
                let timing_changed = record.starts_at != before.starts_at
                    || record.duration_minutes != before.duration_minutes;
                if timing_changed {
                    check_time(&settings, record.starts_at, record.duration_minutes)?;
                    record.ends_at = end_of(record.starts_at, record.duration_minutes)?;
                }
                let seating_changed = timing_changed
                    || record.party_size != before.party_size
                    || changes.table_id.is_some_and(|t| t != before.table_id);
                if seating_changed {
                    let tables = store::tables(&mut *conn).await?;
                    let existing = store::holding_bookings(
                        conn,
                        record.starts_at,
                        record.ends_at,
                        Some(record.id),
                    )
                    .await?;
                    record.table_id = table_for_move(&tables, &existing, &record, changes.table_id)
                        .map_err(|e| ReservationError::Capacity(e, settings.tz()))?;
                }
                let changed = record.name != before.name
                    || record.phone != before.phone
                    || record.customer_id != before.customer_id
                    || record.notes != before.notes
                    || record.party_size != before.party_size
                    || record.starts_at != before.starts_at
                    || record.ends_at != before.ends_at
                    || record.duration_minutes != before.duration_minutes
                    || record.table_id != before.table_id;
                if changed {
                    record.updated_at = db.tick();
                    store::save(conn, &record).await?;
                }
                Ok(record)
            })
        })
        .await
}

/// Moves a reservation along booked → confirmed → seated → completed, or to no-show or
/// cancelled (a cancellation keeps its reason). Asking for the status it already has
/// changes nothing and answers `false` (a retried request).
pub async fn change_status(
    db: &Db,
    writer: &Writer,
    id: ReservationId,
    to: ReservationStatus,
    reason: Option<String>,
) -> Result<(ReservationRecord, bool), ReservationError> {
    let reason = optional_text(reason);
    let mut errors = FieldErrors::new();
    errors.optional_text("reason", reason.as_deref(), REASON_MAX);
    errors.into_result().map_err(ReservationError::Invalid)?;
    let db = db.clone();
    writer
        .write(move |conn| {
            Box::pin(async move {
                let mut record = store::find(&mut *conn, id)
                    .await?
                    .ok_or(ReservationError::NotFound)?;
                match check_reservation_transition(record.status, to) {
                    Ok(()) => {}
                    Err(ReservationTransitionError::SameState(_)) => return Ok((record, false)),
                    Err(error) => return Err(ReservationError::Transition(error)),
                }
                record.status = to;
                if to == ReservationStatus::Cancelled {
                    record.cancel_reason = reason;
                }
                record.updated_at = db.tick();
                store::save(conn, &record).await?;
                Ok((record, true))
            })
        })
        .await
}

/// The first and the following midnight of a local day, as instants (the first instant
/// of the day when a DST change skips midnight).
fn day_bounds(date: Date, tz: &TimeZone) -> Result<(Timestamp, Timestamp), ReservationError> {
    let bad_date = || {
        let mut errors = FieldErrors::new();
        errors.add(
            "date",
            FieldIssue::Other {
                es: "está fuera del rango de fechas".into(),
                en: "is out of range".into(),
            },
        );
        ReservationError::Invalid(errors)
    };
    let start = date.to_zoned(tz.clone()).map_err(|_| bad_date())?;
    let next = date
        .tomorrow()
        .and_then(|d| d.to_zoned(tz.clone()))
        .map_err(|_| bad_date())?;
    Ok((start.timestamp(), next.timestamp()))
}

/// The reservations starting on a local day of the restaurant (today when `date` is
/// absent), optionally of one status or table, by start time.
pub async fn list(
    db: &Db,
    date: Option<Date>,
    status: Option<ReservationStatus>,
    table: Option<TableId>,
) -> Result<(Date, Vec<ReservationRecord>), ReservationError> {
    let settings = restaurant::load(&db.read).await?;
    let tz = settings.tz();
    let date = date.unwrap_or_else(|| hours::local_day(Timestamp::now(), &tz));
    let (from, to) = day_bounds(date, &tz)?;
    let records = store::list_starting(&db.read, from, to, status, table).await?;
    Ok((date, records))
}

/// A live reservation.
pub async fn find(db: &Db, id: ReservationId) -> Result<ReservationRecord, ReservationError> {
    store::find(&db.read, id)
        .await?
        .ok_or(ReservationError::NotFound)
}

/// The start times of the service day opening on `date` (slot spacing from the settings,
/// starting at each opening time) at which some table in service seats the party and is
/// free for the whole duration. Slots already past are left out; a closed day has none.
pub async fn availability(
    db: &Db,
    date: Date,
    party_size: u32,
    duration_minutes: Option<u32>,
) -> Result<Availability, ReservationError> {
    let settings = restaurant::load(&db.read).await?;
    let duration = duration_minutes.unwrap_or(settings.reservation_duration_minutes);
    let mut errors = FieldErrors::new();
    check_party(&mut errors, party_size);
    check_duration(&mut errors, duration);
    errors.into_result().map_err(ReservationError::Invalid)?;
    let tz = settings.tz();
    let now = Timestamp::now();
    let starts: Vec<Timestamp> = hours::slots(
        &settings.opening_hours,
        &tz,
        date,
        settings.reservation_slot_minutes,
        duration,
    )
    .into_iter()
    .filter(|s| *s > now)
    .collect();
    let mut slots = Vec::new();
    if let (Some(first), Some(last)) = (starts.first(), starts.last()) {
        let length = SignedDuration::from_mins(i64::from(duration));
        let window_end = last.checked_add(length).unwrap_or(*last);
        let tables: Vec<TableCapacity> = store::tables(&db.read)
            .await?
            .into_iter()
            .filter(|t| t.active && t.seats >= party_size)
            .collect();
        let mut conn = db.read.acquire().await?;
        let bookings = store::holding_bookings(&mut conn, *first, window_end, None).await?;
        for starts_at in starts {
            let Ok(ends_at) = starts_at.checked_add(length) else {
                continue;
            };
            let free = tables
                .iter()
                .filter(|t| {
                    !bookings.iter().any(|b| {
                        b.table_id == t.id && b.starts_at < ends_at && starts_at < b.ends_at
                    })
                })
                .count();
            if free > 0 {
                slots.push(FreeSlot {
                    starts_at,
                    tables_free: u32::try_from(free).unwrap_or(u32::MAX),
                });
            }
        }
    }
    Ok(Availability {
        date,
        party_size,
        duration_minutes: duration,
        tz,
        slots,
    })
}
