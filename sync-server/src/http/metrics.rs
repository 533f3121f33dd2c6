//! `GET /metrics`: the Prometheus text (see [`dysa_web::metrics`]), with the figures only
//! known when asked — every live device's sync lag and the connection pool — read first.

use crate::state::AppState;
use std::sync::Arc;

/// The metrics route, readable from loopback or with `metrics_token`.
pub fn router(state: &AppState) -> axum::Router<AppState> {
    let db = state.db.clone();
    dysa_web::metrics::Endpoint::new(&state.settings.metrics_token)
        .refreshing(Arc::new(move || {
            let db = db.clone();
            Box::pin(async move { refresh(&db).await })
        }))
        .router()
}

async fn refresh(db: &crate::store::Db) {
    dysa_web::metrics::db_pool(
        "service",
        db.pool.size(),
        db.pool.num_idle(),
        db.pool.options().get_max_connections(),
    );
    match crate::store::devices::sync_lag(db, chrono::Utc::now()).await {
        Ok(lags) => {
            for lag in lags {
                dysa_web::metrics::sync_lag(
                    lag.device_id.to_string(),
                    lag.lag_seconds,
                    Some(lag.versions_behind),
                );
            }
        }
        Err(error) => tracing::warn!(%error, "metrics: cannot read the devices' sync lag"),
    }
}
