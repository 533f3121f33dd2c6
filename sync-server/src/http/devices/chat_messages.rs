//! Staff's replies in chats taken over at the counter: the appliance posts what staff
//! wrote in a relayed conversation (`POST /sync/chat-messages`) and the cloud keeps it
//! for the diner's widget (`GET /public/{slug}/chat/{conversation_id}/messages`), or
//! sends it by WhatsApp when the conversation is a WhatsApp one.

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Json, SyncDevice};
use crate::state::AppState;
use crate::store::StoreError;
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::assistant::relay::{
    MAX_STAFF_MESSAGE_CHARS, MAX_STAFF_MESSAGES, StaffChatMessage, StaffChatMessages,
};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(chat_messages))
}

/// Staff's messages in relayed conversations of the device's location, kept once per
/// id (a resend after a lost answer is taken and ignored) for the diners to read.
#[utoipa::path(post, path = "/sync/chat-messages", tag = "sync",
    security(("bearer" = ["device"])),
    request_body = StaffChatMessages,
    responses(
        (status = 204, description = "Taken (each message once)"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn chat_messages(
    State(state): State<AppState>,
    SyncDevice(device): SyncDevice,
    Json(batch): Json<StaffChatMessages>,
) -> Result<StatusCode, ApiError> {
    let mut fields = FieldErrors::new();
    if batch.messages.len() > MAX_STAFF_MESSAGES {
        fields.add(
            "messages",
            FieldIssue::Other {
                es: format!("admite como máximo {MAX_STAFF_MESSAGES} mensajes"),
                en: format!("at most {MAX_STAFF_MESSAGES} messages"),
            },
        );
    }
    for (index, message) in batch.messages.iter().enumerate() {
        fields.text(
            &format!("messages[{index}].text"),
            &message.text,
            MAX_STAFF_MESSAGE_CHARS,
        );
    }
    fields.into_result()?;
    let messages: Vec<StaffChatMessage> = batch
        .messages
        .into_iter()
        .map(|m| StaffChatMessage {
            text: m.text.trim().to_owned(),
            ..m
        })
        .collect();
    let mut tx = state.db.tenant_tx(device.tenant_id).await?;
    let keys = state.vault.keys(&mut tx).await?;
    let added: Vec<StaffChatMessage> =
        crate::store::chat::insert_staff_messages(&mut tx, &keys, device.location_id, &messages)
            .await?
            .into_iter()
            .cloned()
            .collect();
    // A WhatsApp diner gets staff's words from Meta (a widget fetches them itself): queued
    // with the message, so they are sent once even if Meta is down now.
    let mut to_whatsapp = false;
    for message in &added {
        to_whatsapp |= crate::whatsapp::queue_staff_message(
            &mut tx,
            &keys,
            message.conversation_id,
            message.id,
            &message.text,
        )
        .await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    if to_whatsapp {
        // Beside the request, so the counter's sync round does not wait on Meta.
        let tenant = device.tenant_id;
        tokio::spawn(async move {
            if let Err(error) = state.whatsapp.run_tenant(tenant, chrono::Utc::now()).await {
                tracing::warn!(%error, "could not send staff messages to WhatsApp");
            }
        });
    }
    Ok(StatusCode::NO_CONTENT)
}
