//! Whether a restaurant is online: a device of the location holds an open live stream
//! (`GET /sync/live`). The widget says so to diners, orders and bookings decide by it
//! (an offline restaurant cannot accept an order), and the chat relays to the counter's
//! local model only then.
//!
//! Each open stream is a row of `live_presence`, marked when the stream opens, refreshed
//! every [`REFRESH_EVERY`] while it stays open and deleted when it closes. An instance
//! that crashes deletes nothing, so a row counts only while seen within [`STALE_AFTER`]:
//! a location never stays "online" for ever because of a dead process.

use crate::store::{self, Db, StoreResult, Tx};
use dysa_domain::ids::{DeviceId, LocationId, TenantId};
use std::time::Duration;
use uuid::Uuid;

/// How often an open stream refreshes its row.
pub const REFRESH_EVERY: Duration = Duration::from_secs(15);

/// A row older than this no longer counts (three refreshes missed).
pub const STALE_AFTER: Duration = Duration::from_secs(45);

/// True when a device of `location_id` holds an open live stream (seen within
/// [`STALE_AFTER`]). Runs in a tenant transaction.
pub async fn location_online(tx: &mut Tx, location_id: LocationId) -> StoreResult<bool> {
    store::presence::location_online(tx, location_id, STALE_AFTER).await
}

/// Marks (or refreshes) stream `stream_id` of `device_id` at `location_id` as open now.
/// Also forgets the device's rows that went stale (streams of a crashed instance).
pub async fn mark(
    tx: &mut Tx,
    stream_id: Uuid,
    device_id: DeviceId,
    location_id: LocationId,
) -> StoreResult<()> {
    store::presence::mark(tx, stream_id, device_id, location_id, STALE_AFTER).await
}

/// Deletes stream `stream_id`'s row (the stream closed).
pub async fn clear(tx: &mut Tx, stream_id: Uuid) -> StoreResult<()> {
    store::presence::clear(tx, stream_id).await
}

/// One open stream's presence: refreshed by a task of its own while the value lives,
/// cleared when it is dropped (the stream ended or the client went away). Move it into
/// the stream so it lives exactly as long.
#[derive(Debug)]
pub struct Presence {
    db: Db,
    tenant_id: TenantId,
    stream_id: Uuid,
    refresher: tokio::task::JoinHandle<()>,
}

impl Presence {
    /// Keeps stream `stream_id` (already [`mark`]ed) fresh until dropped.
    pub fn hold(
        db: Db,
        tenant_id: TenantId,
        stream_id: Uuid,
        device_id: DeviceId,
        location_id: LocationId,
    ) -> Presence {
        let refresh_db = db.clone();
        let refresher = tokio::spawn(async move {
            let mut every = tokio::time::interval(REFRESH_EVERY);
            every.tick().await; // the first tick is immediate; the stream was just marked
            loop {
                every.tick().await;
                let done = async {
                    let mut tx = refresh_db.tenant_tx(tenant_id).await?;
                    mark(&mut tx, stream_id, device_id, location_id).await?;
                    tx.commit().await?;
                    StoreResult::Ok(())
                }
                .await;
                if let Err(error) = done {
                    // The next refresh tries again; meanwhile the row only ages.
                    tracing::warn!(%error, "presence: refresh failed");
                }
            }
        });
        Presence {
            db,
            tenant_id,
            stream_id,
            refresher,
        }
    }
}

impl Drop for Presence {
    fn drop(&mut self) {
        self.refresher.abort();
        let db = self.db.clone();
        let (tenant_id, stream_id) = (self.tenant_id, self.stream_id);
        // Dropped inside the runtime (a stream ends in a request task); outside it (at
        // shutdown) the row simply goes stale.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let done = async {
                    let mut tx = db.tenant_tx(tenant_id).await?;
                    clear(&mut tx, stream_id).await?;
                    tx.commit().await?;
                    StoreResult::Ok(())
                }
                .await;
                if let Err(error) = done {
                    tracing::warn!(%error, "presence: clearing a closed stream failed");
                }
            });
        }
    }
}
