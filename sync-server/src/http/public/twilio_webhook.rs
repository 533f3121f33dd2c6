//! Twilio's webhooks for a tenant's linked account (see [`crate::twilio`]): the status
//! callback of each SMS sent (`/webhooks/twilio/{tenant}/status`) and incoming messages
//! to the restaurant's number (`/webhooks/twilio/{tenant}/inbound`: STOP, BAJA, ALTA…).
//! Both are form posts signed with `X-Twilio-Signature` over the full URL and the sorted
//! parameters; a bad or missing signature (or an unknown tenant) is 401 and nothing is
//! stored. The URL signed is the cloud's `public_url` followed by the path and query
//! Twilio called, so `public_url` must be the address Twilio is given.

use crate::http::error::{ApiError, ErrorBody};
use crate::state::AppState;
use crate::twilio::{self, Signed, SmsError, signature::SIGNATURE_HEADER};
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(twilio_status))
        .routes(routes!(twilio_inbound))
}

fn signed<'a>(
    state: &AppState,
    uri: &OriginalUri,
    headers: &'a HeaderMap,
    body: &Bytes,
) -> Result<Signed<'a>, ApiError> {
    let params: Vec<(String, String)> =
        serde_urlencoded::from_bytes(body).map_err(|_| ApiError::from(SmsError::BadSignature))?;
    let path = uri.0.path_and_query().map_or("/", |p| p.as_str());
    Ok(Signed {
        url: format!("{}{path}", state.settings.public_url.trim_end_matches('/')),
        params,
        signature: headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()),
    })
}

fn tenant_of(tenant: &str) -> Result<Uuid, ApiError> {
    tenant
        .parse::<Uuid>()
        .map_err(|_| ApiError::from(SmsError::BadSignature))
}

/// A status callback of an SMS the cloud sent (`MessageSid`, `MessageStatus`,
/// `ErrorCode`, `AccountSid`…, form-encoded). Recorded once per (message, status); the
/// message's status only moves forward (a late `sent` after `delivered` is kept in the
/// log, not applied).
#[utoipa::path(post, path = "/webhooks/twilio/{tenant}/status", tag = "webhooks", security(()),
    params(("tenant" = Uuid, Path)),
    request_body(content = String, description = "Twilio's status callback parameters", content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 204, description = "Recorded (or already recorded)"),
        (status = 400, body = ErrorBody, description = "`malformed_webhook`"),
        (status = 401, body = ErrorBody, description = "`bad_signature`"),
    ))]
async fn twilio_status(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let tenant = tenant_of(&tenant)?;
    let signed = signed(&state, &uri, &headers, &body)?;
    let new = twilio::status_callback(&state, tenant, &signed).await?;
    tracing::info!(new, "twilio status callback");
    Ok(StatusCode::NO_CONTENT)
}

/// A message a diner sent to the restaurant's Twilio number (`From`, `Body`,
/// `AccountSid`…). STOP, BAJA, PARAR (and Twilio's other opt-out words) opt the number
/// out of every message; START or ALTA opt it in again. Answered with TwiML: a
/// confirmation for the Spanish words (Twilio confirms its own English ones).
#[utoipa::path(post, path = "/webhooks/twilio/{tenant}/inbound", tag = "webhooks", security(()),
    params(("tenant" = Uuid, Path)),
    request_body(content = String, description = "Twilio's incoming message parameters", content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "TwiML", body = String, content_type = "text/xml"),
        (status = 400, body = ErrorBody, description = "`malformed_webhook`"),
        (status = 401, body = ErrorBody, description = "`bad_signature`"),
    ))]
async fn twilio_inbound(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let tenant = tenant_of(&tenant)?;
    let signed = signed(&state, &uri, &headers, &body)?;
    let done = twilio::inbound(&state, tenant, &signed).await?;
    let text = signed
        .params
        .iter()
        .find(|(n, _)| n == "Body")
        .map_or("", |(_, v)| v.as_str());
    Ok((
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        done.twiml(text),
    )
        .into_response())
}
