//! Widget orders (`/public/{slug}/orders…`): placing one with an Idempotency-Key, and
//! its status for the diner, once or as a stream of changes.

use super::restaurant::{LocationQuery, PublicRestaurant};
use crate::http::error::{ApiError, ErrorBody, for_status};
use crate::http::extract::{decode_json, idempotency_key};
use crate::mercado_pago::{self, CheckoutLine};
use crate::state::AppState;
use crate::store::StoreError;
use crate::widget_orders::{
    self, Circumstances, OrderAccepted, OrderError, OrderRequest, OrderStatusView, PaymentChoice,
};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use dysa_domain::ids::TenantId;
use futures::{Stream, StreamExt};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_order))
        .routes(routes!(order_status))
        .routes(routes!(order_events))
}

impl From<OrderError> for ApiError {
    fn from(error: OrderError) -> Self {
        match error {
            OrderError::Invalid(fields) => ApiError::validation(fields),
            OrderError::OrdersOff => ApiError::conflict(
                "online_orders_off",
                "Este restaurante no recibe pedidos en línea",
                "This restaurant does not take online orders",
            ),
            OrderError::Paused => ApiError::conflict(
                "online_orders_paused",
                "El restaurante pausó los pedidos en línea por ahora.",
                "The restaurant paused online orders for now.",
            ),
            OrderError::Offline => ApiError::conflict(
                "restaurant_offline",
                "El restaurante no está conectado ahora; llámalo o intenta más tarde",
                "The restaurant is not connected right now; call it or try later",
            ),
            OrderError::KeyConflict => ApiError::conflict(
                "idempotency_conflict",
                "Esa clave de idempotencia ya se usó con otro pedido",
                "That Idempotency-Key was already used with another order",
            ),
            OrderError::OverBudget(wait) => {
                super::restaurant::budget_spent(crate::limits::Budget::Orders, wait)
            }
            OrderError::TooManyPending(max) => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_pending_orders",
                format!(
                    "Ese teléfono ya tiene {max} pedidos esperando al restaurante; espera a que los acepte"
                ),
                format!(
                    "That phone number already has {max} orders waiting for the restaurant; wait until it accepts them"
                ),
            ),
            OrderError::OnlinePaymentUnavailable => ApiError::conflict(
                "online_payment_unavailable",
                "Este restaurante no recibe pagos en línea ahora; elige pagar al retirar",
                "This restaurant does not take online payment now; choose to pay at pickup",
            ),
            OrderError::OnlinePaymentRequired => ApiError::conflict(
                "online_payment_required",
                "Este restaurante recibe solo pagos en línea; elige pagar ahora",
                "This restaurant takes online payment only; choose to pay now",
            ),
            OrderError::Store(e) => ApiError::internal(&e),
            refused @ OrderError::Refused(_) => ApiError::internal(&refused),
        }
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// Places an order. The cloud prices it from the synced menu and sends it to the counter
/// (status `pending`, channel `widget`). `Idempotency-Key` is required: the same key with
/// the same body answers the first answer again (no second order); with another body,
/// 409 `idempotency_conflict`. 409 too when online orders are off
/// (`online_orders_off`), paused at the counter (`online_orders_paused`), or the
/// restaurant is offline and its policy refuses (`restaurant_offline`); when its policy
/// is to wait, the order is taken with `waiting_for_restaurant: true`. With `payment:
/// online` (when the owner offers it and linked Mercado Pago) the answer carries
/// `checkout_url`, the Checkout Pro page to send the diner to.
#[utoipa::path(post, path = "/public/{slug}/orders", tag = "widget", security(()),
    params(("slug" = String, Path), LocationQuery,
           ("Idempotency-Key" = String, Header, description = "A UUID, or 8–64 letters and digits")),
    request_body = OrderRequest,
    responses(
        (status = 201, body = OrderAccepted),
        (status = 400, body = ErrorBody, description = "`idempotency_key_required`, or not JSON"),
        (status = 403, body = ErrorBody, description = "`tenant_suspended`, `location_closed`, or `widget_not_in_plan`"),
        (status = 404, body = ErrorBody, description = "`restaurant_not_found`"),
        (status = 409, body = ErrorBody, description = "`ordering_paused` (the restaurant's plan is unpaid), `idempotency_conflict`, `online_orders_off`, `online_orders_paused`, `restaurant_offline`, `online_payment_unavailable`, `online_payment_required`"),
        (status = 422, body = ErrorBody, description = "Bad input; unknown or sold-out item (`lines[n].item_id`)"),
        (status = 429, body = ErrorBody, description = "Per-client limit; `orders_budget_spent` (the location's hourly budget, with `Retry-After`); `too_many_pending_orders` (the phone number's pending orders)"),
        (status = 502, body = ErrorBody, description = "`payment_provider_unavailable`: the order is taken, its checkout not; retry with the same key"),
    ))]
async fn create_order(
    State(state): State<AppState>,
    PublicRestaurant(restaurant): PublicRestaurant,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, axum::Json<OrderAccepted>), ApiError> {
    let started = std::time::Instant::now();
    let key = idempotency_key(&headers)?;
    crate::billing::widget_open(&state, restaurant.tenant_id).await?;
    if !is_json(&headers) {
        return Err(for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    let value: serde_json::Value = decode_json(&body)?;
    let order: OrderRequest = decode_json(&body)?;
    let hash = widget_orders::request_hash(&value);
    let settings = &restaurant.settings;
    let circumstances = Circumstances::of(settings);
    let return_url = return_url(&state, &restaurant, order.return_url.as_deref())?;
    let mut tx = state.db.tenant_tx(restaurant.tenant_id).await?;
    let mut accepted = widget_orders::place(
        &state,
        &mut tx,
        restaurant.location_id,
        &restaurant.time_zone,
        circumstances,
        widget_orders::Idempotency {
            key: &key,
            hash: &hash,
        },
        &order,
        widget_orders::Source::Widget,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    if order.messages_consent == Some(true)
        && order
            .notify_by
            .is_some_and(|c| c != crate::diner_messages::NotifyChannel::None)
    {
        // The confirmation the diner asked for, queued with the order (a replay queued
        // nothing new; waking the senders is harmless).
        crate::diner_messages::wake(&state, restaurant.tenant_id);
    }
    // A replayed key counts again: rare, and cheaper than telling the two apart here.
    dysa_web::metrics::order_placed("widget", started.elapsed());
    if order.payment == PaymentChoice::Online {
        // After the commit: the order exists whatever Mercado Pago answers, and a retry
        // with the same key gets the one preference made for it.
        let lines: Vec<CheckoutLine> = accepted
            .lines
            .iter()
            .map(|l| CheckoutLine {
                item_id: l.item_id,
                name: l.name.clone(),
                quantity: l.quantity,
                unit_price: l.unit_price,
            })
            .collect();
        let checkout = mercado_pago::CheckoutOrder {
            id: accepted.id,
            number: accepted.number,
            total: accepted.total,
            lines: &lines,
            return_url: &return_url,
        };
        accepted.checkout_url =
            Some(mercado_pago::checkout(&state, restaurant.tenant_id, &checkout).await?);
    }
    Ok((StatusCode::CREATED, axum::Json(accepted)))
}

/// Where Mercado Pago sends the diner back: the diner's page when it is on one of the
/// widget's allowed origins (never elsewhere: no open redirect through our preference),
/// else the restaurant's hosted page.
fn return_url(
    state: &AppState,
    restaurant: &crate::widget::Restaurant,
    asked: Option<&str>,
) -> Result<String, ApiError> {
    let hosted = format!(
        "{}/r/{}?location={}",
        state.settings.public_url.trim_end_matches('/'),
        restaurant.slug,
        restaurant.location_id
    );
    let Some(url) = asked.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(hosted);
    };
    let origin = url
        .split_once("://")
        .map(|(scheme, rest)| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            format!("{scheme}://{host}")
        })
        .unwrap_or_default();
    if url.len() <= 500
        && url.bytes().all(|b| b.is_ascii_graphic())
        && restaurant.settings.allows_origin(&origin)
    {
        return Ok(url.to_owned());
    }
    let mut fields = dysa_domain::validate::FieldErrors::new();
    fields.add(
        "return_url",
        dysa_domain::validate::FieldIssue::Other {
            es: "debe ser una página de un sitio permitido del widget".into(),
            en: "must be a page of one of the widget's allowed sites".into(),
        },
    );
    Err(ApiError::validation(fields))
}

/// The header that carries an order's status token. A header, not the query string: URLs
/// end up in proxy and server logs, browser history and `Referer`s.
pub const STATUS_TOKEN_HEADER: &str = "x-status-token";

/// The `status_token` answered when the order was placed, from [`STATUS_TOKEN_HEADER`].
/// Missing → 400 `status_token_required`.
#[derive(Debug)]
pub struct StatusToken(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for StatusToken {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        parts
            .headers
            .get(STATUS_TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| StatusToken(t.to_owned()))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "status_token_required",
                    "Falta la cabecera X-Status-Token (el status_token del pedido)",
                    "The X-Status-Token header is required (the order's status_token)",
                )
            })
    }
}

/// The path of one order.
#[derive(Debug, Deserialize)]
pub struct OrderPath {
    /// The restaurant (read by [`PublicRestaurant`]).
    pub slug: String,
    /// The order.
    pub id: Uuid,
}

fn order_not_found() -> ApiError {
    ApiError::not_found("El pedido", "The order")
}

async fn read_status(
    state: &AppState,
    tenant: TenantId,
    id: Uuid,
    token: &str,
) -> Result<Option<OrderStatusView>, ApiError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let found = widget_orders::status(&mut tx, id, token).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(found)
}

/// An order's status. A wrong token answers 404, as an unknown order does.
#[utoipa::path(get, path = "/public/{slug}/orders/{id}", tag = "widget", security(()),
    params(("slug" = String, Path), ("id" = Uuid, Path), LocationQuery,
           ("X-Status-Token" = String, Header, description = "The order's `status_token`")),
    responses(
        (status = 200, body = OrderStatusView),
        (status = 400, body = ErrorBody, description = "`status_token_required`"),
        (status = 404, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
async fn order_status(
    State(state): State<AppState>,
    PublicRestaurant(restaurant): PublicRestaurant,
    Path(OrderPath { id, .. }): Path<OrderPath>,
    StatusToken(token): StatusToken,
) -> Result<axum::Json<OrderStatusView>, ApiError> {
    read_status(&state, restaurant.tenant_id, id, &token)
        .await?
        .map(axum::Json)
        .ok_or_else(order_not_found)
}

fn status_event(view: &OrderStatusView) -> Event {
    let data = serde_json::to_string(view).unwrap_or_default();
    Event::default().event("status").data(data)
}

/// Server-Sent Events: `event: status` with the order's status at once and after each
/// change (the counter accepting, rejecting, readying it). Ends after a final status
/// (completed, cancelled) or after the live stream's maximum time (reconnect then).
#[utoipa::path(get, path = "/public/{slug}/orders/{id}/events", tag = "widget", security(()),
    params(("slug" = String, Path), ("id" = Uuid, Path), LocationQuery,
           ("X-Status-Token" = String, Header, description = "The order's `status_token`")),
    responses(
        (status = 200, content_type = "text/event-stream", body = OrderStatusView,
         description = "`event: status` / `data: {…}` events"),
        (status = 400, body = ErrorBody, description = "`status_token_required`"),
        (status = 404, body = ErrorBody),
        (status = 429, body = ErrorBody),
    ))]
async fn order_events(
    State(state): State<AppState>,
    PublicRestaurant(restaurant): PublicRestaurant,
    Path(OrderPath { id, .. }): Path<OrderPath>,
    StatusToken(token): StatusToken,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    // Subscribe before the first read, so a change committed in between is heard.
    let notices = state.live.subscribe();
    let tenant = restaurant.tenant_id;
    let first = read_status(&state, tenant, id, &token)
        .await?
        .ok_or_else(order_not_found)?;
    let reader = state.clone();
    let changes = futures::stream::unfold((notices, first.clone()), move |(mut notices, last)| {
        let reader = reader.clone();
        let token = token.clone();
        async move {
            if final_status(&last.status) {
                return None;
            }
            loop {
                match notices.recv().await {
                    Ok(notice) if notice.tenant_id == tenant => {}
                    Ok(_) | Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                }
                match read_status(&reader, tenant, id, &token).await {
                    Ok(Some(now)) if now != last => return Some((now.clone(), (notices, now))),
                    Ok(_) => {}
                    Err(_) => return None,
                }
            }
        }
    });
    let max = Duration::from_secs(state.settings.live_stream_max_secs.max(1));
    let closed = state.live.closed();
    let end = async move {
        tokio::select! {
            () = tokio::time::sleep(max) => {}
            () = closed => {}
        }
    };
    let events = futures::stream::once(async move { first })
        .chain(changes)
        .map(|view| Ok(status_event(&view)))
        .take_until(Box::pin(end));
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn final_status(status: &str) -> bool {
    status
        .parse::<dysa_domain::order::OrderStatus>()
        .is_ok_and(|s| s.is_terminal())
}
