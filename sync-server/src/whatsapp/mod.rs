//! WhatsApp Business (Cloud API): a location's linked number talks with diners through
//! the same path as the widget's chat.
//!
//! Meta posts each diner message to the link's webhook ([`webhook`]); once its signature
//! checks, the message is stored once by Meta's id (a redelivery is recognised and not
//! answered again) and, after the webhook has been answered, relayed to the location's
//! appliance assistant over the live channel exactly like a widget message
//! ([`crate::chat::answer`], channel `whatsapp`), with the cloud's own parser when the
//! counter is offline or silent. The reply goes back through the Graph API's `messages`
//! endpoint ([`graph`]): free text inside the 24-hour customer service window, the link's
//! approved template outside it. Staff who take the conversation over at the counter
//! write through `POST /sync/chat-messages`, which sends their words the same way
//! ([`send_staff_message`]).

pub mod graph;
pub mod webhook;

use crate::chat::{self, AnsweredBy, ChatLocation, Message};
use crate::state::AppState;
use crate::store::whatsapp::{self as store, Contact, Link};
use crate::store::{StoreError, StoreResult};
use chrono::Utc;
use dysa_domain::assistant::relay::RelayChannel;
use dysa_domain::ids::TenantId;
use graph::Outgoing;
use uuid::Uuid;

/// Longest diner message relayed (the widget's limit; longer ones are cut).
pub const MAX_INBOUND_CHARS: usize = 1000;

/// Why a webhook notification was refused.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// Unknown link, missing or wrong signature: nothing is stored.
    #[error("bad signature")]
    BadSignature,
    /// Signed, but not a notification.
    #[error("malformed notification: {0}")]
    Malformed(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A diner message taken from a notification, to answer.
#[derive(Clone, Debug)]
struct Fresh {
    wamid: String,
    text: String,
    contact: Contact,
}

/// The GET handshake of link `id`: the challenge to echo, or `None` (401).
pub async fn handshake(
    state: &AppState,
    id: Uuid,
    mode: Option<&str>,
    token: Option<&str>,
) -> StoreResult<bool> {
    let Some(tenant) = store::link_tenant(&state.db, id).await? else {
        return Ok(false);
    };
    let mut tx = state.db.tenant_tx(tenant).await?;
    let link = store::link(&mut tx, id).await?;
    tx.commit().await?;
    Ok(link.is_some_and(|link| webhook::handshake_ok(mode, token, &link.verify_token)))
}

/// A notification for link `id`: checked against the link's app secret over the raw
/// `body`, stored (messages once by id, statuses), then answered in the background.
/// Answers how many diner messages were new.
pub async fn receive(
    state: &AppState,
    id: Uuid,
    signature: Option<&str>,
    body: &[u8],
) -> Result<usize, WebhookError> {
    let tenant = store::link_tenant(&state.db, id)
        .await?
        .ok_or(WebhookError::BadSignature)?;
    let mut tx = state.db.tenant_tx(tenant).await?;
    let link = store::link(&mut tx, id)
        .await?
        .ok_or(WebhookError::BadSignature)?;
    if !webhook::signature_ok(&link.app_secret, signature, body) {
        return Err(WebhookError::BadSignature);
    }
    let notification: webhook::Notification =
        serde_json::from_slice(body).map_err(|e| WebhookError::Malformed(e.to_string()))?;
    let mut fresh = Vec::new();
    for change in notification.entry.iter().flat_map(|e| &e.changes) {
        let value = &change.value;
        // Another number of the same Meta app is not this link's business.
        if value
            .metadata
            .as_ref()
            .is_none_or(|m| m.phone_number_id != link.phone_number_id)
        {
            continue;
        }
        for status in &value.statuses {
            if !matches!(
                status.status.as_str(),
                "sent" | "delivered" | "read" | "failed"
            ) {
                continue;
            }
            let code = status
                .errors
                .first()
                .and_then(|e| i32::try_from(e.code).ok());
            store::record_status(&mut tx, link.location_id, &status.id, &status.status, code)
                .await?;
        }
        for message in &value.messages {
            if !valid_wa_id(&message.from) || message.id.is_empty() || message.id.len() > 200 {
                continue;
            }
            let text = message
                .text
                .as_ref()
                .filter(|_| message.kind == "text")
                .map(|t| {
                    t.body
                        .trim()
                        .chars()
                        .take(MAX_INBOUND_CHARS)
                        .collect::<String>()
                })
                .unwrap_or_default();
            let kind = if text.is_empty() { "other" } else { "text" };
            let new = store::record_inbound(
                &mut tx,
                link.location_id,
                &message.id,
                &message.from,
                kind,
                &text,
            )
            .await?;
            if !new {
                continue;
            }
            let name = value
                .contacts
                .iter()
                .find(|c| c.wa_id == message.from)
                .and_then(|c| c.profile.as_ref())
                .map(|p| p.name.chars().take(200).collect::<String>());
            let contact =
                store::touch_contact(&mut tx, link.location_id, &message.from, name.as_deref())
                    .await?;
            if !text.is_empty() {
                fresh.push(Fresh {
                    wamid: message.id.clone(),
                    text,
                    contact,
                });
            }
        }
    }
    tx.commit().await.map_err(StoreError::from)?;
    let count = fresh.len();
    if !fresh.is_empty() {
        // Meta wants its answer within seconds; the restaurant may take up to the relay
        // wait. One task per notification keeps a diner's messages in order.
        let state = state.clone();
        tokio::spawn(async move {
            for message in fresh {
                if let Err(error) = answer(&state, tenant, &link, message).await {
                    tracing::warn!(%error, "could not answer a WhatsApp message");
                }
            }
        });
    }
    Ok(count)
}

fn valid_wa_id(wa_id: &str) -> bool {
    !wa_id.is_empty() && wa_id.len() <= 32 && wa_id.bytes().all(|b| b.is_ascii_digit())
}

/// Relays one diner message like the widget's chat and sends the reply.
async fn answer(
    state: &AppState,
    tenant: TenantId,
    link: &Link,
    message: Fresh,
) -> StoreResult<()> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let time_zone = store::location_time_zone(&mut tx, link.location_id)
        .await?
        .unwrap_or_else(|| "America/Santiago".to_owned());
    tx.commit().await?;
    let location = ChatLocation {
        tenant_id: tenant,
        id: link.location_id,
        time_zone,
    };
    let answer = chat::answer(
        state,
        tenant,
        &location,
        Message {
            conversation_id: Some(message.contact.conversation_id),
            text: message.text.clone(),
            language: None,
            channel: RelayChannel::Whatsapp,
        },
    )
    .await?;
    let mut tx = state.db.tenant_tx(tenant).await?;
    if answer.conversation_id != message.contact.conversation_id {
        store::set_conversation(
            &mut tx,
            link.location_id,
            &message.contact.wa_id,
            answer.conversation_id,
        )
        .await?;
    }
    store::mark_answered(&mut tx, &message.wamid).await?;
    tx.commit().await?;
    if answer.answered_by == AnsweredBy::Staff || answer.reply.trim().is_empty() {
        // Staff has the conversation: their own words go out as they write them.
        return Ok(());
    }
    send(state, tenant, link, &message.contact, &answer.reply).await
}

/// Sends `text` to a diner from the link's number, as the window allows, and records it.
/// A refusal by Meta is logged, not retried (a wrong token or number would be refused
/// again).
pub async fn send(
    state: &AppState,
    tenant: TenantId,
    link: &Link,
    contact: &Contact,
    text: &str,
) -> StoreResult<()> {
    let language = if dysa_domain::assistant::text::detect_language(text)
        == Some(dysa_domain::validate::Lang::En)
    {
        "en"
    } else {
        "es"
    };
    let outgoing = Outgoing::for_window(
        text,
        Some(contact.last_inbound_at),
        Utc::now(),
        &link.template_name,
        language,
    );
    match state
        .whatsapp
        .send(
            &link.phone_number_id,
            &link.access_token,
            &contact.wa_id,
            &outgoing,
        )
        .await
    {
        Ok(wamid) => {
            let mut tx = state.db.tenant_tx(tenant).await?;
            store::record_outbound(
                &mut tx,
                link.location_id,
                &contact.wa_id,
                &wamid,
                outgoing.kind(),
                outgoing.body(),
            )
            .await?;
            tx.commit().await?;
        }
        Err(error) => tracing::warn!(%error, "WhatsApp message not sent"),
    }
    Ok(())
}

/// Sends a staff member's message (taken over at the counter) to the WhatsApp diner of
/// `conversation`, if the conversation is a WhatsApp one of a linked location; `false`
/// when it is not (a widget chat: its widget fetches the message).
pub async fn send_staff_message(
    state: &AppState,
    tenant: TenantId,
    conversation: Uuid,
    text: &str,
) -> StoreResult<bool> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let Some(contact) = store::contact_of_conversation(&mut tx, conversation).await? else {
        tx.commit().await?;
        return Ok(false);
    };
    let Some(link) = store::link_of_location(&mut tx, contact.location_id).await? else {
        tx.commit().await?;
        return Ok(false);
    };
    tx.commit().await?;
    send(state, tenant, &link, &contact, text).await?;
    Ok(true)
}
