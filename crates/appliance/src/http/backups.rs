//! Backups of the database (admins): the last one's state, and "back up now".

use super::error::ApiError;
use super::extract::{Authorized, perm};
use crate::backup::BackupReport;
use crate::state::AppState;
use axum::extract::State;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_backups, back_up_now))
}

/// The backups' state, as the panel's Ajustes shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BackupsStatus {
    /// The last backup (or attempt) since start, or the newest file found at start.
    pub last: Option<BackupReport>,
    /// Hours between scheduled backups (0: only before migrations and on demand).
    pub interval_hours: u64,
    /// Days a backup is kept.
    pub retention_days: u64,
    /// Finished backups currently kept.
    pub count: usize,
}

fn status(state: &AppState) -> BackupsStatus {
    BackupsStatus {
        last: state.backups.last(),
        interval_hours: state.settings.backup_interval_hours,
        retention_days: state.settings.backup_retention_days,
        count: crate::backup::list(&state.backups.dir()).len(),
    }
}

/// The last backup: when, size, whether it was verified, and why it failed if it did.
#[utoipa::path(get, path = "/backups", tag = "backups", security(("bearer" = ["settings:write"])),
    responses((status = 200, body = BackupsStatus), (status = 403, body = super::error::ErrorBody)))]
async fn get_backups(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsWrite>,
) -> Result<axum::Json<BackupsStatus>, ApiError> {
    Ok(axum::Json(status(&state)))
}

/// Takes a backup now and answers the new state; a failed backup is reported in
/// `last.error` (and published as a `backup.failed` event), not as an HTTP error.
#[utoipa::path(post, path = "/backups", tag = "backups", security(("bearer" = ["settings:write"])),
    responses((status = 200, body = BackupsStatus), (status = 403, body = super::error::ErrorBody)))]
async fn back_up_now(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsWrite>,
) -> Result<axum::Json<BackupsStatus>, ApiError> {
    state.backups.run_now(&state.events).await;
    Ok(axum::Json(status(&state)))
}
