//! Table bookings made on the cloud: the diners' widget (through the `public` routes) and
//! owners on the dashboard.
//!
//! The location decides its own capacity (docs/SYNC.md, "Bookings made on the cloud").
//! While one of its devices holds the live channel open, a cloud booking is written as
//! `pending` (status `booked`, no table) and the counter accepts or declines it when it
//! arrives. While the location is offline the cloud confirms on its own, but only within
//! the slot's online quota and onto the tables that quota may use
//! (`dysa_domain::reservation::decide_cloud_booking`), which the counter keeps free while
//! its link is down. Either way the booking is a synced row written through the same
//! merge and cloud clock as owners' menu edits (`menu_edits`), so it reaches the counter
//! by live notice and pull.

use crate::state::AppState;
use crate::store::bookings::TableRow;
use crate::store::sync::{self, CloudChange};
use crate::store::{self, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use dysa_domain::hours::{self, OpeningHours};
use dysa_domain::ids::{LocationId, ReservationId, TableId};
use dysa_domain::reservation::{
    Booking, CloudBooking, CloudBookingRequest, ReservationStatus, TableCapacity,
    decide_cloud_booking, is_cloud_channel,
};
use dysa_domain::sync::rows;
use dysa_domain::sync::{Entity, Outcome};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

/// The synced location setting holding the online quota per slot.
pub const QUOTA_SETTING: &str = dysa_domain::settings::keys::BOOKINGS_ONLINE_QUOTA_PER_SLOT;

/// The quota when the location never set one.
pub const DEFAULT_QUOTA: u32 = 2;

/// Largest party a cloud booking takes (the appliance's own limit).
pub const MAX_PARTY: u32 = 100;

/// A device seen within this many seconds counts as online when no live-stream presence
/// is at hand (see [`location_recently_seen`]).
const RECENTLY_SEEN_SECS: f64 = 45.0;

/// Why a booking was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    /// The input is invalid: party size, start (not one of the location's slots, past).
    #[error("invalid booking")]
    Invalid(FieldErrors),
    /// No such location in this tenant.
    #[error("unknown location")]
    UnknownLocation,
    /// The merge refused the row (it cannot unless the code here is wrong).
    #[error("the merge refused the booking: {0}")]
    Refused(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BookingError {
    fn from(error: sqlx::Error) -> Self {
        BookingError::Store(StoreError::Sqlx(error))
    }
}

/// One start time of a day, and whether a table for the party is free then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Slot {
    /// The start (RFC 3339).
    pub starts_at: DateTime<Utc>,
    /// A table in service that seats the party is free for the whole booking.
    pub available: bool,
}

/// Where a cloud booking comes from (its synced `channel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingChannel {
    /// The diners' widget or hosted page.
    Online,
    /// An owner or manager on the dashboard.
    Dashboard,
    /// A diner's WhatsApp conversation with the restaurant's assistant.
    Whatsapp,
}

impl BookingChannel {
    /// The wire name (one of `dysa_domain::reservation::CLOUD_CHANNELS`).
    pub fn as_str(self) -> &'static str {
        match self {
            BookingChannel::Online => "online",
            BookingChannel::Dashboard => "dashboard",
            BookingChannel::Whatsapp => "whatsapp",
        }
    }
}

/// A booking as asked for.
#[derive(Clone, Debug)]
pub struct NewBooking {
    /// The reservation's id. The same id booked again answers the first outcome and
    /// writes nothing (callers derive it from an idempotency key to make retries safe).
    pub id: Uuid,
    /// Name the booking is under.
    pub name: String,
    /// Contact phone, any Chilean format (stored E.164).
    pub phone: String,
    /// Contact email, kept in the notes for staff.
    pub email: Option<String>,
    /// How many people.
    pub party_size: u32,
    /// Start: RFC 3339, or a wall-clock time in the location's zone; must be a slot.
    pub starts_at: String,
    /// A note for the restaurant.
    pub note: Option<String>,
    /// Where it comes from.
    pub channel: BookingChannel,
}

/// Whether the booking holds a table already.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// Confirmed on a table.
    Confirmed,
    /// Waiting for the restaurant to confirm.
    Pending,
    /// The restaurant declined it or it was cancelled.
    Cancelled,
}

/// What became of a booking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BookingOutcome {
    /// The reservation's id.
    pub id: Uuid,
    /// Confirmed or pending (or cancelled, when a retried booking was declined since).
    pub status: BookingStatus,
    /// Its start.
    pub starts_at: DateTime<Utc>,
    /// The party.
    pub party_size: u32,
    /// The table's name when confirmed.
    pub table: Option<String>,
    /// The table's id when confirmed.
    pub table_id: Option<Uuid>,
}

/// A location's booking rules, from its synced settings (the appliance's defaults where
/// a setting was never stored).
#[derive(Clone, Debug)]
pub struct LocationRules {
    /// Time zone of slots and days.
    pub tz: TimeZone,
    /// Weekly opening hours.
    pub opening_hours: OpeningHours,
    /// Spacing of slots, minutes.
    pub slot_minutes: u32,
    /// Length of a booking, minutes.
    pub duration_minutes: u32,
    /// Cloud bookings per slot the cloud may confirm while the location is offline.
    pub online_quota_per_slot: u32,
}

fn default_hours() -> OpeningHours {
    serde_json::from_value(json!({
        "monday": [{"open": "12:00", "close": "23:00"}],
        "tuesday": [{"open": "12:00", "close": "23:00"}],
        "wednesday": [{"open": "12:00", "close": "23:00"}],
        "thursday": [{"open": "12:00", "close": "23:00"}],
        "friday": [{"open": "12:00", "close": "23:00"}],
        "saturday": [{"open": "12:00", "close": "23:00"}],
        "sunday": [{"open": "12:00", "close": "23:00"}],
    }))
    .unwrap_or_default()
}

/// Reads the location's rules; `None` when the location is not the tenant's.
pub async fn rules(tx: &mut Tx, location: LocationId) -> Result<LocationRules, BookingError> {
    let zone = store::bookings::location_zone(tx, location)
        .await?
        .ok_or(BookingError::UnknownLocation)?;
    let stored = store::bookings::settings(tx, location, QUOTA_SETTING).await?;
    let mut rules = LocationRules {
        tz: TimeZone::get(&zone).unwrap_or(TimeZone::UTC),
        opening_hours: default_hours(),
        slot_minutes: 30,
        duration_minutes: 90,
        online_quota_per_slot: DEFAULT_QUOTA,
    };
    let minutes = |v: &Value, min: u64, max: u64| {
        v.as_u64()
            .filter(|m| (min..=max).contains(m))
            .and_then(|m| u32::try_from(m).ok())
    };
    for (key, value) in stored {
        match key.as_str() {
            "restaurant.time_zone" => {
                if let Some(tz) = value.as_str().and_then(|z| TimeZone::get(z).ok()) {
                    rules.tz = tz;
                }
            }
            "restaurant.opening_hours" => {
                if let Ok(hours) = serde_json::from_value(value) {
                    rules.opening_hours = hours;
                }
            }
            "restaurant.reservation_slot_minutes" => {
                if let Some(m) = minutes(&value, 5, 240) {
                    rules.slot_minutes = m;
                }
            }
            "restaurant.reservation_duration_minutes" => {
                if let Some(m) = minutes(&value, 15, 720) {
                    rules.duration_minutes = m;
                }
            }
            _ => {
                if let Some(q) = minutes(&value, 0, 1000) {
                    rules.online_quota_per_slot = q;
                }
            }
        }
    }
    Ok(rules)
}

/// Sets the location's online quota per slot: a synced setting written like an owner's
/// edit, so the counter holds the same quota while its link is down.
pub async fn set_online_quota(
    state: &AppState,
    tx: &mut Tx,
    location: LocationId,
    quota: u32,
) -> Result<(), BookingError> {
    rules(tx, location).await?;
    let stored =
        sync::stored_row(tx, &state.vault, Entity::Setting, location, QUOTA_SETTING).await?;
    let hlc = state
        .tenant_clock(tx)
        .await?
        .stamp_after(stored.as_ref().map(|s| s.newest_hlc()).as_deref());
    let row = rows::Setting {
        key: QUOTA_SETTING.to_owned(),
        value: Value::from(quota),
    };
    let change = CloudChange::upsert(QUOTA_SETTING, &row);
    let result = sync::apply_cloud_change(tx, &state.vault, location, change, hlc).await?;
    if result.outcome == Outcome::Rejected {
        return Err(BookingError::Refused(result.detail.unwrap_or_default()));
    }
    Ok(())
}

fn to_chrono(ts: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp(ts.as_second(), ts.subsec_nanosecond().max(0) as u32)
        .unwrap_or_default()
}

fn to_jiff(at: DateTime<Utc>) -> Timestamp {
    Timestamp::from_second(at.timestamp()).unwrap_or_default()
}

fn jiff_date(date: NaiveDate) -> Option<jiff::civil::Date> {
    use chrono::Datelike;
    jiff::civil::Date::new(
        i16::try_from(date.year()).ok()?,
        i8::try_from(date.month()).ok()?,
        i8::try_from(date.day()).ok()?,
    )
    .ok()
}

async fn tables(tx: &mut Tx, location: LocationId) -> Result<Vec<TableRow>, BookingError> {
    Ok(store::bookings::tables(tx, location).await?)
}

fn capacities(rows: &[TableRow]) -> Vec<TableCapacity> {
    rows.iter()
        .map(|t| TableCapacity {
            id: TableId::from(t.id),
            seats: u32::try_from(t.seats).unwrap_or(0),
            active: t.active,
        })
        .collect()
}

/// The bookings holding a table over `[from, to)`, split into those born at the
/// location and those born on the cloud.
async fn holding(
    tx: &mut Tx,
    location: LocationId,
    from: Timestamp,
    to: Timestamp,
) -> Result<(Vec<Booking>, Vec<Booking>), BookingError> {
    let rows = store::bookings::holding(tx, location, to_chrono(from), to_chrono(to)).await?;
    let mut at_location = Vec::new();
    let mut on_cloud = Vec::new();
    for (table, starts_at, ends_at, source) in rows {
        let booking = Booking {
            table_id: TableId::from(table),
            starts_at: to_jiff(starts_at),
            ends_at: to_jiff(ends_at),
        };
        if is_cloud_channel(&source) {
            on_cloud.push(booking);
        } else {
            at_location.push(booking);
        }
    }
    Ok((at_location, on_cloud))
}

fn length(rules: &LocationRules) -> SignedDuration {
    SignedDuration::from_mins(i64::from(rules.duration_minutes))
}

fn check_party(errors: &mut FieldErrors, party_size: u32) {
    errors.check(
        (1..=MAX_PARTY).contains(&party_size),
        "party_size",
        FieldIssue::OutOfRange {
            min: 1,
            max: i64::from(MAX_PARTY),
        },
    );
}

/// The start times of `date` at `location` (future ones only), each saying whether a
/// table in service for `party_size` is free for a whole booking then. Bookings the cloud
/// would hold as pending count as available: the restaurant decides those.
pub async fn availability(
    tx: &mut Tx,
    location: LocationId,
    date: NaiveDate,
    party_size: u32,
) -> Result<Vec<Slot>, BookingError> {
    let mut errors = FieldErrors::new();
    check_party(&mut errors, party_size);
    let day = jiff_date(date);
    if day.is_none() {
        errors.add(
            "date",
            FieldIssue::Other {
                es: "no es una fecha válida".into(),
                en: "is not a valid date".into(),
            },
        );
    }
    errors.into_result().map_err(BookingError::Invalid)?;
    let Some(day) = day else {
        return Err(BookingError::Invalid(FieldErrors::new()));
    };
    let rules = rules(tx, location).await?;
    let now = Timestamp::now();
    let starts: Vec<Timestamp> = hours::slots(
        &rules.opening_hours,
        &rules.tz,
        day,
        rules.slot_minutes,
        rules.duration_minutes,
    )
    .into_iter()
    .filter(|s| *s > now)
    .collect();
    let (Some(first), Some(last)) = (starts.first(), starts.last()) else {
        return Ok(Vec::new());
    };
    let length = length(&rules);
    let window_end = last.checked_add(length).unwrap_or(*last);
    let tables = capacities(&tables(tx, location).await?);
    let (at_location, on_cloud) = holding(tx, location, *first, window_end).await?;
    let existing: Vec<Booking> = at_location.into_iter().chain(on_cloud).collect();
    Ok(starts
        .into_iter()
        .map(|starts_at| {
            let ends_at = starts_at.checked_add(length).unwrap_or(starts_at);
            let available = tables.iter().any(|t| {
                t.active
                    && t.seats >= party_size
                    && !existing.iter().any(|b| {
                        b.table_id == t.id && b.starts_at < ends_at && starts_at < b.ends_at
                    })
            });
            Slot {
                starts_at: to_chrono(starts_at),
                available,
            }
        })
        .collect())
}

/// Reads a start: RFC 3339 with an offset, or a wall-clock time in the location's zone.
fn parse_start(text: &str, tz: &TimeZone) -> Option<Timestamp> {
    let text = text.trim();
    text.parse::<Timestamp>().ok().or_else(|| {
        let local = text.parse::<jiff::civil::DateTime>().ok()?;
        tz.to_ambiguous_timestamp(local).compatible().ok()
    })
}

/// Whether `at` is one of the location's slots (of its own service day or of the one
/// before, whose late hours may run past midnight).
fn is_slot(rules: &LocationRules, at: Timestamp) -> bool {
    let day = hours::local_day(at, &rules.tz);
    [day.yesterday().ok(), Some(day)]
        .into_iter()
        .flatten()
        .any(|date| {
            hours::slots(
                &rules.opening_hours,
                &rules.tz,
                date,
                rules.slot_minutes,
                rules.duration_minutes,
            )
            .contains(&at)
        })
}

fn not_a_slot() -> BookingError {
    let mut errors = FieldErrors::new();
    errors.add(
        "starts_at",
        FieldIssue::Other {
            es: "no es un horario disponible para reservar".into(),
            en: "is not a bookable time".into(),
        },
    );
    BookingError::Invalid(errors)
}

/// The outcome of a booking already written (a retry of the same id).
async fn existing_outcome(tx: &mut Tx, id: Uuid) -> Result<Option<BookingOutcome>, BookingError> {
    let row = store::bookings::written(tx, id).await?;
    Ok(row.map(|row| {
        let status = match (row.status.as_str(), row.table_id) {
            ("booked", None) => BookingStatus::Pending,
            ("cancelled" | "no_show", _) => BookingStatus::Cancelled,
            _ => BookingStatus::Confirmed,
        };
        let confirmed = status == BookingStatus::Confirmed;
        BookingOutcome {
            id,
            status,
            starts_at: row.starts_at,
            party_size: u32::try_from(row.party_size).unwrap_or(0),
            table: row.table_name.filter(|_| confirmed),
            table_id: row.table_id.filter(|_| confirmed),
        }
    }))
}

/// Books a table at `location`: confirmed at once while the location is offline and the
/// slot's quota allows, else pending for the restaurant (see the module docs). The
/// decision and the write happen under the tenant's sync lock, so two bookings (or a
/// booking and a device's push) never both see the same table free.
pub async fn book(
    state: &AppState,
    tx: &mut Tx,
    location: LocationId,
    booking: NewBooking,
    location_online: bool,
) -> Result<BookingOutcome, BookingError> {
    let rules = rules(tx, location).await?;
    let mut errors = FieldErrors::new();
    errors.text("name", &booking.name, 120);
    check_party(&mut errors, booking.party_size);
    let phone = match dysa_domain::customer::normalize_phone(&booking.phone) {
        Ok(phone) => Some(phone),
        Err(_) => {
            errors.add(
                "phone",
                FieldIssue::Other {
                    es: "no es un teléfono válido (p. ej. 9 8765 4321 o +56 9 8765 4321)".into(),
                    en: "is not a valid phone number (e.g. 9 8765 4321 or +56 9 8765 4321)".into(),
                },
            );
            None
        }
    };
    if let Some(email) = &booking.email {
        errors.email("email", email);
    }
    errors.optional_text("note", booking.note.as_deref(), 2000);
    let starts_at = parse_start(&booking.starts_at, &rules.tz);
    if starts_at.is_none() {
        errors.add(
            "starts_at",
            FieldIssue::Other {
                es: "debe ser una fecha y hora RFC 3339".into(),
                en: "must be an RFC 3339 date-time".into(),
            },
        );
    }
    errors.into_result().map_err(BookingError::Invalid)?;
    let (Some(starts_at), Some(phone)) = (starts_at, phone) else {
        return Err(BookingError::Invalid(FieldErrors::new()));
    };
    if starts_at <= Timestamp::now() || !is_slot(&rules, starts_at) {
        return Err(not_a_slot());
    }
    let ends_at = starts_at
        .checked_add(length(&rules))
        .map_err(|_| not_a_slot())?;

    sync::lock_tenant(tx).await?;
    if let Some(done) = existing_outcome(tx, booking.id).await? {
        return Ok(done);
    }
    let table_rows = tables(tx, location).await?;
    let tables = capacities(&table_rows);
    let (at_location, on_cloud) = holding(tx, location, starts_at, ends_at).await?;
    let decision = decide_cloud_booking(CloudBookingRequest {
        location_online,
        online_quota_per_slot: rules.online_quota_per_slot,
        tables: &tables,
        location_bookings: &at_location,
        cloud_bookings: &on_cloud,
        party_size: booking.party_size,
        starts_at,
        ends_at,
    });
    let (status, table_id) = match decision {
        CloudBooking::Confirm(table) => (ReservationStatus::Confirmed, Some(table)),
        CloudBooking::Pending => (ReservationStatus::Booked, None),
    };
    let notes = match (&booking.note, &booking.email) {
        (Some(note), Some(email)) => Some(format!("{} ({email})", note.trim())),
        (Some(note), None) => Some(note.trim().to_owned()),
        (None, Some(email)) => Some(email.clone()),
        (None, None) => None,
    };
    let hlc = state.tenant_clock(tx).await?.tick();
    let row = rows::Reservation {
        id: ReservationId(booking.id),
        customer_id: None,
        name: booking.name.trim().to_owned(),
        phone: Some(phone),
        party_size: booking.party_size,
        starts_at,
        ends_at,
        duration_minutes: rules.duration_minutes,
        table_id,
        status,
        channel: booking.channel.as_str().to_owned(),
        notes,
        cancel_reason: None,
        created_by: None,
        created_at: Timestamp::now().to_string(),
        updated_at: hlc,
    };
    let change = CloudChange::upsert(booking.id.to_string(), &row);
    let result = sync::apply_cloud_change(tx, &state.vault, location, change, hlc).await?;
    if result.outcome == Outcome::Rejected {
        return Err(BookingError::Refused(result.detail.unwrap_or_default()));
    }
    existing_outcome(tx, booking.id)
        .await?
        .ok_or_else(|| BookingError::Refused("the booking was not projected".to_owned()))
}

/// Whether a device of `location` talked to the cloud in the last 45 s. Devices holding
/// the live channel pull on every notice and at least every 30 s, so this follows the
/// live presence closely; the `public` routes pass their own presence check instead.
pub async fn location_recently_seen(
    tx: &mut Tx,
    location: LocationId,
) -> Result<bool, BookingError> {
    Ok(store::bookings::location_recently_seen(tx, location, RECENTLY_SEEN_SECS).await?)
}
