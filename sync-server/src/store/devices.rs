//! Enrolled devices (appliances) and the one-time codes that enrol them.

use super::{Db, StoreResult, Tx};
use chrono::{DateTime, Utc};
use dysa_domain::ids::{DeviceId, LocationId, TenantId};
use uuid::Uuid;

/// A device as stored (never its token).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeviceRecord {
    /// Id.
    pub id: DeviceId,
    /// The tenant.
    pub tenant_id: TenantId,
    /// The location it serves.
    pub location_id: LocationId,
    /// Name given by the owner or at enrolment.
    pub name: String,
    /// Enrolment time.
    pub created_at: DateTime<Utc>,
    /// Last authenticated request.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Last completed sync.
    pub last_sync_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Its last sync push.
    pub last_push_at: Option<DateTime<Utc>>,
    /// The cursor it last pulled to (none before its first pull).
    pub last_pulled_version: Option<i64>,
    /// The tenant's newest sync version.
    pub tenant_version: i64,
}

/// The columns of [`DeviceRecord`].
const COLUMNS: &str = "id, tenant_id, location_id, name, created_at, last_seen_at, last_sync_at, revoked_at,
    last_push_at, last_pulled_version,
    coalesce((SELECT v.version FROM sync_versions v WHERE v.tenant_id = devices.tenant_id), 0) AS tenant_version";

/// The tenant an enrolment code belongs to.
pub async fn tenant_of_code(db: &Db, code_hash: &str) -> StoreResult<Option<TenantId>> {
    Ok(sqlx::query_scalar("SELECT tenant_of_enrollment_code($1)")
        .bind(code_hash)
        .fetch_one(&db.pool)
        .await?)
}

/// Uses up an enrolment code if it is unused and unexpired: answers `(code id, location)`.
/// One statement, so two devices racing with one code cannot both win.
pub async fn claim_code(tx: &mut Tx, code_hash: &str) -> StoreResult<Option<(Uuid, LocationId)>> {
    Ok(sqlx::query_as(
        "UPDATE enrollment_codes SET used_at = now()
         WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()
         RETURNING id, location_id",
    )
    .bind(code_hash)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Inserts a device and marks the code used by it.
pub async fn insert(
    tx: &mut Tx,
    tenant: TenantId,
    location: LocationId,
    name: &str,
    token_hash: &str,
    code_id: Uuid,
) -> StoreResult<DeviceId> {
    let id = DeviceId::new();
    sqlx::query(
        "INSERT INTO devices (id, tenant_id, location_id, name, token_hash) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(tenant)
    .bind(location)
    .bind(name)
    .bind(token_hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE enrollment_codes SET used_by = $2 WHERE id = $1")
        .bind(code_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// The tenant a device token belongs to.
pub async fn tenant_of_token(db: &Db, token_hash: &str) -> StoreResult<Option<TenantId>> {
    Ok(sqlx::query_scalar("SELECT tenant_of_device_token($1)")
        .bind(token_hash)
        .fetch_one(&db.pool)
        .await?)
}

/// What a presented device token turned out to be.
#[derive(Clone, Debug)]
pub enum DeviceAuth {
    /// A live device of an active tenant (its last-seen time is now stamped).
    Live(DeviceRecord),
    /// A live device of a suspended tenant: refused while the suspension lasts.
    Suspended,
    /// Unknown or revoked.
    Refused,
}

/// Authenticates a device token: the live (not revoked) device of an active tenant,
/// stamping its last-seen time. One statement on the happy path.
pub async fn authenticate(tx: &mut Tx, token_hash: &str) -> StoreResult<DeviceAuth> {
    let live: Option<DeviceRecord> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE devices SET last_seen_at = now()
         WHERE token_hash = $1 AND revoked_at IS NULL
           AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = devices.tenant_id AND t.status = 'active')
         RETURNING {COLUMNS}"
    )))
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(device) = live {
        return Ok(DeviceAuth::Live(device));
    }
    let suspended: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM devices d JOIN tenants t ON t.id = d.tenant_id
                        WHERE d.token_hash = $1 AND d.revoked_at IS NULL AND t.status <> 'active')",
    )
    .bind(token_hash)
    .fetch_one(&mut **tx)
    .await?;
    Ok(if suspended {
        DeviceAuth::Suspended
    } else {
        DeviceAuth::Refused
    })
}

/// A device found by its token hash, revoked or not.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TokenDevice {
    /// Id.
    pub id: DeviceId,
    /// The tenant.
    pub tenant_id: TenantId,
    /// Its location.
    pub location_id: LocationId,
    /// Whether it was revoked.
    pub revoked: bool,
    /// Whether its tenant is active (not suspended).
    pub tenant_active: bool,
}

/// The device of a token hash, without stamping anything (see `SyncDevice`).
pub async fn by_token(tx: &mut Tx, token_hash: &str) -> StoreResult<Option<TokenDevice>> {
    Ok(sqlx::query_as(
        "SELECT id, tenant_id, location_id, revoked_at IS NOT NULL AS revoked,
                coalesce((SELECT status = 'active' FROM tenants), false) AS tenant_active
         FROM devices WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Stamps a device's last request (sync routes, whose authentication only reads).
pub async fn touch(tx: &mut Tx, id: DeviceId) -> StoreResult<()> {
    sqlx::query("UPDATE devices SET last_seen_at = now() WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records a device's pull: the cursor it now holds, and, when it reached the end of the
/// changes (`caught_up`), the time of its last completed sync.
pub async fn record_pull(
    tx: &mut Tx,
    id: DeviceId,
    cursor: i64,
    caught_up: bool,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE devices SET last_pulled_version = $2, last_seen_at = now(),
                last_sync_at = CASE WHEN $3 THEN now() ELSE last_sync_at END
         WHERE id = $1",
    )
    .bind(id)
    .bind(cursor)
    .bind(caught_up)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a counter says of its own queues with a pull (migration 0056): fiscal documents
/// not yet issued and print jobs not yet printed, each with how many and since when the
/// oldest waits (`None` when empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueReport {
    /// Fiscal documents waiting.
    pub fiscal_pending: i32,
    /// Since when the oldest waits.
    pub fiscal_oldest_at: Option<DateTime<Utc>>,
    /// Print jobs waiting.
    pub print_pending: i32,
    /// Since when the oldest waits.
    pub print_oldest_at: Option<DateTime<Utc>>,
}

/// Keeps device `id`'s latest queue report, stamped now.
pub async fn record_queues(tx: &mut Tx, id: DeviceId, report: &QueueReport) -> StoreResult<()> {
    sqlx::query(
        "UPDATE devices SET fiscal_pending = $2, fiscal_oldest_at = $3, print_pending = $4,
                print_oldest_at = $5, queues_reported_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(report.fiscal_pending)
    .bind(report.fiscal_oldest_at)
    .bind(report.print_pending)
    .bind(report.print_oldest_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The tenant's devices, newest first.
pub async fn list(tx: &mut Tx, location: Option<LocationId>) -> StoreResult<Vec<DeviceRecord>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM devices WHERE ($1::uuid IS NULL OR location_id = $1)
         ORDER BY created_at DESC, id"
    )))
    .bind(location)
    .fetch_all(&mut **tx)
    .await?)
}

/// One device of the tenant.
pub async fn find(tx: &mut Tx, id: DeviceId) -> StoreResult<Option<DeviceRecord>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM devices WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Renames a device; false when it does not exist.
pub async fn rename(tx: &mut Tx, id: DeviceId, name: &str) -> StoreResult<bool> {
    let done = sqlx::query("UPDATE devices SET name = $2 WHERE id = $1")
        .bind(id)
        .bind(name)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes a device (idempotent); false when it does not exist.
pub async fn revoke(tx: &mut Tx, id: DeviceId) -> StoreResult<bool> {
    let done =
        sqlx::query("UPDATE devices SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// How far behind a live device is (for `/metrics`).
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct DeviceLag {
    /// The device.
    pub device_id: DeviceId,
    /// Seconds since its last completed sync (since enrolment when it never synced).
    pub lag_seconds: f64,
    /// Versions of its tenant it has not pulled yet.
    pub versions_behind: i64,
}

/// Every live (unrevoked) device's lag as of `now`, across tenants (through the
/// `device_sync_lag` function: the service role cannot read across tenants itself).
pub async fn sync_lag(db: &Db, now: DateTime<Utc>) -> StoreResult<Vec<DeviceLag>> {
    Ok(
        sqlx::query_as("SELECT device_id, lag_seconds, versions_behind FROM device_sync_lag($1)")
            .bind(now)
            .fetch_all(&db.pool)
            .await?,
    )
}
