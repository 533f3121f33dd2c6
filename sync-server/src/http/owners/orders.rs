//! Orders of every location, from synced data.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Authorized, Caller, Json, Path, Query, perm};
use crate::state::AppState;
use crate::store::owners::{self, OrderFilter, OrderLineRow, OrderRow, PaymentRow, TransitionRow};
use crate::store::sync::{self, CloudChange};
use axum::extract::State;
use chrono::NaiveDate;
use dysa_domain::ids::LocationId;
use dysa_domain::order::{CANCEL_REQUEST_FIELD, CancelRequest, OrderStatus};
use dysa_domain::sync::{Entity, Op, Outcome, Row};
use dysa_domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(request_cancel))
}

/// Filters of the order list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OrdersQuery {
    /// Only this location.
    #[param(value_type = Option<String>, format = Uuid)]
    pub location_id: Option<LocationId>,
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
    let mut tx = caller.tx(&state.db).await?;
    Ok(axum::Json(
        owners::orders(&mut tx, &state.vault, &filter).await?,
    ))
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
    let mut tx = caller.tx(&state.db).await?;
    let order = owners::order(&mut tx, &state.vault, id)
        .await?
        .ok_or_else(|| ApiError::not_found("El pedido", "The order"))?;
    Ok(axum::Json(OrderDetail {
        order,
        lines: owners::order_lines(&mut tx, id).await?,
        transitions: owners::order_transitions(&mut tx, id).await?,
        payments: owners::order_payments(&mut tx, id).await?,
    }))
}

/// An owner's request to cancel an order.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CancelRequestBody {
    /// Why (shown to staff at the counter; becomes the cancel reason when accepted).
    pub reason: String,
}

/// Longest reason accepted.
const REASON_MAX: usize = 500;

/// Asks the restaurant to cancel an order. The order's status does not change here: the
/// request is a synced field of the order that reaches the counter, where staff accept
/// it (the order is cancelled with this reason) or refuse it; the answer comes back on
/// the order (`cancel_request.outcome`). Asking again replaces an unanswered request.
#[utoipa::path(post, path = "/orders/{id}/cancel-request", tag = "orders",
    security(("bearer" = ["orders:update"])),
    params(("id" = Uuid, Path)), request_body = CancelRequestBody,
    responses((status = 202, body = OrderRow), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn request_cancel(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<perm::OrdersUpdate>,
    Path(id): Path<Uuid>,
    Json(body): Json<CancelRequestBody>,
) -> Result<(axum::http::StatusCode, axum::Json<OrderRow>), ApiError> {
    let reason = body.reason.trim().to_owned();
    let mut errors = FieldErrors::new();
    errors.text("reason", &reason, REASON_MAX);
    errors.into_result()?;
    let requested_by = match &caller {
        Caller::Account(account) => account.name.clone(),
        Caller::Device(_) => String::new(),
    };
    let mut tx = caller.tx(&state.db).await?;
    let order = owners::order(&mut tx, &state.vault, id)
        .await?
        .ok_or_else(|| ApiError::not_found("El pedido", "The order"))?;
    if order
        .status
        .parse::<OrderStatus>()
        .is_ok_and(OrderStatus::is_terminal)
    {
        return Err(ApiError::conflict(
            "order_finished",
            "El pedido ya terminó (entregado o cancelado); no se puede pedir su cancelación",
            "The order has already ended (delivered or cancelled); it cannot be asked to cancel",
        ));
    }
    let wire_id = id.to_string();
    let stored = sync::stored_row(
        &mut tx,
        &state.vault,
        Entity::Order,
        order.location_id,
        &wire_id,
    )
    .await?;
    let hlc = state
        .tenant_clock(&mut tx)
        .await?
        .stamp_after(stored.as_ref().map(|s| s.newest_hlc()).as_deref());
    let request = CancelRequest {
        id: Uuid::now_v7().to_string(),
        reason,
        requested_by,
        requested_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        outcome: None,
        resolved_by: None,
        resolved_at: None,
        note: None,
    };
    let mut payload = Row::new();
    payload.insert(
        CANCEL_REQUEST_FIELD.into(),
        serde_json::to_value(&request).map_err(|e| ApiError::internal(&e))?,
    );
    let change = CloudChange {
        entity: Entity::Order,
        entity_id: wire_id,
        op: Op::Upsert,
        payload,
    };
    let result =
        sync::apply_cloud_change(&mut tx, &state.vault, order.location_id, change, hlc).await?;
    if result.outcome == Outcome::Rejected {
        let detail = result.detail.unwrap_or_default();
        return Err(ApiError::internal(&std::io::Error::other(detail)));
    }
    let order = owners::order(&mut tx, &state.vault, id)
        .await?
        .ok_or_else(|| ApiError::not_found("El pedido", "The order"))?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok((axum::http::StatusCode::ACCEPTED, axum::Json(order)))
}
