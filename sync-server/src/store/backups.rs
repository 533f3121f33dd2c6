//! The counters' encrypted backups held by the cloud (cloud migration 0047; docs/SECURITY.md,
//! "Backups in the cloud"): opaque bytes in parts, their size and sha256, per location,
//! with a retention of 30 days (the newest always kept), and the recovery copy of each
//! counter's backup key, sealed with the tenant's data key. Every statement names the
//! device's location: devices' transactions see every location of their tenant.

use super::{StoreResult, Tx};
use dysa_domain::ids::{DeviceId, LocationId};

/// A backup the cloud holds (or is receiving).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct BackupObject {
    /// Its id (the counter's).
    pub id: uuid::Uuid,
    /// The counter that took it.
    #[schema(value_type = String, format = Uuid)]
    pub device_id: DeviceId,
    /// When the counter took it.
    pub taken_at: chrono::DateTime<chrono::Utc>,
    /// How many parts it has.
    pub parts: i32,
    /// Its size in bytes (the encrypted file's).
    pub size_bytes: i64,
    /// sha256 of the whole file, lowercase hex.
    pub sha256: Option<String>,
}

/// Starts (or finds again) backup `id` of the device's location. False when the id is
/// already taken by another location or device, or already complete.
pub async fn begin(
    tx: &mut Tx,
    location: LocationId,
    device: DeviceId,
    id: uuid::Uuid,
    taken_at: chrono::DateTime<chrono::Utc>,
) -> StoreResult<bool> {
    let mine: Option<bool> = sqlx::query_scalar(
        "INSERT INTO device_backups (tenant_id, location_id, id, device_id, taken_at)
         VALUES (app_tenant(), $1, $2, $3, $4)
         ON CONFLICT (tenant_id, id) DO UPDATE SET taken_at = device_backups.taken_at
         RETURNING location_id = $1 AND device_id = $3 AND completed_at IS NULL",
    )
    .bind(location)
    .bind(id)
    .bind(device)
    .bind(taken_at)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(mine.unwrap_or(false))
}

/// Keeps part `n` of backup `id` (a resend replaces it). False when the backup is not an
/// open one of this device.
pub async fn put_part(
    tx: &mut Tx,
    location: LocationId,
    device: DeviceId,
    id: uuid::Uuid,
    n: i32,
    bytes: &[u8],
) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO device_backup_parts (tenant_id, location_id, backup_id, n, bytes)
         SELECT app_tenant(), b.location_id, b.id, $4, $5 FROM device_backups b
         WHERE b.tenant_id = app_tenant() AND b.id = $3 AND b.location_id = $1
           AND b.device_id = $2 AND b.completed_at IS NULL
         ON CONFLICT (tenant_id, backup_id, n) DO UPDATE SET bytes = EXCLUDED.bytes",
    )
    .bind(location)
    .bind(device)
    .bind(id)
    .bind(n)
    .bind(bytes)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What the parts of backup `id` add up to: (count, contiguous from 0, total bytes).
pub async fn parts_summary(tx: &mut Tx, id: uuid::Uuid) -> StoreResult<(i64, bool, i64)> {
    let (count, max, size): (i64, Option<i32>, Option<i64>) = sqlx::query_as(
        "SELECT count(*), max(n), sum(length(bytes))::bigint FROM device_backup_parts
         WHERE tenant_id = app_tenant() AND backup_id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let contiguous = max.map_or(count == 0, |m| i64::from(m) + 1 == count);
    Ok((count, contiguous, size.unwrap_or(0)))
}

/// The parts of backup `id` in order (to check its hash at completion).
pub async fn part(
    tx: &mut Tx,
    location: LocationId,
    id: uuid::Uuid,
    n: i32,
) -> StoreResult<Option<Vec<u8>>> {
    Ok(sqlx::query_scalar(
        "SELECT p.bytes FROM device_backup_parts p
         JOIN device_backups b ON b.tenant_id = p.tenant_id AND b.id = p.backup_id
         WHERE p.tenant_id = app_tenant() AND p.backup_id = $2 AND p.n = $3
           AND b.location_id = $1 AND b.completed_at IS NOT NULL",
    )
    .bind(location)
    .bind(id)
    .bind(n)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The sha256 of backup `id`'s parts in order, computed in Postgres (no part leaves it).
pub async fn digest(tx: &mut Tx, id: uuid::Uuid) -> StoreResult<String> {
    let hex: Option<String> = sqlx::query_scalar(
        "SELECT encode(sha256(string_agg(bytes, ''::bytea ORDER BY n)), 'hex')
         FROM device_backup_parts WHERE tenant_id = app_tenant() AND backup_id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(hex.unwrap_or_default())
}

/// Marks backup `id` complete with its parts, size and hash.
pub async fn complete(
    tx: &mut Tx,
    id: uuid::Uuid,
    parts: i32,
    size_bytes: i64,
    sha256: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE device_backups SET parts = $2, size_bytes = $3, sha256 = $4, completed_at = now()
         WHERE tenant_id = app_tenant() AND id = $1",
    )
    .bind(id)
    .bind(parts)
    .bind(size_bytes)
    .bind(sha256)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes the location's complete backups taken before `before` except the newest, and
/// its unfinished ones started more than a day ago. Answers how many went.
pub async fn prune(
    tx: &mut Tx,
    location: LocationId,
    before: chrono::DateTime<chrono::Utc>,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "DELETE FROM device_backups b
         WHERE b.tenant_id = app_tenant() AND b.location_id = $1
           AND ((b.completed_at IS NOT NULL AND b.taken_at < $2
                 AND b.id <> (SELECT n.id FROM device_backups n
                              WHERE n.tenant_id = app_tenant() AND n.location_id = $1
                                AND n.completed_at IS NOT NULL
                              ORDER BY n.taken_at DESC, n.id DESC LIMIT 1))
                OR (b.completed_at IS NULL AND b.created_at < now() - interval '1 day'))",
    )
    .bind(location)
    .bind(before)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// The location's newest complete backup.
pub async fn latest(tx: &mut Tx, location: LocationId) -> StoreResult<Option<BackupObject>> {
    Ok(sqlx::query_as(
        "SELECT id, device_id, taken_at, parts, size_bytes, sha256 FROM device_backups
         WHERE tenant_id = app_tenant() AND location_id = $1 AND completed_at IS NOT NULL
         ORDER BY taken_at DESC, id DESC LIMIT 1",
    )
    .bind(location)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Keeps the recovery copy of a counter's backup key (already sealed).
pub async fn keep_key(
    tx: &mut Tx,
    location: LocationId,
    device: DeviceId,
    sealed: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO backup_keys (tenant_id, location_id, device_id, sealed_key)
         VALUES (app_tenant(), $1, $2, $3)
         ON CONFLICT (tenant_id, location_id, device_id)
         DO UPDATE SET sealed_key = EXCLUDED.sealed_key, updated_at = now()",
    )
    .bind(location)
    .bind(device)
    .bind(sealed)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The sealed backup key of `device` (the counter that took a backup) at `location`.
/// Whether `device` (of the current tenant) was enrolled less than `minutes` ago: the
/// window in which an owner's fresh enrolment code lets a replacement counter read the
/// location's backup keys.
pub async fn enrolled_within(tx: &mut Tx, device: DeviceId, minutes: i64) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT created_at > now() - make_interval(mins => $2::int) FROM devices
         WHERE tenant_id = app_tenant() AND id = $1 AND revoked_at IS NULL",
    )
    .bind(device)
    .bind(i32::try_from(minutes).unwrap_or(i32::MAX))
    .fetch_optional(&mut **tx)
    .await?
    .unwrap_or(false))
}

/// The sealed recovery copy of the backup key of `device` of `location`.
pub async fn key_of(
    tx: &mut Tx,
    location: LocationId,
    device: DeviceId,
) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT sealed_key FROM backup_keys
         WHERE tenant_id = app_tenant() AND location_id = $1 AND device_id = $2",
    )
    .bind(location)
    .bind(device)
    .fetch_optional(&mut **tx)
    .await?)
}
