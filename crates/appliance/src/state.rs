//! What every handler can reach.

use crate::auth::tokens::TokenSigner;
use crate::settings::Settings;
use crate::store::Db;
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
}

impl AppState {
    /// Builds the state over an open database.
    pub fn new(db: Db, signing_key: &[u8], settings: Settings) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(2))
            .build()
            .unwrap_or_default();
        Self {
            db,
            signer: TokenSigner::new(signing_key),
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
