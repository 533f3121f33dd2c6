//! Restaurant settings: profile, hours, time zone, tax, tips, languages.

use super::error::ApiError;
use super::extract::{Authorized, Json, perm};
use crate::events::EventKind;
use crate::restaurant::{self, RestaurantSettings};
use crate::state::AppState;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, update_settings))
}

/// The restaurant's settings.
#[utoipa::path(get, path = "/settings", tag = "settings", security(("bearer" = ["settings:read"])),
    responses((status = 200, body = RestaurantSettings), (status = 403, body = super::error::ErrorBody)))]
async fn get_settings(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsRead>,
) -> Result<axum::Json<RestaurantSettings>, ApiError> {
    Ok(axum::Json(
        (*state.restaurant.get(&state.db.read).await?).clone(),
    ))
}

/// Changes some settings; absent fields stay. Answers the whole new settings.
#[utoipa::path(patch, path = "/settings", tag = "settings", security(("bearer" = ["settings:write"])),
    request_body(content = Object, description = "Any subset of the settings' fields"),
    responses(
        (status = 200, body = RestaurantSettings),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn update_settings(
    State(state): State<AppState>,
    _: Authorized<perm::SettingsWrite>,
    actor: crate::audit::Actor,
    Json(patch): Json<serde_json::Map<String, serde_json::Value>>,
) -> Result<axum::Json<RestaurantSettings>, ApiError> {
    let settings =
        restaurant::update(&state.db, &actor, patch)
            .await
            .map_err(|error| match error {
                restaurant::SettingsError::Invalid(fields) => ApiError::validation(fields),
                restaurant::SettingsError::Store(error) => ApiError::from(error),
            })?;
    state.restaurant.invalidate();
    state
        .events
        .publish(EventKind::SettingsUpdated, "", serde_json::json!({}));
    Ok(axum::Json(settings))
}
