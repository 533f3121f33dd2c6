//! The reads behind bookings (see [`crate::bookings`]): a location's zone and booking
//! settings, its tables, the bookings holding them, a written booking, and whether its
//! devices were seen lately.

use super::{StoreResult, Tx};
use chrono::{DateTime, Utc};
use dysa_domain::ids::LocationId;
use serde_json::Value;
use uuid::Uuid;

/// The time zone of `location`; `None` when it is not the tenant's.
pub async fn location_zone(tx: &mut Tx, location: LocationId) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT time_zone FROM locations WHERE id = $1")
            .bind(location)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// The location's live booking settings (zone, hours, slot, duration and `quota_key`) as
/// key and value.
pub async fn settings(
    tx: &mut Tx,
    location: LocationId,
    quota_key: &str,
) -> StoreResult<Vec<(String, Value)>> {
    Ok(sqlx::query_as(
        "SELECT key, value FROM location_settings
         WHERE location_id = $1 AND deleted_at IS NULL
           AND key IN ('restaurant.time_zone', 'restaurant.opening_hours',
                       'restaurant.reservation_slot_minutes',
                       'restaurant.reservation_duration_minutes', $2)",
    )
    .bind(location)
    .bind(quota_key)
    .fetch_all(&mut **tx)
    .await?)
}

/// A table as bookings see it.
#[derive(sqlx::FromRow)]
pub struct TableRow {
    /// The table.
    pub id: Uuid,
    /// Its seats.
    pub seats: i32,
    /// Whether it takes guests.
    pub active: bool,
}

/// The live tables of `location`.
pub async fn tables(tx: &mut Tx, location: LocationId) -> StoreResult<Vec<TableRow>> {
    Ok(sqlx::query_as(
        "SELECT id, seats, active FROM dining_tables
         WHERE location_id = $1 AND deleted_at IS NULL ORDER BY id",
    )
    .bind(location)
    .fetch_all(&mut **tx)
    .await?)
}

/// The live bookings holding a table of `location` over `[from, to)`: table, start, end
/// and source.
pub async fn holding(
    tx: &mut Tx,
    location: LocationId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<(Uuid, DateTime<Utc>, DateTime<Utc>, String)>> {
    Ok(sqlx::query_as(
        "SELECT table_id, starts_at, ends_at, source FROM reservations
         WHERE location_id = $1 AND deleted_at IS NULL AND table_id IS NOT NULL
           AND status IN ('booked', 'confirmed', 'seated')
           AND starts_at < $3 AND ends_at > $2",
    )
    .bind(location)
    .bind(from)
    .bind(to)
    .fetch_all(&mut **tx)
    .await?)
}

/// A booking as projected, with its table's name.
#[derive(sqlx::FromRow)]
pub struct WrittenBooking {
    /// The reservation's status.
    pub status: String,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// Guests.
    pub party_size: i32,
    /// The table given, if any.
    pub table_id: Option<Uuid>,
    /// That table's name.
    pub table_name: Option<String>,
}

/// The projected reservation `id`, if any.
pub async fn written(tx: &mut Tx, id: Uuid) -> StoreResult<Option<WrittenBooking>> {
    Ok(sqlx::query_as(
        "SELECT r.status, r.starts_at, r.party_size, r.table_id, t.name AS table_name
         FROM reservations r
         LEFT JOIN dining_tables t ON t.tenant_id = r.tenant_id AND t.id = r.table_id
         WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Whether a device of `location` talked to the cloud within `secs` seconds.
pub async fn location_recently_seen(
    tx: &mut Tx,
    location: LocationId,
    secs: f64,
) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM devices
                        WHERE location_id = $1 AND revoked_at IS NULL
                          AND last_seen_at > now() - make_interval(secs => $2))",
    )
    .bind(location)
    .bind(secs)
    .fetch_one(&mut **tx)
    .await?)
}
