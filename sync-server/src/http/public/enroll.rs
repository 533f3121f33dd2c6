//! Device enrolment: an appliance trades a one-time code for its device token. Public,
//! and rate-limited per client (see `http::api`) like sign-up, so codes cannot be
//! guessed at speed.

use crate::devices as ops;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::Json;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::ids::{DeviceId, LocationId, TenantId};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(enroll))
}

/// An enrolment request from an appliance.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EnrollRequest {
    /// The one-time code from the dashboard (case and dashes do not matter).
    pub enrollment_code: String,
    /// A name for the device, e.g. "Caja principal".
    pub device_name: String,
}

/// The new device and its token (shown once: keep it in the OS keyring).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EnrollResponse {
    /// The device.
    #[schema(value_type = String, format = Uuid)]
    pub device_id: DeviceId,
    /// Bearer token for the device's requests.
    pub device_token: String,
    /// The tenant.
    #[schema(value_type = String, format = Uuid)]
    pub tenant_id: TenantId,
    /// The location it serves.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
}

/// Enrols a device with a one-time code. A code works once and for 24 hours.
/// Rate-limited per client.
#[utoipa::path(post, path = "/devices/enroll", tag = "devices", security(()),
    request_body = EnrollRequest,
    responses(
        (status = 201, body = EnrollResponse),
        (status = 402, description = "`billing_read_only`: the tenant's plan is unpaid past its grace period (the code stays valid for after the payment)", body = ErrorBody),
        (status = 403, description = "The code's tenant is suspended, or `plan_limit_reached`", body = ErrorBody),
        (status = 422, description = "Bad input, or a code unknown, used or expired", body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
async fn enroll(
    State(state): State<AppState>,
    Json(body): Json<EnrollRequest>,
) -> Result<(StatusCode, axum::Json<EnrollResponse>), ApiError> {
    let done = ops::enroll(
        &state.db,
        &body.enrollment_code,
        &body.device_name,
        !state.settings.billing_access_token.is_empty(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(EnrollResponse {
            device_id: done.device_id,
            device_token: done.device_token,
            tenant_id: done.tenant_id,
            location_id: done.location_id,
        }),
    ))
}
