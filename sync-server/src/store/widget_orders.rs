//! The rows of widget orders (see [`crate::widget_orders`]): the day's next number, the
//! pending orders of one phone, the kept first answer with its hashed status token, and
//! the status a token shows.

use super::{StoreResult, Tx};
use dysa_domain::ids::LocationId;
use serde::Serialize;
use uuid::Uuid;

/// Widget orders of `phone_key` still pending (not yet accepted or rejected).
pub async fn pending_of_phone(tx: &mut Tx, phone_key: &str) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM public_requests r JOIN orders o ON o.id = r.resource_id
         WHERE r.tenant_id = app_tenant() AND r.scope = 'orders' AND r.phone_key = $1
           AND o.status = 'pending'",
    )
    .bind(phone_key)
    .fetch_one(&mut **tx)
    .await?)
}

/// The next order number of `location` on `business_date` (`YYYY-MM-DD`).
pub async fn next_number(
    tx: &mut Tx,
    location: LocationId,
    business_date: &str,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT coalesce(max(number), 0)::bigint + 1 FROM orders
         WHERE location_id = $1 AND business_date = $2::date",
    )
    .bind(location)
    .bind(business_date)
    .fetch_one(&mut **tx)
    .await?)
}

/// Keeps the first answer to Idempotency-Key `key` of `scope` (with the request's hash
/// and the diner's `phone_key`) together with the order's first status token, hashed.
#[allow(clippy::too_many_arguments)]
pub async fn keep_answer<T: Serialize + Sync>(
    tx: &mut Tx,
    scope: &str,
    key: &str,
    request_hash: &str,
    order_id: Uuid,
    token_hash: &str,
    answer: &T,
    phone_key: &str,
) -> StoreResult<()> {
    sqlx::query(
        "WITH token AS (
             INSERT INTO widget_order_tokens (tenant_id, token_hash, order_id)
             VALUES (app_tenant(), $4, $3)
         )
         INSERT INTO public_requests
             (tenant_id, scope, key, request_hash, resource_id, response, phone_key)
         VALUES (app_tenant(), $7, $1, $2, $3, $5, $6)",
    )
    .bind(key)
    .bind(request_hash)
    .bind(order_id)
    .bind(token_hash)
    .bind(sqlx::types::Json(answer))
    .bind(phone_key)
    .bind(scope)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds a status token (hashed) to order `order_id` (a replayed request gets a fresh one).
pub async fn add_token(tx: &mut Tx, token_hash: &str, order_id: Uuid) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO widget_order_tokens (tenant_id, token_hash, order_id) VALUES (app_tenant(), $1, $2)",
    )
    .bind(token_hash)
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An order's status as the diner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OrderStatusView {
    /// The order.
    pub id: Uuid,
    /// `pending`, `confirmed`, `preparing`, `ready`, `completed` or `cancelled`.
    pub status: String,
    /// Total with IVA, CLP.
    pub total: i64,
    /// Last change.
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Why the restaurant cancelled it.
    pub reason: Option<String>,
    /// The day's order number as the counter has it now (it may renumber on a clash).
    pub number: Option<i64>,
}

/// The status of order `id`, when `token_hash` is one of its status tokens' hash.
pub async fn status(
    tx: &mut Tx,
    id: Uuid,
    token_hash: &str,
) -> StoreResult<Option<OrderStatusView>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.status, o.total, o.updated_at, o.cancel_reason AS reason,
                o.number::bigint AS number
         FROM widget_order_tokens t
         JOIN orders o ON o.tenant_id = t.tenant_id AND o.id = t.order_id
         WHERE t.tenant_id = app_tenant() AND t.order_id = $1 AND t.token_hash = $2
           AND o.deleted_at IS NULL",
    )
    .bind(id)
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await?)
}
