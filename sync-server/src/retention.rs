//! Retention: what the cloud keeps only for a while is forgotten after `retention_days`
//! (default 30) by a periodic sweep of every tenant — the answers given to pushed
//! mutations (kept so a replayed push changes nothing), widget requests' first answers
//! (kept so a retried order or booking is not taken twice) and widget orders' status
//! tokens (a diner follows an order for hours, not weeks) — and tombstones of synced rows,
//! which moves the tenant's purge horizon: a device whose cursor is below it is told to
//! reload from a snapshot instead of missing a delete (docs/SYNC.md, "Retention").

use crate::store::Db;
pub use crate::store::retention::{Purged, purge, purge_conversations};
use dysa_domain::sync::rows::chat::CONVERSATION_RETENTION_DAYS;
use std::time::Duration;

/// How often the sweep runs.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60 * 60);

/// Sweeps every [`SWEEP_EVERY`] (the first time right away) while the process runs.
pub fn spawn(db: Db, days: u32) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        loop {
            tick.tick().await;
            match purge(&db, days).await {
                Ok(purged) => tracing::info!(?purged, days, "retention sweep"),
                Err(error) => tracing::warn!(%error, "retention sweep failed; retried later"),
            }
            // Conversations have a retention of their own, the privacy page's.
            match purge_conversations(&db, CONVERSATION_RETENTION_DAYS).await {
                Ok(gone) => tracing::info!(gone, "conversation retention sweep"),
                Err(error) => tracing::warn!(%error, "conversation sweep failed; retried later"),
            }
        }
    });
}
