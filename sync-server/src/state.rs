//! What every handler can reach.

use crate::auth::tokens::TokenSigner;
use crate::clock::{TenantClock, TenantClocks};
use crate::live::Live;
use crate::settings::Settings;
use crate::store::Db;
use std::sync::Arc;

/// Shared application state; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database (service role).
    pub db: Db,
    /// Signs and checks access tokens.
    pub signer: TokenSigner,
    /// The loaded configuration.
    pub settings: Arc<Settings>,
    /// The live channel's hub (sync version notices for open streams).
    pub live: Live,
    /// The public widget's caches (resolved slugs, serialised menus).
    pub widget: crate::widget::WidgetCache,
    /// Password hashing, bounded by memory (sign-ins verify through it; its counters
    /// tell tests how many guesses were checked).
    pub hasher: dysa_web::password::Hasher,
    /// One HLC per tenant (see [`crate::clock`]).
    clocks: Arc<TenantClocks>,
    /// Budgets of the public and device surfaces (client keys, limiters, device caps).
    pub limits: crate::limits::Limits,
    /// The mail outbox and its transport.
    pub mail: crate::mail::outbox::Outbox,
    /// SendGrid's event webhook key, when configured.
    pub mail_webhook_key: Option<crate::mail::sendgrid::WebhookKey>,
    /// The WhatsApp outbox, sending through the Graph API.
    pub whatsapp: crate::whatsapp::outbox::Outbox,
    /// The SMS outbox, sending through Twilio with the tenants' own accounts.
    pub sms: crate::twilio::outbox::SmsOutbox,
    /// The key sealing the tenants' payment credentials (none: online payment is off).
    pub payments_key: Option<crate::mercado_pago::seal::CredentialsKey>,
    /// Mercado Pago's API.
    pub mercado_pago: crate::mercado_pago::client::MercadoPagoClient,
    /// The master key and the tenants' unsealed data keys (customer data at rest).
    pub vault: crate::pii::Vault,
}

/// The fixed part of the cloud's HLC node id: "cloud" in ASCII, so the cloud's stamps are
/// recognisable in any row. The low 16 bits are random per process, so two instances
/// never issue the same stamp (equal stamps would read as one write replayed).
pub const CLOUD_NODE_ID: u64 = 0x0063_6c6f_7564_0000;

/// The HLC node of this cloud process (see [`CLOUD_NODE_ID`]).
pub fn cloud_node() -> u64 {
    CLOUD_NODE_ID | u64::from(rand::random::<u16>())
}

fn now_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0)
}

impl AppState {
    /// Builds the state over an open database.
    pub fn new(db: Db, settings: Settings, vault: crate::pii::Vault) -> Self {
        // Empty until [`crate::open_with`] loads the shared keys from the database.
        let signer = TokenSigner::default();
        let clocks = Arc::new(TenantClocks::new(
            cloud_node(),
            settings.sync_max_clock_skew_secs.saturating_mul(1000),
        ));
        // `Settings::check` refused bad mail settings already; a caller that skipped it
        // gets an outbox that keeps its mails.
        let mailer = crate::mail::Mailer::from_settings(&settings.mail()).unwrap_or_else(|error| {
            tracing::error!(%error, "mail settings unusable: mails stay in the outbox");
            crate::mail::Mailer::Unconfigured
        });
        let mail_webhook_key = (!settings.sendgrid_webhook_public_key.is_empty())
            .then(|| {
                crate::mail::sendgrid::WebhookKey::parse(&settings.sendgrid_webhook_public_key).ok()
            })
            .flatten();
        let payments_key = (!settings.credentials_key.is_empty())
            .then(|| {
                crate::mercado_pago::seal::CredentialsKey::parse(&settings.credentials_key).ok()
            })
            .flatten();
        let sms = crate::twilio::outbox::SmsOutbox::new(
            db.clone(),
            crate::twilio::client::TwilioClient::new(&settings.twilio_api_url),
            vault.clone(),
            payments_key.clone(),
            &settings.public_url,
        );
        let whatsapp = crate::whatsapp::outbox::Outbox::new(
            db.clone(),
            crate::whatsapp::graph::Graph::new(&settings.whatsapp_graph_url),
            vault.clone(),
        );
        Self {
            sms,
            vault,
            payments_key,
            mercado_pago: crate::mercado_pago::client::MercadoPagoClient::new(
                &settings.mercado_pago_api_url,
            ),
            mail: crate::mail::outbox::Outbox::new(db.clone(), mailer),
            mail_webhook_key,
            whatsapp,
            db,
            signer,
            hasher: dysa_web::password::Hasher::new(settings.hashing()),
            limits: crate::limits::Limits::new(settings.limits()),
            settings: Arc::new(settings),
            live: Live::new(),
            widget: crate::widget::WidgetCache::default(),
            clocks,
        }
    }

    /// The clock of the tenant of `tx` (a tenant transaction): every stamp the cloud
    /// gives that tenant's rows comes from it, and only that tenant's devices move it.
    pub async fn tenant_clock(
        &self,
        tx: &mut crate::store::Tx,
    ) -> crate::store::StoreResult<TenantClock> {
        self.clocks.of(tx).await
    }

    /// The cloud's wall clock in milliseconds (for the HLC drift check of pushes).
    pub fn now_ms(&self) -> u64 {
        now_ms()
    }
}
