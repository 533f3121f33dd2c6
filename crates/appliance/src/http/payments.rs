//! Payments and refunds: an append-only ledger per order.

use super::error::ApiError;
use super::extract::{Approved, Authorized, Json, Path, perm};
use crate::ordering::{self, NewPayment, PaymentReceipt, RefundRequest};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::ids::PaymentId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_payment))
        .routes(routes!(refund_payment))
}

/// Takes a payment (cash, debit, credit, transfer, Mercado Pago). Several payments may
/// settle one order; cash is rounded to the nearest $10 and the change is computed.
#[utoipa::path(post, path = "/payments", tag = "payments", security(("bearer" = ["payments:write"])),
    request_body = NewPayment,
    responses(
        (status = 201, body = PaymentReceipt),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    ))]
async fn create_payment(
    State(state): State<AppState>,
    Authorized(user, _): Authorized<perm::PaymentsWrite>,
    Json(body): Json<NewPayment>,
) -> Result<(StatusCode, axum::Json<PaymentReceipt>), ApiError> {
    Ok((
        StatusCode::CREATED,
        axum::Json(ordering::pay(&state.orders, Some(user.id), body).await?),
    ))
}

/// Refunds (part of) a payment as a new negative row.
#[utoipa::path(post, path = "/payments/{id}/refund", tag = "payments", security(("bearer" = ["payments:write"])),
    params(("id" = PaymentId, Path),
        ("X-Approval-User" = Option<String>, Header, description = "A manager approving a cashier (when `manager_pin_for_voids` is on)"),
        ("X-Approval-Pin" = Option<String>, Header, description = "That manager's PIN")),
    request_body = RefundRequest,
    responses(
        (status = 201, body = PaymentReceipt),
        (status = 403, description = "`forbidden`, `approval_required` or `approval_refused`", body = super::error::ErrorBody),
        (status = 404, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
        (status = 429, description = "The approver's PIN is locked", body = super::error::ErrorBody),
    ))]
async fn refund_payment(
    State(state): State<AppState>,
    Approved(actor, _): Approved<perm::PaymentsWrite>,
    Path(id): Path<PaymentId>,
    Json(body): Json<RefundRequest>,
) -> Result<(StatusCode, axum::Json<PaymentReceipt>), ApiError> {
    Ok((
        StatusCode::CREATED,
        axum::Json(ordering::refund(&state.orders, &actor, id, body).await?),
    ))
}
