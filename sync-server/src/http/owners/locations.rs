//! The tenant's locations and their enrolment codes.

use crate::auth::tokens::{self, ENROLLMENT_TTL_SECS};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Path, perm};
use crate::state::AppState;
use crate::store::tenants::{self, LocationRecord};
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use dysa_domain::ids::LocationId;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(new_code))
}

/// A location as owners see it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LocationView {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: LocationId,
    /// Name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Devices enrolled and not revoked.
    pub active_devices: i64,
}

impl From<LocationRecord> for LocationView {
    fn from(r: LocationRecord) -> Self {
        LocationView {
            id: r.id,
            name: r.name,
            time_zone: r.time_zone,
            created_at: r.created_at,
            active_devices: r.active_devices,
        }
    }
}

fn not_found() -> ApiError {
    ApiError::not_found("El local", "The location")
}

/// The tenant's locations.
#[utoipa::path(get, path = "/locations", tag = "locations", security(("bearer" = ["settings:read"])),
    responses((status = 200, body = Vec<LocationView>)))]
async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsRead>,
) -> Result<axum::Json<Vec<LocationView>>, ApiError> {
    let mut tx = state.db.tenant_tx(caller.tenant_id()).await?;
    let rows = tenants::list_locations(&mut tx).await?;
    Ok(axum::Json(
        rows.into_iter().map(LocationView::from).collect(),
    ))
}

/// One location.
#[utoipa::path(get, path = "/locations/{id}", tag = "locations", security(("bearer" = ["settings:read"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = LocationView), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsRead>,
    Path(id): Path<LocationId>,
) -> Result<axum::Json<LocationView>, ApiError> {
    let mut tx = state.db.tenant_tx(caller.tenant_id()).await?;
    let row = tenants::find_location(&mut tx, id)
        .await?
        .ok_or_else(not_found)?;
    Ok(axum::Json(row.into()))
}

/// A new enrolment code (shown once).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EnrollmentCode {
    /// The code to type on the appliance.
    pub enrollment_code: String,
    /// The location it enrols into.
    #[schema(value_type = String, format = Uuid)]
    pub location_id: LocationId,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// Makes a new one-time enrolment code for a location (valid 24 hours).
#[utoipa::path(post, path = "/locations/{id}/enrollment-codes", tag = "locations",
    security(("bearer" = ["settings:write"])),
    params(("id" = Uuid, Path)),
    responses((status = 201, body = EnrollmentCode), (status = 404, body = ErrorBody)))]
async fn new_code(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::SettingsWrite>,
    Path(id): Path<LocationId>,
) -> Result<(StatusCode, axum::Json<EnrollmentCode>), ApiError> {
    let tenant = caller.tenant_id();
    let mut tx = state.db.tenant_tx(tenant).await?;
    tenants::find_location(&mut tx, id)
        .await?
        .ok_or_else(not_found)?;
    let code = tokens::new_enrollment_code();
    let expires_at = tenants::insert_enrollment_code(
        &mut tx,
        tenant,
        id,
        &tokens::hash_enrollment_code(&code),
        caller.account_id(),
        ENROLLMENT_TTL_SECS,
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(EnrollmentCode {
            enrollment_code: code,
            location_id: id,
            expires_at,
        }),
    ))
}
