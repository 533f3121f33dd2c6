//! `GET /health`: is the database up, is Ollama reachable, is the cloud linked.

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
    /// Why it is down, or what it is.
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
    fn up(detail: Option<String>) -> Self {
        Check {
            status: "up",
            detail,
            model: None,
            model_present: None,
            link: None,
            pending: None,
        }
    }
    fn down(detail: String) -> Self {
        Check {
            status: "down",
            detail: Some(detail),
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
                Ok(Ok(())) => Check::up(None),
                Ok(Err(error)) => Check::down(error.to_string()),
                Err(_) => Check::down("timed out".to_owned()),
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
        Check::up(Some(state.settings.ollama_url.clone()))
    } else {
        Check::down(format!(
            "{}: {}",
            state.settings.ollama_url,
            status.detail.unwrap_or_else(|| "unreachable".to_owned())
        ))
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
    let status = match crate::sync::status(state).await {
        Ok(status) => status,
        Err(error) => return Check::down(error.to_string()),
    };
    let mut check = match status.link {
        LinkState::NotConfigured => Check {
            status: "not_configured",
            ..Check::up(None)
        },
        LinkState::Online => Check::up(status.cloud_url.clone()),
        LinkState::Offline => Check::down(
            status
                .last_error
                .clone()
                .unwrap_or_else(|| "no exchange with the cloud yet".to_owned()),
        ),
        LinkState::Revoked => Check::down(format!(
            "revoked: {}",
            status.revoked_reason.clone().unwrap_or_default()
        )),
    };
    check.link = Some(status.link);
    check.pending = Some(status.pending);
    check
}
