//! `GET /metrics`: the Prometheus text (see [`dysa_web::metrics`]), with the figures only
//! known when asked — outbox depth, sync lag, the pools, the newest backup — read first.

use crate::state::AppState;
use std::sync::Arc;

/// The metrics route, readable from this machine or with `metrics_token`.
pub fn router(state: &AppState) -> axum::Router<AppState> {
    let state = state.clone();
    dysa_web::metrics::Endpoint::new(&state.settings.metrics_token.clone())
        .refreshing(Arc::new(move || {
            let state = state.clone();
            Box::pin(async move { refresh(&state).await })
        }))
        .router()
}

async fn refresh(state: &AppState) {
    let db = &state.db;
    for (name, pool) in [("read", &db.read), ("write", &db.write)] {
        dysa_web::metrics::db_pool(
            name,
            pool.size(),
            pool.num_idle(),
            pool.options().get_max_connections(),
        );
    }
    let device = db.device_id().to_string();
    match crate::sync::status(db).await {
        Ok(status) => {
            dysa_web::metrics::outbox_depth(
                device.clone(),
                u64::try_from(status.pending).unwrap_or(0),
            );
            // Only a linked appliance syncs; an unlinked one has no lag to speak of.
            if status.cloud_url.is_some() {
                let last = status
                    .last_success_at
                    .as_deref()
                    .and_then(|at| at.parse::<jiff::Timestamp>().ok());
                let lag = last.map_or(f64::INFINITY, |at| {
                    jiff::Timestamp::now()
                        .duration_since(at)
                        .as_secs_f64()
                        .max(0.0)
                });
                dysa_web::metrics::sync_lag(device, lag, None);
            }
        }
        Err(error) => tracing::warn!(%error, "metrics: cannot read the sync status"),
    }
    // From the files, so a restarted appliance reports its last backup before its next.
    let dir = state.backups.dir();
    let newest =
        tokio::task::spawn_blocking(move || crate::backup::list(&dir).first().map(|b| b.1))
            .await
            .ok()
            .flatten();
    if let Some(at) = newest {
        dysa_web::metrics::backup_taken_at(at);
    }
}
