//! What every handler can reach.

use crate::auth::tokens::TokenSigner;
use crate::live::Live;
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
    /// The live channel's hub (sync version notices for open streams).
    pub live: Live,
    /// The public widget's caches (resolved slugs, serialised menus).
    pub widget: crate::widget::WidgetCache,
    /// Budgets of the public and device surfaces (client keys, limiters, device caps).
    pub limits: crate::limits::Limits,
    clock: Arc<Mutex<HlcClock>>,
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
    pub fn new(db: Db, settings: Settings) -> Self {
        let signer = if settings.jwt_secret.len() >= 32 {
            TokenSigner::new(settings.jwt_secret.as_bytes())
        } else {
            if !settings.jwt_secret.is_empty() {
                tracing::warn!("jwt_secret shorter than 32 bytes; using a random key instead");
            }
            TokenSigner::random()
        };
        Self {
            db,
            signer,
            limits: crate::limits::Limits::new(settings.limits()),
            settings: Arc::new(settings),
            live: Live::new(),
            widget: crate::widget::WidgetCache::default(),
            clock: Arc::new(Mutex::new(HlcClock::new(cloud_node(), Hlc::ZERO))),
        }
    }

    fn clock(&self) -> std::sync::MutexGuard<'_, HlcClock> {
        self.clock.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A fresh HLC stamp for a change made here.
    pub fn tick(&self) -> Hlc {
        self.clock().tick(now_ms())
    }

    /// A fresh stamp later than `newest` (the newest stamp of the row being edited), so an
    /// owner's edit wins over what the row holds even when another instance or a device
    /// with a fast clock wrote it.
    pub fn stamp_after(&self, newest: Option<&str>) -> Hlc {
        let now = now_ms();
        let mut clock = self.clock();
        if let Some(seen) = newest.and_then(|h| h.parse::<Hlc>().ok()) {
            // A stamp more than a day ahead is refused by the clock; the edit then simply
            // takes the local time (the row's fields from that clock keep winning).
            let _ = clock.observe(seen, now);
        }
        clock.tick(now)
    }

    /// Follows a stamp merged from a device, so later cloud stamps sort after it.
    pub fn observe(&self, seen: Hlc) {
        let _ = self.clock().observe(seen, now_ms());
    }

    /// The cloud's wall clock in milliseconds (for the HLC drift check of pushes).
    pub fn now_ms(&self) -> u64 {
        now_ms()
    }
}
