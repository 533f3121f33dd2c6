//! The answers kept for the public writes (widget orders, bookings) by their
//! Idempotency-Key, in `public_requests`: one helper for every public write, so a retried
//! request answers the first answer again and two concurrent retries make one record.
//! Keys are scoped per tenant and per kind of write (`scope`).

use super::{StoreError, StoreResult, Tx};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// The scope of widget orders.
pub const ORDERS: &str = "orders";
/// The scope of online bookings.
pub const RESERVATIONS: &str = "reservations";

/// What was kept for a key: the hash of the body it came with, the record it made and
/// the answer it got.
#[derive(Debug)]
pub struct Kept<T> {
    /// The request's hash (`widget_orders::request_hash`).
    pub request_hash: String,
    /// The order or booking it made.
    pub resource_id: Uuid,
    /// The first answer.
    pub response: T,
}

/// Serialises the requests of one key within the transaction's tenant until the
/// transaction ends, so a concurrent retry waits and then finds the kept answer.
pub async fn lock(tx: &mut Tx, scope: &str, key: &str) -> StoreResult<()> {
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtextextended(app_tenant()::text || ':' || $1 || ':' || $2, 0))",
    )
    .bind(scope)
    .bind(key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The answer kept for `key` in `scope`, if a request with it was taken before.
pub async fn kept<T: DeserializeOwned + Send + Unpin + 'static>(
    tx: &mut Tx,
    scope: &str,
    key: &str,
) -> StoreResult<Option<Kept<T>>> {
    let row: Option<(String, Uuid, sqlx::types::Json<T>)> = sqlx::query_as(
        "SELECT request_hash, resource_id, response FROM public_requests
         WHERE tenant_id = app_tenant() AND scope = $1 AND key = $2",
    )
    .bind(scope)
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(request_hash, resource_id, response)| Kept {
        request_hash,
        resource_id,
        response: response.0,
    }))
}

/// Keeps the first answer to `key` in `scope` (in the caller's transaction, with the
/// record it made). Widget orders keep theirs in the statement that stores their status
/// token (`widget_orders::place`), with the diner's phone key.
pub async fn keep<T: Serialize + Sync>(
    tx: &mut Tx,
    scope: &str,
    key: &str,
    request_hash: &str,
    resource_id: Uuid,
    response: &T,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO public_requests (tenant_id, scope, key, request_hash, resource_id, response)
         VALUES (app_tenant(), $1, $2, $3, $4, $5)",
    )
    .bind(scope)
    .bind(key)
    .bind(request_hash)
    .bind(resource_id)
    .bind(sqlx::types::Json(response))
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from)?;
    Ok(())
}
