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
}

impl Check {
    fn up(detail: Option<String>) -> Self {
        Check {
            status: "up",
            detail,
            model: None,
            model_present: None,
        }
    }
    fn down(detail: String) -> Self {
        Check {
            status: "down",
            detail: Some(detail),
            model: None,
            model_present: None,
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
    let (database, ollama) = tokio::join!(
        async {
            match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
                Ok(Ok(())) => Check::up(None),
                Ok(Err(error)) => Check::down(error.to_string()),
                Err(_) => Check::down("timed out".to_owned()),
            }
        },
        ollama_check(&state)
    );
    let ok = database.status == "up";
    let health = Health {
        status: if ok { "ok" } else { "error" },
        version: env!("CARGO_PKG_VERSION"),
        checks: Checks {
            database,
            ollama,
            // Enrolment with the cloud arrives with sync; until a device is enrolled the
            // honest answer is that no cloud is configured.
            cloud: Check {
                status: "not_configured",
                detail: None,
                model: None,
                model_present: None,
            },
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
