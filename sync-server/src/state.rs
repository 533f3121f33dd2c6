//! What every handler can reach.

use crate::auth::tokens::TokenSigner;
use crate::settings::Settings;
use crate::store::Db;
use dysa_domain::hlc::{Hlc, HlcClock};
use std::sync::{Arc, Mutex};

/// Shared application state; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database (service role).
    pub db: Db,
    /// Signs and checks access tokens.
    pub signer: TokenSigner,
    /// The loaded configuration.
    pub settings: Arc<Settings>,
    clock: Arc<Mutex<HlcClock>>,
}

impl AppState {
    /// Builds the state over an open database.
    pub fn new(db: Db, settings: Settings) -> Self {
        let signer = if settings.jwt_secret.len() >= 32 {
            TokenSigner::new(settings.jwt_secret.as_bytes())
        } else {
            if !settings.jwt_secret.is_empty() {
                tracing::warn!("jwt_secret shorter than 32 bytes; using a random key instead");
            }
            TokenSigner::random()
        };
        // 63 random bits: the cloud's node id in HLC stamps of owners' edits.
        let node = rand::random::<u64>() >> 1;
        Self {
            db,
            signer,
            settings: Arc::new(settings),
            clock: Arc::new(Mutex::new(HlcClock::new(node, Hlc::ZERO))),
        }
    }

    /// A fresh HLC stamp for a change made here.
    pub fn tick(&self) -> Hlc {
        let now = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0);
        let mut clock = self.clock.lock().unwrap_or_else(|p| p.into_inner());
        clock.tick(now)
    }
}
