//! The rows of online payment (see [`crate::mercado_pago`]): the tenant's sealed
//! Mercado Pago credentials, and one row per widget order paid online.

use super::{Db, StoreResult, Tx};
use dysa_domain::ids::{AccountId, LocationId, TenantId};
use uuid::Uuid;

/// The tenant's sealed credentials.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SealedAccount {
    /// The sealed access token.
    pub access_token: Vec<u8>,
    /// The sealed webhook secret.
    pub webhook_secret: Vec<u8>,
    /// When it was linked.
    pub linked_at: chrono::DateTime<chrono::Utc>,
}

/// Links (or relinks) the tenant's account.
pub async fn save_account(
    tx: &mut Tx,
    access_token: &[u8],
    webhook_secret: &[u8],
    linked_by: Option<AccountId>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO mercado_pago_accounts (tenant_id, access_token, webhook_secret, linked_by)
         VALUES (app_tenant(), $1, $2, $3)
         ON CONFLICT (tenant_id) DO UPDATE
         SET access_token = $1, webhook_secret = $2, linked_by = $3, linked_at = now()",
    )
    .bind(access_token)
    .bind(webhook_secret)
    .bind(linked_by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The tenant's sealed credentials, if linked.
pub async fn account(tx: &mut Tx) -> StoreResult<Option<SealedAccount>> {
    Ok(sqlx::query_as(
        "SELECT access_token, webhook_secret, linked_at FROM mercado_pago_accounts
         WHERE tenant_id = app_tenant()",
    )
    .fetch_optional(&mut **tx)
    .await?)
}

/// Unlinks the tenant's account; whether there was one.
pub async fn delete_account(tx: &mut Tx) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM mercado_pago_accounts WHERE tenant_id = app_tenant()")
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// One order paid (or to be paid) online.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OnlinePayment {
    /// The order.
    pub order_id: Uuid,
    /// Its location.
    pub location_id: LocationId,
    /// What the diner pays, CLP.
    pub amount: i64,
    /// The Checkout Pro page, once the preference exists.
    pub checkout_url: Option<String>,
    /// The approved Mercado Pago payment.
    pub provider_payment_id: Option<String>,
    /// Its ledger row.
    pub payment_row_id: Option<Uuid>,
    /// The refund's ledger row.
    pub refund_row_id: Option<Uuid>,
}

const COLUMNS: &str = "order_id, location_id, amount, checkout_url, provider_payment_id, \
                       payment_row_id, refund_row_id";

/// Notes that `order` is to be paid online (in the transaction that takes the order).
pub async fn start(tx: &mut Tx, order: Uuid, location: LocationId, amount: i64) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO online_payments (tenant_id, order_id, location_id, amount)
         VALUES (app_tenant(), $1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(order)
    .bind(location)
    .bind(amount)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The online payment of `order`, locked for the transaction when `for_update`.
pub async fn find(
    tx: &mut Tx,
    order: Uuid,
    for_update: bool,
) -> StoreResult<Option<OnlinePayment>> {
    let sql = if for_update {
        sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM online_payments
             WHERE tenant_id = app_tenant() AND order_id = $1 FOR UPDATE"
        ))
    } else {
        sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM online_payments
             WHERE tenant_id = app_tenant() AND order_id = $1"
        ))
    };
    Ok(sqlx::query_as(sql)
        .bind(order)
        .fetch_optional(&mut **tx)
        .await?)
}

/// Keeps the preference created for `order`.
pub async fn set_preference(
    tx: &mut Tx,
    order: Uuid,
    preference_id: &str,
    checkout_url: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE online_payments SET preference_id = $2, checkout_url = $3, last_error = NULL
         WHERE tenant_id = app_tenant() AND order_id = $1",
    )
    .bind(order)
    .bind(preference_id)
    .bind(checkout_url)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether Mercado Pago payment `provider_id` already paid an order of the tenant.
pub async fn provider_payment_known(tx: &mut Tx, provider_id: &str) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM online_payments
                        WHERE tenant_id = app_tenant() AND provider_payment_id = $1)",
    )
    .bind(provider_id)
    .fetch_one(&mut **tx)
    .await?)
}

/// Records that `provider_id` paid `order`, with its ledger row.
pub async fn mark_paid(tx: &mut Tx, order: Uuid, provider_id: &str, row: Uuid) -> StoreResult<()> {
    sqlx::query(
        "UPDATE online_payments
         SET provider_payment_id = $2, payment_row_id = $3, paid_at = now(), last_error = NULL
         WHERE tenant_id = app_tenant() AND order_id = $1 AND paid_at IS NULL",
    )
    .bind(order)
    .bind(provider_id)
    .bind(row)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Orders paid online, not refunded, that the restaurant rejected or cancelled.
pub async fn refunds_due(tx: &mut Tx) -> StoreResult<Vec<OnlinePayment>> {
    Ok(sqlx::query_as(
        "SELECT p.order_id, p.location_id, p.amount, p.checkout_url, p.provider_payment_id,
                p.payment_row_id, p.refund_row_id
         FROM online_payments p
         JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id
         WHERE p.tenant_id = app_tenant() AND p.paid_at IS NOT NULL AND p.refunded_at IS NULL
           AND o.status = 'cancelled'
           AND (p.refund_retry_at IS NULL OR p.refund_retry_at <= now())
         ORDER BY p.paid_at",
    )
    .fetch_all(&mut **tx)
    .await?)
}

/// Records the refund of `order`, with its ledger row; false when another worker did it
/// first (then nothing changes).
pub async fn mark_refunded(
    tx: &mut Tx,
    order: Uuid,
    refund_id: &str,
    row: Uuid,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE online_payments
         SET refund_id = $2, refund_row_id = $3, refunded_at = now(), last_error = NULL
         WHERE tenant_id = app_tenant() AND order_id = $1 AND refunded_at IS NULL",
    )
    .bind(order)
    .bind(refund_id)
    .bind(row)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Keeps the last provider error of `order` (for support; never shown to diners).
pub async fn set_error(tx: &mut Tx, order: Uuid, error: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE online_payments SET last_error = $2
         WHERE tenant_id = app_tenant() AND order_id = $1",
    )
    .bind(order)
    .bind(error)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a refund the API refused or did not answer: its error, one more attempt, and
/// when the next may be tried (`wait_for(attempts)` after now, `attempts` counting this
/// one). Until then neither a push nor the sweep retries it.
pub async fn record_refund_failure(
    tx: &mut Tx,
    order: Uuid,
    error: &str,
    wait_for: impl Fn(u32) -> std::time::Duration,
) -> StoreResult<()> {
    let attempts: i32 = sqlx::query_scalar(
        "UPDATE online_payments SET last_error = $2, refund_attempts = refund_attempts + 1
         WHERE tenant_id = app_tenant() AND order_id = $1
         RETURNING refund_attempts",
    )
    .bind(order)
    .bind(error)
    .fetch_one(&mut **tx)
    .await?;
    let wait = wait_for(u32::try_from(attempts).unwrap_or(u32::MAX));
    sqlx::query(
        "UPDATE online_payments
         SET refund_retry_at = now() + make_interval(secs => $2)
         WHERE tenant_id = app_tenant() AND order_id = $1",
    )
    .bind(order)
    .bind(wait.as_secs_f64())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The tenants with a refund due now (across tenants, ids only: the refunds themselves
/// run in each tenant's scope).
pub async fn tenants_with_refunds_due(db: &Db) -> StoreResult<Vec<TenantId>> {
    let mut tx = db.public_tx().await?;
    let tenants: Vec<Uuid> = sqlx::query_scalar("SELECT tenant_id FROM tenants_with_refunds_due()")
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(tenants.into_iter().map(TenantId).collect())
}

/// Takes the transaction-scoped advisory lock of the tenant's refunds, so two pushes
/// finishing together do not both call the refunds API for one order; false when
/// another transaction holds it (it will do the work).
pub async fn try_lock_refunds(tx: &mut Tx) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT pg_try_advisory_xact_lock(hashtextextended('mp-refunds:' || app_tenant()::text, 0))",
    )
    .fetch_one(&mut **tx)
    .await?)
}
