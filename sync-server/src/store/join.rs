//! The location key's fingerprint and the join requests (docs/SYNC.md, "Joining a
//! location"). Every query runs in a tenant transaction and names the caller's location:
//! a device sees only its own location's key and requests.

use super::{StoreResult, Tx};
use chrono::{DateTime, SecondsFormat, Utc};
use dysa_domain::ids::{DeviceId, LocationId};
use dysa_domain::join::{JoinRequest, JoinStatus, REQUEST_TTL_HOURS};
use uuid::Uuid;

/// What a claim of the location key came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// This fingerprint is the location's key (claimed now, or earlier by anyone).
    Held,
    /// The location already has another key, with this fingerprint.
    Rival(String),
}

/// Claims the location key for `location`: the first claim wins, atomically (the insert
/// and the read of a concurrent winner happen under the primary key).
pub async fn claim_key(
    tx: &mut Tx,
    location: LocationId,
    device: DeviceId,
    fingerprint: &str,
) -> StoreResult<Claim> {
    sqlx::query(
        "INSERT INTO location_keys (tenant_id, location_id, fingerprint, claimed_by)
         VALUES (app_tenant(), $1, $2, $3)
         ON CONFLICT (tenant_id, location_id) DO NOTHING",
    )
    .bind(location)
    .bind(fingerprint)
    .bind(device)
    .execute(&mut **tx)
    .await?;
    let held = key_fingerprint(tx, location).await?.unwrap_or_default();
    Ok(if held == fingerprint {
        Claim::Held
    } else {
        Claim::Rival(held)
    })
}

/// The fingerprint of the location's key, once claimed.
pub async fn key_fingerprint(tx: &mut Tx, location: LocationId) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT fingerprint FROM location_keys WHERE location_id = $1")
            .bind(location)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

type RequestRow = (
    Uuid,
    Uuid,
    String,
    String,
    String,
    Option<String>,
    DateTime<Utc>,
    DateTime<Utc>,
);

/// The columns a [`RequestRow`] reads, as a literal for `concat!`.
macro_rules! columns {
    () => {
        "id, device_id, device_name, public_key, status, sealed_key, created_at, expires_at"
    };
}

fn request_of(row: RequestRow) -> JoinRequest {
    let (id, device_id, device_name, public_key, status, sealed_key, created_at, expires_at) = row;
    let mut status = JoinStatus::parse(&status).unwrap_or(JoinStatus::Refused);
    if status == JoinStatus::Pending && expires_at <= Utc::now() {
        status = JoinStatus::Expired;
    }
    JoinRequest {
        id,
        device_id,
        device_name,
        public_key,
        status,
        created_at: created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        expires_at: expires_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        sealed_key,
    }
}

/// Records a device's request to join its location. Its earlier pending requests are
/// dropped: a counter waits on one request at a time.
pub async fn create_request(
    tx: &mut Tx,
    location: LocationId,
    device: DeviceId,
    device_name: &str,
    public_key: &str,
) -> StoreResult<JoinRequest> {
    sqlx::query("DELETE FROM join_requests WHERE device_id = $1 AND status = 'pending'")
        .bind(device)
        .execute(&mut **tx)
        .await?;
    let row: RequestRow = sqlx::query_as(concat!(
        "INSERT INTO join_requests
             (tenant_id, id, location_id, device_id, device_name, public_key, expires_at)
         VALUES (app_tenant(), $1, $2, $3, $4, $5, now() + make_interval(hours => $6))
         RETURNING ",
        columns!()
    ))
    .bind(Uuid::now_v7())
    .bind(location)
    .bind(device)
    .bind(device_name)
    .bind(public_key)
    .bind(REQUEST_TTL_HOURS as i32)
    .fetch_one(&mut **tx)
    .await?;
    Ok(request_of(row))
}

/// The location's requests still waiting for an answer, except `device`'s own, oldest
/// first. Sealed keys are never listed.
pub async fn pending_for(
    tx: &mut Tx,
    location: LocationId,
    device: DeviceId,
) -> StoreResult<Vec<JoinRequest>> {
    let rows: Vec<RequestRow> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM join_requests
         WHERE location_id = $1 AND device_id <> $2 AND status = 'pending' AND expires_at > now()
         ORDER BY created_at LIMIT 50"
    ))
    .bind(location)
    .bind(device)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| JoinRequest {
            sealed_key: None,
            ..request_of(row)
        })
        .collect())
}

/// One request of `location`, locked for a decision. The sealed key is kept only when
/// `device` made the request.
pub async fn find(
    tx: &mut Tx,
    location: LocationId,
    device: DeviceId,
    id: Uuid,
) -> StoreResult<Option<JoinRequest>> {
    let row: Option<RequestRow> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM join_requests WHERE id = $1 AND location_id = $2 FOR UPDATE"
    ))
    .bind(id)
    .bind(location)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(request_of).map(|request| {
        if request.device_id == device.0 {
            request
        } else {
            JoinRequest {
                sealed_key: None,
                ..request
            }
        }
    }))
}

/// Records the decision on a pending request (the caller checked it is pending and not
/// the decider's own): approved with the sealed key, or refused.
pub async fn decide(
    tx: &mut Tx,
    id: Uuid,
    decider: DeviceId,
    sealed_key: Option<&str>,
) -> StoreResult<()> {
    let status = if sealed_key.is_some() {
        JoinStatus::Approved
    } else {
        JoinStatus::Refused
    };
    sqlx::query(
        "UPDATE join_requests SET status = $2, sealed_key = $3, decided_by = $4, decided_at = now()
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(sealed_key)
    .bind(decider)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
