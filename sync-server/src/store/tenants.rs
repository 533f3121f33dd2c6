//! Tenants, their locations and enrolment codes.

use super::{StoreResult, Tx};
use chrono::{DateTime, Utc};
use dysa_domain::ids::{AccountId, LocationId, TenantId};
use uuid::Uuid;

/// A tenant as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TenantRecord {
    /// Id.
    pub id: TenantId,
    /// URL name, unique.
    pub slug: String,
    /// Business name.
    pub name: String,
    /// `basic`, `pro` or `enterprise`.
    pub plan: String,
    /// `active` or `suspended`.
    pub status: String,
    /// Why the operator suspended it, if it was.
    pub suspension_reason: Option<String>,
}

/// Inserts a tenant (the transaction's tenant must be `id`).
pub async fn insert(
    tx: &mut Tx,
    id: TenantId,
    slug: &str,
    name: &str,
    plan: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO tenants (id, slug, name, plan) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(slug)
        .bind(name)
        .bind(plan)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The transaction's tenant.
pub async fn current(tx: &mut Tx) -> StoreResult<Option<TenantRecord>> {
    Ok(
        sqlx::query_as("SELECT id, slug, name, plan, status, suspension_reason FROM tenants")
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// Sets the transaction's tenant's status (`active` or `suspended`); false when the
/// transaction's tenant is not `id`. Runs in the tenant's own RLS scope, so the platform
/// needs no privilege across tenants to suspend one. A suspension records its `reason`
/// and time; a reactivation keeps the last reason for the record.
pub async fn set_status(
    tx: &mut Tx,
    id: TenantId,
    status: &str,
    reason: Option<&str>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE tenants SET status = $2,
                suspension_reason = CASE WHEN $2 = 'suspended' THEN $3 ELSE suspension_reason END,
                suspended_at = CASE WHEN $2 = 'suspended' AND status <> 'suspended' THEN now()
                                    ELSE suspended_at END
         WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Why the transaction's tenant is suspended (none when it is active or no reason was
/// given): what its owners are told when the cloud refuses them.
pub async fn suspension_reason(tx: &mut Tx) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT suspension_reason FROM tenants WHERE status = 'suspended'")
            .fetch_optional(&mut **tx)
            .await?
            .flatten(),
    )
}

/// A location as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LocationRecord {
    /// Id.
    pub id: LocationId,
    /// Name.
    pub name: String,
    /// Its path in the widget and the hosted page, unique in the tenant.
    pub slug: String,
    /// Street address, as the owner wrote it.
    pub address: Option<String>,
    /// IANA time zone.
    pub time_zone: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// When it was closed (soft: its data stays); `None` while open.
    pub closed_at: Option<DateTime<Utc>>,
    /// Devices enrolled and not revoked.
    pub active_devices: i64,
}

/// The ids of the transaction's tenant's locations, in id order.
pub async fn location_ids(tx: &mut Tx) -> StoreResult<Vec<LocationId>> {
    Ok(sqlx::query_scalar("SELECT id FROM locations ORDER BY id")
        .fetch_all(&mut **tx)
        .await?)
}

/// Inserts a location (the unique `locations_tenant_slug` refuses a slug in use).
pub async fn insert_location(
    tx: &mut Tx,
    tenant: TenantId,
    id: LocationId,
    name: &str,
    slug: &str,
    address: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO locations (id, tenant_id, name, slug, address) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(tenant)
    .bind(name)
    .bind(slug)
    .bind(address)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Changes what is given of a location; `address: Some(None)` clears it. False when the
/// location is not the transaction's to see.
pub async fn update_location(
    tx: &mut Tx,
    id: LocationId,
    name: Option<&str>,
    slug: Option<&str>,
    address: Option<Option<&str>>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE locations SET name = coalesce($2, name), slug = coalesce($3, slug),
                address = CASE WHEN $4 THEN $5 ELSE address END
         WHERE id = $1",
    )
    .bind(id)
    .bind(name)
    .bind(slug)
    .bind(address.is_some())
    .bind(address.flatten())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes (`true`) or reopens a location; false when it was already so or is not seen.
pub async fn set_closed(tx: &mut Tx, id: LocationId, closed: bool) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE locations SET closed_at = CASE WHEN $2 THEN now() END
         WHERE id = $1 AND (closed_at IS NOT NULL) <> $2",
    )
    .bind(id)
    .bind(closed)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether `slug` names a location of the tenant (other than `except`).
pub async fn slug_in_use(tx: &mut Tx, slug: &str, except: Option<LocationId>) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM locations WHERE slug = $1 AND id IS DISTINCT FROM $2)",
    )
    .bind(slug)
    .bind(except)
    .fetch_one(&mut **tx)
    .await?)
}

/// The transaction's tenant's plan, locking its row until the transaction ends: two
/// owners adding a location at once count open locations one after the other, so the
/// plan's limit holds.
pub async fn lock_plan(tx: &mut Tx) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar("SELECT plan FROM tenants FOR UPDATE")
        .fetch_optional(&mut **tx)
        .await?)
}

/// How many of the tenant's locations are open (every location: call it in an unscoped
/// transaction, as the location routes do).
pub async fn open_locations(tx: &mut Tx) -> StoreResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM locations WHERE closed_at IS NULL")
            .fetch_one(&mut **tx)
            .await?,
    )
}

const LOCATION_SELECT: &str = "SELECT l.id, l.name, l.slug, l.address, l.time_zone, l.created_at, l.closed_at,
        (SELECT count(*) FROM devices d WHERE d.location_id = l.id AND d.revoked_at IS NULL) AS active_devices
     FROM locations l";

/// The tenant's locations (those the transaction may see), oldest first.
pub async fn list_locations(tx: &mut Tx) -> StoreResult<Vec<LocationRecord>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LOCATION_SELECT} ORDER BY l.created_at, l.id"
    )))
    .fetch_all(&mut **tx)
    .await?)
}

/// One location of the tenant.
pub async fn find_location(tx: &mut Tx, id: LocationId) -> StoreResult<Option<LocationRecord>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LOCATION_SELECT} WHERE l.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The locations account `account` is limited to (none: every location).
pub async fn account_locations(tx: &mut Tx, account: AccountId) -> StoreResult<Vec<LocationId>> {
    Ok(sqlx::query_scalar(
        "SELECT location_id FROM account_locations WHERE account_id = $1 ORDER BY location_id",
    )
    .bind(account)
    .fetch_all(&mut **tx)
    .await?)
}

/// Limits `account` to `locations` (empty: every location), replacing what it had.
pub async fn set_account_locations(
    tx: &mut Tx,
    tenant: TenantId,
    account: AccountId,
    locations: &[LocationId],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM account_locations WHERE account_id = $1")
        .bind(account)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO account_locations (tenant_id, account_id, location_id)
         SELECT $1, $2, unnest($3::uuid[]) ON CONFLICT DO NOTHING",
    )
    .bind(tenant)
    .bind(account)
    .bind(locations)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores a new enrolment code (by hash) for a location; answers its expiry.
pub async fn insert_enrollment_code(
    tx: &mut Tx,
    tenant: TenantId,
    location: LocationId,
    code_hash: &str,
    created_by: Option<AccountId>,
    ttl_secs: i64,
) -> StoreResult<DateTime<Utc>> {
    let expires_at = Utc::now() + chrono::Duration::seconds(ttl_secs);
    sqlx::query(
        "INSERT INTO enrollment_codes (id, tenant_id, location_id, code_hash, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7())
    .bind(tenant)
    .bind(location)
    .bind(code_hash)
    .bind(created_by)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(expires_at)
}
