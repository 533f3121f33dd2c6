//! Mercado Pago's payment notifications (`/webhooks/mercado-pago/{tenant}`): accepted
//! only with a valid `x-signature` of the tenant's webhook secret, and counted only after
//! the payment is read back from the API (see `crate::mercado_pago`).

use crate::http::error::{ApiError, ErrorBody};
use crate::mercado_pago::signature::{REQUEST_ID_HEADER, SIGNATURE_HEADER};
use crate::mercado_pago::{self, Notification};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(mercado_pago_notification))
}

/// The tenant a notification is for.
#[derive(Debug, Deserialize)]
pub struct TenantPath {
    /// As the preference's `notification_url` names it.
    pub tenant: String,
}

/// Receives a Mercado Pago notification (`?data.id=…&type=payment`). The `x-signature`
/// (HMAC-SHA256 of `id:{data.id};request-id:{x-request-id};ts:{ts};` with the tenant's
/// webhook secret) must verify, else 401 and nothing changes. The payment is then read
/// from Mercado Pago's API; an approved payment of exactly an order's total records one
/// ledger row (`mercado_pago`), however often the notification is delivered.
#[utoipa::path(post, path = "/webhooks/mercado-pago/{tenant}", tag = "webhooks", security(()),
    params(("tenant" = Uuid, Path), ("data.id" = Option<String>, Query), ("type" = Option<String>, Query)),
    request_body(content = String, description = "Mercado Pago's notification (its fields are read from the query string and the API)", content_type = "application/json"),
    responses(
        (status = 200, description = "Received (recorded, or nothing to record)"),
        (status = 401, body = ErrorBody, description = "`bad_signature`"),
        (status = 502, body = ErrorBody, description = "`payment_provider_unavailable`: Mercado Pago retries"),
    ))]
async fn mercado_pago_notification(
    State(state): State<AppState>,
    Path(TenantPath { tenant }): Path<TenantPath>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let bad = || ApiError::from(mercado_pago::PaymentError::BadSignature);
    let tenant = dysa_domain::ids::TenantId(tenant.parse::<Uuid>().map_err(|_| bad())?);
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let notice = Notification {
        kind: query
            .get("type")
            .or_else(|| query.get("topic"))
            .map(String::as_str),
        data_id: query
            .get("data.id")
            .or_else(|| query.get("id"))
            .map(String::as_str),
        signature: header(SIGNATURE_HEADER),
        request_id: header(REQUEST_ID_HEADER),
    };
    let noted = mercado_pago::notification(&state, tenant, &notice).await?;
    tracing::info!(%tenant, ?noted, "mercado pago notification");
    Ok(StatusCode::OK)
}
