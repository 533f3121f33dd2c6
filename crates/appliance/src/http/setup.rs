//! First run: create the restaurant and its first admin on an empty appliance.
//!
//! From this machine (loopback) no more is needed; from any other address the request
//! must carry the one-time code the counter shows ([`crate::setup_code`]), so nobody on
//! the restaurant's Wi-Fi can claim an appliance before its owner does.

use super::auth::{SessionResponse, signed_in_response};
use super::error::ApiError;
use super::extract::{FromLoopback, Json};
use crate::accounts::{self, SetupInput};
use crate::setup_code::CodeCheck;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(setup_status, setup))
        .routes(routes!(setup_code))
}

/// Whether the appliance still needs its first-run setup.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SetupStatus {
    /// True while no staff account exists.
    pub needed: bool,
    /// The restaurant's name, once set.
    pub restaurant_name: Option<String>,
    /// True when this client must type the setup code (it is not on the counter itself).
    pub code_required: bool,
}

/// The setup code, for the panel on the counter itself.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SetupCodeView {
    /// The code a setup from another device must present, e.g. `K7PQ-M2XD`.
    pub code: String,
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
    /// The setup code shown on the counter; required unless the request comes from the
    /// counter itself (loopback).
    #[serde(default)]
    pub code: Option<String>,
}

/// Tells the panel whether to show the setup wizard.
#[utoipa::path(get, path = "/setup", tag = "setup", security(()),
    responses((status = 200, body = SetupStatus)))]
async fn setup_status(
    State(state): State<AppState>,
    FromLoopback(local): FromLoopback,
) -> Result<axum::Json<SetupStatus>, ApiError> {
    let needed = crate::store::users::count(&state.db.read).await? == 0;
    let restaurant_name =
        crate::store::settings::get(&state.db.read, dysa_domain::settings::keys::RESTAURANT_NAME)
            .await?
            .and_then(|v| v.as_str().map(str::to_owned));
    Ok(axum::Json(SetupStatus {
        needed,
        restaurant_name,
        code_required: needed && !local,
    }))
}

/// The setup code, shown by the panel on the counter so that a tablet can be used for the
/// setup. Answers only to this machine (loopback), and only while the setup is needed.
#[utoipa::path(get, path = "/setup/code", tag = "setup", security(()),
    responses(
        (status = 200, body = SetupCodeView),
        (status = 403, description = "Asked from another device", body = super::error::ErrorBody),
        (status = 409, description = "Already set up", body = super::error::ErrorBody),
    ))]
async fn setup_code(
    State(state): State<AppState>,
    FromLoopback(local): FromLoopback,
) -> Result<axum::Json<SetupCodeView>, ApiError> {
    if !local {
        return Err(ApiError::forbidden(
            "loopback_only",
            "El código de configuración solo se muestra en el computador de la caja",
            "The setup code is shown only on the counter's computer",
        ));
    }
    if crate::store::users::count(&state.db.read).await? > 0 {
        return Err(accounts::AccountError::AlreadySetUp.into());
    }
    Ok(axum::Json(SetupCodeView {
        code: state.setup_code.current(),
    }))
}

/// Refuses a setup from another device unless it carries the code in force.
fn check_code(state: &AppState, code: Option<&str>) -> Result<(), ApiError> {
    let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
        return Err(ApiError::forbidden(
            "setup_code_required",
            "Para configurar desde otro dispositivo, escribe el código que muestra el computador de la caja",
            "To set up from another device, type the code shown on the counter's computer",
        ));
    };
    match state.setup_code.check(code) {
        CodeCheck::Accepted => Ok(()),
        CodeCheck::Refused => Err(ApiError::forbidden(
            "setup_code_invalid",
            "El código de configuración no es correcto",
            "The setup code is not correct",
        )),
        CodeCheck::Replaced => Err(ApiError::forbidden(
            "setup_code_invalid",
            "El código no es correcto y se cambió por uno nuevo: míralo en el computador de la caja",
            "The code is not correct and was replaced: see the new one on the counter's computer",
        )),
    }
}

/// Creates the first admin and signs them in. Answers 409 once any user exists.
#[utoipa::path(post, path = "/setup", tag = "setup", security(()),
    request_body = SetupRequest,
    responses(
        (status = 201, description = "Set up; the admin is signed in", body = SessionResponse),
        (status = 403, description = "From another device without the right setup code", body = super::error::ErrorBody),
        (status = 409, description = "Already set up, or joining a restaurant", body = super::error::ErrorBody),
        (status = 422, description = "Invalid fields", body = super::error::ErrorBody),
    ))]
async fn setup(
    State(state): State<AppState>,
    FromLoopback(local): FromLoopback,
    headers: axum::http::HeaderMap,
    Json(body): Json<SetupRequest>,
) -> Result<Response, ApiError> {
    if crate::sync::join::blocks_setup(&state.sync_context()).await? {
        // A counter joining a restaurant takes its staff: a setup of its own meanwhile
        // would give it a second admin set (docs/SYNC.md, "Joining a location").
        return Err(ApiError::conflict(
            "join_in_progress",
            "Esta caja está uniéndose a un local existente; espera la aprobación o vuelve a pedirla",
            "This counter is joining an existing restaurant; wait for the approval or ask again",
        ));
    }
    // Once set up, the answer is 409 whoever asks (the code is gone by then).
    if !local && crate::store::users::count(&state.db.read).await? == 0 {
        check_code(&state, body.code.as_deref())?;
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
    // Setup wrote the restaurant's name: whoever read the settings before (the fiscal
    // queue's worker reads them at start) must see it.
    state.restaurant.invalidate();
    state.setup_code.retire();
    // The restaurant's first counter claims order-number range A before its first order,
    // so a counter joining later sees it taken.
    crate::store::numbering::settle(&state.db).await?;
    let mut response = signed_in_response(axum::http::StatusCode::CREATED, signed_in);
    super::known_device::remember(&state, &headers, &mut response).await;
    Ok(response)
}
