//! Reservations of every location, from synced data.

use super::error::{ApiError, ErrorBody};
use super::extract::{Authorized, Path, Query, perm};
use crate::state::AppState;
use crate::store::owners::{self, ReservationRow};
use axum::extract::State;
use chrono::{DateTime, Utc};
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

/// Filters of the reservation list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReservationsQuery {
    /// Only this location.
    pub location_id: Option<Uuid>,
    /// Starting at or after (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Starting before (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// At most this many (default 200, at most 1000).
    pub limit: Option<i64>,
}

/// Reservations in time order.
#[utoipa::path(get, path = "/reservations", tag = "reservations", security(("bearer" = ["reservations:read"])),
    params(ReservationsQuery),
    responses((status = 200, body = Vec<ReservationRow>), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::ReservationsRead>,
    Query(q): Query<ReservationsQuery>,
) -> Result<axum::Json<Vec<ReservationRow>>, ApiError> {
    let mut tx = state.db.tenant_tx(caller.tenant_id()).await?;
    let limit = q.limit.unwrap_or(200).clamp(1, 1000);
    Ok(axum::Json(
        owners::reservations(&mut tx, q.location_id, q.from, q.to, limit).await?,
    ))
}

/// One reservation.
#[utoipa::path(get, path = "/reservations/{id}", tag = "reservations", security(("bearer" = ["reservations:read"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ReservationRow), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::ReservationsRead>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<ReservationRow>, ApiError> {
    let mut tx = state.db.tenant_tx(caller.tenant_id()).await?;
    owners::reservation(&mut tx, id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("La reserva", "The reservation"))
}
