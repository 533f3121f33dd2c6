//! Owner-issued recovery codes for a counter's sole admin (migration 0040) and the
//! cloud's own rows of those recoveries in the owners' audit log.

use super::{StoreResult, Tx};
use chrono::{DateTime, Utc};
use dysa_domain::ids::{AccountId, DeviceId, LocationId};
use uuid::Uuid;

/// Keeps a new code's hash for `device` until `expires_at`. Codes issued before for the
/// same device stop working: one code in force per counter.
pub async fn insert(
    tx: &mut Tx,
    device: DeviceId,
    location: LocationId,
    code_hash: &str,
    issued_by: AccountId,
    expires_at: DateTime<Utc>,
) -> StoreResult<Uuid> {
    sqlx::query(
        "UPDATE counter_recovery_codes SET used_at = now()
         WHERE device_id = $1 AND used_at IS NULL",
    )
    .bind(device)
    .execute(&mut **tx)
    .await?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO counter_recovery_codes
             (id, tenant_id, location_id, device_id, code_hash, issued_by, expires_at)
         VALUES ($1, app_tenant(), $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(location)
    .bind(device)
    .bind(code_hash)
    .bind(issued_by)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Uses up the code `code_hash` if it was issued for `device` at `location`, is unused
/// and unexpired: answers its id. One statement, so two attempts racing with one code
/// cannot both win.
pub async fn redeem(
    tx: &mut Tx,
    device: DeviceId,
    location: LocationId,
    code_hash: &str,
) -> StoreResult<Option<Uuid>> {
    Ok(sqlx::query_scalar(
        "UPDATE counter_recovery_codes SET used_at = now()
         WHERE code_hash = $1 AND device_id = $2 AND location_id = $3
           AND used_at IS NULL AND expires_at > now()
         RETURNING id",
    )
    .bind(code_hash)
    .bind(device)
    .bind(location)
    .fetch_optional(&mut **tx)
    .await?)
}

/// One event the cloud itself records in the owners' audit log.
#[derive(Clone, Debug)]
pub struct CloudAuditEvent<'a> {
    /// The location it concerns.
    pub location: LocationId,
    /// The account that acted, if one did.
    pub actor: Option<(AccountId, &'a str)>,
    /// The action (`recovery.owner_code_issued`).
    pub action: &'a str,
    /// The counter it concerns.
    pub device: DeviceId,
    /// Details for the reader.
    pub after: serde_json::Value,
}

/// Writes `event` to `audit_events` as the cloud (`device_id = 'cloud'`).
pub async fn audit(tx: &mut Tx, event: &CloudAuditEvent<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_events (tenant_id, location_id, id, at, actor_id, actor_name,
                                   device_id, client, action, subject_type, subject_id,
                                   before, after, hlc)
         VALUES (app_tenant(), $1, $2, now(), $3, $4, 'cloud', NULL, $5, 'device', $6,
                 NULL, $7, '')",
    )
    .bind(event.location)
    .bind(Uuid::now_v7())
    .bind(event.actor.map(|(id, _)| id))
    .bind(event.actor.map(|(_, name)| name))
    .bind(event.action)
    .bind(event.device.to_string())
    .bind(&event.after)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
