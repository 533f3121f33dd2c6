//! Retention: what the cloud keeps only for a while is forgotten after `retention_days`
//! (default 30) by a periodic sweep of every tenant — the answers given to pushed
//! mutations (kept so a replayed push changes nothing), widget requests' first answers
//! (kept so a retried order or booking is not taken twice) and widget orders' status
//! tokens (a diner follows an order for hours, not weeks) — and tombstones of synced rows,
//! which moves the tenant's purge horizon: a device whose cursor is below it is told to
//! reload from a snapshot instead of missing a delete (docs/SYNC.md, "Retention").

use crate::store::{Db, StoreResult};
use std::time::Duration;

/// How often the sweep runs.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60 * 60);

/// What one sweep deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Purged {
    /// Stored answers to pushed mutations (`sync_mutations`).
    pub push_answers: i64,
    /// Widget requests' kept answers (`public_requests`: orders, bookings).
    pub public_requests: i64,
    /// Widget orders' status tokens.
    pub status_tokens: i64,
    /// Tombstones of synced rows (`sync_rows` deleted that long ago).
    pub tombstones: i64,
}

/// Deletes, in every tenant, what was created more than `days` days ago.
pub async fn purge(db: &Db, days: u32) -> StoreResult<Purged> {
    let mut tx = db.public_tx().await?;
    let purged: Purged = sqlx::query_as(
        "SELECT push_answers, public_requests, status_tokens, tombstones
         FROM purge_expired(now() - make_interval(days => $1))",
    )
    .bind(i32::try_from(days).unwrap_or(i32::MAX))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(purged)
}

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
        }
    });
}
