//! Orders: the live board, the counter's new-order screen, status moves, lines, payments.

use super::error::ApiError;
use super::extract::{Approved, Authorized, Json, Path, Query, check_paging, perm};
use crate::ordering::{self, LineDiscountInput, NewLine, NewOrder, OrderPatch};
use crate::state::AppState;
use crate::store::orders::{self as store, Order, OrderFilter, Payment};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dysa_domain::ids::{CustomerId, OrderId, OrderLineId, TableId};
use dysa_domain::order::{Channel, OrderStatus};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_orders, create_order))
        .routes(routes!(get_order, update_order))
        .routes(routes!(change_status))
        .routes(routes!(refuse_cancel_request))
        .routes(routes!(append_lines))
        .routes(routes!(request_bill))
        .routes(routes!(move_tab))
        .routes(routes!(tab_bills))
        .routes(routes!(split_tab))
        .routes(routes!(void_line))
        .routes(routes!(discount_line))
        .routes(routes!(order_payments))
        .routes(routes!(online_orders, pause_online_orders))
}

/// Whether the widget and the hosted page take orders now.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OnlineOrders {
    /// True while online orders are paused (the cloud refuses new widget orders).
    pub paused: bool,
}

/// Whether online orders are paused.
#[utoipa::path(get, path = "/online-orders", tag = "orders", security(("bearer" = ["orders:read"])),
    responses(
        (status = 200, body = OnlineOrders),
        (status = 401, body = super::error::ErrorBody),
        (status = 403, body = super::error::ErrorBody),
    ))]
async fn online_orders(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersRead>,
) -> Result<axum::Json<OnlineOrders>, ApiError> {
    Ok(axum::Json(OnlineOrders {
        paused: ordering::online_paused(&state.db).await?,
    }))
}

/// Pauses or resumes online orders (when the kitchen is overwhelmed). The setting syncs
/// to the cloud, which refuses widget orders while it is paused; the counter still takes
/// orders. The desktop tray's switch does the same.
#[utoipa::path(put, path = "/online-orders", tag = "orders", security(("bearer" = ["orders:update"])),
    request_body = OnlineOrders,
    responses(
        (status = 200, body = OnlineOrders),
        (status = 401, body = super::error::ErrorBody),
        (status = 403, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn pause_online_orders(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::OrdersUpdate>,
    Json(body): Json<OnlineOrders>,
) -> Result<axum::Json<OnlineOrders>, ApiError> {
    let paused = ordering::set_online_paused(&state.orders, body.paused).await?;
    tracing::info!(user_id = %user.id, paused, "online orders switched");
    Ok(axum::Json(OnlineOrders { paused }))
}

/// Filters of the order list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    /// Comma-separated statuses, e.g. `pending,confirmed`.
    pub status: Option<String>,
    /// One channel.
    pub channel: Option<Channel>,
    /// From this instant (RFC 3339) or local day (`YYYY-MM-DD`), inclusive.
    pub from: Option<String>,
    /// Until this instant (RFC 3339, exclusive) or local day (`YYYY-MM-DD`, inclusive).
    pub to: Option<String>,
    /// One customer's orders.
    pub customer_id: Option<CustomerId>,
    /// One table's orders.
    pub table_id: Option<TableId>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

/// A page of orders.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderPage {
    /// The orders, newest first.
    pub items: Vec<Order>,
    /// How many orders match the filters.
    pub total: i64,
    /// Page size used.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
}

/// Parses a `from`/`to` bound: an RFC 3339 instant, or a local day in the restaurant's
/// time zone (`to` as a day means the end of that day).
pub fn parse_bound(text: &str, tz: &jiff::tz::TimeZone, end_of_day: bool) -> Option<String> {
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(crate::store::instant_text(ts));
    }
    let date: jiff::civil::Date = text.parse().ok()?;
    let date = if end_of_day {
        date.tomorrow().ok()?
    } else {
        date
    };
    let start = date.to_zoned(tz.clone()).ok()?;
    Some(crate::store::instant_text(start.timestamp()))
}

/// Orders, filtered and paged, newest first.
#[utoipa::path(get, path = "/orders", tag = "orders", security(("bearer" = ["orders:read"])),
    params(OrderQuery),
    responses((status = 200, body = OrderPage), (status = 422, body = super::error::ErrorBody)))]
async fn list_orders(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersRead>,
    Query(query): Query<OrderQuery>,
) -> Result<axum::Json<OrderPage>, ApiError> {
    let settings = state.restaurant.get(&state.db.read).await?;
    let tz = settings.tz();
    let mut errors = FieldErrors::new();
    let mut statuses = Vec::new();
    for part in query
        .status
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match part.parse::<OrderStatus>() {
            Ok(status) => statuses.push(status),
            Err(_) => errors.add(
                "status",
                FieldIssue::Other {
                    es: format!("estado desconocido: {part}"),
                    en: format!("unknown status: {part}"),
                },
            ),
        }
    }
    let bound = |errors: &mut FieldErrors, field: &str, text: Option<&str>, end: bool| {
        let text = text?;
        let parsed = parse_bound(text, &tz, end);
        if parsed.is_none() {
            errors.add(
                field,
                FieldIssue::Other {
                    es: "fecha no válida (YYYY-MM-DD o RFC 3339)".into(),
                    en: "invalid date (YYYY-MM-DD or RFC 3339)".into(),
                },
            );
        }
        parsed
    };
    let from = bound(&mut errors, "from", query.from.as_deref(), false);
    let to = bound(&mut errors, "to", query.to.as_deref(), true);
    let (limit, offset) = check_paging(&mut errors, query.limit, query.offset);
    errors.into_result()?;
    let filter = OrderFilter {
        statuses,
        channel: query.channel,
        from,
        to,
        customer_id: query.customer_id,
        table_id: query.table_id,
        limit,
        offset,
    };
    let mut conn = state
        .db
        .read
        .acquire()
        .await
        .map_err(crate::store::StoreError::from)?;
    let (items, total) = store::list(&mut conn, &filter).await?;
    Ok(axum::Json(OrderPage {
        items,
        total,
        limit,
        offset,
    }))
}

/// Takes a new order. The server prices every line (client prices are never read) and
/// answers once the order is on disk. An `Idempotency-Key` header makes retries safe: the
/// same key and body return the same order (header `Idempotency-Replayed: true`), the same
/// key with another body answers 422.
#[utoipa::path(post, path = "/orders", tag = "orders", security(("bearer" = ["orders:create"])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = NewOrder,
    responses(
        (status = 201, body = Order),
        (status = 409, body = super::error::ErrorBody),
        (status = 422, description = "Invalid fields, sold-out or unknown items, reused key", body = super::error::ErrorBody),
    ))]
async fn create_order(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::OrdersCreate>,
    headers: HeaderMap,
    Json(body): Json<NewOrder>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let created = ordering::create(&state.orders, Some(user.id), body, key).await?;
    Ok(keyed_reply(
        StatusCode::CREATED,
        created.order,
        created.replayed,
    ))
}

/// The request's `Idempotency-Key` header, if any.
pub(super) fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    headers
        .get("idempotency-key")
        .map(|v| v.to_str().map(str::to_owned))
        .transpose()
        .map_err(|_| {
            ApiError::bad_request(
                "invalid_idempotency_key",
                "Idempotency-Key no válida",
                "Invalid Idempotency-Key",
            )
        })
}

/// An answer to a keyed write: `Idempotency-Replayed: true` when an earlier request with
/// the same key had already done it.
pub(super) fn keyed_reply(status: StatusCode, order: Order, replayed: bool) -> Response {
    let mut response = (status, axum::Json(order)).into_response();
    if replayed {
        response
            .headers_mut()
            .insert("idempotency-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// One order with its lines, history and paid state.
#[utoipa::path(get, path = "/orders/{id}", tag = "orders", security(("bearer" = ["orders:read"])),
    params(("id" = OrderId, Path)),
    responses((status = 200, body = Order), (status = 404, body = super::error::ErrorBody)))]
async fn get_order(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersRead>,
    Path(id): Path<OrderId>,
) -> Result<axum::Json<Order>, ApiError> {
    Ok(axum::Json(ordering::load(&state.orders, id).await?))
}

/// Adjusts discount, tip, note, customer or table of an open order.
#[utoipa::path(patch, path = "/orders/{id}", tag = "orders", security(("bearer" = ["orders:update"])),
    params(("id" = OrderId, Path), ("X-Approval-User" = Option<String>, Header, description = "A manager approving a cashier (when `manager_pin_for_voids` is on)"), ("X-Approval-Pin" = Option<String>, Header, description = "That manager's PIN")),
    request_body = OrderPatch,
    responses((status = 200, body = Order), (status = 403, description = "`forbidden`, `approval_required` or `approval_refused`", body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody), (status = 429, description = "The approver's PIN is locked", body = super::error::ErrorBody)))]
async fn update_order(
    State(state): State<AppState>,
    Approved(actor, _): Approved<perm::OrdersUpdate>,
    Path(id): Path<OrderId>,
    Json(patch): Json<OrderPatch>,
) -> Result<axum::Json<Order>, ApiError> {
    Ok(axum::Json(
        ordering::update(&state.orders, &actor, id, patch).await?,
    ))
}

/// A status change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// The new status (forward only, or `cancelled`).
    pub status: OrderStatus,
    /// Required to cancel.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Moves the order: `pending → confirmed → preparing → ready → completed` (forward only;
/// skipping ahead is allowed), or `cancelled` with a reason before `completed`. An illegal
/// move answers 409. Cancelling is a void of the whole order: with `manager_pin_for_voids`
/// on, a cashier cancels with a manager's PIN like a line void, and the audit names both.
#[utoipa::path(post, path = "/orders/{id}/status", operation_id = "change_order_status", tag = "orders", security(("bearer" = ["orders:update"])),
    params(("id" = OrderId, Path), ("X-Approval-User" = Option<String>, Header, description = "A manager approving a cashier (when `manager_pin_for_voids` is on)"), ("X-Approval-Pin" = Option<String>, Header, description = "That manager's PIN")),
    request_body = StatusChange,
    responses((status = 200, body = Order), (status = 403, description = "`forbidden`, `approval_required` or `approval_refused`", body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody), (status = 429, description = "The approver's PIN is locked", body = super::error::ErrorBody)))]
async fn change_status(
    State(state): State<AppState>,
    Approved(actor, _): Approved<perm::OrdersUpdate>,
    Path(id): Path<OrderId>,
    Json(body): Json<StatusChange>,
) -> Result<axum::Json<Order>, ApiError> {
    // A manager's PIN stands in for the role only to cancel; running the order through the
    // kitchen stays with the roles that hold `orders:update`.
    if actor.approver.is_some() && body.status != OrderStatus::Cancelled {
        return Err(ApiError::forbidden(
            "forbidden",
            "Tu rol no permite cambiar el estado del pedido",
            "Your role cannot change the order's status",
        ));
    }
    Ok(axum::Json(
        ordering::change_status(&state.orders, &actor, id, body.status, body.reason).await?,
    ))
}

/// Lines to append.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppendLines {
    /// The new lines.
    pub lines: Vec<NewLine>,
}

/// Appends lines to an open order (a round on a table's tab). An `Idempotency-Key`
/// makes a retried round safe: the same key and body answer the order without adding the
/// lines again (header `Idempotency-Replayed: true`); the same key with another body 422.
#[utoipa::path(post, path = "/orders/{id}/lines", tag = "orders", security(("bearer" = ["orders:create"])),
    params(("id" = OrderId, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = AppendLines,
    responses((status = 200, body = Order), (status = 409, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody)))]
async fn append_lines(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::OrdersCreate>,
    Path(id): Path<OrderId>,
    headers: HeaderMap,
    Json(body): Json<AppendLines>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let (order, replayed) =
        ordering::append_lines(&state.orders, Some(user.id), id, body.lines, key).await?;
    Ok(keyed_reply(StatusCode::OK, order, replayed))
}

/// The table asked for the bill ("pidió la cuenta"); the floor plan shows it until the
/// tab closes. Asking twice keeps the first time.
#[utoipa::path(post, path = "/orders/{id}/bill-request", tag = "orders", security(("bearer" = ["orders:create"])),
    params(("id" = OrderId, Path)),
    responses((status = 200, body = Order), (status = 404, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody)))]
async fn request_bill(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersCreate>,
    Path(id): Path<OrderId>,
) -> Result<axum::Json<Order>, ApiError> {
    Ok(axum::Json(ordering::request_bill(&state.orders, id).await?))
}

/// Moves a table's tab to another table ("cambiar de mesa"), or with `merge` joins it to
/// the tab open there ("juntar mesas"): each of its live lines is voided here and added
/// there, both with who did it, keeping its course, seat, notes, modifiers and kitchen
/// state (a line already fired is not fired again). Answers the tab now at the target
/// table; the table left waits to be cleaned. An occupied table without `merge` answers
/// 409 `table_occupied` (`details.order_id`); `merge` onto a free table 409
/// `nothing_to_merge`; merging a tab with payments 409 `tab_has_payments`; an order that
/// is not a table's tab 409 `not_a_tab`; the same table 422.
#[utoipa::path(post, path = "/orders/{id}/move", tag = "orders", security(("bearer" = ["orders:create"])),
    params(("id" = OrderId, Path)),
    request_body = ordering::MoveTab,
    responses(
        (status = 200, body = Order),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn move_tab(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::OrdersCreate>,
    Path(id): Path<OrderId>,
    Json(body): Json<ordering::MoveTab>,
) -> Result<axum::Json<Order>, ApiError> {
    let moved = ordering::move_tab(&state.orders, Some(user.id), id, body).await?;
    for table in moved.tables {
        if let Ok(table) = crate::tables::with_status(&state.db.read, table).await {
            super::tables::table_changed(&state, &table);
        }
    }
    Ok(axum::Json(moved.tab))
}

/// A tab's bills: one until it is split, each with its lines, its share of the discount
/// and tip, what it owes and its own payments (`POST /payments` with `bill`).
#[utoipa::path(get, path = "/orders/{id}/bills", tag = "orders", security(("bearer" = ["orders:read"])),
    params(("id" = OrderId, Path)),
    responses((status = 200, body = ordering::TabBills), (status = 404, body = super::error::ErrorBody)))]
async fn tab_bills(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersRead>,
    Path(id): Path<OrderId>,
) -> Result<axum::Json<ordering::TabBills>, ApiError> {
    Ok(axum::Json(ordering::tab_bills(&state.orders, id).await?))
}

/// Splits a tab into bills ("cuenta separada"): `by_seat`, or `bills` (groups of line ids,
/// each a new bill). To charge chosen lines ("cobro parcial"), split them into a bill and
/// pay that bill. A line on a bill that has payments answers 409 `line_paid`; unknown,
/// voided or repeated lines, an empty group or both ways at once answer 422.
#[utoipa::path(post, path = "/orders/{id}/split", tag = "orders", security(("bearer" = ["orders:create"])),
    params(("id" = OrderId, Path)),
    request_body = ordering::SplitTab,
    responses(
        (status = 200, body = ordering::TabBills),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn split_tab(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersCreate>,
    Path(id): Path<OrderId>,
    Json(body): Json<ordering::SplitTab>,
) -> Result<axum::Json<ordering::TabBills>, ApiError> {
    Ok(axum::Json(ordering::split(&state.orders, id, body).await?))
}

/// Why a line is voided.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidLine {
    /// Shown on the order's history and the kitchen screen.
    pub reason: String,
}

/// Voids a line (kept on record, no longer charged).
#[utoipa::path(post, path = "/orders/{id}/lines/{line_id}/void", tag = "orders", security(("bearer" = ["orders:update"])),
    params(("id" = OrderId, Path), ("line_id" = OrderLineId, Path), ("X-Approval-User" = Option<String>, Header, description = "A manager approving a cashier (when `manager_pin_for_voids` is on)"), ("X-Approval-Pin" = Option<String>, Header, description = "That manager's PIN")),
    request_body = VoidLine,
    responses((status = 200, body = Order), (status = 403, description = "`forbidden`, `approval_required` or `approval_refused`", body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody), (status = 429, description = "The approver's PIN is locked", body = super::error::ErrorBody)))]
async fn void_line(
    State(state): State<AppState>,
    Approved(actor, _): Approved<perm::OrdersUpdate>,
    Path((id, line_id)): Path<(OrderId, OrderLineId)>,
    Json(body): Json<VoidLine>,
) -> Result<axum::Json<Order>, ApiError> {
    Ok(axum::Json(
        ordering::void_line(&state.orders, &actor, id, line_id, body.reason).await?,
    ))
}

/// Gives one line a discount (a percentage or an amount, with a reason), or takes it away
/// with `amount: 0`. The order's `discount` is the bill's plus its lines'; a line is never
/// discounted below $0.
#[utoipa::path(post, path = "/orders/{id}/lines/{line_id}/discount", tag = "orders", security(("bearer" = ["orders:update"])),
    params(("id" = OrderId, Path), ("line_id" = OrderLineId, Path), ("X-Approval-User" = Option<String>, Header, description = "A manager approving a cashier (when `manager_pin_for_voids` is on)"), ("X-Approval-Pin" = Option<String>, Header, description = "That manager's PIN")),
    request_body = LineDiscountInput,
    responses((status = 200, body = Order), (status = 403, description = "`forbidden`, `approval_required` or `approval_refused`", body = super::error::ErrorBody), (status = 404, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody), (status = 429, description = "The approver's PIN is locked", body = super::error::ErrorBody)))]
async fn discount_line(
    State(state): State<AppState>,
    Approved(actor, _): Approved<perm::OrdersUpdate>,
    Path((id, line_id)): Path<(OrderId, OrderLineId)>,
    Json(body): Json<LineDiscountInput>,
) -> Result<axum::Json<Order>, ApiError> {
    Ok(axum::Json(
        ordering::discount_line(&state.orders, &actor, id, line_id, body).await?,
    ))
}

/// The payment ledger of an order, refunds included.
#[utoipa::path(get, path = "/orders/{id}/payments", tag = "orders", security(("bearer" = ["orders:read"])),
    params(("id" = OrderId, Path)),
    responses((status = 200, body = Vec<Payment>), (status = 404, body = super::error::ErrorBody)))]
async fn order_payments(
    State(state): State<AppState>,
    _: Authorized<perm::OrdersRead>,
    Path(id): Path<OrderId>,
) -> Result<axum::Json<Vec<Payment>>, ApiError> {
    ordering::load(&state.orders, id).await?;
    Ok(axum::Json(store::payments_of(&state.db.read, id).await?))
}

/// Refuses the owner's pending request (made on the cloud) to cancel the order: the order
/// goes on and the owner sees "refused" with who refused. To accept, cancel the order
/// (`POST /orders/{id}/status` with `cancelled` and the request's reason).
#[utoipa::path(post, path = "/orders/{id}/cancel-request/refuse", operation_id = "refuse_cancel_request", tag = "orders", security(("bearer" = ["orders:update"])),
    params(("id" = OrderId, Path)),
    responses((status = 200, body = Order), (status = 404, body = super::error::ErrorBody), (status = 409, body = super::error::ErrorBody)))]
async fn refuse_cancel_request(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::OrdersUpdate>,
    Path(id): Path<OrderId>,
) -> Result<axum::Json<Order>, ApiError> {
    Ok(axum::Json(
        ordering::refuse_cancel_request(&state.orders, Some(user.id), id).await?,
    ))
}
