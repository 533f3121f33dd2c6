//! Mercado Pago's subscriptions ("preapproval") API: how the platform charges each
//! restaurant its plan every month, on the platform's own account (its access token from
//! the environment, never a tenant's).
//!
//! Followed documentation:
//! - Create a subscription, `POST /preapproval`
//!   (<https://www.mercadopago.cl/developers/es/reference/subscriptions/_preapproval/post>):
//!   `reason`, `external_reference`, `payer_email`, `back_url`, `status: "pending"` (the
//!   payer authorises it on the `init_point` page) and `auto_recurring` with `frequency`,
//!   `frequency_type` (`months`), `transaction_amount`, `currency_id` and `free_trial`
//!   (`frequency`, `frequency_type`: our 14 days); `201` with the preapproval's `id`,
//!   `status`, `init_point`, `next_payment_date`.
//! - Read one, `GET /preapproval/{id}`
//!   (<https://www.mercadopago.cl/developers/es/reference/subscriptions/_preapproval_id/get>):
//!   `status` is `pending`, `authorized`, `paused` or `cancelled`.
//! - Change one, `PUT /preapproval/{id}`
//!   (<https://www.mercadopago.cl/developers/es/reference/subscriptions/_preapproval_id/put>):
//!   `auto_recurring.transaction_amount` (and `reason`) to change plan, `status:
//!   "cancelled"` to cancel.
//! - Read a charge, `GET /authorized_payments/{id}`
//!   (<https://www.mercadopago.cl/developers/es/reference/subscriptions/_authorized_payments_id/get>):
//!   `preapproval_id`, `status` (`scheduled`, `processed`, `recycling` while a rejected
//!   charge is retried, `cancelled`), `transaction_amount`, `debit_date`, and `payment`
//!   (`id`, `status`: `approved`, `rejected`, …). The retry logic ("Lógica de reintentos
//!   de cobro", up to 4 retries in 10 days:
//!   <https://www.mercadopago.cl/developers/es/docs/subscriptions/integration-configuration/subscription-no-associated-plan/authorized-payments>).
//! - Notifications of topics `subscription_preapproval` and
//!   `subscription_authorized_payment`, signed with `x-signature` exactly as payment
//!   notifications are (see [`super::signature`]), with the application's secret.

use super::client::{MercadoPagoClient, ProviderError, read};
use serde::{Deserialize, Serialize};

/// `auto_recurring.free_trial`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FreeTrial {
    /// How many units of `frequency_type`.
    pub frequency: i64,
    /// `days` or `months`.
    pub frequency_type: String,
}

/// `auto_recurring` of a preapproval.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AutoRecurring {
    /// Every how many units a charge is made (1).
    pub frequency: i64,
    /// `months`.
    pub frequency_type: String,
    /// The amount of each charge, whole CLP.
    pub transaction_amount: f64,
    /// `CLP`.
    pub currency_id: String,
    /// The free trial before the first charge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_trial: Option<FreeTrial>,
}

/// The body of `POST /preapproval`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct NewPreapproval {
    /// What the payer sees ("ChatBotDysa Pro").
    pub reason: String,
    /// Our tenant id: every read of the preapproval carries it back.
    pub external_reference: String,
    /// The owner's email.
    pub payer_email: String,
    /// Where the payer returns after authorising.
    pub back_url: String,
    /// The recurrence.
    pub auto_recurring: AutoRecurring,
    /// `pending`: the payer authorises it on `init_point`.
    pub status: String,
}

/// A preapproval as Mercado Pago answers it (the fields we use).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Preapproval {
    /// Its id.
    pub id: String,
    /// `pending`, `authorized`, `paused` or `cancelled`.
    pub status: String,
    /// Our tenant id.
    #[serde(default)]
    pub external_reference: Option<String>,
    /// The authorisation page.
    #[serde(default)]
    pub init_point: Option<String>,
    /// When the next charge is due.
    #[serde(default)]
    pub next_payment_date: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The recurrence as it now stands.
    #[serde(default)]
    pub auto_recurring: Option<AutoRecurring>,
}

/// The payment an authorized payment made.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ChargePayment {
    /// The payment id.
    pub id: i64,
    /// `approved`, `rejected`, `pending`, …
    pub status: String,
}

/// A charge of a subscription (`GET /authorized_payments/{id}`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AuthorizedPayment {
    /// Its id.
    pub id: i64,
    /// The subscription it charges.
    pub preapproval_id: String,
    /// `scheduled`, `processed`, `recycling` or `cancelled`.
    pub status: String,
    /// The amount charged.
    pub transaction_amount: f64,
    /// `CLP`.
    #[serde(default)]
    pub currency_id: Option<String>,
    /// When it was (or is to be) debited.
    #[serde(default)]
    pub debit_date: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The payment made, once tried.
    #[serde(default)]
    pub payment: Option<ChargePayment>,
}

impl MercadoPagoClient {
    /// Creates a subscription (`POST /preapproval`).
    pub async fn create_preapproval(
        &self,
        token: &str,
        idempotency_key: &str,
        body: &NewPreapproval,
    ) -> Result<Preapproval, ProviderError> {
        let request = self
            .http
            .post(format!("{}/preapproval", self.base))
            .bearer_auth(token)
            .header("X-Idempotency-Key", idempotency_key)
            .json(body);
        read(request.send().await).await
    }

    /// Reads a subscription. `id` must be one Mercado Pago gave (checked by the caller).
    pub async fn preapproval(&self, token: &str, id: &str) -> Result<Preapproval, ProviderError> {
        let request = self
            .http
            .get(format!("{}/preapproval/{id}", self.base))
            .bearer_auth(token);
        read(request.send().await).await
    }

    /// Changes a subscription (`PUT /preapproval/{id}`) with `changes` (a new amount, or
    /// `status: cancelled`).
    pub async fn update_preapproval(
        &self,
        token: &str,
        id: &str,
        changes: &serde_json::Value,
    ) -> Result<Preapproval, ProviderError> {
        let request = self
            .http
            .put(format!("{}/preapproval/{id}", self.base))
            .bearer_auth(token)
            .json(changes);
        read(request.send().await).await
    }

    /// Reads a charge of a subscription.
    pub async fn authorized_payment(
        &self,
        token: &str,
        id: &str,
    ) -> Result<AuthorizedPayment, ProviderError> {
        let request = self
            .http
            .get(format!("{}/authorized_payments/{id}", self.base))
            .bearer_auth(token);
        read(request.send().await).await
    }
}

/// Whether `id` can go in a URL path as a Mercado Pago id (letters and digits only).
pub fn plausible_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}
