//! First run: create the restaurant and its first admin on an empty appliance.

use super::auth::{SessionResponse, signed_in_response};
use super::error::ApiError;
use super::extract::Json;
use crate::accounts::{self, SetupInput};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(setup_status, setup))
}

/// Whether the appliance still needs its first-run setup.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SetupStatus {
    /// True while no staff account exists.
    pub needed: bool,
    /// The restaurant's name, once set.
    pub restaurant_name: Option<String>,
}

/// The first-run form.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupRequest {
    /// The restaurant's name.
    pub restaurant_name: String,
    /// The first admin's name.
    pub name: String,
    /// The first admin's email (their login).
    pub email: String,
    /// At least 10 characters, not a common password.
    pub password: String,
    /// Optional 4–6 digit PIN for quick switching.
    #[serde(default)]
    pub pin: Option<String>,
}

/// Tells the panel whether to show the setup wizard.
#[utoipa::path(get, path = "/setup", tag = "setup", security(()),
    responses((status = 200, body = SetupStatus)))]
async fn setup_status(State(state): State<AppState>) -> Result<axum::Json<SetupStatus>, ApiError> {
    let needed = crate::store::users::count(&state.db.read).await? == 0;
    let restaurant_name = crate::store::settings::get(&state.db.read, "restaurant.name")
        .await?
        .and_then(|v| v.as_str().map(str::to_owned));
    Ok(axum::Json(SetupStatus {
        needed,
        restaurant_name,
    }))
}

/// Creates the first admin and signs them in. Answers 409 once any user exists.
#[utoipa::path(post, path = "/setup", tag = "setup", security(()),
    request_body = SetupRequest,
    responses(
        (status = 201, description = "Set up; the admin is signed in", body = SessionResponse),
        (status = 409, description = "Already set up, or joining a restaurant", body = super::error::ErrorBody),
        (status = 422, description = "Invalid fields", body = super::error::ErrorBody),
    ))]
async fn setup(
    State(state): State<AppState>,
    Json(body): Json<SetupRequest>,
) -> Result<Response, ApiError> {
    if crate::sync::join::blocks_setup(&state).await? {
        // A counter joining a restaurant takes its staff: a setup of its own meanwhile
        // would give it a second admin set (docs/SYNC.md, "Joining a location").
        return Err(ApiError::conflict(
            "join_in_progress",
            "Esta caja está uniéndose a un local existente; espera la aprobación o vuelve a pedirla",
            "This counter is joining an existing restaurant; wait for the approval or ask again",
        ));
    }
    let signed_in = accounts::setup(
        &state.db,
        &state.signer,
        SetupInput {
            restaurant_name: body.restaurant_name,
            name: body.name,
            email: body.email,
            password: body.password,
            pin: body.pin,
        },
    )
    .await?;
    Ok(signed_in_response(
        axum::http::StatusCode::CREATED,
        signed_in,
    ))
}
