//! Joining a location by approval, and parked and refused changes (docs/SYNC.md, "Joining
//! a location", "Parked and refused changes"):
//!
//! - the joining side, before any setup: `POST /setup/join` (this machine only) enrols and
//!   asks to join; `GET /setup/join` tells the waiting screen how it stands;
//! - the approving side (admins): the location's pending requests with the verification
//!   code computed here, approve or refuse;
//! - parked cloud rows (listed with a reason code and both messages; retried or discarded
//!   by admins) and refused pushes (dismissed by admins).

use super::error::{ApiError, ErrorBody};
use super::extract::{Authorized, ClientIp, Json, Path, perm};
use crate::backup::recover::{self, RecoverError, RecoveryReport};
use crate::state::AppState;
use crate::store::parked::{self, ParkedChange};
use crate::sync::join::{self, JoinError, JoinProgress, JoinRequestView};
use crate::sync::{ConnectInput, apply};
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The most parked changes one answer lists.
const PARKED_LIMIT: i64 = 500;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(join_progress, start_join))
        .routes(routes!(recover_location))
        .routes(routes!(join_requests))
        .routes(routes!(approve_join))
        .routes(routes!(refuse_join))
        .routes(routes!(parked_changes))
        .routes(routes!(retry_parked))
        .routes(routes!(discard_parked))
        .routes(routes!(dismiss_rejected))
}

impl From<JoinError> for ApiError {
    fn from(error: JoinError) -> Self {
        use crate::sync::client::CloudError;
        match error {
            JoinError::AlreadySetUp => ApiError::conflict(
                "already_set_up",
                "Esta caja ya tiene su propio personal; no se puede unir a otro local",
                "This counter already has its own staff; it cannot join another restaurant",
            ),
            JoinError::Connect(error) => error.into(),
            JoinError::Cloud(CloudError::Unreachable(detail)) => {
                tracing::warn!(%detail, "cloud unreachable during a join step");
                ApiError::new(
                    StatusCode::BAD_GATEWAY,
                    "cloud_unreachable",
                    "No se pudo contactar la nube; se reintentará",
                    "Could not reach the cloud; it will be retried",
                )
            }
            JoinError::Cloud(CloudError::Revoked { .. }) => ApiError::conflict(
                "device_revoked",
                "La nube desvinculó esta caja; vuelve a conectarla",
                "The cloud revoked this counter; connect it again",
            ),
            JoinError::Cloud(CloudError::Refused {
                status, message, ..
            }) => {
                if status == 404 {
                    ApiError::not_found("La solicitud para unir la caja", "The join request")
                } else {
                    ApiError::conflict("join_refused_by_cloud", message.clone(), message)
                }
            }
            JoinError::Cloud(
                error @ (CloudError::BadResponse(_) | CloudError::SnapshotRequired { .. }),
            ) => {
                tracing::warn!(%error, "unexpected cloud answer during a join step");
                ApiError::new(
                    StatusCode::BAD_GATEWAY,
                    "cloud_bad_response",
                    "La nube respondió algo inesperado",
                    "The cloud answered something unexpected",
                )
            }
            JoinError::NotConnected => ApiError::conflict(
                "cloud_not_connected",
                "Esta caja no está conectada a la nube",
                "This counter is not connected to the cloud",
            ),
            JoinError::NotFound => {
                ApiError::not_found("La solicitud para unir la caja", "The join request")
            }
            JoinError::NoKey => ApiError::conflict(
                "no_location_key",
                "Esta caja no tiene la llave del local; apruebe desde otra caja",
                "This counter does not hold the restaurant's key; approve from another counter",
            ),
            JoinError::BadKey(detail) => ApiError::conflict(
                "join_key_invalid",
                format!("La llave recibida no sirve: {detail}"),
                format!("The key received is not usable: {detail}"),
            ),
            JoinError::Store(error) => error.into(),
        }
    }
}

impl From<RecoverError> for ApiError {
    fn from(error: RecoverError) -> Self {
        use crate::sync::client::CloudError;
        match error {
            RecoverError::AlreadySetUp => ApiError::conflict(
                "already_set_up",
                "Esta caja ya tiene su propio personal; la recuperación es solo para una caja nueva",
                "This counter already has its own staff; recovery is only for a new counter",
            ),
            RecoverError::Connect(error) => error.into(),
            RecoverError::Cloud(CloudError::Refused { status: 403, .. }) => ApiError::conflict(
                "recovery_code_too_old",
                "La nube solo entrega la copia a una caja inscrita hace menos de una hora; pida un código nuevo",
                "The cloud hands the backup only to a counter enrolled less than an hour ago; ask for a new code",
            ),
            RecoverError::Cloud(error) => JoinError::Cloud(error).into(),
            RecoverError::NoBackup => ApiError::conflict(
                "no_cloud_backup",
                "La nube no tiene ningún respaldo de este local; únase desde otra caja o configúrela de nuevo",
                "The cloud holds no backup of this restaurant; join from another counter or set it up anew",
            ),
            RecoverError::NoLocationKey => ApiError::conflict(
                "backup_without_location_key",
                "El respaldo más reciente en la nube es de una versión anterior y no trae la llave del local, así que no puede devolver el personal. Si otra caja del local funciona, use «Unir esta caja a un local existente» y apruébela en esa caja. Si era la única caja, este respaldo no puede recuperarla: solo los respaldos tomados después de actualizar (cada 6 horas) traen la llave",
                "The newest backup in the cloud is from an older version and does not carry the restaurant's key, so it cannot bring the staff back. If another counter of the restaurant works, use \"Join this counter to an existing restaurant\" and approve it on that counter. If this was the only counter, this backup cannot recover it: only backups taken after upgrading (every 6 hours) carry the key",
            ),
            RecoverError::WrongLocationKey => ApiError::conflict(
                "backup_key_mismatch",
                "La llave del respaldo no es la del local; no se restauró nada",
                "The backup's key is not the restaurant's; nothing was restored",
            ),
            RecoverError::Backup(error) => {
                tracing::error!(%error, "the cloud's backup could not be restored");
                ApiError::conflict(
                    "backup_unusable",
                    format!("El respaldo no se pudo abrir o verificar: {error}"),
                    format!("The backup could not be opened or verified: {error}"),
                )
            }
            RecoverError::Store(error) => error.into(),
            RecoverError::LocationKey(detail) => ApiError::conflict(
                "location_key_unsaved",
                format!("No se pudo guardar la llave del local: {detail}"),
                format!("The restaurant's key could not be kept: {detail}"),
            ),
        }
    }
}

/// Whether the request comes from this machine (in-process calls count as this machine).
fn is_local(ClientIp(ip): &ClientIp) -> bool {
    ip == "local"
        || ip
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// How this counter's request to join a location stands; asks the cloud while it waits,
/// and once approved takes the location's key and starts syncing (the staff arrive, and
/// the panel moves on to sign-in).
#[utoipa::path(get, path = "/setup/join", tag = "setup", security(()),
    responses((status = 200, body = JoinProgress), (status = 502, body = ErrorBody)))]
async fn join_progress(
    State(state): State<AppState>,
) -> Result<axum::Json<JoinProgress>, ApiError> {
    Ok(axum::Json(join::poll_join(&state.sync_context()).await?))
}

/// Joins this fresh counter to an existing restaurant instead of setting it up: enrols with
/// the cloud (address and one-time code from the owners' dashboard) and asks the
/// location's counters for its key. Only from this machine, and only before any setup.
#[utoipa::path(post, path = "/setup/join", tag = "setup", security(()),
    request_body = ConnectInput,
    responses(
        (status = 201, description = "Asked; show the verification code and wait", body = JoinProgress),
        (status = 403, description = "Not from this machine", body = ErrorBody),
        (status = 409, description = "Already set up, or the cloud refused", body = ErrorBody),
        (status = 422, description = "Bad address or code (fields)", body = ErrorBody),
        (status = 502, description = "The cloud could not be reached", body = ErrorBody),
    ))]
async fn start_join(
    State(state): State<AppState>,
    client: ClientIp,
    Json(body): Json<ConnectInput>,
) -> Result<(StatusCode, axum::Json<JoinProgress>), ApiError> {
    if !is_local(&client) {
        return Err(ApiError::forbidden(
            "local_only",
            "Unir la caja solo se puede hacer en el mismo equipo",
            "Joining can only be done on this machine itself",
        ));
    }
    let lang = dysa_web::error::request_lang();
    let progress = join::start_join(&state.sync_context(), body, lang).await?;
    Ok((StatusCode::CREATED, axum::Json(progress)))
}

/// Routes that are not cut at the request timeout: bringing back a location of 100,000
/// orders takes minutes (docs/BENCHMARKS.md), and a 408 halfway would tell the staff it
/// failed while it still runs.
pub const LONG_RUNNING: &[&str] = &["/api/v1/setup/recover"];

/// "Recuperar este local": this fresh counter replaces a dead one. Enrols with the owner's
/// one-time code, restores the location's newest backup held by the cloud (conversations,
/// local settings, open drawers, the staff), sends what that backup held and the cloud
/// never had, takes the cloud's newer rows, and answers what came from where. Only from
/// this machine, and only before any setup.
#[utoipa::path(post, path = "/setup/recover", tag = "setup", security(()),
    request_body = ConnectInput,
    responses(
        (status = 200, description = "Recovered; what came from where", body = RecoveryReport),
        (status = 403, description = "Not from this machine", body = ErrorBody),
        (status = 409, description = "Already set up, no backup, or the cloud refused", body = ErrorBody),
        (status = 422, description = "Bad address or code (fields)", body = ErrorBody),
        (status = 502, description = "The cloud could not be reached", body = ErrorBody),
    ))]
async fn recover_location(
    State(state): State<AppState>,
    client: ClientIp,
    Json(body): Json<ConnectInput>,
) -> Result<axum::Json<RecoveryReport>, ApiError> {
    if !is_local(&client) {
        return Err(ApiError::forbidden(
            "local_only",
            "Recuperar el local solo se puede hacer en el mismo equipo",
            "Recovering the restaurant can only be done on this machine itself",
        ));
    }
    let lang = dysa_web::error::request_lang();
    let context = state.sync_context();
    // Its own task: a browser tab closed halfway must not cut the copy and the first
    // sync short (the request future would be dropped with the connection).
    let report = tokio::spawn(async move { recover::recover(&context, body, lang).await })
        .await
        .map_err(|error| ApiError::internal(&error))??;
    Ok(axum::Json(report))
}

/// The location's counters asking to join, for an admin here to compare the verification
/// code with the one on the new counter's screen and approve or refuse.
#[utoipa::path(get, path = "/sync/join-requests", tag = "sync", security(("bearer" = ["users:manage"])),
    responses(
        (status = 200, body = Vec<JoinRequestView>),
        (status = 409, description = "Not connected to the cloud", body = ErrorBody),
        (status = 502, body = ErrorBody),
    ))]
async fn join_requests(
    State(state): State<AppState>,
    _: Authorized<perm::UsersManage>,
) -> Result<axum::Json<Vec<JoinRequestView>>, ApiError> {
    Ok(axum::Json(
        join::pending_requests(&state.sync_context()).await?,
    ))
}

/// Approves a join request: the location key, sealed to the new counter's public key, is
/// posted to the cloud (which cannot open it). The new counter then takes the location's
/// staff and data.
#[utoipa::path(post, path = "/sync/join-requests/{id}/approve", tag = "sync",
    security(("bearer" = ["users:manage"])),
    params(("id" = uuid::Uuid, Path, description = "The request's id")),
    responses(
        (status = 204, description = "Approved"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 502, body = ErrorBody),
    ))]
async fn approve_join(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::UsersManage>,
    actor: crate::audit::Actor,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    let request = join::decide(&state.sync_context(), id, true).await?;
    tracing::warn!(request = %id, by = %user.id, "a new counter was approved to join this restaurant");
    let event = actor.event(
        dysa_domain::audit::AuditAction::JoinApproved,
        "join_request",
        Some(id.to_string()),
        None,
        Some(serde_json::json!({
            "device_name": request.as_ref().map(|r| r.device_name.clone()),
            "device_id": request.as_ref().map(|r| r.device_id),
        })),
    );
    crate::audit::record_alone(&state.db, &event).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Refuses a join request.
#[utoipa::path(post, path = "/sync/join-requests/{id}/refuse", tag = "sync",
    security(("bearer" = ["users:manage"])),
    params(("id" = uuid::Uuid, Path, description = "The request's id")),
    responses(
        (status = 204, description = "Refused"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 502, body = ErrorBody),
    ))]
async fn refuse_join(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::UsersManage>,
    Path(id): Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    join::decide(&state.sync_context(), id, false).await?;
    tracing::info!(request = %id, by = %user.id, "a join request was refused");
    Ok(StatusCode::NO_CONTENT)
}

/// Cloud changes this counter could not apply yet, oldest first, each with its reason as a
/// code and in both languages, since when, and how many tries.
#[utoipa::path(get, path = "/sync/parked", tag = "sync", security(("bearer" = ["settings:read"])),
    responses((status = 200, body = Vec<ParkedChange>), (status = 401, body = ErrorBody)))]
async fn parked_changes(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsRead>,
) -> Result<axum::Json<Vec<ParkedChange>>, ApiError> {
    Ok(axum::Json(
        parked::list(&state.db.read, PARKED_LIMIT).await?,
    ))
}

/// What a retry came to.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RetryOutcome {
    /// Whether the change is applied now (or was superseded by a newer one).
    pub applied: bool,
    /// The change, still parked, when it was not.
    pub parked: Option<ParkedChange>,
}

fn parked_not_found() -> ApiError {
    ApiError::not_found("El cambio en espera", "The parked change")
}

/// Tries one parked change again now.
#[utoipa::path(post, path = "/sync/parked/{id}/retry", tag = "sync",
    security(("bearer" = ["settings:write"])),
    params(("id" = String, Path, description = "`<entity>:<entity_id>` as listed")),
    responses(
        (status = 200, body = RetryOutcome),
        (status = 404, body = ErrorBody),
    ))]
async fn retry_parked(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsWrite>,
    Path(id): Path<String>,
) -> Result<axum::Json<RetryOutcome>, ApiError> {
    let (entity, entity_id) = parked::split_id(&id).ok_or_else(parked_not_found)?;
    let (entity, entity_id) = (entity.to_owned(), entity_id.to_owned());
    let outcome = state
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let Some(text) = parked::change_of(conn, &entity, &entity_id).await? else {
                    return Ok(None);
                };
                let change: dysa_domain::sync::ChangeRecord =
                    serde_json::from_str(&text).map_err(crate::store::StoreError::from)?;
                let mut applied = apply::Applied::default();
                let outcome = apply::apply_one(conn, &change, &mut applied).await?;
                if outcome != apply::Outcome::Parked {
                    crate::store::sync::unpark(conn, &entity, &entity_id, change.version).await?;
                }
                Ok::<_, crate::store::StoreError>(Some(
                    parked::find(conn, &entity, &entity_id).await?,
                ))
            })
        })
        .await?;
    let still = outcome.ok_or_else(parked_not_found)?;
    crate::sync::publish_status(&state.sync_context()).await;
    Ok(axum::Json(RetryOutcome {
        applied: still.is_none(),
        parked: still,
    }))
}

/// Throws one parked change away (kept in the discard log with who did it).
#[utoipa::path(post, path = "/sync/parked/{id}/discard", tag = "sync",
    security(("bearer" = ["settings:write"])),
    params(("id" = String, Path, description = "`<entity>:<entity_id>` as listed")),
    responses((status = 204, description = "Discarded"), (status = 404, body = ErrorBody)))]
async fn discard_parked(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::SettingsWrite>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let (entity, entity_id) = parked::split_id(&id).ok_or_else(parked_not_found)?;
    let (entity, entity_id) = (entity.to_owned(), entity_id.to_owned());
    let by = user.id.to_string();
    let log = (entity.clone(), entity_id.clone());
    let found = state
        .writer
        .write(move |conn| {
            Box::pin(async move { parked::discard(conn, &entity, &entity_id, &by).await })
        })
        .await?;
    if !found {
        return Err(parked_not_found());
    }
    tracing::warn!(entity = %log.0, id = %log.1, by = %user.id, "a parked cloud change was discarded");
    crate::sync::publish_status(&state.sync_context()).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes a refused push off the list (it stays recorded).
#[utoipa::path(post, path = "/sync/rejected/{mutation_id}/dismiss", tag = "sync",
    security(("bearer" = ["settings:write"])),
    params(("mutation_id" = String, Path, description = "The refused change's `mutation_id`")),
    responses((status = 204, description = "Dismissed"), (status = 404, body = ErrorBody)))]
async fn dismiss_rejected(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::SettingsWrite>,
    Path(mutation_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = mutation_id.clone();
    let found = state
        .writer
        .write(move |conn| Box::pin(async move { parked::dismiss_rejected(conn, &id).await }))
        .await?;
    if !found {
        return Err(ApiError::not_found(
            "El cambio rechazado",
            "The refused change",
        ));
    }
    tracing::info!(mutation = %mutation_id, by = %user.id, "a refused change was dismissed");
    crate::sync::publish_status(&state.sync_context()).await;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_may_start_a_join() {
        for local in ["local", "127.0.0.1", "::1", "127.0.0.2"] {
            assert!(is_local(&ClientIp(local.into())), "{local}");
        }
        for remote in ["192.168.1.20", "10.0.0.5", "fe80::1", "", "garbage"] {
            assert!(!is_local(&ClientIp(remote.into())), "{remote}");
        }
    }
}
