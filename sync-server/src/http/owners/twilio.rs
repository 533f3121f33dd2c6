//! The owner's Twilio account for SMS (`/sms/twilio`): link it with the Account SID, the
//! Auth Token and a sender, see whether it is linked, unlink it. The token is written
//! here and never answered again (docs/SECURITY.md, "Payment and messaging
//! credentials"). Only the owner holds `settings:write`; others see whether it is linked.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Json, perm};
use crate::state::AppState;
use crate::twilio::{self, LinkRequest, LinkStatus};
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_twilio, save_twilio, remove_twilio))
}

/// Whether the tenant linked Twilio, its sender, and the incoming-message URL to set on
/// the number in Twilio's console. Never the token.
#[utoipa::path(get, path = "/sms/twilio", tag = "messaging", security(("bearer" = ["settings:read"])),
    responses((status = 200, body = LinkStatus)))]
async fn read_twilio(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsRead>,
) -> Result<axum::Json<LinkStatus>, ApiError> {
    Ok(axum::Json(
        twilio::status(&state, caller.tenant_id()).await?,
    ))
}

/// Links (or relinks) Twilio: the token sealed at rest and never shown again.
#[utoipa::path(put, path = "/sms/twilio", tag = "messaging", security(("bearer" = ["settings:write"])),
    request_body = LinkRequest,
    responses(
        (status = 200, body = LinkStatus),
        (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody, description = "`sms_not_configured`: the cloud has no credentials key"),
    ))]
async fn save_twilio(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Json(body): Json<LinkRequest>,
) -> Result<axum::Json<LinkStatus>, ApiError> {
    let tenant = caller.tenant_id();
    twilio::link(&state, tenant, caller.account_id(), &body).await?;
    Ok(axum::Json(twilio::status(&state, tenant).await?))
}

/// Unlinks Twilio: its token is deleted; SMS still queued fail instead of leaving.
#[utoipa::path(delete, path = "/sms/twilio", tag = "messaging", security(("bearer" = ["settings:write"])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn remove_twilio(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
) -> Result<StatusCode, ApiError> {
    if !twilio::unlink(&state, caller.tenant_id()).await? {
        return Err(ApiError::not_found(
            "La cuenta de Twilio",
            "The Twilio account",
        ));
    }
    Ok(StatusCode::NO_CONTENT)
}
