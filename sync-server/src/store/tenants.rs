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
        sqlx::query_as("SELECT id, slug, name, plan, status FROM tenants")
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// Sets the transaction's tenant's status (`active` or `suspended`); false when the
/// transaction's tenant is not `id`. Runs in the tenant's own RLS scope, so the platform
/// needs no privilege across tenants to suspend one.
pub async fn set_status(tx: &mut Tx, id: TenantId, status: &str) -> StoreResult<bool> {
    let done = sqlx::query("UPDATE tenants SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A location as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LocationRecord {
    /// Id.
    pub id: LocationId,
    /// Name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Devices enrolled and not revoked.
    pub active_devices: i64,
}

/// The ids of the transaction's tenant's locations, in id order.
pub async fn location_ids(tx: &mut Tx) -> StoreResult<Vec<LocationId>> {
    Ok(sqlx::query_scalar("SELECT id FROM locations ORDER BY id")
        .fetch_all(&mut **tx)
        .await?)
}

/// Inserts a location.
pub async fn insert_location(
    tx: &mut Tx,
    tenant: TenantId,
    id: LocationId,
    name: &str,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO locations (id, tenant_id, name) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(tenant)
        .bind(name)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

const LOCATION_SELECT: &str = "SELECT l.id, l.name, l.time_zone, l.created_at,
        (SELECT count(*) FROM devices d WHERE d.location_id = l.id AND d.revoked_at IS NULL) AS active_devices
     FROM locations l";

/// The tenant's locations, oldest first.
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
