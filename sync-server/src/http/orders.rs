//! Orders of every location, from synced data.

use super::error::{ApiError, ErrorBody};
use super::extract::{Authorized, Path, Query, perm};
use crate::state::AppState;
use crate::store::owners::{self, OrderFilter, OrderLineRow, OrderRow, PaymentRow, TransitionRow};
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
}

/// Filters of the order list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OrdersQuery {
    /// Only this location.
    pub location_id: Option<Uuid>,
    /// Only this status.
    pub status: Option<String>,
    /// Business dates from (`YYYY-MM-DD`).
    pub from: Option<NaiveDate>,
    /// Business dates to.
    pub to: Option<NaiveDate>,
    /// Only this customer.
    pub customer_id: Option<Uuid>,
    /// At most this many (default 100, at most 500).
    pub limit: Option<i64>,
}

/// Orders, newest first.
#[utoipa::path(get, path = "/orders", tag = "orders", security(("bearer" = ["orders:read"])),
    params(OrdersQuery),
    responses((status = 200, body = Vec<OrderRow>), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::OrdersRead>,
    Query(q): Query<OrdersQuery>,
) -> Result<axum::Json<Vec<OrderRow>>, ApiError> {
    let filter = OrderFilter {
        location: q.location_id,
        status: q.status,
        from: q.from,
        to: q.to,
        customer: q.customer_id,
        limit: q.limit.unwrap_or(100).clamp(1, 500),
    };
    let mut tx = state.db.tenant_tx(caller.tenant_id()).await?;
    Ok(axum::Json(owners::orders(&mut tx, &filter).await?))
}

/// An order with its lines, status history and payments.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrderDetail {
    /// The order.
    #[serde(flatten)]
    pub order: OrderRow,
    /// Its lines.
    pub lines: Vec<OrderLineRow>,
    /// Its status changes.
    pub transitions: Vec<TransitionRow>,
    /// Its payments and refunds.
    pub payments: Vec<PaymentRow>,
}

/// One order.
#[utoipa::path(get, path = "/orders/{id}", tag = "orders", security(("bearer" = ["orders:read"])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = OrderDetail), (status = 404, body = ErrorBody)))]
async fn detail(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::OrdersRead>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<OrderDetail>, ApiError> {
    let mut tx = state.db.tenant_tx(caller.tenant_id()).await?;
    let order = owners::order(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("El pedido", "The order"))?;
    Ok(axum::Json(OrderDetail {
        order,
        lines: owners::order_lines(&mut tx, id).await?,
        transitions: owners::order_transitions(&mut tx, id).await?,
        payments: owners::order_payments(&mut tx, id).await?,
    }))
}
