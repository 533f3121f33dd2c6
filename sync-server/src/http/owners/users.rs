//! The staff accounts of the tenant's appliances (names and roles), from synced data.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Path, Query, perm};
use crate::state::AppState;
use crate::store::owners::{self, StaffRow};
use axum::extract::State;
use dysa_domain::ids::LocationId;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
}

/// Scope of the staff list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StaffQuery {
    /// Only this location.
    #[param(value_type = Option<String>, format = Uuid)]
    pub location_id: Option<LocationId>,
}

/// Staff of the tenant's locations.
#[utoipa::path(get, path = "/users", tag = "users", security(("bearer" = ["users:read"])),
    params(StaffQuery),
    responses((status = 200, body = Vec<StaffRow>)))]
async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::UsersRead>,
    Query(q): Query<StaffQuery>,
) -> Result<axum::Json<Vec<StaffRow>>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    Ok(axum::Json(owners::staff(&mut tx, q.location_id).await?))
}

/// One staff account.
#[utoipa::path(get, path = "/users/{id}", tag = "users", security(("bearer" = ["users:read"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = StaffRow), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::UsersRead>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<StaffRow>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    owners::staff_member(&mut tx, id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("El usuario", "The user"))
}
