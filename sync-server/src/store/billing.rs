//! The rows of plans and billing (see [`crate::billing`]): the tenant's subscription and
//! its charges.

use super::{StoreResult, Tx};
use chrono::{DateTime, Utc};

/// The tenant's subscription as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SubscriptionRow {
    /// Mercado Pago's preapproval id (none: the trial started at sign-up, no checkout yet).
    pub preapproval_id: Option<String>,
    /// `basic`, `pro` or `enterprise`.
    pub plan: String,
    /// The monthly charge, CLP.
    pub amount: i64,
    /// What Mercado Pago last said: `pending`, `authorized`, `paused`, `cancelled`; `none`
    /// before any checkout (the sign-up's trial).
    pub provider_status: String,
    /// The authorisation page while pending.
    pub checkout_url: Option<String>,
    /// The end of the free trial.
    pub trial_ends_at: Option<DateTime<Utc>>,
    /// The next charge.
    pub next_payment_at: Option<DateTime<Utc>>,
    /// Since when a charge has failed and not been made good.
    pub past_due_since: Option<DateTime<Utc>>,
    /// When the owner cancelled.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The standing the sweep last recorded (`billing::Standing`, snake case).
    pub standing: String,
    /// Since when.
    pub standing_since: DateTime<Utc>,
}

const SUBSCRIPTION: &str = "SELECT preapproval_id, plan, amount, provider_status, checkout_url, \
    trial_ends_at, next_payment_at, past_due_since, cancelled_at, standing, standing_since \
    FROM subscriptions";

/// The transaction's tenant's subscription, if it ever started one.
pub async fn subscription(tx: &mut Tx) -> StoreResult<Option<SubscriptionRow>> {
    Ok(sqlx::query_as(SUBSCRIPTION)
        .fetch_optional(&mut **tx)
        .await?)
}

/// The transaction's tenant's subscription, locked until the transaction ends (the
/// sweep: two instances record one change once).
pub async fn lock_subscription(tx: &mut Tx) -> StoreResult<Option<SubscriptionRow>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SUBSCRIPTION} FOR UPDATE")))
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// Records the standing the sweep found (`standing`, since `at`).
pub async fn record_standing(tx: &mut Tx, standing: &str, at: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query("UPDATE subscriptions SET standing = $1, standing_since = $2, updated_at = now()")
        .bind(standing)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Starts the trial of a tenant just signed up: its plan at `amount` a month, free until
/// `trial_ends_at`, no checkout yet (`provider_status` `none`).
pub async fn start_trial(
    tx: &mut Tx,
    plan: &str,
    amount: i64,
    trial_ends_at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO subscriptions (tenant_id, preapproval_id, plan, amount, provider_status,
             trial_ends_at, next_payment_at, standing)
         VALUES (app_tenant(), NULL, $1, $2, 'none', $3, $3, 'trial')",
    )
    .bind(plan)
    .bind(amount)
    .bind(trial_ends_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every tenant with a subscription (ids only: each is then read in its own scope).
pub async fn billing_tenants(db: &super::Db) -> StoreResult<Vec<dysa_domain::ids::TenantId>> {
    let mut tx = db.public_tx().await?;
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT tenant_id FROM billing_tenants()")
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ids.into_iter().map(dysa_domain::ids::TenantId).collect())
}

/// A subscription just created at Mercado Pago.
#[derive(Clone, Debug)]
pub struct NewSubscription<'a> {
    /// Its preapproval id.
    pub preapproval_id: &'a str,
    /// The plan.
    pub plan: &'a str,
    /// The monthly charge, CLP.
    pub amount: i64,
    /// Mercado Pago's status (`pending`).
    pub provider_status: &'a str,
    /// The authorisation page.
    pub checkout_url: Option<&'a str>,
    /// The trial's end (none: no trial left).
    pub trial_ends_at: Option<DateTime<Utc>>,
    /// The first charge.
    pub next_payment_at: Option<DateTime<Utc>>,
}

/// Saves the tenant's subscription, replacing one it had (a new checkout after a
/// cancellation). What is owed (`past_due_since`) stays owed.
pub async fn save(tx: &mut Tx, new: &NewSubscription<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO subscriptions (tenant_id, preapproval_id, plan, amount, provider_status,
             checkout_url, trial_ends_at, next_payment_at)
         VALUES (app_tenant(), $1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id) DO UPDATE
         SET preapproval_id = $1, plan = $2, amount = $3, provider_status = $4,
             checkout_url = $5, trial_ends_at = $6, next_payment_at = $7,
             cancelled_at = NULL, updated_at = now()",
    )
    .bind(new.preapproval_id)
    .bind(new.plan)
    .bind(new.amount)
    .bind(new.provider_status)
    .bind(new.checkout_url)
    .bind(new.trial_ends_at)
    .bind(new.next_payment_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records what Mercado Pago says of preapproval `id` now; false when it is not the
/// tenant's current subscription.
pub async fn update_status(
    tx: &mut Tx,
    id: &str,
    provider_status: &str,
    next_payment_at: Option<DateTime<Utc>>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE subscriptions
         SET provider_status = $2, next_payment_at = coalesce($3, next_payment_at),
             cancelled_at = CASE WHEN $2 = 'cancelled' THEN coalesce(cancelled_at, now()) END,
             updated_at = now()
         WHERE preapproval_id = $1",
    )
    .bind(id)
    .bind(provider_status)
    .bind(next_payment_at)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves the tenant to `plan` at `amount` a month (the subscription and the tenant).
pub async fn set_plan(tx: &mut Tx, plan: &str, amount: i64) -> StoreResult<()> {
    sqlx::query("UPDATE subscriptions SET plan = $1, amount = $2, updated_at = now()")
        .bind(plan)
        .bind(amount)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE tenants SET plan = $1")
        .bind(plan)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Notes a failed charge (the first failure starts the grace period; later ones keep
/// its start) or a successful one (nothing owed any more). Either way a charge was made,
/// so the free trial is over.
pub async fn set_owing(tx: &mut Tx, owing: bool, at: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query(
        "UPDATE subscriptions
         SET past_due_since = CASE WHEN $1 THEN coalesce(past_due_since, $2) END,
             trial_ends_at = least(trial_ends_at, $2),
             updated_at = now()",
    )
    .bind(owing)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One charge as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InvoiceRow {
    /// Mercado Pago's authorized payment id.
    pub authorized_payment_id: String,
    /// CLP.
    pub amount: i64,
    /// `paid`, `failed` or `pending`.
    pub status: String,
    /// When it was debited (or tried).
    pub charged_at: DateTime<Utc>,
}

/// A charge to record.
#[derive(Clone, Debug)]
pub struct NewInvoice<'a> {
    /// Mercado Pago's authorized payment id.
    pub authorized_payment_id: &'a str,
    /// The subscription charged.
    pub preapproval_id: &'a str,
    /// CLP.
    pub amount: i64,
    /// `paid`, `failed` or `pending`.
    pub status: &'a str,
    /// Mercado Pago's status of the charge.
    pub provider_status: &'a str,
    /// The payment made, if any.
    pub payment_id: Option<&'a str>,
    /// When.
    pub charged_at: DateTime<Utc>,
}

/// Records a charge, once per authorized payment: a replay, or a retry of the same
/// charge, updates its one row. Answers the status it had before (none: new).
pub async fn record_invoice(tx: &mut Tx, invoice: &NewInvoice<'_>) -> StoreResult<Option<String>> {
    let before: Option<String> = sqlx::query_scalar(
        "SELECT status FROM subscription_invoices WHERE authorized_payment_id = $1 FOR UPDATE",
    )
    .bind(invoice.authorized_payment_id)
    .fetch_optional(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO subscription_invoices (tenant_id, authorized_payment_id, preapproval_id,
             amount, status, provider_status, payment_id, charged_at)
         VALUES (app_tenant(), $1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id, authorized_payment_id) DO UPDATE
         SET amount = $3, status = $4, provider_status = $5, payment_id = $6,
             charged_at = $7, updated_at = now()",
    )
    .bind(invoice.authorized_payment_id)
    .bind(invoice.preapproval_id)
    .bind(invoice.amount)
    .bind(invoice.status)
    .bind(invoice.provider_status)
    .bind(invoice.payment_id)
    .bind(invoice.charged_at)
    .execute(&mut **tx)
    .await?;
    Ok(before)
}

/// The tenant's charges, newest first (at most `limit`).
pub async fn invoices(tx: &mut Tx, limit: i64) -> StoreResult<Vec<InvoiceRow>> {
    Ok(sqlx::query_as(
        "SELECT authorized_payment_id, amount, status, charged_at FROM subscription_invoices
         ORDER BY charged_at DESC, authorized_payment_id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?)
}

/// How many devices (counters) of `location` are enrolled and not revoked.
pub async fn counters_at(tx: &mut Tx, location: dysa_domain::ids::LocationId) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM devices WHERE location_id = $1 AND revoked_at IS NULL",
    )
    .bind(location)
    .fetch_one(&mut **tx)
    .await?)
}

/// The email of the tenant's owner (whom Mercado Pago bills).
pub async fn owner_email(tx: &mut Tx) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT email FROM accounts WHERE role = 'owner' AND active ORDER BY created_at LIMIT 1",
    )
    .fetch_optional(&mut **tx)
    .await?)
}

/// How many of the tenant's locations have a WhatsApp number linked.
pub async fn whatsapp_links(tx: &mut Tx) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM whatsapp_links")
        .fetch_one(&mut **tx)
        .await?)
}
