//! What every handler can reach.
//!
//! The state is the top of the appliance's layers: it holds handles (the order desk, the
//! assistant, the sync handle) that each take only the narrow pieces they work with
//! (`Db`, `Writer`, `EventBus`, …), never `&AppState`, so no module below it imports it.

use crate::assistant::Assistant;
use crate::auth::tokens::TokenSigner;
use crate::events::EventBus;
use crate::ordering::OrderDesk;
use crate::restaurant::SettingsCache;
use crate::settings::Settings;
use crate::store::Db;
use crate::store::writer::Writer;
use crate::sync::{SyncContext, SyncHandle};
use axum::extract::FromRef;
use std::sync::Arc;

/// Shared application state; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Signs and checks access tokens.
    pub signer: TokenSigner,
    /// The loaded configuration.
    pub settings: Arc<Settings>,
    /// Outbound HTTP (Ollama, cloud).
    pub http: reqwest::Client,
    /// Group-committed writes (orders, payments, reservations).
    pub writer: Writer,
    /// Live events for open panels.
    pub events: EventBus,
    /// Orders and payments, with the queue that batches new orders.
    pub orders: OrderDesk,
    /// The chat assistant.
    pub assistant: Assistant,
    /// Restaurant settings kept in memory between changes.
    pub restaurant: Arc<SettingsCache>,
    /// The cloud link: token vault and sync loop.
    pub sync: Arc<SyncHandle>,
    /// The first-run setup code (see [`crate::setup_code`]).
    pub setup_code: Arc<crate::setup_code::SetupCode>,
    /// Password and PIN hashing, bounded by memory (sign-ins verify through it; its
    /// counters tell tests how many guesses were checked).
    pub hasher: dysa_web::password::Hasher,
    /// The kitchen: firing courses, the kitchen screens' tickets, and the print queue.
    pub kitchen: crate::kitchen::Kitchen,
    /// Backups of the database, their schedule and last outcome, and the data
    /// directory's lock (see [`crate::backup`]).
    pub backups: Arc<crate::backup::Backups>,
    /// Boletas, facturas and credit notes through the fiscal provider, and their queue.
    pub fiscal: crate::fiscal::FiscalDocuments,
}

impl AppState {
    /// Builds the state over an open database. The device token goes to the process's
    /// default keyring store when the binary installed one
    /// ([`crate::sync::token::platform_keyring`]), else to a file in the data directory.
    pub fn new(db: Db, signing_key: &[u8], settings: Settings) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(2))
            .build()
            .unwrap_or_default();
        let writer = Writer::start(db.write.clone());
        let events = EventBus::new();
        let restaurant: Arc<SettingsCache> = Arc::default();
        let settings = Arc::new(settings);
        let printing = crate::printing::Printing::start(db.clone(), events.clone());
        let orders = OrderDesk::start(
            db.clone(),
            writer.clone(),
            events.clone(),
            restaurant.clone(),
            printing.clone(),
        );
        let assistant = Assistant {
            db: db.clone(),
            writer: writer.clone(),
            events: events.clone(),
            http: http.clone(),
            settings: settings.clone(),
            restaurant: restaurant.clone(),
            orders: orders.clone(),
            gate: Arc::new(crate::assistant::ModelGate::new(
                settings.assistant_queue_max,
            )),
        };
        let kitchen = crate::kitchen::Kitchen::new(
            db.clone(),
            writer.clone(),
            events.clone(),
            printing,
            restaurant.clone(),
        );
        let fiscal = crate::fiscal::FiscalDocuments::new(
            db.clone(),
            writer.clone(),
            restaurant.clone(),
            http.clone(),
            &settings,
            keyring_core::get_default_store(),
            orders.fiscal_wake(),
        );
        fiscal.start();
        let vault = crate::sync::token::TokenVault::new(
            &settings.data_dir,
            db.device_id(),
            keyring_core::get_default_store(),
        );
        Self {
            backups: Arc::new(crate::backup::Backups::new(&settings, db.device_id())),
            sync: Arc::new(SyncHandle::new(vault)),
            orders,
            kitchen,
            assistant,
            writer,
            events,
            restaurant,
            db,
            signer: TokenSigner::new(signing_key),
            hasher: dysa_web::password::Hasher::new(settings.hashing()),
            settings,
            http,
            setup_code: Arc::default(),
            fiscal,
        }
    }

    /// The handles the sync loop and the link's operations (connect, disconnect, resume)
    /// work with.
    pub fn sync_context(&self) -> SyncContext {
        SyncContext {
            db: self.db.clone(),
            writer: self.writer.clone(),
            events: self.events.clone(),
            restaurant: self.restaurant.clone(),
            orders: self.orders.clone(),
            assistant: self.assistant.clone(),
            sync: self.sync.clone(),
            backups: self.backups.clone(),
        }
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}
