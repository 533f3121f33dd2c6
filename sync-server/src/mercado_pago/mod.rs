//! Diners pay widget orders online with Mercado Pago's Checkout Pro.
//!
//! - The owner links the restaurant's account (access token and webhook secret, sealed at
//!   rest with [`seal::CredentialsKey`], never answered again) and chooses what the widget
//!   offers (`ordering.payment` of the widget settings: at pickup, online, or both).
//! - An order the diner pays online is taken like any widget order (pending, synced to
//!   the counter) plus a row in `online_payments`; [`checkout`] then creates its
//!   preference (items from the cloud's own pricing, whole CLP, `external_reference` = the
//!   order id) and the widget sends the diner to its `init_point`.
//! - Mercado Pago's notification ([`notification`]) counts only when its `x-signature`
//!   verifies with the tenant's secret and the payment, read back from the API, is
//!   approved, in CLP, for exactly the order's amount. The cloud then pushes one ledger
//!   row (`payment`, method `mercado_pago`) through the sync merge, so the counter pulls
//!   the order already paid; a replayed notification finds the payment recorded and
//!   writes nothing.
//! - When the restaurant rejects or cancels an order paid online (its status reaches the
//!   cloud as `cancelled`, also after an outage: the order waited under the owner's
//!   offline policy), [`refund_rejected`] refunds it through the API once (an idempotency
//!   key derived from the order) and pushes the negative ledger row. A refund the API
//!   refuses or does not answer is retried with back-off ([`refund_backoff`]) by the
//!   tenant's next push and by a periodic sweep ([`spawn_refund_sweep`]), so a diner is
//!   refunded even when the restaurant closes for the night right after rejecting.

pub mod client;
pub mod preapproval;
pub mod seal;
pub mod signature;

use crate::state::AppState;
use crate::store::sync::{self as sync_store, Origin};
use crate::store::{self, StoreError, Tx};
use client::{BackUrls, NewPreference, PreferenceItem, ProviderError};
use dysa_domain::ids::{AccountId, LocationId, OrderId, PaymentId, TenantId};
use dysa_domain::money::Clp;
use dysa_domain::payment::PaymentMethod;
use dysa_domain::sync::Outcome;
use dysa_domain::sync::rows;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;

const TOKEN_FIELD: &str = "access_token";
const SECRET_FIELD: &str = "webhook_secret";

/// Why an online-payment operation failed.
#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    /// The cloud has no `credentials_key`: it cannot keep credentials.
    #[error("online payment is not configured on this cloud")]
    NotConfigured,
    /// The tenant has not linked an account.
    #[error("no Mercado Pago account linked")]
    NotLinked,
    /// Bad input.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// A notification whose signature does not verify.
    #[error("bad notification signature")]
    BadSignature,
    /// Mercado Pago could not be used.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The merge refused a row the cloud built (a bug).
    #[error("the merge refused a payment row: {0}")]
    Refused(String),
}

impl From<sqlx::Error> for PaymentError {
    fn from(error: sqlx::Error) -> Self {
        PaymentError::Store(error.into())
    }
}

/// What an owner sends to link the account.
#[derive(Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct LinkRequest {
    /// The production access token (`APP_USR-…`) from "Tus integraciones".
    pub access_token: String,
    /// The webhook's secret signature from the same application.
    pub webhook_secret: String,
}

impl std::fmt::Debug for LinkRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkRequest(…)")
    }
}

/// Whether the tenant has linked an account (the credentials are never answered).
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LinkStatus {
    /// True when linked.
    pub linked: bool,
    /// When it was linked.
    pub linked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Where Mercado Pago sends this restaurant's notifications (for "Tus integraciones").
    pub notification_url: String,
}

/// The tenant's opened credentials.
struct Credentials {
    access_token: String,
    webhook_secret: String,
}

fn key(state: &AppState) -> Result<&seal::CredentialsKey, PaymentError> {
    state
        .payments_key
        .as_ref()
        .ok_or(PaymentError::NotConfigured)
}

/// Where Mercado Pago notifies payments of `tenant`.
pub fn notification_url(state: &AppState, tenant: TenantId) -> String {
    format!(
        "{}/api/v1/webhooks/mercado-pago/{tenant}",
        state.settings.public_url.trim_end_matches('/')
    )
}

fn field_issue(es: &str, en: &str) -> FieldIssue {
    FieldIssue::Other {
        es: es.to_owned(),
        en: en.to_owned(),
    }
}

/// Checks what an owner sends: a token and a secret of printable ASCII, sensible lengths.
pub fn check_link(request: &LinkRequest) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    let plausible = |text: &str, min: usize| {
        (min..=400).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_graphic())
    };
    errors.check(
        plausible(request.access_token.trim(), 16),
        "access_token",
        field_issue(
            "no parece un access token de Mercado Pago",
            "does not look like a Mercado Pago access token",
        ),
    );
    errors.check(
        plausible(request.webhook_secret.trim(), 8),
        "webhook_secret",
        field_issue(
            "no parece una clave secreta de webhook",
            "does not look like a webhook secret",
        ),
    );
    errors.into_result()
}

/// Links (or relinks) the tenant's account.
pub async fn link(
    state: &AppState,
    tenant: TenantId,
    by: Option<AccountId>,
    request: &LinkRequest,
) -> Result<(), PaymentError> {
    check_link(request).map_err(PaymentError::Invalid)?;
    let key = key(state)?;
    let token = key.seal(tenant.0, TOKEN_FIELD, request.access_token.trim());
    let secret = key.seal(tenant.0, SECRET_FIELD, request.webhook_secret.trim());
    let mut tx = state.db.tenant_tx(tenant).await?;
    store::mercado_pago::save_account(&mut tx, &token, &secret, by).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the tenant has linked an account.
pub async fn status(state: &AppState, tenant: TenantId) -> Result<LinkStatus, PaymentError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let account = store::mercado_pago::account(&mut tx).await?;
    tx.commit().await?;
    Ok(LinkStatus {
        linked: account.is_some(),
        linked_at: account.map(|a| a.linked_at),
        notification_url: notification_url(state, tenant),
    })
}

/// Unlinks the tenant's account; whether one was linked.
pub async fn unlink(state: &AppState, tenant: TenantId) -> Result<bool, PaymentError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let removed = store::mercado_pago::delete_account(&mut tx).await?;
    tx.commit().await?;
    Ok(removed)
}

/// Whether the tenant of `tx` can take online payments (an account linked and a key to
/// open it).
pub async fn can_charge(state: &AppState, tx: &mut Tx) -> Result<bool, PaymentError> {
    Ok(state.payments_key.is_some() && store::mercado_pago::account(tx).await?.is_some())
}

async fn credentials(
    state: &AppState,
    tx: &mut Tx,
    tenant: TenantId,
) -> Result<Credentials, PaymentError> {
    let key = key(state)?;
    let account = store::mercado_pago::account(tx)
        .await?
        .ok_or(PaymentError::NotLinked)?;
    let open = |field, sealed: &[u8]| key.open(tenant.0, field, sealed);
    match (
        open(TOKEN_FIELD, &account.access_token),
        open(SECRET_FIELD, &account.webhook_secret),
    ) {
        (Some(access_token), Some(webhook_secret)) => Ok(Credentials {
            access_token,
            webhook_secret,
        }),
        // Sealed under another key (rotated without re-linking): as if never linked.
        _ => Err(PaymentError::NotLinked),
    }
}

/// One line of the order as the preference lists it.
#[derive(Clone, Debug)]
pub struct CheckoutLine {
    /// The menu item.
    pub item_id: Uuid,
    /// Its name.
    pub name: String,
    /// How many.
    pub quantity: u32,
    /// Unit price with options, CLP.
    pub unit_price: i64,
}

/// What [`checkout`] needs of a placed order.
#[derive(Clone, Debug)]
pub struct CheckoutOrder<'a> {
    /// The order.
    pub id: Uuid,
    /// Its number of the day, for the single-item fallback's title.
    pub number: Option<i64>,
    /// What the diner pays, CLP.
    pub total: i64,
    /// Its priced lines.
    pub lines: &'a [CheckoutLine],
    /// Where the diner comes back to (the order id is added as `pedido`).
    pub return_url: &'a str,
}

/// The preference's items: the priced lines, or one line with the total when they do not
/// add up to it (a discount or rounding the lines do not show), so the diner is always
/// charged exactly the order's total.
pub fn preference_items(order: &CheckoutOrder<'_>) -> Vec<PreferenceItem> {
    let sum: i64 = order
        .lines
        .iter()
        .map(|l| l.unit_price.saturating_mul(i64::from(l.quantity)))
        .sum();
    if sum == order.total && order.lines.iter().all(|l| l.unit_price > 0) {
        return order
            .lines
            .iter()
            .map(|l| PreferenceItem {
                id: l.item_id.to_string(),
                title: l.name.chars().take(250).collect(),
                quantity: l.quantity,
                currency_id: "CLP".to_owned(),
                unit_price: l.unit_price,
            })
            .collect();
    }
    let title = match order.number {
        Some(n) => format!("Pedido {n}"),
        None => "Pedido".to_owned(),
    };
    vec![PreferenceItem {
        id: order.id.to_string(),
        title,
        quantity: 1,
        currency_id: "CLP".to_owned(),
        unit_price: order.total,
    }]
}

fn with_order(url: &str, order: Uuid) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}pedido={order}")
}

/// The Checkout Pro page of an order placed to be paid online: the preference is created
/// once (the same answer for a replayed order), so the diner always pays one preference.
pub async fn checkout(
    state: &AppState,
    tenant: TenantId,
    order: &CheckoutOrder<'_>,
) -> Result<String, PaymentError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let found = store::mercado_pago::find(&mut tx, order.id, false).await?;
    if let Some(url) = found.as_ref().and_then(|p| p.checkout_url.clone()) {
        return Ok(url);
    }
    let credentials = credentials(state, &mut tx, tenant).await?;
    tx.commit().await?;
    let back = with_order(order.return_url, order.id);
    let preference = NewPreference {
        items: preference_items(order),
        external_reference: order.id.to_string(),
        notification_url: notification_url(state, tenant),
        back_urls: BackUrls {
            success: back.clone(),
            pending: back.clone(),
            failure: back,
        },
        auto_return: "approved".to_owned(),
    };
    let created = state
        .mercado_pago
        .create_preference(
            &credentials.access_token,
            &format!("preference-{}", order.id),
            &preference,
        )
        .await?;
    let mut tx = state.db.tenant_tx(tenant).await?;
    store::mercado_pago::set_preference(&mut tx, order.id, &created.id, &created.init_point)
        .await?;
    tx.commit().await?;
    Ok(created.init_point)
}

/// A notification as the webhook received it.
#[derive(Clone, Debug)]
pub struct Notification<'a> {
    /// `type` (or the older `topic`) of the query string.
    pub kind: Option<&'a str>,
    /// `data.id` of the query string (or the older `id`).
    pub data_id: Option<&'a str>,
    /// The `x-signature` header.
    pub signature: Option<&'a str>,
    /// The `x-request-id` header.
    pub request_id: Option<&'a str>,
}

/// What a notification did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noted {
    /// A payment was recorded (the order is paid).
    Paid,
    /// Nothing to record: another topic, a payment not approved (yet), not one of ours,
    /// or one already recorded.
    Nothing,
}

/// Receives a notification for `tenant`: verifies its signature, reads the payment back
/// from the API and records it when it pays an order of the tenant exactly.
pub async fn notification(
    state: &AppState,
    tenant: TenantId,
    notice: &Notification<'_>,
) -> Result<Noted, PaymentError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    // An unknown tenant or one without an account has no secret: nothing verifies.
    let credentials = match credentials(state, &mut tx, tenant).await {
        Ok(credentials) => credentials,
        Err(PaymentError::NotLinked | PaymentError::NotConfigured) => {
            return Err(PaymentError::BadSignature);
        }
        Err(other) => return Err(other),
    };
    let now = chrono::Utc::now().timestamp();
    if !signature::verify(
        credentials.webhook_secret.as_bytes(),
        notice.signature,
        notice.data_id,
        notice.request_id,
        now,
        state.settings.mercado_pago_signature_max_age_secs,
    ) {
        return Err(PaymentError::BadSignature);
    }
    if notice.kind != Some("payment") {
        return Ok(Noted::Nothing);
    }
    let Some(payment_id) = notice
        .data_id
        .filter(|id| !id.is_empty() && id.len() <= 30 && id.bytes().all(|b| b.is_ascii_digit()))
    else {
        return Ok(Noted::Nothing);
    };
    if store::mercado_pago::provider_payment_known(&mut tx, payment_id).await? {
        return Ok(Noted::Nothing);
    }
    tx.commit().await?;
    // Read outside any transaction: the API may take seconds.
    let payment = state
        .mercado_pago
        .payment(&credentials.access_token, payment_id)
        .await?;
    let Some(order) = payment
        .external_reference
        .as_deref()
        .and_then(|r| r.parse::<Uuid>().ok())
    else {
        return Ok(Noted::Nothing);
    };
    if payment.status != "approved" || payment.currency_id != "CLP" {
        return Ok(Noted::Nothing);
    }
    let mut tx = state.db.tenant_tx(tenant).await?;
    let Some(online) = store::mercado_pago::find(&mut tx, order, true).await? else {
        tracing::warn!(%tenant, %order, "approved payment for an order not paid online here");
        return Ok(Noted::Nothing);
    };
    if online.provider_payment_id.is_some() {
        // Paid already (by this payment, under the row lock, or another one).
        return Ok(Noted::Nothing);
    }
    // CLP has no decimals; anything but the exact total is not this order's payment.
    #[allow(clippy::cast_precision_loss)]
    let expected = online.amount as f64;
    if (payment.transaction_amount - expected).abs() > 0.5 {
        tracing::warn!(%tenant, %order, paid = payment.transaction_amount, expected,
            "online payment amount does not match the order");
        store::mercado_pago::set_error(&mut tx, order, "amount mismatch").await?;
        tx.commit().await?;
        return Ok(Noted::Nothing);
    }
    let row_id = Uuid::now_v7();
    let row = rows::Payment {
        id: PaymentId(row_id),
        order_id: OrderId(order),
        method: PaymentMethod::MercadoPago,
        amount: Clp(online.amount),
        tip: Clp::ZERO,
        received: None,
        change: None,
        refund_of: None,
        reference: Some(format!("Mercado Pago {}", payment.id)),
        created_by: None,
        created_at: now_text(),
        bill: None,
        bill_lines: None,
    };
    push_row(state, &mut tx, online.location_id, row_id, &row).await?;
    store::mercado_pago::mark_paid(&mut tx, order, payment_id, row_id).await?;
    tx.commit().await?;
    // The order may have been rejected before the payment arrived.
    refund_rejected(state, tenant).await;
    Ok(Noted::Paid)
}

fn now_text() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Pushes one cloud-made ledger row for `location` through the sync merge.
async fn push_row(
    state: &AppState,
    tx: &mut Tx,
    location: LocationId,
    id: Uuid,
    row: &rows::Payment,
) -> Result<(), PaymentError> {
    let clock = state.tenant_clock(tx).await?;
    let stamp = clock.tick();
    let mutation = crate::widget_orders::mutation(id, row, stamp);
    let origin = Origin {
        device_id: None,
        location_id: location,
    };
    let pushed = sync_store::push(
        tx,
        &state.vault,
        origin,
        &[mutation],
        state.now_ms(),
        Some(&clock),
    )
    .await?;
    if let Some(refused) = pushed
        .results
        .iter()
        .find(|r| r.outcome == Outcome::Rejected)
    {
        return Err(PaymentError::Refused(
            refused.detail.clone().unwrap_or_default(),
        ));
    }
    Ok(())
}

/// Refunds every order of `tenant` paid online that the restaurant rejected or cancelled
/// and that is not refunded yet and not waiting out a back-off; records what fails (the
/// next push or sweep after its back-off tries again). Refunds are serialised per tenant, and each carries an idempotency key of its
/// order, so no order is ever refunded twice.
pub async fn refund_rejected(state: &AppState, tenant: TenantId) -> usize {
    match refund_rejected_inner(state, tenant).await {
        Ok(done) => done,
        Err(error) => {
            tracing::error!(%tenant, %error, "online refunds failed; retried by the sweep");
            0
        }
    }
}

async fn refund_rejected_inner(state: &AppState, tenant: TenantId) -> Result<usize, PaymentError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    if !store::mercado_pago::try_lock_refunds(&mut tx).await? {
        return Ok(0);
    }
    let due = store::mercado_pago::refunds_due(&mut tx).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let credentials = credentials(state, &mut tx, tenant).await?;
    let mut done = 0;
    for online in due {
        let (Some(provider_id), Some(paid_row)) =
            (online.provider_payment_id.as_deref(), online.payment_row_id)
        else {
            continue;
        };
        // Under the tenant's refund lock: the same order is never refunded by two
        // workers, and the key makes a retry after a lost answer a no-op at the provider.
        let refund = state
            .mercado_pago
            .refund(
                &credentials.access_token,
                provider_id,
                &format!("refund-{}", online.order_id),
            )
            .await;
        let refund = match refund {
            Ok(refund) => refund,
            Err(error) => {
                store::mercado_pago::record_refund_failure(
                    &mut tx,
                    online.order_id,
                    &error.to_string(),
                    refund_backoff,
                )
                .await?;
                tracing::warn!(%tenant, order = %online.order_id, %error, "refund failed");
                continue;
            }
        };
        let row_id = Uuid::now_v7();
        let row = rows::Payment {
            id: PaymentId(row_id),
            order_id: OrderId(online.order_id),
            method: PaymentMethod::MercadoPago,
            amount: Clp(-online.amount),
            tip: Clp::ZERO,
            received: None,
            change: None,
            refund_of: Some(PaymentId(paid_row)),
            reference: Some(format!("Devolución Mercado Pago {}", refund.id)),
            created_by: None,
            created_at: now_text(),
            bill: None,
            bill_lines: None,
        };
        if store::mercado_pago::mark_refunded(
            &mut tx,
            online.order_id,
            &refund.id.to_string(),
            row_id,
        )
        .await?
        {
            push_row(state, &mut tx, online.location_id, row_id, &row).await?;
            done += 1;
        }
    }
    tx.commit().await?;
    Ok(done)
}

/// Runs [`refund_rejected`] for `tenant` in the background when it has an account (after
/// a push from its counter, which may carry a rejection).
pub fn refund_rejected_later(state: &AppState, tenant: TenantId) {
    if state.payments_key.is_none() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        refund_rejected(&state, tenant).await;
    });
}

/// How long a refund waits after its `attempts`-th failure: one minute, doubling each
/// time, at most six hours (so a refund Mercado Pago keeps refusing is still tried four
/// times a day, and a short outage costs the diner minutes, not a day).
pub fn refund_backoff(attempts: u32) -> Duration {
    const FIRST: Duration = Duration::from_secs(60);
    const MOST: Duration = Duration::from_secs(6 * 60 * 60);
    let doublings = attempts.saturating_sub(1).min(16);
    FIRST.saturating_mul(1 << doublings).min(MOST)
}

/// Runs the refunds due of every tenant that has one (after a back-off, or left by a
/// push whose refund failed); answers how many refunds were made.
pub async fn sweep_refunds(state: &AppState) -> usize {
    let tenants = match store::mercado_pago::tenants_with_refunds_due(&state.db).await {
        Ok(tenants) => tenants,
        Err(error) => {
            tracing::warn!(%error, "refund sweep could not list tenants; retried later");
            return 0;
        }
    };
    let mut done = 0;
    for tenant in tenants {
        done += refund_rejected(state, tenant).await;
    }
    done
}

/// How often the refund sweep looks for refunds due.
pub const REFUND_SWEEP_EVERY: Duration = Duration::from_secs(5 * 60);

/// Sweeps every `every` while the process runs, when this cloud can hold credentials at
/// all (without the credentials key no account is linked, so nothing is ever due).
pub fn spawn_refund_sweep(state: &AppState, every: Duration) {
    if state.payments_key.is_none() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let done = sweep_refunds(&state).await;
            if done > 0 {
                tracing::info!(done, "refund sweep");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refund_backoff_doubles_from_a_minute_up_to_six_hours() {
        assert_eq!(refund_backoff(1), Duration::from_secs(60));
        assert_eq!(refund_backoff(2), Duration::from_secs(120));
        assert_eq!(refund_backoff(5), Duration::from_secs(960));
        assert_eq!(refund_backoff(9), Duration::from_secs(60 << 8));
        assert_eq!(refund_backoff(10), Duration::from_secs(6 * 60 * 60));
        assert_eq!(refund_backoff(u32::MAX), Duration::from_secs(6 * 60 * 60));
        assert!((1..40).all(|n| refund_backoff(n) <= refund_backoff(n + 1)));
    }

    fn line(price: i64, quantity: u32) -> CheckoutLine {
        CheckoutLine {
            item_id: Uuid::now_v7(),
            name: "Cazuela".into(),
            quantity,
            unit_price: price,
        }
    }

    #[test]
    fn the_preference_charges_exactly_the_total() {
        let lines = [line(10_990, 2), line(1_500, 1)];
        let order = CheckoutOrder {
            id: Uuid::now_v7(),
            number: Some(7),
            total: 23_480,
            lines: &lines,
            return_url: "https://x.cl/r/a",
        };
        let items = preference_items(&order);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].unit_price, 10_990);
        assert_eq!(items[0].currency_id, "CLP");
        let discounted = CheckoutOrder {
            total: 20_000,
            ..order.clone()
        };
        let items = preference_items(&discounted);
        assert_eq!(
            items.len(),
            1,
            "lines that do not add up: one item with the total"
        );
        assert_eq!(items[0].unit_price, 20_000);
        assert_eq!(items[0].title, "Pedido 7");
        assert_eq!(
            with_order("https://x.cl/r/a?location=1", order.id),
            format!("https://x.cl/r/a?location=1&pedido={}", order.id)
        );
    }

    #[test]
    fn link_requests_are_checked() {
        let good = LinkRequest {
            access_token: "APP_USR-1234567890123456".into(),
            webhook_secret: "abcdef123456".into(),
        };
        assert!(check_link(&good).is_ok());
        let bad = LinkRequest {
            access_token: "corto".into(),
            webhook_secret: "con espacios dentro".into(),
        };
        let errors = format!("{:?}", check_link(&bad).err());
        assert!(errors.contains("access_token"), "{errors}");
        assert!(format!("{good:?}").contains('…') && !format!("{good:?}").contains("APP_USR"));
    }
}
