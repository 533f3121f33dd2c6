//! The `FiscalDocuments` boundary: boletas, facturas and credit notes through an
//! SII-authorised provider (Bsale, [`bsale`]).
//!
//! Off by default (`fiscal_documents_enabled` in Ajustes): a restaurant that issues its
//! boletas elsewhere is not forced. When on, every payment queues its document in the
//! payment's own transaction ([`sale_document`]) and every refund of a documented payment
//! its credit note ([`credit_note`]); a worker sends the queue oldest first whenever a
//! payment wakes it or the retry interval passes. A link that is down leaves the queue
//! whole, in order, until it is back; a document the provider refuses leaves the queue
//! with the provider's words for the staff, and the next goes.
//!
//! The provider's access token is a secret of this counter: kept in the OS keyring (or a
//! 0600 file where there is none, like the cloud token), never in the database, never
//! answered by the API.

pub mod bsale;

use crate::restaurant::SettingsCache;
use crate::store::fiscal::{self as store, FiscalDocument, FiscalKind, Issued, NewFiscalDocument};
use crate::store::writer::Writer;
use crate::store::{Db, StoreError, instant_text};
use crate::sync::token::TokenVault;
use bsale::{Bsale, BsaleDocument, BsaleError};
use dysa_domain::money::{Clp, TaxRate, split_tax};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// The file the Bsale token is kept in where the machine has no keyring.
pub const TOKEN_FILE: &str = "bsale-token";

/// Why a fiscal operation failed.
#[derive(Debug, thiserror::Error)]
pub enum FiscalError {
    /// No such document.
    #[error("not found")]
    NotFound,
    /// Only a rejected document can be queued again.
    #[error("the document is not rejected")]
    NotRejected,
    /// The token was empty or too long.
    #[error("invalid token")]
    InvalidToken,
    /// The keyring or file refused the token.
    #[error(transparent)]
    Vault(#[from] crate::sync::token::TokenError),
    /// The database.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The boundary's handle; cheap to clone.
#[derive(Clone)]
pub struct FiscalDocuments {
    db: Db,
    writer: Writer,
    restaurant: Arc<SettingsCache>,
    bsale: Bsale,
    vault: TokenVault,
    wake: Arc<Notify>,
    retry_every: Duration,
}

impl std::fmt::Debug for FiscalDocuments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FiscalDocuments")
            .field("bsale", &self.bsale)
            .finish_non_exhaustive()
    }
}

/// What the panel shows of the boundary.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FiscalOverview {
    /// Whether payments issue documents (Ajustes).
    pub enabled: bool,
    /// The provider.
    pub provider: &'static str,
    /// Whether an access token is kept on this counter.
    pub has_token: bool,
    /// Documents waiting to go.
    pub pending: i64,
    /// Documents the provider refused.
    pub rejected: i64,
}

/// How a document is described to the provider for a sale.
pub struct Sale<'a> {
    /// The order.
    pub order_id: String,
    /// Its label.
    pub order_label: String,
    /// The payment.
    pub payment_id: uuid::Uuid,
    /// What it paid toward the order, IVA included (the tip is not a sale).
    pub amount: Clp,
    /// The order's tax rate.
    pub rate: TaxRate,
    /// A factura's receptor (absent: a boleta).
    pub receptor: Option<store::Receptor>,
    /// Now.
    pub at: &'a str,
}

/// The sale's document to queue with a payment.
pub fn sale_document(sale: Sale<'_>) -> NewFiscalDocument {
    let tax = split_tax(sale.amount, sale.rate);
    NewFiscalDocument {
        id: uuid::Uuid::now_v7(),
        order_id: sale.order_id,
        order_label: sale.order_label,
        payment_id: sale.payment_id.to_string(),
        kind: if sale.receptor.is_some() {
            FiscalKind::Factura
        } else {
            FiscalKind::Boleta
        },
        corrects: None,
        total: tax.total.0,
        net: tax.net.0,
        reference: reference_of(sale.payment_id),
        receptor: sale.receptor,
        reason: None,
        created_at: sale.at.to_owned(),
    }
}

/// The credit note to queue with a refund of a documented payment.
pub fn credit_note(
    original: &FiscalDocument,
    refund_id: uuid::Uuid,
    amount: Clp,
    rate: TaxRate,
    reason: Option<String>,
    at: &str,
) -> NewFiscalDocument {
    let tax = split_tax(Clp(amount.0.abs()), rate);
    NewFiscalDocument {
        id: uuid::Uuid::now_v7(),
        order_id: original.order_id.clone(),
        order_label: original.order_label.clone(),
        payment_id: refund_id.to_string(),
        kind: FiscalKind::CreditNote,
        corrects: Some(original.id),
        total: tax.total.0,
        net: tax.net.0,
        reference: reference_of(refund_id),
        receptor: original.receptor.clone(),
        reason,
        created_at: at.to_owned(),
    }
}

/// Our reference of a payment: 18 characters, the most an SII reference's folio takes.
/// A v7 id's first 18 hex digits are its millisecond and 18 random bits, unique enough
/// within one restaurant.
fn reference_of(payment: uuid::Uuid) -> String {
    payment.simple().to_string()[..18].to_uppercase()
}

/// Unix time of the local date of `at` (Bsale wants the date, no time zone).
fn emission_date(at: &str, tz: &jiff::tz::TimeZone) -> i64 {
    let instant: jiff::Timestamp = at.parse().unwrap_or_else(|_| jiff::Timestamp::now());
    instant
        .to_zoned(tz.clone())
        .date()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_or(instant.as_second(), |z| z.timestamp().as_second())
}

/// What a failure leaves for the staff: the document leaves the queue (`rejected`) or
/// waits, and why in Spanish and English.
struct Failure {
    rejected: bool,
    es: String,
    en: String,
    /// Whether the rest of the queue must wait too.
    stop: bool,
}

impl From<BsaleError> for Failure {
    fn from(error: BsaleError) -> Self {
        match error {
            BsaleError::Unreachable(cause) => {
                tracing::info!(%cause, "fiscal provider unreachable; the queue waits");
                Failure {
                    rejected: false,
                    es: "Sin conexión con Bsale; se reintentará".into(),
                    en: "Bsale could not be reached; it will be retried".into(),
                    stop: true,
                }
            }
            BsaleError::Unauthorized => Failure {
                rejected: false,
                es: "Bsale no aceptó el token de acceso; revíselo en Ajustes".into(),
                en: "Bsale did not accept the access token; check it in Settings".into(),
                stop: true,
            },
            BsaleError::Refused(message) => Failure {
                rejected: true,
                es: format!("Bsale rechazó el documento: {message}"),
                en: format!("Bsale refused the document: {message}"),
                stop: false,
            },
        }
    }
}

impl FiscalDocuments {
    /// The boundary over Bsale at `bsale_url`; `keyring` as for the cloud token.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        db: Db,
        writer: Writer,
        restaurant: Arc<SettingsCache>,
        http: reqwest::Client,
        settings: &crate::settings::Settings,
        keyring: Option<Arc<keyring_core::CredentialStore>>,
        wake: Arc<Notify>,
    ) -> Self {
        let vault = TokenVault::named(
            &settings.data_dir,
            TOKEN_FILE,
            format!("bsale-token-{}", db.device_id()),
            keyring,
        );
        Self {
            bsale: Bsale::new(
                http,
                &settings.bsale_api_url,
                Duration::from_millis(settings.fiscal_timeout_ms.max(1)),
            ),
            db,
            writer,
            restaurant,
            vault,
            wake,
            retry_every: Duration::from_secs(settings.fiscal_retry_secs.max(1)),
        }
    }

    /// Starts the worker that sends the queue.
    pub fn start(&self) {
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(error) = this.drain().await {
                    tracing::error!(%error, "fiscal queue");
                }
                tokio::select! {
                    () = this.wake.notified() => {}
                    () = tokio::time::sleep(this.retry_every) => {}
                }
            }
        });
    }

    /// Asks the worker to send the queue now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Keeps the provider's access token on this counter. Blocking work runs off the
    /// async workers.
    pub async fn set_token(&self, token: String) -> Result<(), FiscalError> {
        let token = token.trim().to_owned();
        if token.is_empty() || token.len() > 200 || token.chars().any(char::is_control) {
            return Err(FiscalError::InvalidToken);
        }
        let vault = self.vault.clone();
        tokio::task::spawn_blocking(move || vault.save(&token))
            .await
            .map_err(|_| FiscalError::InvalidToken)??;
        self.wake();
        Ok(())
    }

    /// Forgets the token.
    pub async fn forget_token(&self) -> Result<(), FiscalError> {
        let vault = self.vault.clone();
        tokio::task::spawn_blocking(move || vault.forget())
            .await
            .map_err(|_| FiscalError::InvalidToken)??;
        Ok(())
    }

    async fn token(&self) -> Result<Option<String>, FiscalError> {
        let vault = self.vault.clone();
        Ok(tokio::task::spawn_blocking(move || vault.load_any())
            .await
            .map_err(|_| FiscalError::InvalidToken)??)
    }

    /// The panel's summary.
    pub async fn overview(&self) -> Result<FiscalOverview, FiscalError> {
        let settings = self.restaurant.get(&self.db.read).await?;
        let (pending, rejected) = store::counts(&self.db.read).await?;
        Ok(FiscalOverview {
            enabled: settings.fiscal_documents_enabled,
            provider: "bsale",
            has_token: self.token().await?.is_some(),
            pending,
            rejected,
        })
    }

    /// Queues a rejected document again (after the cause was fixed).
    pub async fn retry(&self, id: uuid::Uuid) -> Result<FiscalDocument, FiscalError> {
        let done = self
            .writer
            .write(move |conn| Box::pin(async move { store::requeue(conn, id).await }))
            .await?;
        let doc = store::get(&self.db.read, id)
            .await?
            .ok_or(FiscalError::NotFound)?;
        if !done {
            return Err(FiscalError::NotRejected);
        }
        self.wake();
        Ok(doc)
    }

    /// Sends the queue, oldest first, until it is empty or the provider cannot be
    /// reached.
    pub async fn drain(&self) -> Result<(), FiscalError> {
        let Some(mut next) = store::next_pending(&self.db.read).await? else {
            return Ok(());
        };
        let settings = self.restaurant.get(&self.db.read).await?;
        // Turning the setting off stops new documents; what was queued still goes (a
        // refund's credit note must follow its boleta) as long as there is a token.
        let Some(token) = self.token().await? else {
            self.record(
                next.id,
                &Failure {
                    rejected: false,
                    es: "Falta el token de acceso de Bsale (Ajustes)".into(),
                    en: "The Bsale access token is missing (Settings)".into(),
                    stop: true,
                },
            )
            .await?;
            return Ok(());
        };
        let tz = settings.tz();
        let office = settings.fiscal_office_id;
        loop {
            let id = next.id;
            self.writer
                .write(move |conn| Box::pin(async move { store::count_attempt(conn, id).await }))
                .await?;
            match self.send(&token, &next, &tz, office).await {
                Ok(document) => {
                    let issued = Issued {
                        provider_id: document.id,
                        folio: document.number,
                        ted: document.ted,
                        url_timbre: document.url_timbre,
                        url_public_view: document.url_public_view,
                        url_pdf: document.url_pdf,
                        informed_sii: document.informed_sii,
                        sii_message: document.response_msg_sii,
                    };
                    let at = instant_text(jiff::Timestamp::now());
                    self.writer
                        .write(move |conn| {
                            Box::pin(
                                async move { store::mark_issued(conn, id, &issued, &at).await },
                            )
                        })
                        .await?;
                }
                Err(failure) => {
                    self.record(id, &failure).await?;
                    if failure.stop {
                        return Ok(());
                    }
                }
            }
            match store::next_pending(&self.db.read).await? {
                Some(doc) => next = doc,
                None => return Ok(()),
            }
        }
    }

    async fn record(&self, id: uuid::Uuid, failure: &Failure) -> Result<(), FiscalError> {
        let (rejected, es, en) = (failure.rejected, failure.es.clone(), failure.en.clone());
        self.writer
            .write(move |conn| {
                Box::pin(async move { store::mark_failed(conn, id, rejected, &es, &en).await })
            })
            .await?;
        Ok(())
    }

    /// One document to the provider. A document tried before is looked up first: the
    /// try may have reached Bsale before the answer was lost.
    async fn send(
        &self,
        token: &str,
        doc: &FiscalDocument,
        tz: &jiff::tz::TimeZone,
        office: Option<u32>,
    ) -> Result<BsaleDocument, Failure> {
        let date = emission_date(&doc.created_at, tz);
        match doc.kind {
            FiscalKind::Boleta | FiscalKind::Factura => {
                if doc.attempts > 0
                    && let Some(found) = self.bsale.find_by_reference(token, &doc.reference).await?
                {
                    tracing::info!(
                        folio = found.number,
                        "fiscal document found after a lost answer"
                    );
                    return Ok(found);
                }
                let request = bsale::DocumentRequest {
                    code_sii: if doc.kind == FiscalKind::Factura {
                        bsale::CODE_FACTURA
                    } else {
                        bsale::CODE_BOLETA
                    },
                    office_id: office,
                    emission_date: date,
                    expiration_date: date,
                    declare_sii: 1,
                    details: vec![bsale::DetailRequest {
                        net_unit_value: doc.net,
                        quantity: 1,
                        tax_id: bsale::TAX_IVA,
                        comment: format!("Consumo pedido {}", doc.order_label),
                    }],
                    client: doc.receptor.as_ref().map(|r| bsale::ClientRequest {
                        code: r.rut.clone(),
                        company: r.name.clone(),
                        activity: r.activity.clone(),
                        address: r.address.clone(),
                        municipality: r.municipality.clone(),
                    }),
                    references: vec![bsale::ReferenceRequest {
                        number: doc.reference.clone(),
                        reference_date: date,
                        reason: format!("Pedido {}", doc.order_label),
                        code_sii: bsale::CODE_ORDER_REFERENCE,
                    }],
                };
                Ok(self.bsale.create_document(token, &request).await?)
            }
            FiscalKind::CreditNote => {
                let original = match doc.corrects {
                    Some(id) => store::get(&self.db.read, id).await.ok().flatten(),
                    None => None,
                };
                let Some((original_id, folio)) = original
                    .as_ref()
                    .and_then(|o| Some((o.provider_id?, o.folio?)))
                else {
                    return Err(Failure {
                        rejected: true,
                        es: "El documento original no fue emitido; no hay nota de crédito que emitir"
                            .into(),
                        en: "The original document was not issued; there is no credit note to issue"
                            .into(),
                        stop: false,
                    });
                };
                if doc.attempts > 0 {
                    let known = store::known_provider_ids(&self.db.read)
                        .await
                        .unwrap_or_default();
                    let found = self
                        .bsale
                        .find_credit_notes(token, folio, doc.total)
                        .await?
                        .into_iter()
                        .find(|n| !known.contains(&n.id));
                    if let Some(found) = found {
                        return Ok(found);
                    }
                }
                let detail = self.bsale.first_detail(token, original_id).await?;
                let partial = original.as_ref().is_some_and(|o| o.total != doc.total);
                let request = bsale::ReturnRequest {
                    code_sii: bsale::CODE_CREDIT_NOTE,
                    office_id: office,
                    reference_document_id: original_id,
                    emission_date: date,
                    expiration_date: date,
                    motive: doc
                        .reason
                        .clone()
                        .unwrap_or_else(|| format!("Devolución pedido {}", doc.order_label)),
                    declare_sii: 1,
                    price_adjustment: u8::from(partial),
                    edit_texts: 0,
                    details: vec![bsale::ReturnDetailRequest {
                        document_detail_id: detail,
                        quantity: 1,
                        unit_value: doc.net,
                    }],
                };
                Ok(self.bsale.create_return(token, &request).await?)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_emission_date_is_the_local_date_at_midnight_utc() {
        let tz = jiff::tz::TimeZone::get("America/Santiago").unwrap();
        // 02:30 UTC on the 8th is 23:30 on the 7th in Santiago (UTC-3 in December).
        let at = "2026-12-08T02:30:00.000Z";
        let expected: jiff::Timestamp = "2026-12-07T00:00:00Z".parse().unwrap();
        assert_eq!(emission_date(at, &tz), expected.as_second());
    }

    #[test]
    fn references_fit_an_sii_folio_and_differ_between_payments() {
        let a = reference_of(uuid::Uuid::now_v7());
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = reference_of(uuid::Uuid::now_v7());
        assert_eq!(a.len(), 18);
        assert_ne!(a, b);
    }
}
