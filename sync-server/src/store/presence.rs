//! Rows of `live_presence`: one per open live stream (see [`crate::presence`] for why and
//! for the refresh/stale rules that call these).

use super::{StoreResult, Tx};
use dysa_domain::ids::{DeviceId, LocationId};
use std::time::Duration;
use uuid::Uuid;

/// True when a device of `location_id` holds a stream seen within `stale`. Runs in a
/// tenant transaction.
pub async fn location_online(
    tx: &mut Tx,
    location_id: LocationId,
    stale: Duration,
) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM live_presence
                        WHERE tenant_id = app_tenant() AND location_id = $1
                          AND seen_at > now() - make_interval(secs => $2))",
    )
    .bind(location_id)
    .bind(stale.as_secs_f64())
    .fetch_one(&mut **tx)
    .await?)
}

/// Marks (or refreshes) stream `stream_id` of `device_id` at `location_id` as open now,
/// forgetting the device's other rows older than `stale` (streams of a crashed instance).
pub async fn mark(
    tx: &mut Tx,
    stream_id: Uuid,
    device_id: DeviceId,
    location_id: LocationId,
    stale: Duration,
) -> StoreResult<()> {
    sqlx::query(
        "WITH gone AS (
             DELETE FROM live_presence
             WHERE tenant_id = app_tenant() AND device_id = $2 AND stream_id <> $1
               AND seen_at < now() - make_interval(secs => $4)
         )
         INSERT INTO live_presence (tenant_id, stream_id, location_id, device_id, seen_at)
         VALUES (app_tenant(), $1, $3, $2, now())
         ON CONFLICT (tenant_id, stream_id) DO UPDATE SET seen_at = now()",
    )
    .bind(stream_id)
    .bind(device_id)
    .bind(location_id)
    .bind(stale.as_secs_f64())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes stream `stream_id`'s row (the stream closed).
pub async fn clear(tx: &mut Tx, stream_id: Uuid) -> StoreResult<()> {
    sqlx::query("DELETE FROM live_presence WHERE tenant_id = app_tenant() AND stream_id = $1")
        .bind(stream_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
