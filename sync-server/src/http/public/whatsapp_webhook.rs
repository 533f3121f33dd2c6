//! Meta's webhook for a linked WhatsApp number (see [`crate::whatsapp`]): the GET
//! verification handshake and the signed POST notifications, at the URL the owners'
//! dashboard shows for the link.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Path, Query};
use crate::state::AppState;
use crate::whatsapp::{self, WebhookError, webhook::SIGNATURE_HEADER};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use bytes::Bytes;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// Longest challenge echoed back.
const MAX_CHALLENGE_CHARS: usize = 200;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(verify, notify))
}

/// Meta's verification request.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Handshake {
    /// `subscribe`.
    #[serde(rename = "hub.mode")]
    #[param(rename = "hub.mode")]
    pub mode: Option<String>,
    /// The verify token the owner entered in Meta's dashboard and in ours.
    #[serde(rename = "hub.verify_token")]
    #[param(rename = "hub.verify_token")]
    pub verify_token: Option<String>,
    /// What to echo back.
    #[serde(rename = "hub.challenge")]
    #[param(rename = "hub.challenge")]
    pub challenge: Option<String>,
}

fn refused() -> ApiError {
    ApiError::unauthenticated(
        "bad_signature",
        "La verificación del webhook no es válida",
        "The webhook's verification is not valid",
    )
}

/// Meta's handshake: the challenge, as plain text, when the verify token is the link's
/// (compared in constant time); 401 otherwise (unknown link included).
#[utoipa::path(get, path = "/public/whatsapp/{link_id}/webhook", tag = "webhooks", security(()),
    params(("link_id" = Uuid, Path, description = "The link, as the dashboard shows its URL"), Handshake),
    responses(
        (status = 200, description = "The challenge", body = String, content_type = "text/plain"),
        (status = 401, description = "Wrong mode or token, or no such link", body = ErrorBody),
    ))]
async fn verify(
    State(state): State<AppState>,
    Path(link_id): Path<Uuid>,
    Query(query): Query<Handshake>,
) -> Result<String, ApiError> {
    let challenge = query
        .challenge
        .filter(|c| !c.is_empty() && c.chars().count() <= MAX_CHALLENGE_CHARS)
        .ok_or_else(refused)?;
    if whatsapp::handshake(
        &state,
        link_id,
        query.mode.as_deref(),
        query.verify_token.as_deref(),
    )
    .await?
    {
        Ok(challenge)
    } else {
        Err(refused())
    }
}

/// Meta's notifications (messages and statuses). `X-Hub-Signature-256` must be the
/// HMAC-SHA256 of the raw body under the link's app secret, else 401 and nothing is
/// stored; a message already received (same id) is not answered again.
#[utoipa::path(post, path = "/public/whatsapp/{link_id}/webhook", tag = "webhooks", security(()),
    params(("link_id" = Uuid, Path, description = "The link, as the dashboard shows its URL")),
    request_body(content = String, description = "Meta's `whatsapp_business_account` notification", content_type = "application/json"),
    responses(
        (status = 200, description = "Received"),
        (status = 400, description = "Signed, but not a notification", body = ErrorBody),
        (status = 401, description = "Missing or bad signature, or no such link", body = ErrorBody),
    ))]
async fn notify(
    State(state): State<AppState>,
    Path(link_id): Path<Uuid>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    match whatsapp::receive(&state, link_id, signature, &body).await {
        Ok(fresh) => {
            tracing::info!(fresh, "whatsapp notification");
            Ok(StatusCode::OK)
        }
        Err(WebhookError::BadSignature) => Err(refused()),
        Err(WebhookError::Malformed(detail)) => {
            tracing::info!(%detail, "whatsapp notification unreadable");
            Err(ApiError::bad_request(
                "malformed_notification",
                "Se esperaba una notificación de WhatsApp",
                "Expected a WhatsApp notification",
            ))
        }
        Err(WebhookError::Store(error)) => Err(error.into()),
    }
}
