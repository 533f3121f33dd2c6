//! The tenant's customers, from synced data.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Path, Query, perm};
use crate::state::AppState;
use crate::store::owners::{self, CustomerRow};
use axum::extract::State;
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

/// Search of the customer list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CustomersQuery {
    /// Part of a name, phone or email.
    pub q: Option<String>,
    /// At most this many (default 100, at most 500).
    pub limit: Option<i64>,
}

/// Customers by name.
#[utoipa::path(get, path = "/customers", tag = "customers", security(("bearer" = ["customers:read"])),
    params(CustomersQuery),
    responses((status = 200, body = Vec<CustomerRow>), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::CustomersRead>,
    Query(q): Query<CustomersQuery>,
) -> Result<axum::Json<Vec<CustomerRow>>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    let search = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    Ok(axum::Json(
        owners::customers(&mut tx, &state.vault, search, limit).await?,
    ))
}

/// One customer.
#[utoipa::path(get, path = "/customers/{id}", tag = "customers", security(("bearer" = ["customers:read"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = CustomerRow), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::CustomersRead>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<CustomerRow>, ApiError> {
    let mut tx = caller.tx(&state.db).await?;
    owners::customer(&mut tx, &state.vault, id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("El cliente", "The customer"))
}
