//! The rows of booking messages (see [`crate::booking_messages`]): the bookings still to
//! come, the notices each was sent (one per kind), the diners' consents.

use super::{Db, StoreResult, Tx};
use chrono::{DateTime, Utc};
use dysa_domain::ids::{LocationId, TenantId};
use uuid::Uuid;

/// A booking as its messages need it (the phone still sealed as the projection keeps it).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct BookingBrief {
    /// The reservation.
    pub id: Uuid,
    /// Its location.
    pub location_id: LocationId,
    /// The name it is under.
    pub customer_name: String,
    /// The diner's phone, sealed (`TenantKeys::open_column`).
    pub phone: Option<String>,
    /// Guests.
    pub party_size: i32,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// `booked`, `confirmed`, …
    pub status: String,
    /// The table held, if any.
    pub table_id: Option<Uuid>,
    /// The location's IANA zone.
    pub time_zone: String,
    /// The location's name.
    pub location_name: String,
    /// The restaurant's (tenant's) name.
    pub restaurant_name: String,
}

const BRIEF: &str =
    "SELECT r.id, r.location_id, r.customer_name, r.phone, r.party_size, r.starts_at,
            r.created_at, r.status, r.table_id, l.time_zone, l.name AS location_name,
            t.name AS restaurant_name
     FROM reservations r
     JOIN locations l ON l.tenant_id = r.tenant_id AND l.id = r.location_id
     JOIN tenants t ON t.id = r.tenant_id";

/// Reservation `id`, live (not deleted).
pub async fn booking(tx: &mut Tx, id: Uuid) -> StoreResult<Option<BookingBrief>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{BRIEF} WHERE r.id = $1 AND r.deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The tenant's bookings still to come (booked or confirmed) starting in `(from, until]`.
pub async fn upcoming(
    tx: &mut Tx,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<Vec<BookingBrief>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{BRIEF} WHERE r.starts_at > $1 AND r.starts_at <= $2
            AND r.status IN ('booked', 'confirmed') AND r.deleted_at IS NULL
          ORDER BY r.starts_at, r.id"
    )))
    .bind(from)
    .bind(until)
    .fetch_all(&mut **tx)
    .await?)
}

/// The tenants with a booking to come in `(from, until]` (migration 0039's lookup).
pub async fn reminder_tenants(
    db: &Db,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<Vec<TenantId>> {
    let mut tx = db.public_tx().await?;
    let tenants = sqlx::query_scalar("SELECT booking_reminder_tenants($1, $2)")
        .bind(from)
        .bind(until)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(tenants)
}

/// The reminder hours the location set (`bookings.reminder_hours`, a synced setting), if
/// any.
pub async fn reminder_hours(
    tx: &mut Tx,
    location: LocationId,
    key: &str,
) -> StoreResult<Option<serde_json::Value>> {
    Ok(sqlx::query_scalar(
        "SELECT value FROM location_settings
         WHERE location_id = $1 AND key = $2 AND deleted_at IS NULL",
    )
    .bind(location)
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?)
}

/// A notice to record.
#[derive(Clone, Debug)]
pub struct NewNotice<'a> {
    /// The booking.
    pub reservation: Uuid,
    /// Its location.
    pub location: LocationId,
    /// `confirmation` or `reminder:{hours}`.
    pub kind: &'a str,
    /// `whatsapp` or `sms`.
    pub channel: &'a str,
    /// The keyed hash of the diner's number.
    pub phone_hash: &'a [u8],
    /// `es` or `en`.
    pub lang: &'a str,
}

/// Records that a booking was sent notice `kind`; `false` when it was before (then
/// nothing is queued again).
pub async fn record(tx: &mut Tx, new: &NewNotice<'_>) -> StoreResult<bool> {
    Ok(sqlx::query(
        "INSERT INTO booking_notices (tenant_id, reservation_id, location_id, kind, channel,
                                      phone_hash, lang)
         VALUES (app_tenant(), $1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, reservation_id, kind) DO NOTHING",
    )
    .bind(new.reservation)
    .bind(new.location)
    .bind(new.kind)
    .bind(new.channel)
    .bind(new.phone_hash)
    .bind(new.lang)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0)
}

/// The booking a diner's SI or NO answers: the most recent notice sent to `phone_hash`
/// for a booking still to come (booked or confirmed), with the notice's language.
pub async fn open_notice(
    tx: &mut Tx,
    phone_hash: &[u8],
    now: DateTime<Utc>,
) -> StoreResult<Option<(Uuid, String)>> {
    Ok(sqlx::query_as(
        "SELECT n.reservation_id, n.lang FROM booking_notices n
         JOIN reservations r ON r.tenant_id = n.tenant_id AND r.id = n.reservation_id
         WHERE n.phone_hash = $1 AND r.starts_at > $2
           AND r.status IN ('booked', 'confirmed') AND r.deleted_at IS NULL
         ORDER BY n.created_at DESC
         LIMIT 1",
    )
    .bind(phone_hash)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Records the diner's answer on every notice of the booking.
pub async fn answered(tx: &mut Tx, reservation: Uuid, answer: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE booking_notices SET answered_at = now(), answer = $2
         WHERE reservation_id = $1 AND answered_at IS NULL",
    )
    .bind(reservation)
    .bind(answer)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records the consent a diner gave (or refused) with booking `reservation`.
pub async fn record_consent(
    tx: &mut Tx,
    reservation: Uuid,
    consented: bool,
    lang: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO booking_consents (tenant_id, reservation_id, consented, lang)
         VALUES (app_tenant(), $1, $2, $3)
         ON CONFLICT (tenant_id, reservation_id) DO NOTHING",
    )
    .bind(reservation)
    .bind(consented)
    .bind(lang)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The consent recorded with `reservation`: `None` when none was asked; and its language.
pub async fn consent(tx: &mut Tx, reservation: Uuid) -> StoreResult<Option<(bool, String)>> {
    Ok(
        sqlx::query_as("SELECT consented, lang FROM booking_consents WHERE reservation_id = $1")
            .bind(reservation)
            .fetch_optional(&mut **tx)
            .await?,
    )
}
