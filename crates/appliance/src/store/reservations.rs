//! Table reservations and the dining tables they hold. Reservations are synced: every
//! change writes its outbox row.
//!
//! `starts_at` / `ends_at` are written as whole-second RFC 3339 UTC text
//! (`2026-11-27T19:00:00.000Z`, see [`instant_text`]) so that text order is time order and the
//! overlap query can compare them in SQL.

use super::{StoreError, StoreResult, outbox};
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{CustomerId, ReservationId, TableId, UserId};
use dysa_domain::reservation::{Booking, ReservationStatus, TableCapacity};
use dysa_domain::sync::{Entity, Op};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use sqlx::SqliteConnection;

/// The longest a reservation may last (the schema's CHECK), so an overlap search can
/// bound how far back a holding booking may start.
pub const MAX_DURATION_MINUTES: u32 = 720;

/// A stored reservation, as the sync payload carries it.
#[derive(Clone, Debug, Serialize)]
pub struct ReservationRecord {
    /// The reservation's id.
    pub id: ReservationId,
    /// The known diner it belongs to, if any.
    pub customer_id: Option<CustomerId>,
    /// Name the booking is under.
    pub name: String,
    /// Contact phone, E.164.
    pub phone: Option<String>,
    /// How many people.
    pub party_size: u32,
    /// Start (UTC instant).
    pub starts_at: Timestamp,
    /// End, exclusive (UTC instant).
    pub ends_at: Timestamp,
    /// Length in minutes.
    pub duration_minutes: u32,
    /// The table held.
    pub table_id: TableId,
    /// Where it is in its life.
    pub status: ReservationStatus,
    /// Where it was made (`counter`, `widget`, `chat`, `phone`).
    pub channel: String,
    /// Notes (high chair, birthday).
    pub notes: Option<String>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// The staff member who made it.
    pub created_by: Option<UserId>,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// HLC of the last change.
    pub updated_at: Hlc,
}

impl ReservationRecord {
    /// The reservation as it is written and synced.
    pub fn synced(&self) -> dysa_domain::sync::rows::Reservation {
        dysa_domain::sync::rows::Reservation {
            id: self.id,
            customer_id: self.customer_id,
            name: self.name.clone(),
            phone: self.phone.clone(),
            party_size: self.party_size,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            duration_minutes: self.duration_minutes,
            table_id: Some(self.table_id),
            status: self.status,
            channel: self.channel.clone(),
            notes: self.notes.clone(),
            cancel_reason: self.cancel_reason.clone(),
            created_by: self.created_by,
            created_at: self.created_at.clone(),
            updated_at: self.updated_at,
        }
    }

    /// The reservation as the capacity check sees it.
    pub fn booking(&self) -> Booking {
        Booking {
            table_id: self.table_id,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
        }
    }
}

pub use super::instant_text;

#[derive(sqlx::FromRow)]
struct ReservationRow {
    id: String,
    customer_id: Option<String>,
    name: String,
    phone: Option<String>,
    party_size: i64,
    starts_at: String,
    ends_at: String,
    duration_minutes: i64,
    table_id: String,
    status: String,
    channel: String,
    notes: Option<String>,
    cancel_reason: Option<String>,
    created_by: Option<String>,
    created_at: String,
    updated_at: String,
}

fn corrupt(detail: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table: "reservations",
        detail: detail.to_string(),
    }
}

impl TryFrom<ReservationRow> for ReservationRecord {
    type Error = StoreError;
    fn try_from(row: ReservationRow) -> Result<Self, Self::Error> {
        let instant = |text: &str| text.parse::<Timestamp>().map_err(corrupt);
        Ok(ReservationRecord {
            id: row.id.parse().map_err(corrupt)?,
            customer_id: row
                .customer_id
                .map(|id| id.parse())
                .transpose()
                .map_err(corrupt)?,
            name: row.name,
            phone: row.phone,
            party_size: u32::try_from(row.party_size).map_err(corrupt)?,
            starts_at: instant(&row.starts_at)?,
            ends_at: instant(&row.ends_at)?,
            duration_minutes: u32::try_from(row.duration_minutes).map_err(corrupt)?,
            table_id: row.table_id.parse().map_err(corrupt)?,
            status: row.status.parse().map_err(corrupt)?,
            channel: row.channel,
            notes: row.notes,
            cancel_reason: row.cancel_reason,
            created_by: row
                .created_by
                .map(|id| id.parse())
                .transpose()
                .map_err(corrupt)?,
            created_at: row.created_at,
            updated_at: row.updated_at.parse().map_err(corrupt)?,
        })
    }
}

const COLUMNS: &str = "id, customer_id, name, phone, party_size, starts_at, ends_at, duration_minutes, \
     table_id, status, channel, notes, cancel_reason, created_by, created_at, updated_at";

/// A live reservation by id.
pub async fn find<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    id: ReservationId,
) -> StoreResult<Option<ReservationRecord>> {
    let row: Option<ReservationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM reservations WHERE id = ? AND deleted_at IS NULL"
    )))
    .bind(id.to_string())
    .fetch_optional(executor)
    .await?;
    row.map(ReservationRecord::try_from).transpose()
}

/// Live reservations starting in `[from, to)`, optionally of one status and one table,
/// by start time.
pub async fn list_starting<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    from: Timestamp,
    to: Timestamp,
    status: Option<ReservationStatus>,
    table: Option<TableId>,
) -> StoreResult<Vec<ReservationRecord>> {
    let rows: Vec<ReservationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM reservations
         WHERE deleted_at IS NULL AND starts_at >= ?1 AND starts_at < ?2
           AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR table_id = ?4)
         ORDER BY starts_at, id"
    )))
    .bind(instant_text(from))
    .bind(instant_text(to))
    .bind(status.map(|s| s.as_str()))
    .bind(table.map(|t| t.to_string()))
    .fetch_all(executor)
    .await?;
    rows.into_iter().map(ReservationRecord::try_from).collect()
}

/// The bookings that hold a table (booked, confirmed, seated) at some instant of
/// `[from, to)`, leaving out `except` (the reservation being moved).
pub async fn holding_bookings(
    conn: &mut SqliteConnection,
    from: Timestamp,
    to: Timestamp,
    except: Option<ReservationId>,
) -> StoreResult<Vec<Booking>> {
    // No booking lasts longer than MAX_DURATION_MINUTES, which bounds the index range.
    let earliest = from
        .checked_sub(SignedDuration::from_mins(i64::from(MAX_DURATION_MINUTES)))
        .unwrap_or(from);
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_id, starts_at, ends_at FROM reservations
         WHERE deleted_at IS NULL AND status IN ('booked', 'confirmed', 'seated')
           AND starts_at >= ?1 AND starts_at < ?2 AND ends_at > ?3
           AND (?4 IS NULL OR id <> ?4)",
    )
    .bind(instant_text(earliest))
    .bind(instant_text(to))
    .bind(instant_text(from))
    .bind(except.map(|id| id.to_string()))
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(table, starts, ends)| {
            Ok(Booking {
                table_id: table.parse().map_err(corrupt)?,
                starts_at: starts.parse().map_err(corrupt)?,
                ends_at: ends.parse().map_err(corrupt)?,
            })
        })
        .collect()
}

/// Every live dining table as the capacity check sees it, in floor-plan order (ties in
/// `choose_table` go to the earlier table).
pub async fn tables<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
) -> StoreResult<Vec<TableCapacity>> {
    let rows: Vec<(String, i64, bool)> = sqlx::query_as(
        "SELECT id, seats, active FROM dining_tables WHERE deleted_at IS NULL
         ORDER BY position, name, id",
    )
    .fetch_all(executor)
    .await?;
    rows.into_iter()
        .map(|(id, seats, active)| {
            let corrupt = |detail: String| StoreError::Corrupt {
                table: "dining_tables",
                detail,
            };
            Ok(TableCapacity {
                id: id
                    .parse()
                    .map_err(|e: uuid::Error| corrupt(e.to_string()))?,
                seats: u32::try_from(seats).map_err(|e| corrupt(e.to_string()))?,
                active,
            })
        })
        .collect()
}

/// Writes a whole reservation (insert or replace) and its outbox row. The caller stamped
/// `updated_at` with a fresh HLC.
pub async fn save(conn: &mut SqliteConnection, record: &ReservationRecord) -> StoreResult<()> {
    let before = find(&mut *conn, record.id).await?;
    super::rows::upsert(conn, &record.synced()).await?;
    outbox::record_changes(
        conn,
        Entity::Reservation,
        &record.id.to_string(),
        Op::Upsert,
        before.as_ref(),
        record,
        record.updated_at,
    )
    .await?;
    Ok(())
}

/// The bookings holding a table over `[from, to)`, split into those born here (or at
/// another counter of the restaurant) and those born on the cloud
/// (`dysa_domain::reservation::CLOUD_CHANNELS`): the online quota's rule treats them apart.
pub async fn holding_bookings_by_origin(
    conn: &mut SqliteConnection,
    from: Timestamp,
    to: Timestamp,
) -> StoreResult<(Vec<Booking>, Vec<Booking>)> {
    let earliest = from
        .checked_sub(SignedDuration::from_mins(i64::from(MAX_DURATION_MINUTES)))
        .unwrap_or(from);
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_id, starts_at, ends_at, channel FROM reservations
         WHERE deleted_at IS NULL AND status IN ('booked', 'confirmed', 'seated')
           AND starts_at >= ?1 AND starts_at < ?2 AND ends_at > ?3",
    )
    .bind(instant_text(earliest))
    .bind(instant_text(to))
    .bind(instant_text(from))
    .fetch_all(&mut *conn)
    .await?;
    let mut here = Vec::new();
    let mut cloud = Vec::new();
    for (table, starts, ends, channel) in rows {
        let booking = Booking {
            table_id: table.parse().map_err(corrupt)?,
            starts_at: starts.parse().map_err(corrupt)?,
            ends_at: ends.parse().map_err(corrupt)?,
        };
        if dysa_domain::reservation::is_cloud_channel(&channel) {
            cloud.push(booking);
        } else {
            here.push(booking);
        }
    }
    Ok((here, cloud))
}

/// The online quota the counter must keep free right now: the location's
/// `bookings.online_quota_per_slot` (default 2) while the appliance is linked to a cloud
/// and its link is down (the last exchange failed, or none finished yet since
/// connecting); `None` while the link is up or there is no cloud (nobody else books).
pub async fn quota_to_hold(conn: &mut SqliteConnection) -> StoreResult<Option<u32>> {
    let down: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM cloud_link l, sync_state s
                        WHERE l.revoked_at IS NULL
                          AND (s.last_error IS NOT NULL OR s.last_success_at IS NULL))",
    )
    .fetch_one(&mut *conn)
    .await?;
    if !down {
        return Ok(None);
    }
    let stored: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ? AND deleted_at IS NULL")
            .bind(dysa_domain::settings::keys::BOOKINGS_ONLINE_QUOTA_PER_SLOT)
            .fetch_optional(&mut *conn)
            .await?;
    let quota = stored
        .and_then(|v| serde_json::from_str::<u32>(&v).ok())
        .unwrap_or(2);
    Ok(Some(quota))
}

/// Cloud bookings parked until this restaurant decides them (JSON change records).
pub async fn undecided_cloud_bookings(
    conn: &mut SqliteConnection,
    reason: &str,
) -> StoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT change FROM sync_parked WHERE entity = 'reservation' AND reason = ? ORDER BY version",
    )
    .bind(reason)
    .fetch_all(&mut *conn)
    .await?)
}
