//! The admin recovery code: using it on the login page's "¿Olvidaste tu contraseña?", and
//! an admin making a new one (docs/SECURITY.md, "Admin recovery code"), and the code
//! the owner made in the cloud for a linked counter ("Admin recovery through the owner").

use super::error::ApiError;
use super::extract::{Authorized, ClientIp, Json, perm};
use crate::audit::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(recover))
        .routes(routes!(recover_with_owner))
        .routes(routes!(recovery_status, new_recovery_code))
}

/// An admin's email, this counter's recovery code and the new password.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecoverRequest {
    /// The admin's login email.
    pub email: String,
    /// The recovery code (case, spaces and dashes do not matter).
    pub code: String,
    /// The new password.
    pub new_password: String,
}

/// A recovery code to show once (write it down: it is not stored in clear).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecoveryCode {
    /// The code, `ABCD-EFGH-JKMN-PQRS-TUVW`.
    pub recovery_code: String,
}

/// Whether this counter has a recovery code, and since when (never the code).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecoveryStatus {
    /// When the code in force was made (RFC 3339); absent when there is none.
    pub issued_at: Option<String>,
}

/// Sets a new password for an active admin of this counter with its recovery code. A wrong
/// email and a wrong code answer the same 401; attempts share the sign-in lockout (429
/// with `Retry-After`). The used code stops working and the answer carries the new one;
/// the admin's sessions are closed and they sign in with the new password.
#[utoipa::path(post, path = "/auth/recover", tag = "auth", security(()),
    request_body = RecoverRequest,
    responses(
        (status = 200, description = "Password set; the new recovery code, shown once", body = RecoveryCode),
        (status = 401, description = "`invalid_credentials`", body = super::error::ErrorBody),
        (status = 422, description = "The new password is too weak", body = super::error::ErrorBody),
        (status = 429, description = "Locked; see `Retry-After`", body = super::error::ErrorBody),
        (status = 503, description = "Hashing busy; see `Retry-After`", body = super::error::ErrorBody),
    ))]
async fn recover(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Json(body): Json<RecoverRequest>,
) -> Result<axum::Json<RecoveryCode>, ApiError> {
    let recovery_code = crate::recovery::recover(
        &state.db,
        &state.settings,
        &state.hasher,
        &body.email,
        &body.code,
        body.new_password,
        &client,
    )
    .await?;
    Ok(axum::Json(RecoveryCode { recovery_code }))
}

/// Sets a new password for an active admin of this linked counter with a code its owner
/// made in the cloud's dashboard for this counter (ten minutes, single use). The cloud
/// redeems the code for this device first; a wrong email, a wrong code, another counter's
/// code and a used or expired one all answer the same 401, counted in the same lockout
/// as the printed code (429 with `Retry-After`). The admin's sessions are closed.
#[utoipa::path(post, path = "/auth/recover/owner", tag = "auth", security(()),
    request_body = RecoverRequest,
    responses(
        (status = 204, description = "Password set; sign in with it"),
        (status = 401, description = "`invalid_credentials`", body = super::error::ErrorBody),
        (status = 409, description = "`not_linked`: this counter has no cloud", body = super::error::ErrorBody),
        (status = 422, description = "The new password is too weak", body = super::error::ErrorBody),
        (status = 429, description = "Locked; see `Retry-After`", body = super::error::ErrorBody),
        (status = 503, description = "`cloud_unavailable`: the cloud could not be asked", body = super::error::ErrorBody),
    ))]
async fn recover_with_owner(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Json(body): Json<RecoverRequest>,
) -> Result<StatusCode, ApiError> {
    crate::recovery::recover_with_owner(
        &state.sync_context(),
        &state.settings,
        &body.email,
        &body.code,
        body.new_password,
        &client,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether a recovery code is in force on this counter.
#[utoipa::path(get, path = "/auth/recovery-code", tag = "auth", security(("bearer" = ["users:manage"])),
    responses((status = 200, body = RecoveryStatus), (status = 403, body = super::error::ErrorBody)))]
async fn recovery_status(
    State(state): State<AppState>,
    _: Authorized<perm::UsersManage>,
) -> Result<axum::Json<RecoveryStatus>, ApiError> {
    Ok(axum::Json(RecoveryStatus {
        issued_at: crate::recovery::exists(&state.db).await?,
    }))
}

/// Makes a new recovery code (the old one stops working) and shows it once. Audited.
#[utoipa::path(post, path = "/auth/recovery-code", tag = "auth", security(("bearer" = ["users:manage"])),
    responses((status = 201, body = RecoveryCode), (status = 403, body = super::error::ErrorBody)))]
async fn new_recovery_code(
    State(state): State<AppState>,
    _: Authorized<perm::UsersManage>,
    actor: Actor,
) -> Result<(StatusCode, axum::Json<RecoveryCode>), ApiError> {
    let recovery_code = crate::recovery::regenerate(&state.db, &actor).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(RecoveryCode { recovery_code }),
    ))
}
