//! SendGrid's Event Webhook: bounces, drops and spam reports of the cloud's mails,
//! accepted only with a valid ECDSA signature (see `crate::mail::sendgrid`).

use crate::http::error::{ApiError, ErrorBody};
use crate::mail::sendgrid::{self, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookError};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use bytes::Bytes;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sendgrid_events))
}

/// Receives SendGrid's events (a JSON array). The signature
/// (`X-Twilio-Email-Event-Webhook-Signature` over `X-Twilio-Email-Event-Webhook-Timestamp`
/// and the raw body) must verify with the configured key, else 401 and nothing is stored;
/// a redelivered event is recorded once.
#[utoipa::path(post, path = "/webhooks/sendgrid/events", tag = "webhooks", security(()),
    request_body(content = String, description = "SendGrid's JSON array of events", content_type = "application/json"),
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "Signed, but not a JSON array of events", body = ErrorBody),
        (status = 401, description = "Missing or bad signature", body = ErrorBody),
    ))]
async fn sendgrid_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let events = sendgrid::verify_events(
        state.mail_webhook_key.as_ref(),
        header(SIGNATURE_HEADER),
        header(TIMESTAMP_HEADER),
        &body,
    )
    .map_err(|error| match error {
        WebhookError::BadSignature => ApiError::unauthenticated(
            "bad_signature",
            "La firma del webhook no es válida",
            "The webhook's signature is not valid",
        ),
        WebhookError::Malformed(_) => ApiError::bad_request(
            "malformed_events",
            "Se esperaba una lista JSON de eventos",
            "Expected a JSON array of events",
        ),
    })?;
    let recorded = state.mail.record_events(&events).await?;
    tracing::info!(events = events.len(), recorded, "sendgrid events");
    Ok(StatusCode::NO_CONTENT)
}
