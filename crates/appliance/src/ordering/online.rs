//! Pausing online orders: the switch staff flip when the kitchen is overwhelmed.
//!
//! It is the synced setting [`ONLINE_PAUSED`] (a `Setting` row written with its outbox row,
//! so it reaches the cloud, which refuses widget orders while it is true). The panel's
//! switch (`PUT /api/v1/online-orders`) and the desktop tray both call
//! [`set_online_paused`], so a headless appliance can pause too.

use super::OrderDesk;
use crate::events::EventKind;
use crate::store::{Db, StoreError, StoreResult, settings};
use dysa_domain::settings::keys::ONLINE_PAUSED;

/// Whether online orders are paused.
pub async fn online_paused(db: &Db) -> StoreResult<bool> {
    let value = settings::get(&db.read, ONLINE_PAUSED).await?;
    Ok(value.and_then(|v| v.as_bool()).unwrap_or(false))
}

/// Pauses or resumes online orders; the change syncs to the cloud and is announced to
/// open panels like any settings change. Answers the new state.
pub async fn set_online_paused(desk: &OrderDesk, paused: bool) -> StoreResult<bool> {
    let mut tx = desk.db.begin().await?;
    settings::put(
        &mut tx,
        ONLINE_PAUSED,
        &serde_json::Value::Bool(paused),
        desk.db.tick(),
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    desk.restaurant.invalidate();
    desk.events.publish(
        EventKind::SettingsUpdated,
        ONLINE_PAUSED,
        serde_json::json!({ ONLINE_PAUSED: paused }),
    );
    tracing::info!(
        paused,
        "online orders {}",
        if paused { "paused" } else { "resumed" }
    );
    Ok(paused)
}
