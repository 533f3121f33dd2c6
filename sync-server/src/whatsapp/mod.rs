//! WhatsApp Business (Cloud API): a location's linked number talks with diners through
//! the same path as the widget's chat.
//!
//! Meta posts each diner message to the link's webhook ([`webhook`]); once its signature
//! checks, the message is stored once by Meta's id (a redelivery is recognised and not
//! answered again) and, after the webhook has been answered, relayed to the location's
//! appliance assistant over the live channel exactly like a widget message
//! ([`crate::chat::answer`], channel `whatsapp`), with the cloud's own parser when the
//! counter is offline or silent. A draft the diner confirms becomes a pickup order at the
//! counter like a widget one (channel `whatsapp`, the diner's number as its phone), and the
//! counter's status changes go back to the diner (migration 0033's trigger queues them).
//! A booking the diner confirms with the restaurant's assistant becomes a booking like a
//! widget one (channel `whatsapp`), and its answer (confirmada, rechazada, cancelada)
//! goes back the same way (migration 0037's trigger).
//! Every message out goes through the durable [`outbox`] and the Graph API's `messages`
//! endpoint ([`graph`]): free text inside the 24-hour customer service window, the link's
//! approved template outside it. Staff who take the conversation over at the counter
//! write through `POST /sync/chat-messages`, which queues their words the same way
//! ([`queue_staff_message`]).

pub mod graph;
pub mod outbox;
pub mod webhook;

use crate::bookings::{self, BookingChannel, BookingError, BookingStatus, NewBooking};
use crate::chat::{self, AnsweredBy, ChatLocation, Message};
use crate::diner_replies::DinerReply;
use crate::state::AppState;
use crate::store::whatsapp::{self as store, Contact, Link};
use crate::store::{StoreError, StoreResult};
use crate::widget_orders::{
    self, Fulfilment, OrderCustomer, OrderError, OrderLineRequest, OrderRequest, PaymentChoice,
};
use chrono::Utc;
use dysa_domain::assistant::relay::{ChatBooking, ChatDraft, RelayChannel};
use dysa_domain::ids::TenantId;
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
    let keys = state.vault.keys(&mut tx).await?;
    let mut fresh = Vec::new();
    let mut queued_confirmation = false;
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
                &keys,
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
            let contact = store::touch_contact(
                &mut tx,
                &keys,
                link.location_id,
                &message.from,
                name.as_deref(),
            )
            .await?;
            // STOP, BAJA, PARAR (or ALTA, START): the diner's choice about our messages
            // (Ley 19.628), kept as the keyed hash of their number and honoured by every
            // sender; answered with a confirmation, not relayed to the assistant.
            let reply = crate::diner_replies::classify(&text);
            if matches!(reply, DinerReply::OptOut | DinerReply::OptIn)
                && let Some(hash) = keys.phone_hash(&format!("+{}", message.from))
            {
                let confirmation = if reply == DinerReply::OptOut {
                    crate::store::sms::opt_out(&mut tx, "phone", &hash, "whatsapp").await?;
                    crate::diner_replies::opted_out_text("es")
                } else {
                    crate::store::sms::opt_in(&mut tx, "phone", &hash).await?;
                    crate::diner_replies::opted_in_text("es")
                };
                queued_confirmation |= outbox::enqueue(
                    &mut tx,
                    &keys,
                    link.location_id,
                    &message.from,
                    &format!("reply:{}", message.id),
                    "es",
                    &outbox::Message::Text {
                        text: confirmation.to_owned(),
                    },
                )
                .await?;
                store::mark_answered(&mut tx, &message.id).await?;
                continue;
            }
            // SI or NO to a booking's reminder answers the booking; with none awaiting an
            // answer, the words go to the assistant (a "sí" may confirm an order).
            if matches!(reply, DinerReply::Yes | DinerReply::No)
                && let Some(hash) = keys.phone_hash(&format!("+{}", message.from))
            {
                let answered =
                    crate::booking_messages::answer(state, &mut tx, &hash, reply, Utc::now()).await;
                let answered = match answered {
                    Ok(answered) => answered,
                    Err(crate::booking_messages::LinkError::Store(error)) => {
                        return Err(error.into());
                    }
                    Err(error) => {
                        tracing::warn!(%error, "a booking answer by WhatsApp was not applied");
                        None
                    }
                };
                if let Some(words) = answered {
                    queued_confirmation |= outbox::enqueue(
                        &mut tx,
                        &keys,
                        link.location_id,
                        &message.from,
                        &format!("reply:{}", message.id),
                        "es",
                        &outbox::Message::Text { text: words },
                    )
                    .await?;
                    store::mark_answered(&mut tx, &message.id).await?;
                    continue;
                }
            }
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
    if queued_confirmation {
        // Sent right away, like the assistant's replies (after Meta has its answer).
        let outbox = state.whatsapp.clone();
        tokio::spawn(async move {
            if let Err(error) = outbox.run_tenant(tenant, Utc::now()).await {
                tracing::warn!(%error, "could not send an opt-out confirmation");
            }
        });
    }
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

/// Relays one diner message like the widget's chat and sends the reply; a draft the
/// diner confirmed becomes an order at the counter ([`place_order`]).
async fn answer(
    state: &AppState,
    tenant: TenantId,
    link: &Link,
    message: Fresh,
) -> StoreResult<()> {
    // The plan is read now, from the database: lowered anywhere (the dashboard, the
    // operator, Mercado Pago, by hand), it stops the relay from the next message on.
    if !crate::billing::whatsapp_answers(state, tenant).await? {
        return not_answering(state, tenant, link, &message).await;
    }
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
    let keys = state.vault.keys(&mut tx).await?;
    if answer.conversation_id != message.contact.conversation_id {
        store::set_conversation(
            &mut tx,
            &keys,
            link.location_id,
            &message.contact.wa_id,
            answer.conversation_id,
        )
        .await?;
    }
    let lang = crate::store::chat::conversation(&mut tx, &keys, answer.conversation_id)
        .await?
        .map_or_else(|| "es".to_owned(), |c| c.language);
    tx.commit().await?;
    let mut reply = answer.reply.clone();
    if answer.answered_by != AnsweredBy::Staff
        && answer.ready_to_order
        && let Some(draft) = answer.draft.as_ref()
    {
        let placed = place_order(state, tenant, &location, &message, draft, &lang).await?;
        reply = format!("{reply}\n\n{placed}").trim().to_owned();
    }
    if answer.answered_by == AnsweredBy::Restaurant
        && let Some(booking) = answer.booking.as_ref()
    {
        let placed = place_booking(state, tenant, &location, &message, booking, &lang).await?;
        reply = format!("{reply}\n\n{placed}").trim().to_owned();
    }
    let mut tx = state.db.tenant_tx(tenant).await?;
    store::mark_answered(&mut tx, &message.wamid).await?;
    let queued = answer.answered_by != AnsweredBy::Staff
        && !reply.trim().is_empty()
        && queue_reply(&mut tx, &keys, link, &message, &lang, reply).await?;
    tx.commit().await?;
    // Staff holding the conversation send their own words as they write them.
    if queued {
        state.whatsapp.run_tenant(tenant, Utc::now()).await?;
    }
    Ok(())
}

/// Queues `text` as the answer to the diner's `message` (keyed by it: answered again,
/// nothing more is queued); true when queued now.
async fn queue_reply(
    tx: &mut crate::store::Tx,
    keys: &crate::pii::TenantKeys,
    link: &Link,
    message: &Fresh,
    lang: &str,
    text: String,
) -> StoreResult<bool> {
    outbox::enqueue(
        tx,
        keys,
        link.location_id,
        &message.contact.wa_id,
        &format!("reply:{}", message.wamid),
        lang,
        &outbox::Message::Text { text },
    )
    .await
}

/// A diner's message while the restaurant does not answer on WhatsApp (its plan has no
/// WhatsApp, or it is read-only): the message stays recorded (marked answered, nothing
/// relayed to the assistant or the counter), and the diner gets one polite notice in
/// their conversation's language, at most once per 24 hours.
async fn not_answering(
    state: &AppState,
    tenant: TenantId,
    link: &Link,
    message: &Fresh,
) -> StoreResult<()> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let keys = state.vault.keys(&mut tx).await?;
    let lang = crate::store::chat::conversation(&mut tx, &keys, message.contact.conversation_id)
        .await?
        .map_or_else(|| "es".to_owned(), |c| c.language);
    let (es, en) = crate::billing::WHATSAPP_PAUSED;
    let notice = if lang == "en" { en } else { es }.to_owned();
    let queued =
        store::claim_paused_notice(&mut tx, &keys, link.location_id, &message.contact.wa_id)
            .await?
            && queue_reply(&mut tx, &keys, link, message, &lang, notice).await?;
    store::mark_answered(&mut tx, &message.wamid).await?;
    tx.commit().await?;
    tracing::info!(%tenant, "a WhatsApp message was recorded, not relayed: the plan does not answer");
    if queued {
        state.whatsapp.run_tenant(tenant, Utc::now()).await?;
    }
    Ok(())
}

/// Places the draft the diner confirmed as a pickup order at the counter, exactly like a
/// widget order (the cloud prices it from the synced menu, under the owner's order
/// settings and budgets), with the confirming message's id as its Idempotency-Key: the
/// relay answered again, or the task run again, finds the first order. Answers what to
/// tell the diner: the order's number and total, or why it was not taken (then nothing
/// of it is kept).
async fn place_order(
    state: &AppState,
    tenant: TenantId,
    location: &ChatLocation,
    message: &Fresh,
    draft: &ChatDraft,
    lang: &str,
) -> StoreResult<String> {
    let en = lang == "en";
    // Read-only (an unpaid plan past its grace): no order is taken, as on the widget.
    if crate::billing::ordering_paused(state, tenant).await? {
        let (es, english) = crate::billing::PAUSED;
        return Ok(if en { english } else { es }.to_owned());
    }
    let mut tx = state.db.tenant_tx(tenant).await?;
    let settings = crate::widget_settings::load(&mut tx).await?;
    let keys = state.vault.keys(&mut tx).await?;
    let name = store::contact_name(&mut tx, &keys, location.id, &message.contact.wa_id)
        .await?
        .map(|n| n.trim().chars().take(80).collect::<String>())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Cliente WhatsApp".to_owned());
    let request = OrderRequest {
        customer: OrderCustomer {
            name,
            phone: format!("+{}", message.contact.wa_id),
            email: None,
        },
        fulfilment: Fulfilment::Pickup,
        address: None,
        lines: draft
            .lines
            .iter()
            .map(|l| OrderLineRequest {
                item_id: l.item_id.0,
                quantity: i64::from(l.quantity),
                options: l.options.iter().map(|o| o.0).collect(),
                note: None,
            })
            .collect(),
        note: None,
        language: Some(if en { "en" } else { "es" }.to_owned()),
        payment: PaymentChoice::AtPickup,
        return_url: None,
        notify_by: None,
        messages_consent: None,
    };
    let key = format!("wa:{}", message.wamid);
    let hash = widget_orders::request_hash(&serde_json::to_value(&request).unwrap_or_default());
    let placed = widget_orders::place(
        state,
        &mut tx,
        location.id,
        &location.time_zone,
        widget_orders::Circumstances::of(&settings),
        widget_orders::Idempotency {
            key: &key,
            hash: &hash,
        },
        &request,
        widget_orders::Source::Whatsapp,
    )
    .await;
    let pick = |es: String, english: String| if en { english } else { es };
    Ok(match placed {
        Ok(order) => {
            store::remember_order(
                &mut tx,
                &keys,
                order.id,
                location.id,
                &message.contact.wa_id,
                lang,
            )
            .await?;
            tx.commit().await?;
            let number = order.number.map(|n| format!(" N° {n}")).unwrap_or_default();
            let number_en = order
                .number
                .map(|n| format!(" no. {n}"))
                .unwrap_or_default();
            let total = dysa_domain::money::Clp(order.total);
            let waiting = if order.waiting_for_restaurant {
                pick(
                    " El restaurante está sin conexión en este momento: lo verá apenas se conecte.".to_owned(),
                    " The restaurant is offline right now: it will see it as soon as it reconnects.".to_owned(),
                )
            } else {
                String::new()
            };
            pick(
                format!(
                    "Pedido{number} recibido · Total {total}, pagas al retirar. Te avisamos por aquí cuando el restaurante lo acepte.{waiting}"
                ),
                format!(
                    "Order{number_en} received · Total {total}, paid at pickup. We'll tell you here when the restaurant accepts it.{waiting}"
                ),
            )
        }
        Err(OrderError::Store(error)) => return Err(error),
        Err(error) => {
            tracing::info!(%error, "a WhatsApp order was not taken");
            match error {
                OrderError::OrdersOff | OrderError::Paused | OrderError::Offline => pick(
                    "El restaurante no está recibiendo pedidos en este momento. Escríbenos más tarde, por favor.".to_owned(),
                    "The restaurant is not taking orders right now. Please write again later.".to_owned(),
                ),
                OrderError::Invalid(_) => pick(
                    "No pudimos tomar el pedido: algo ya no está disponible en la carta. ¿Quieres cambiarlo?".to_owned(),
                    "We couldn't take the order: something is no longer available. Would you like to change it?".to_owned(),
                ),
                OrderError::TooManyPending(_) | OrderError::OverBudget(_) => pick(
                    "Ya tienes pedidos esperando al restaurante. Espera a que los acepte antes de pedir otro, por favor.".to_owned(),
                    "You already have orders waiting for the restaurant. Please wait until it accepts them.".to_owned(),
                ),
                _ => pick(
                    "No pudimos tomar el pedido por este medio. Llama o escribe al restaurante, por favor.".to_owned(),
                    "We couldn't take the order this way. Please call or write to the restaurant.".to_owned(),
                ),
            }
        }
    })
}

/// Makes the booking the diner confirmed with the restaurant's assistant exactly like a
/// widget booking (`bookings::book`, channel `whatsapp`, under the owner's booking
/// settings): pending for the counter to seat while it is connected, confirmed by the
/// cloud within the online quota while it is not. The diner is remembered first, in the
/// same transaction (`whatsapp_bookings`, keyed by the confirming message: answered again,
/// it books the same id, which writes nothing), so migration 0037's trigger tells them
/// the answer once — a booking confirmed at once included. Answers what to add to the
/// reply now (nothing when the confirmation is already queued).
async fn place_booking(
    state: &AppState,
    tenant: TenantId,
    location: &ChatLocation,
    message: &Fresh,
    booking: &ChatBooking,
    lang: &str,
) -> StoreResult<String> {
    let en = lang == "en";
    let pick = |es: String, english: String| if en { english } else { es };
    if crate::billing::ordering_paused(state, tenant).await? {
        let (es, english) = crate::billing::PAUSED;
        return Ok(pick(es.to_owned(), english.to_owned()));
    }
    let mut tx = state.db.tenant_tx(tenant).await?;
    let settings = crate::widget_settings::load(&mut tx).await?;
    if !settings.bookings.enabled {
        return Ok(pick(
            "El restaurante no está tomando reservas por este medio. Llámanos, por favor."
                .to_owned(),
            "The restaurant is not taking bookings this way. Please call us.".to_owned(),
        ));
    }
    let max = settings.bookings.max_party_size;
    if i64::from(booking.party_size) > i64::from(max) {
        return Ok(pick(
            format!(
                "Por aquí reservamos para hasta {max} personas; para un grupo más grande llámanos, por favor."
            ),
            format!("Here we book for up to {max} people; for a larger group please call us."),
        ));
    }
    // Every booking spends the location's hourly budget, as the widget's do, so nobody
    // fills every slot's online quota while the restaurant is offline.
    let budget = crate::widget_settings::BudgetSettings::limit(settings.budgets.bookings_per_hour);
    if state
        .limits
        .spend(location.id, crate::limits::Budget::Bookings, budget)
        .is_err()
    {
        return Ok(pick(
            "Recibimos muchas reservas en la última hora. Escríbenos más tarde o llámanos, por favor.".to_owned(),
            "We've had many bookings in the last hour. Please write later or call us.".to_owned(),
        ));
    }
    let keys = state.vault.keys(&mut tx).await?;
    let id = store::remember_booking(
        &mut tx,
        &keys,
        Uuid::now_v7(),
        location.id,
        &message.contact.wa_id,
        &message.wamid,
        lang,
    )
    .await?;
    let online = crate::presence::location_online(&mut tx, location.id).await?;
    let booked = bookings::book(
        state,
        &mut tx,
        location.id,
        NewBooking {
            id,
            name: booking.name.clone(),
            phone: booking.phone.clone(),
            email: None,
            party_size: booking.party_size,
            starts_at: format!("{}T{}", booking.date.trim(), booking.time.trim()),
            note: None,
            channel: BookingChannel::Whatsapp,
        },
        online,
    )
    .await;
    Ok(match booked {
        Ok(outcome) => {
            tx.commit().await?;
            match outcome.status {
                BookingStatus::Pending => pick(
                    "Tu solicitud de reserva ya está en el restaurante: te avisamos por aquí apenas la confirme.".to_owned(),
                    "Your booking request is with the restaurant: we'll tell you here as soon as it confirms it.".to_owned(),
                ),
                // The trigger queued the answer in this transaction.
                BookingStatus::Confirmed | BookingStatus::Cancelled => String::new(),
            }
        }
        Err(BookingError::Store(error)) => return Err(error),
        Err(error) => {
            tracing::info!(%error, "a WhatsApp booking was not taken");
            match error {
                BookingError::Invalid(_) => pick(
                    "No pude reservar a esa hora: ya pasó o queda fuera del horario de reservas. ¿Probamos otra?".to_owned(),
                    "I couldn't book that time: it has passed or is outside booking hours. Shall we try another?".to_owned(),
                ),
                _ => pick(
                    "No pudimos tomar la reserva por este medio. Llámanos, por favor.".to_owned(),
                    "We couldn't take the booking this way. Please call us.".to_owned(),
                ),
            }
        }
    })
}

/// Queues staff's message `id` (written at the counter in a taken-over conversation) for
/// the WhatsApp diner of `conversation`, in the caller's transaction; `false` when the
/// conversation is not a WhatsApp one of a linked location (a widget chat: its widget
/// fetches the message). Send with [`outbox::Outbox::run_tenant`] after the commit.
pub async fn queue_staff_message(
    tx: &mut crate::store::Tx,
    keys: &crate::pii::TenantKeys,
    conversation: Uuid,
    id: Uuid,
    text: &str,
) -> StoreResult<bool> {
    let Some(contact) = store::contact_of_conversation(tx, keys, conversation).await? else {
        return Ok(false);
    };
    if store::link_of_location(tx, contact.location_id)
        .await?
        .is_none()
    {
        return Ok(false);
    }
    let lang = crate::store::chat::conversation(tx, keys, conversation)
        .await?
        .map_or_else(|| "es".to_owned(), |c| c.language);
    outbox::enqueue(
        tx,
        keys,
        contact.location_id,
        &contact.wa_id,
        &format!("staff:{id}"),
        &lang,
        &outbox::Message::Text {
            text: text.to_owned(),
        },
    )
    .await
}
