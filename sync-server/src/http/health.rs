//! `GET /health`: is the service up, is the database reachable.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The health report.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` when the service can serve, else `error`.
    pub status: &'static str,
    /// Version of this build.
    pub version: &'static str,
    /// One check per dependency.
    pub checks: Checks,
}

/// The dependency checks.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Checks {
    /// Postgres, as the service role.
    pub database: Check,
}

/// One dependency's state.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Check {
    /// `up` or `down`.
    pub status: &'static str,
    /// Why it is down, in one generic word (`unreachable`, `timed out`); the cause is
    /// in the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// Reports whether the service and its database are up.
#[utoipa::path(get, path = "/health", tag = "health", security(()),
    responses(
        (status = 200, description = "The service can serve", body = Health),
        (status = 503, description = "The database is down", body = Health),
    ))]
async fn health(State(state): State<AppState>) -> (StatusCode, axum::Json<Health>) {
    let database = match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => Check {
            status: "up",
            detail: None,
        },
        // The database's own words (host names, roles, versions) go to the log only:
        // `/health` is public.
        Ok(Err(error)) => {
            tracing::error!(%error, "health: the database check failed");
            Check {
                status: "down",
                detail: Some("unreachable".to_owned()),
            }
        }
        Err(_) => {
            tracing::error!("health: the database check timed out");
            Check {
                status: "down",
                detail: Some("timed out".to_owned()),
            }
        }
    };
    let ok = database.status == "up";
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        axum::Json(Health {
            status: if ok { "ok" } else { "error" },
            version: env!("CARGO_PKG_VERSION"),
            checks: Checks { database },
        }),
    )
}
