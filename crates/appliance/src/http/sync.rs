//! The cloud link: connect and disconnect (admins), and the sync status and refused
//! changes (every signed-in staff member: a waiter whose order change was refused must
//! be able to see why).

use super::error::{ApiError, ErrorBody};
use super::extract::{AuthUser, Authorized, Json, perm};
use crate::audit::Actor;
use crate::state::AppState;
use crate::store::sync::{self as sync_store, RejectedChange};
use crate::sync::{self, ConnectInput, SyncStatus};
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::audit::AuditAction;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The most refused changes one answer lists.
const REJECTED_LIMIT: i64 = 500;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(connect_cloud, disconnect_cloud))
        .routes(routes!(sync_status))
        .routes(routes!(rejected_changes))
}

/// Connects this appliance to the cloud with a one-time enrolment code from the owners'
/// dashboard, keeps the device token (OS keyring, else a 0600 file) and starts syncing.
#[utoipa::path(post, path = "/cloud/connect", tag = "sync", security(("bearer" = ["settings:write"])),
    request_body = ConnectInput,
    responses(
        (status = 200, description = "Connected; syncing has started", body = SyncStatus),
        (status = 409, description = "Already connected, or the cloud refused the code", body = ErrorBody),
        (status = 422, description = "Bad address or code (fields)", body = ErrorBody),
        (status = 502, description = "The cloud could not be reached or answered wrongly", body = ErrorBody),
    ))]
async fn connect_cloud(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsWrite>,
    actor: Actor,
    Json(body): Json<ConnectInput>,
) -> Result<axum::Json<SyncStatus>, ApiError> {
    let lang = dysa_web::error::request_lang();
    let status = sync::connect(&state.sync_context(), body, lang).await?;
    let event = actor.event(
        AuditAction::CloudLinked,
        "cloud_link",
        None,
        None,
        Some(serde_json::json!({ "cloud_url": status.cloud_url })),
    );
    crate::audit::record_alone(&state.db, &event).await?;
    Ok(axum::Json(status))
}

/// Disconnects from the cloud: forgets the token and the link and stops syncing. Local
/// changes keep queueing for a later connection.
#[utoipa::path(delete, path = "/cloud/connect", tag = "sync", security(("bearer" = ["settings:write"])),
    responses((status = 204, description = "Disconnected (or was not connected)")))]
async fn disconnect_cloud(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsWrite>,
    actor: Actor,
) -> Result<StatusCode, ApiError> {
    let was = sync::status(&state.db).await?;
    sync::disconnect(&state.sync_context()).await?;
    // Only a link that existed is recorded as ended (disconnecting twice is a no-op).
    if was.cloud_url.is_some() {
        let event = actor.event(
            AuditAction::CloudUnlinked,
            "cloud_link",
            None,
            Some(serde_json::json!({ "cloud_url": was.cloud_url })),
            None,
        );
        crate::audit::record_alone(&state.db, &event).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// How sync stands: link state, where the token is, last success and error, changes
/// waiting and refused. The same document arrives on `/events` as `sync` when it changes.
#[utoipa::path(get, path = "/sync/status", tag = "sync", security(("bearer" = [])),
    responses((status = 200, body = SyncStatus), (status = 401, body = ErrorBody)))]
async fn sync_status(
    State(state): State<AppState>,
    _: AuthUser,
) -> Result<axum::Json<SyncStatus>, ApiError> {
    Ok(axum::Json(sync::status(&state.db).await?))
}

/// Local changes the cloud refused (newest first), with its reason and explanation.
#[utoipa::path(get, path = "/sync/rejected", tag = "sync", security(("bearer" = [])),
    responses((status = 200, body = Vec<RejectedChange>), (status = 401, body = ErrorBody)))]
async fn rejected_changes(
    State(state): State<AppState>,
    _: AuthUser,
) -> Result<axum::Json<Vec<RejectedChange>>, ApiError> {
    Ok(axum::Json(
        sync_store::rejected(&state.db.read, REJECTED_LIMIT).await?,
    ))
}
