//! The owner's Mercado Pago account (`/payments/mercado-pago`): link it with the
//! application's access token and webhook secret, see whether it is linked, unlink it.
//! The credentials are written here and never answered again (docs/SECURITY.md, "Payment
//! credentials"). Only the owner holds `settings:write`; viewers and managers see
//! whether it is linked (`settings:read`).

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Json, perm};
use crate::mercado_pago::{self, LinkRequest, LinkStatus};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_link, save_link, remove_link))
}

/// Whether the tenant linked a Mercado Pago account, and the notification URL to set in
/// Mercado Pago's "Tus integraciones". Never the credentials.
#[utoipa::path(get, path = "/payments/mercado-pago", tag = "payments", security(("bearer" = ["settings:read"])),
    responses((status = 200, body = LinkStatus)))]
async fn read_link(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsRead>,
) -> Result<axum::Json<LinkStatus>, ApiError> {
    Ok(axum::Json(
        mercado_pago::status(&state, caller.tenant_id()).await?,
    ))
}

/// Links (or relinks) the account: the access token and the webhook's secret signature,
/// sealed at rest and never shown again.
#[utoipa::path(put, path = "/payments/mercado-pago", tag = "payments", security(("bearer" = ["settings:write"])),
    request_body = LinkRequest,
    responses(
        (status = 200, body = LinkStatus),
        (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody, description = "`payments_not_configured`: the cloud has no credentials key"),
    ))]
async fn save_link(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Json(body): Json<LinkRequest>,
) -> Result<axum::Json<LinkStatus>, ApiError> {
    let tenant = caller.tenant_id();
    mercado_pago::link(&state, tenant, caller.account_id(), &body).await?;
    state.widget.forget_tenant(tenant);
    Ok(axum::Json(mercado_pago::status(&state, tenant).await?))
}

/// Unlinks the account: the widget stops offering online payment at once. Orders already
/// paid keep their refunds owed until it is linked again.
#[utoipa::path(delete, path = "/payments/mercado-pago", tag = "payments", security(("bearer" = ["settings:write"])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn remove_link(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
) -> Result<StatusCode, ApiError> {
    let tenant = caller.tenant_id();
    if !mercado_pago::unlink(&state, tenant).await? {
        return Err(ApiError::not_found(
            "La cuenta de Mercado Pago",
            "The Mercado Pago account",
        ));
    }
    state.widget.forget_tenant(tenant);
    Ok(StatusCode::NO_CONTENT)
}
