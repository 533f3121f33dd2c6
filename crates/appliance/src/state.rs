//! What every handler can reach.

use crate::auth::tokens::TokenSigner;
use crate::events::EventBus;
use crate::settings::Settings;
use crate::store::Db;
use crate::store::writer::Writer;
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
    /// New orders waiting for their group commit.
    pub order_queue: crate::ordering::OrderQueue,
    /// Restaurant settings kept in memory between changes.
    pub restaurant: Arc<crate::restaurant::SettingsCache>,
    /// The cloud link: token vault and sync loop.
    pub sync: Arc<crate::sync::SyncHandle>,
    /// Password and PIN hashing, bounded by memory (sign-ins verify through it; its
    /// counters tell tests how many guesses were checked).
    pub hasher: dysa_web::password::Hasher,
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
        let order_queue = crate::ordering::OrderQueue::start(writer.clone(), db.clone());
        let vault = crate::sync::token::TokenVault::new(
            &settings.data_dir,
            db.device_id(),
            keyring_core::get_default_store(),
        );
        Self {
            sync: Arc::new(crate::sync::SyncHandle::new(vault)),
            order_queue,
            writer,
            events: EventBus::new(),
            restaurant: Arc::default(),
            db,
            signer: TokenSigner::new(signing_key),
            hasher: dysa_web::password::Hasher::new(settings.hashing()),
            settings: Arc::new(settings),
            http,
        }
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}
