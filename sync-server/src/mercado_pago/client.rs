//! The Mercado Pago REST client: the three calls online payment needs, against a base URL
//! the settings give (`https://api.mercadopago.com`; tests pass their fake).
//!
//! Followed documentation:
//! - Create a Checkout Pro preference, `POST /checkout/preferences`
//!   (<https://www.mercadopago.cl/developers/es/reference/preferences/_checkout_preferences/post>):
//!   `Authorization: Bearer <access token>`, a JSON body of `items` (`id`, `title`,
//!   `quantity`, `currency_id`, `unit_price`), `external_reference`, `notification_url`,
//!   `back_urls` (`success`, `pending`, `failure`) and `auto_return`; `201` with the
//!   preference's `id` and the `init_point` the buyer is sent to. Chilean pesos have no
//!   decimals, so every `unit_price` is a whole number of CLP.
//! - Get a payment, `GET /v1/payments/{id}`
//!   (<https://www.mercadopago.cl/developers/es/reference/payments/_payments_id/get>):
//!   `id`, `status` (`approved`, `pending`, `rejected`, `refunded`, …),
//!   `external_reference`, `transaction_amount`, `currency_id`.
//! - Refund a payment in full, `POST /v1/payments/{id}/refunds`
//!   (<https://www.mercadopago.cl/developers/es/reference/chargebacks/_payments_id_refunds/post>)
//!   with an empty JSON body and `X-Idempotency-Key`: the same key never refunds twice;
//!   `201` with the refund's `id`, `payment_id`, `amount` and `status`.
//!
//! Every call that creates something sends `X-Idempotency-Key`
//! (<https://www.mercadopago.cl/developers/es/docs/checkout-api-payments/additional-content/idempotency>),
//! derived from our own ids, so a retry after a lost answer creates nothing twice.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Why a call to Mercado Pago failed.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// It could not be reached, timed out, or answered 5xx/429: try again later.
    #[error("mercado pago unavailable: {0}")]
    Unavailable(String),
    /// It refused the call (4xx): the credentials or the request are wrong.
    #[error("mercado pago refused: {0}")]
    Refused(String),
    /// It answered something we cannot read.
    #[error("mercado pago answered unreadably: {0}")]
    Unreadable(String),
}

/// One item of a preference.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PreferenceItem {
    /// Our menu item id.
    pub id: String,
    /// The dish's name.
    pub title: String,
    /// How many.
    pub quantity: u32,
    /// Always `CLP`.
    pub currency_id: String,
    /// Unit price in whole pesos.
    pub unit_price: i64,
}

/// Where the buyer returns to after paying.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct BackUrls {
    /// After an approved payment.
    pub success: String,
    /// After a pending one.
    pub pending: String,
    /// After a failed one.
    pub failure: String,
}

/// The body of `POST /checkout/preferences`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct NewPreference {
    /// What is paid.
    pub items: Vec<PreferenceItem>,
    /// Our order id: the notification's payment carries it back.
    pub external_reference: String,
    /// Where Mercado Pago sends payment notifications.
    pub notification_url: String,
    /// Where the buyer returns.
    pub back_urls: BackUrls,
    /// `approved`: back to `success` at once after an approved payment.
    pub auto_return: String,
}

/// What a created preference answers (the fields we use).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Preference {
    /// The preference id.
    pub id: String,
    /// The checkout page the buyer is sent to.
    pub init_point: String,
}

/// A payment as `GET /v1/payments/{id}` answers it (the fields we use).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ProviderPayment {
    /// The payment id.
    pub id: i64,
    /// `approved`, `pending`, `in_process`, `rejected`, `cancelled`, `refunded`, …
    pub status: String,
    /// Our order id, from the preference.
    #[serde(default)]
    pub external_reference: Option<String>,
    /// The amount paid.
    pub transaction_amount: f64,
    /// Its currency (`CLP`).
    pub currency_id: String,
}

/// A refund as `POST /v1/payments/{id}/refunds` answers it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Refund {
    /// The refund id.
    pub id: i64,
    /// The refunded payment.
    pub payment_id: i64,
    /// The refunded amount.
    pub amount: f64,
    /// `approved` once done.
    pub status: String,
}

/// The client, shared by every tenant: each call takes that tenant's access token.
#[derive(Clone, Debug)]
pub struct MercadoPagoClient {
    pub(super) http: reqwest::Client,
    pub(super) base: String,
}

impl MercadoPagoClient {
    /// A client for the API at `base`.
    pub fn new(base: &str) -> MercadoPagoClient {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap_or_default();
        MercadoPagoClient {
            http,
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// Creates a Checkout Pro preference.
    pub async fn create_preference(
        &self,
        token: &str,
        idempotency_key: &str,
        preference: &NewPreference,
    ) -> Result<Preference, ProviderError> {
        let request = self
            .http
            .post(format!("{}/checkout/preferences", self.base))
            .bearer_auth(token)
            .header("X-Idempotency-Key", idempotency_key)
            .json(preference);
        read(request.send().await).await
    }

    /// Reads a payment.
    pub async fn payment(&self, token: &str, id: &str) -> Result<ProviderPayment, ProviderError> {
        // The id goes in the path: only digits reach it (see `notifications`).
        let request = self
            .http
            .get(format!("{}/v1/payments/{id}", self.base))
            .bearer_auth(token);
        read(request.send().await).await
    }

    /// Refunds a payment in full.
    pub async fn refund(
        &self,
        token: &str,
        payment_id: &str,
        idempotency_key: &str,
    ) -> Result<Refund, ProviderError> {
        let request = self
            .http
            .post(format!("{}/v1/payments/{payment_id}/refunds", self.base))
            .bearer_auth(token)
            .header("X-Idempotency-Key", idempotency_key)
            .json(&serde_json::json!({}));
        read(request.send().await).await
    }
}

pub(super) async fn read<T: for<'de> Deserialize<'de>>(
    sent: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, ProviderError> {
    let response = sent.map_err(|e| ProviderError::Unavailable(e.to_string()))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| ProviderError::Unavailable(e.to_string()))?;
    if status.is_success() {
        return serde_json::from_str(&text).map_err(|e| ProviderError::Unreadable(e.to_string()));
    }
    let detail: String = format!("HTTP {status}: {text}").chars().take(300).collect();
    if status.as_u16() == 429 || status.is_server_error() {
        Err(ProviderError::Unavailable(detail))
    } else {
        Err(ProviderError::Refused(detail))
    }
}
