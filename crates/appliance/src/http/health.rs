//! `GET /health`: is the database up, is Ollama reachable, is the cloud linked.
//!
//! The route is public (anyone on the LAN, monitoring tools), so each check says only
//! `up`/`down` and a generic word why; the real error goes to the log, never to the
//! answer (it can name files, addresses or the database's internals).

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
    /// `ok` when the appliance can serve (the database is up), else `error`.
    pub status: &'static str,
    /// Version of this build.
    pub version: &'static str,
    /// One check per dependency.
    pub checks: Checks,
}

/// The dependency checks.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Checks {
    /// The SQLite database.
    pub database: Check,
    /// The local language model server.
    pub ollama: Check,
    /// The link to the cloud service.
    pub cloud: Check,
}

/// One dependency's state.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Check {
    /// `up`, `down` or `not_configured`.
    pub status: &'static str,
    /// A generic word on why it is down (`unavailable`, `timed_out`, `unreachable`,
    /// `offline`, `revoked`); never an error's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For Ollama: the configured model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// For Ollama: whether the configured model is installed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_present: Option<bool>,
    /// For the cloud: the link's state (`online`, `offline`, `revoked`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<crate::sync::LinkState>,
    /// For the cloud: local changes waiting to reach it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending: Option<i64>,
}

impl Check {
    fn up() -> Self {
        Check {
            status: "up",
            detail: None,
            model: None,
            model_present: None,
            link: None,
            pending: None,
        }
    }
    fn down(detail: &'static str) -> Self {
        Check {
            status: "down",
            detail: Some(detail.to_owned()),
            model: None,
            model_present: None,
            link: None,
            pending: None,
        }
    }
}

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// Reports whether the appliance and its dependencies are up.
#[utoipa::path(get, path = "/health", tag = "health", security(()),
    responses(
        (status = 200, description = "The appliance can serve", body = Health),
        (status = 503, description = "The database is down", body = Health),
    ))]
async fn health(State(state): State<AppState>) -> (StatusCode, axum::Json<Health>) {
    let (database, ollama, cloud) = tokio::join!(
        async {
            match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
                Ok(Ok(())) => Check::up(),
                Ok(Err(error)) => {
                    tracing::error!(%error, "health: the database is down");
                    Check::down("unavailable")
                }
                Err(_) => {
                    tracing::error!("health: the database did not answer within 2 s");
                    Check::down("timed_out")
                }
            }
        },
        ollama_check(&state),
        cloud_check(&state)
    );
    let ok = database.status == "up";
    let health = Health {
        status: if ok { "ok" } else { "error" },
        version: env!("CARGO_PKG_VERSION"),
        checks: Checks {
            database,
            ollama,
            cloud,
        },
    };
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(health))
}

/// Ollama is up when `/api/tags` answers; the check also says whether the configured
/// model is installed (the assistant falls back to its parser when it is not).
async fn ollama_check(state: &AppState) -> Check {
    let link = crate::assistant::ollama::OllamaLink::new(&state.settings, state.http.clone());
    let status = link.status(Duration::from_millis(800)).await;
    let mut check = if status.up {
        Check::up()
    } else {
        // Debug only: without a model the assistant's fallback is the normal state.
        tracing::debug!(url = %state.settings.ollama_url, detail = ?status.detail, "health: Ollama is down");
        Check::down("unreachable")
    };
    check.model = Some(status.model);
    check.model_present = Some(status.model_present);
    check
}

/// The cloud link as the sync loop last found it: `up` when the last exchange worked,
/// `down` while the cloud is out of reach or after it revoked the device, with the
/// changes waiting either way. Read from the database, so `/health` never calls the cloud.
async fn cloud_check(state: &AppState) -> Check {
    use crate::sync::LinkState;
    let status = match crate::sync::status(&state.db).await {
        Ok(status) => status,
        Err(error) => {
            tracing::error!(%error, "health: the sync status is unreadable");
            return Check::down("unavailable");
        }
    };
    let mut check = match status.link {
        LinkState::NotConfigured => Check {
            status: "not_configured",
            ..Check::up()
        },
        // The cloud's address, its errors and a revocation's reason are for staff:
        // `GET /sync/status` (signed in) tells them.
        LinkState::Online => Check::up(),
        LinkState::Offline => Check::down("offline"),
        LinkState::Revoked => Check::down("revoked"),
    };
    check.link = Some(status.link);
    check.pending = Some(status.pending);
    check
}
