//! Devices: the owners' list, detail, rename and revocation, and a recovery code for a
//! counter's sole admin (`crate::counter_recovery`). (Enrolment, public and
//! rate-limited, is `http::enroll`.)

use crate::devices as ops;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Json, Path, perm};
use crate::state::AppState;
use crate::store::devices::{self, DeviceRecord};
use axum::extract::State;
use chrono::{DateTime, Utc};
use dysa_domain::ids::{DeviceId, LocationId};
use dysa_domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail, rename))
        .routes(routes!(revoke))
        .routes(routes!(recovery_code))
}

/// A device as owners see it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeviceView {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: DeviceId,
    /// Location it serves.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// Name.
    pub name: String,
    /// Enrolment time.
    pub created_at: DateTime<Utc>,
    /// Last authenticated request.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Last completed sync: the last pull that reached the end of the changes.
    pub last_sync_at: Option<DateTime<Utc>>,
    /// Seconds since the last completed sync (none before the first).
    pub sync_lag_secs: Option<i64>,
    /// Last sync push (the device sending its own changes).
    pub last_push_at: Option<DateTime<Utc>>,
    /// The cursor the device last pulled to (none before its first pull).
    pub last_pulled_version: Option<i64>,
    /// Tenant versions the device has not pulled yet: the tenant's newest version minus
    /// its cursor (none before its first pull). Versions are per tenant, so this also
    /// counts other locations' changes: an upper bound of what the device lacks, 0 right
    /// after a pull that reached the end.
    pub sync_lag_versions: Option<i64>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<DeviceRecord> for DeviceView {
    fn from(r: DeviceRecord) -> Self {
        DeviceView {
            id: r.id,
            location_id: r.location_id,
            name: r.name,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            sync_lag_secs: r
                .last_sync_at
                .map(|t| (Utc::now() - t).num_seconds().max(0)),
            last_sync_at: r.last_sync_at,
            last_push_at: r.last_push_at,
            last_pulled_version: r.last_pulled_version,
            sync_lag_versions: r
                .last_pulled_version
                .map(|cursor| (r.tenant_version - cursor).max(0)),
            revoked_at: r.revoked_at,
        }
    }
}

fn not_found() -> ApiError {
    ApiError::not_found("El equipo", "The device")
}

/// The tenant's devices, newest first.
#[utoipa::path(get, path = "/devices", tag = "devices", security(("bearer" = ["settings:read"])),
    responses((status = 200, body = Vec<DeviceView>)))]
async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsRead>,
) -> Result<axum::Json<Vec<DeviceView>>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let rows = devices::list(&mut tx, None).await?;
    Ok(axum::Json(rows.into_iter().map(DeviceView::from).collect()))
}

/// One device.
#[utoipa::path(get, path = "/devices/{id}", tag = "devices", security(("bearer" = ["settings:read"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = DeviceView), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsRead>,
    Path(id): Path<DeviceId>,
) -> Result<axum::Json<DeviceView>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let row = devices::find(&mut tx, id).await?.ok_or_else(not_found)?;
    Ok(axum::Json(row.into()))
}

/// A new name.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RenameRequest {
    /// The name.
    pub name: String,
}

/// Renames a device.
#[utoipa::path(patch, path = "/devices/{id}", tag = "devices", security(("bearer" = ["settings:write"])),
    params(("id" = Uuid, Path)), request_body = RenameRequest,
    responses((status = 200, body = DeviceView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn rename(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Path(id): Path<DeviceId>,
    Json(body): Json<RenameRequest>,
) -> Result<axum::Json<DeviceView>, ApiError> {
    let mut errors = FieldErrors::new();
    ops::check_name(&mut errors, "name", &body.name);
    errors.into_result()?;
    let mut tx = caller.tx(&state.db).await?;
    if !devices::rename(&mut tx, id, body.name.trim()).await? {
        return Err(not_found());
    }
    let row = devices::find(&mut tx, id).await?.ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(axum::Json(row.into()))
}

/// Revokes a device: its token is refused from the next request on.
#[utoipa::path(post, path = "/devices/{id}/revoke", tag = "devices", security(("bearer" = ["settings:write"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = DeviceView), (status = 404, body = ErrorBody)))]
async fn revoke(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Path(id): Path<DeviceId>,
) -> Result<axum::Json<DeviceView>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    if !devices::revoke(&mut tx, id).await? {
        return Err(not_found());
    }
    let row = devices::find(&mut tx, id).await?.ok_or_else(not_found)?;
    tx.commit().await?;
    tracing::info!(device_id = %id, "device revoked");
    Ok(axum::Json(row.into()))
}

/// A recovery code for a counter's admin, shown once.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CounterRecoveryCode {
    /// The code, `XXXX-XXXX-XXXX`: typed on the counter's "¿Olvidaste tu contraseña?"
    /// with the admin's email and a new password. Not stored in clear.
    pub code: String,
    /// When it stops working (ten minutes after it was made).
    pub expires_at: DateTime<Utc>,
}

/// Makes a recovery code for this counter (the owner's way back in for a sole admin who
/// forgot the password): single use, ten minutes, only for this device; an earlier code
/// of the device stops working. Audited.
#[utoipa::path(post, path = "/devices/{id}/recovery-code", tag = "devices",
    security(("bearer" = ["users:manage"])),
    params(("id" = Uuid, Path)),
    responses((status = 201, body = CounterRecoveryCode), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn recovery_code(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::UsersManage>,
    Path(id): Path<DeviceId>,
) -> Result<(axum::http::StatusCode, axum::Json<CounterRecoveryCode>), ApiError> {
    let crate::http::extract::Caller::Account(account) = &caller else {
        return Err(not_found());
    };
    let tx = caller.tx(&state.db).await?;
    let issued =
        crate::counter_recovery::issue(tx, id, (account.id, account.name.as_str())).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        axum::Json(CounterRecoveryCode {
            code: issued.code,
            expires_at: issued.expires_at,
        }),
    ))
}
