//! Mercado Pago's subscription notifications (`/webhooks/mercado-pago-billing`), for the
//! platform's own application: accepted only with a valid `x-signature` of the platform's
//! webhook secret, and counted only after what they name is read back from the API (see
//! `crate::billing`).

use crate::billing::{self, Notice};
use crate::http::error::{ApiError, ErrorBody};
use crate::mercado_pago::signature::{REQUEST_ID_HEADER, SIGNATURE_HEADER};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(billing_notification))
}

/// Receives a subscription notification (`?data.id=…&type=subscription_preapproval` or
/// `subscription_authorized_payment`). The `x-signature` (HMAC-SHA256 of
/// `id:{data.id};request-id:{x-request-id};ts:{ts};` with the platform's webhook secret)
/// must verify, else 401 and nothing changes. The subscription or charge is then read from
/// Mercado Pago's API; a charge is recorded once however often it is notified.
#[utoipa::path(post, path = "/webhooks/mercado-pago-billing", tag = "webhooks", security(()),
    params(("data.id" = Option<String>, Query), ("type" = Option<String>, Query)),
    request_body(content = String, description = "Mercado Pago's notification (its fields are read from the query string and the API)", content_type = "application/json"),
    responses(
        (status = 200, description = "Received (recorded, or nothing to record)"),
        (status = 401, body = ErrorBody, description = "`bad_signature`"),
        (status = 502, body = ErrorBody, description = "`payment_provider_unavailable`: Mercado Pago retries"),
    ))]
async fn billing_notification(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let notice = Notice {
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
    let noted = billing::notification(&state, &notice).await?;
    tracing::info!(?noted, "mercado pago billing notification");
    Ok(StatusCode::OK)
}
