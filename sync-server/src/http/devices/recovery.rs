//! A counter redeeming its owner's recovery code before it sets its sole admin's new
//! password (`crate::counter_recovery`; docs/SECURITY.md, "Admin recovery through the
//! owner").

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Json, SyncDevice};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(redeem))
}

/// The code the counter's admin typed.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemRecoveryCode {
    /// The owner's code, `XXXX-XXXX-XXXX` (case, spaces and dashes do not matter).
    pub code: String,
}

/// Uses up an owner's recovery code issued for this very device: 204 only when it is
/// this device's, unused and unexpired; anything else 401 `recovery_code_invalid`.
/// Wrong codes count towards the device's lockout (429 with `Retry-After`); every
/// attempt is in the owners' audit log.
#[utoipa::path(post, path = "/sync/recovery/redeem", tag = "sync",
    security(("bearer" = ["device"])),
    request_body = RedeemRecoveryCode,
    responses(
        (status = 204, description = "Redeemed: the counter may set the new password"),
        (status = 401, description = "`recovery_code_invalid`, or the device token refused", body = ErrorBody),
        (status = 429, description = "Locked; see `Retry-After`", body = ErrorBody),
    ))]
async fn redeem(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Json(body): Json<RedeemRecoveryCode>,
) -> Result<StatusCode, ApiError> {
    crate::counter_recovery::redeem(&state.db, &state.settings, &device, &body.code).await?;
    Ok(StatusCode::NO_CONTENT)
}
