//! The counters' encrypted backups in the cloud (issue 20; docs/SECURITY.md, "Backups in
//! the cloud"). A linked counter uploads each verified backup file in parts
//! (`POST /sync/backups`, `PUT /sync/backups/{id}/parts/{n}`, `POST
//! /sync/backups/{id}/complete`, which checks the parts add up to the size and sha256 the
//! counter states), and keeps the recovery copy of its backup key
//! (`PUT /sync/backup-key`). A counter enrolled to replace a dead one reads the location's
//! newest backup and that key (`GET /sync/backups/latest`, `.../parts/{n}`,
//! `GET /sync/backup-key/{device_id}`). Only devices of the same location reach any of it.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Json, Path, SyncDevice};
use crate::state::AppState;
use crate::store::StoreError;
use crate::store::backups::{self as store, BackupObject};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use dysa_domain::ids::DeviceId;
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Largest part of a backup upload (one bytea row).
pub const MAX_PART_BYTES: usize = 8 * 1024 * 1024;
/// Most parts of one backup (2 GiB): a counter's database is far smaller.
pub const MAX_PARTS: i32 = 256;
/// Days a location's backups are kept (the newest always).
pub const RETENTION_DAYS: i64 = 30;
/// How long after its enrolment a counter may read the location's backup keys: the
/// owner's fresh enrolment code is what authorises a replacement to take over a dead
/// counter's data; a token of a counter enrolled before (stolen from a running one) is
/// refused (docs/SECURITY.md, "Replacing a dead counter").
pub const RECOVERY_WINDOW_MINUTES: i64 = 60;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(begin_backup))
        .routes(routes!(complete_backup))
        .routes(routes!(latest_backup))
        .routes(routes!(put_backup_key))
        .routes(routes!(get_backup_key))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(put_part, get_part))
                .layer(DefaultBodyLimit::max(MAX_PART_BYTES)),
        )
}

/// A backup about to be uploaded.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewBackup {
    /// Its id (the counter makes it).
    pub id: uuid::Uuid,
    /// When the counter took it.
    pub taken_at: chrono::DateTime<chrono::Utc>,
}

/// What the counter says it uploaded.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CompleteBackup {
    /// How many parts.
    pub parts: i32,
    /// The file's size in bytes.
    pub size_bytes: i64,
    /// The file's sha256, lowercase hex.
    pub sha256: String,
}

/// A counter's backup key, base64 (the recovery copy; see SECURITY.md).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BackupKey {
    /// The key's bytes, base64.
    pub key: String,
}

fn not_open() -> ApiError {
    ApiError::not_found("La copia de seguridad", "The backup")
}

fn invalid(field: &str, es: &str, en: &str) -> ApiError {
    let mut fields = FieldErrors::new();
    fields.add(
        field,
        FieldIssue::Other {
            es: es.into(),
            en: en.into(),
        },
    );
    ApiError::validation(fields)
}

/// Starts the upload of a backup of the device's location (again, after an interrupted
/// one: its parts are replaced as they come).
#[utoipa::path(post, path = "/sync/backups", tag = "sync",
    security(("bearer" = ["device"])),
    request_body = NewBackup,
    responses(
        (status = 204, description = "Send its parts"),
        (status = 401, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The id is another backup's"),
        (status = 422, body = ErrorBody),
    ))]
async fn begin_backup(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Json(body): Json<NewBackup>,
) -> Result<StatusCode, ApiError> {
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let mine = store::begin(
        &mut tx,
        device.location_id,
        device.id,
        body.id,
        body.taken_at,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    if !mine {
        return Err(ApiError::conflict(
            "backup_taken",
            "Esa copia ya existe o está completa",
            "That backup exists already or is complete",
        ));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// One part of a backup being uploaded (at most 8 MiB; a resend replaces it).
#[utoipa::path(put, path = "/sync/backups/{id}/parts/{n}", tag = "sync",
    security(("bearer" = ["device"])),
    params(("id" = uuid::Uuid, Path), ("n" = i32, Path, description = "From 0")),
    request_body(content = Vec<u8>, description = "The bytes", content_type = "application/octet-stream"),
    responses(
        (status = 204, description = "Kept"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No open backup of this device"),
        (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn put_part(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Path((id, n)): Path<(uuid::Uuid, i32)>,
    bytes: Bytes,
) -> Result<StatusCode, ApiError> {
    if !(0..MAX_PARTS).contains(&n) {
        return Err(invalid(
            "n",
            &format!("debe estar entre 0 y {}", MAX_PARTS - 1),
            &format!("must be between 0 and {}", MAX_PARTS - 1),
        ));
    }
    if bytes.is_empty() {
        return Err(invalid("body", "no puede estar vacío", "cannot be empty"));
    }
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let kept = store::put_part(&mut tx, device.location_id, device.id, id, n, &bytes).await?;
    tx.commit().await.map_err(StoreError::from)?;
    if kept {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_open())
    }
}

/// Ends an upload: the parts must run from 0 without a gap and add up to the stated size
/// and sha256 (else 422 and the backup stays open). Then the location's backups older
/// than 30 days go, the newest always kept.
#[utoipa::path(post, path = "/sync/backups/{id}/complete", tag = "sync",
    security(("bearer" = ["device"])),
    params(("id" = uuid::Uuid, Path)),
    request_body = CompleteBackup,
    responses(
        (status = 200, body = BackupObject),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn complete_backup(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Path(id): Path<uuid::Uuid>,
    Json(body): Json<CompleteBackup>,
) -> Result<axum::Json<BackupObject>, ApiError> {
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    // Only an open backup of this device: `begin` answers false for anything else.
    let open = store::begin(
        &mut tx,
        device.location_id,
        device.id,
        id,
        chrono::Utc::now(),
    )
    .await?;
    if !open {
        return Err(not_open());
    }
    let (count, contiguous, size) = store::parts_summary(&mut tx, id).await?;
    if count == 0 || !contiguous || count != i64::from(body.parts) {
        return Err(invalid(
            "parts",
            "no coincide con las partes recibidas",
            "does not match the parts received",
        ));
    }
    if size != body.size_bytes {
        return Err(invalid(
            "size_bytes",
            "no coincide con las partes recibidas",
            "does not match the parts received",
        ));
    }
    let digest = store::digest(&mut tx, id).await?;
    if digest != body.sha256.to_ascii_lowercase() {
        return Err(invalid(
            "sha256",
            "no coincide con las partes recibidas",
            "does not match the parts received",
        ));
    }
    store::complete(&mut tx, id, body.parts, size, &digest).await?;
    let before = chrono::Utc::now() - chrono::Duration::days(RETENTION_DAYS);
    store::prune(&mut tx, device.location_id, before).await?;
    let held = store::latest(&mut tx, device.location_id).await?;
    tx.commit().await.map_err(StoreError::from)?;
    // The newest is the one just completed unless the counter's clock said otherwise.
    held.map(axum::Json).ok_or_else(not_open)
}

/// The newest complete backup of the device's location (a replacement counter recovers
/// from it); 404 when the cloud holds none.
#[utoipa::path(get, path = "/sync/backups/latest", tag = "sync",
    security(("bearer" = ["device"])),
    responses(
        (status = 200, body = BackupObject),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
async fn latest_backup(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
) -> Result<axum::Json<BackupObject>, ApiError> {
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let held = store::latest(&mut tx, device.location_id).await?;
    tx.commit().await.map_err(StoreError::from)?;
    held.map(axum::Json).ok_or_else(not_open)
}

/// Part `n` of a complete backup of the device's location.
#[utoipa::path(get, path = "/sync/backups/{id}/parts/{n}", tag = "sync",
    security(("bearer" = ["device"])),
    params(("id" = uuid::Uuid, Path), ("n" = i32, Path)),
    responses(
        (status = 200, description = "The bytes", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
async fn get_part(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Path((id, n)): Path<(uuid::Uuid, i32)>,
) -> Result<Response, ApiError> {
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let bytes = store::part(&mut tx, device.location_id, id, n).await?;
    tx.commit().await.map_err(StoreError::from)?;
    let bytes = bytes.ok_or_else(not_open)?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}

/// Keeps the recovery copy of the calling counter's backup key, sealed with the tenant's
/// data key (docs/SECURITY.md, "Backups in the cloud").
#[utoipa::path(put, path = "/sync/backup-key", tag = "sync",
    security(("bearer" = ["device"])),
    request_body = BackupKey,
    responses(
        (status = 204, description = "Kept"),
        (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn put_backup_key(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Json(body): Json<BackupKey>,
) -> Result<StatusCode, ApiError> {
    let key = STANDARD
        .decode(body.key.as_bytes())
        .ok()
        .filter(|k| (16..=64).contains(&k.len()))
        .ok_or_else(|| invalid("key", "no es una clave válida", "is not a valid key"))?;
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let keys = state.vault.keys(&mut tx).await?;
    let sealed = keys.seal("backup_keys", "key", &device.id.to_string(), &key);
    store::keep_key(
        &mut tx,
        device.location_id,
        device.id,
        &STANDARD.encode(sealed),
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The backup key of counter `device_id` of the caller's location (the one that took the
/// backup being recovered), only to a counter enrolled within the last hour (403 after:
/// the owner's fresh code authorises a take-over, an older token does not); 404 for
/// another location's counter or none held.
#[utoipa::path(get, path = "/sync/backup-key/{device_id}", tag = "sync",
    security(("bearer" = ["device"])),
    params(("device_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = BackupKey),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "Enrolled more than an hour ago"),
        (status = 404, body = ErrorBody),
    ))]
async fn get_backup_key(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Path(owner): Path<DeviceId>,
) -> Result<axum::Json<BackupKey>, ApiError> {
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    if !store::enrolled_within(&mut tx, device.id, RECOVERY_WINDOW_MINUTES).await? {
        tx.commit().await.map_err(StoreError::from)?;
        tracing::warn!(device = %device.id, owner = %owner, "a backup key asked for outside the recovery window");
        return Err(ApiError::forbidden(
            "recovery_window_closed",
            "Solo una caja inscrita hace menos de una hora con un código del dueño puede recuperar un respaldo",
            "Only a counter enrolled less than an hour ago with an owner's code can recover a backup",
        ));
    }
    let sealed = store::key_of(&mut tx, device.location_id, owner).await?;
    let keys = state.vault.keys(&mut tx).await?;
    tx.commit().await.map_err(StoreError::from)?;
    let missing = || ApiError::not_found("La clave de respaldo", "The backup key");
    let sealed = STANDARD
        .decode(sealed.ok_or_else(missing)?.as_bytes())
        .map_err(|_| missing())?;
    let key = keys
        .open("backup_keys", "key", &owner.to_string(), &sealed)
        .ok_or_else(missing)?;
    Ok(axum::Json(BackupKey {
        key: STANDARD.encode(key),
    }))
}
