//! The owners' settings of the public widget (`/widget-settings`): appearance, online
//! orders and bookings, and the web sites allowed to embed it. The widget is the menu's
//! shop window, so its permissions are the menu's: owners and managers change it
//! (`menu:write`), viewers and devices read it (`menu:read`).

use crate::bookings;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Json, perm};
use crate::state::AppState;
use crate::widget_settings::{self, WidgetSettings};
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_settings, save_settings))
}

/// The tenant's widget settings (the defaults until an owner saves some).
#[utoipa::path(get, path = "/widget-settings", tag = "widget", security(("bearer" = ["menu:read"])),
    responses((status = 200, body = WidgetSettings)))]
async fn read_settings(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::MenuRead>,
) -> Result<axum::Json<WidgetSettings>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let settings = widget_settings::load(&mut tx).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(axum::Json(settings))
}

/// Replaces the tenant's widget settings. Colours `#RRGGBB`, logo `https://` only,
/// greetings up to 200 characters, allowed origins exact (`https://host[:port]`, no
/// path), booking quota ≥ 0. Every instance applies them within seconds.
#[utoipa::path(put, path = "/widget-settings", tag = "widget", security(("bearer" = ["menu:write"])),
    request_body = WidgetSettings,
    responses((status = 200, body = WidgetSettings), (status = 422, body = ErrorBody)))]
async fn save_settings(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::MenuWrite>,
    Json(body): Json<WidgetSettings>,
) -> Result<axum::Json<WidgetSettings>, ApiError> {
    body.validate()?;
    let tenant = caller.tenant_id();
    let mut tx = state.db.tenant_tx(tenant).await?;
    widget_settings::save(&mut tx, &body, caller.account_id()).await?;
    // The online quota is also each location's synced setting: the counter holds the
    // same quota while its link is down (see `bookings`).
    let quota = u32::try_from(body.bookings.online_quota_per_slot).unwrap_or(0);
    let locations = crate::store::tenants::location_ids(&mut tx).await?;
    for location in locations {
        if bookings::rules(&mut tx, location)
            .await?
            .online_quota_per_slot
            != quota
        {
            bookings::set_online_quota(&state, &mut tx, location, quota).await?;
        }
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    state.widget.forget_tenant(tenant);
    Ok(axum::Json(body))
}
