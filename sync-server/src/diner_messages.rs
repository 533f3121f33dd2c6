//! What a widget diner hears about their order, by the channel they chose (issue 18,
//! Build 5), and the one-click email opt-out every diner email carries.
//!
//! The widget's order form offers the channels the restaurant can use now — WhatsApp
//! where the location has a linked number, SMS where the tenant linked Twilio, email
//! where the cloud has a mail transport — or none, with a consent checkbox (Ley 19.628,
//! unchecked by default). With consent and a channel, the order's transaction
//! remembers the contact and queues the confirmation ("recibimos tu pedido"); each later
//! status the counter syncs (aceptado, listo, rechazado with the reason) is queued once:
//!
//! - **WhatsApp**: the order is remembered in `whatsapp_orders`, so migration 0033's
//!   trigger queues its status messages exactly as for an order taken on WhatsApp.
//! - **SMS, email**: the contact is sealed in `order_contacts`; migration 0054's trigger
//!   writes each step once into `order_contact_steps` in the push's transaction, and
//!   [`flush`] (in that same transaction, and by a worker for any other writer) seals the
//!   SMS into `sms_outbox` or the mail into `mail_outbox`, keyed `order:{id}:{step}`.
//!
//! A replayed status sync writes no second step (the trigger's `ON CONFLICT DO NOTHING`
//! and the outboxes' `dedupe_key`s). Nothing is queued to a number or address in
//! `diner_opt_outs`; the SMS and WhatsApp workers check again when a message leaves.
//!
//! Opt-out by email: every diner email links to `/public/opt-out/{tenant}/{token}`, and
//! says so in its `List-Unsubscribe` header (RFC 8058). The token is the keyed hash of
//! the address (never the address) and a MAC over it under the tenant's lookup key: it
//! cannot be forged for another address or tenant, and it needs nothing stored.

use crate::state::AppState;
use crate::store::diner_contacts::{self as store, NewOrderContact, WaitingStep};
use crate::store::{StoreError, StoreResult, Tx};
use crate::whatsapp::outbox::{self as wa_outbox, Message, Step};
use crate::widget_orders::OrderRequest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dysa_domain::ids::{LocationId, TenantId};
use dysa_domain::validate::{FieldErrors, FieldIssue, Lang};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use subtle::ConstantTimeEq;
use uuid::Uuid;

/// How often the worker looks for status steps no push queued (a cloud-side change).
pub const FLUSH_EVERY: Duration = Duration::from_secs(60);
/// Steps queued per pass and tenant.
const BATCH: i64 = 200;

/// How the diner wants to hear about the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotifyChannel {
    /// The location's WhatsApp number.
    Whatsapp,
    /// SMS from the tenant's Twilio account.
    Sms,
    /// Email to `customer.email`.
    Email,
    /// Nothing.
    None,
}

/// The channels the widget may offer for `location` now (besides `none`).
pub async fn channels(
    state: &AppState,
    tx: &mut Tx,
    location: LocationId,
) -> StoreResult<Vec<NotifyChannel>> {
    let mut out = Vec::with_capacity(3);
    if crate::store::whatsapp::link_of_location(tx, location)
        .await?
        .is_some()
    {
        out.push(NotifyChannel::Whatsapp);
    }
    if crate::twilio::can_send(state, tx).await? {
        out.push(NotifyChannel::Sms);
    }
    if state.mail.mailer().is_configured() {
        out.push(NotifyChannel::Email);
    }
    Ok(out)
}

fn chosen(order: &OrderRequest) -> Option<NotifyChannel> {
    match order.notify_by {
        None | Some(NotifyChannel::None) => None,
        Some(channel) => Some(channel),
    }
}

/// Checks the diner's choice against what `location` offers: a channel it cannot use
/// now is a field error (`notify_by`), and email needs `customer.email`.
pub async fn check_choice(
    state: &AppState,
    tx: &mut Tx,
    location: LocationId,
    order: &OrderRequest,
) -> Result<(), crate::widget_orders::OrderError> {
    let Some(channel) = chosen(order) else {
        return Ok(());
    };
    let mut errors = FieldErrors::new();
    if !channels(state, tx, location).await?.contains(&channel) {
        errors.add(
            "notify_by",
            FieldIssue::Other {
                es: "este restaurante no puede avisarte por ese medio ahora".to_owned(),
                en: "this restaurant cannot reach you that way now".to_owned(),
            },
        );
    }
    if channel == NotifyChannel::Email
        && order
            .customer
            .email
            .as_deref()
            .is_none_or(|e| e.trim().is_empty())
    {
        errors.add("customer.email", FieldIssue::Required);
    }
    errors.into_result()?;
    Ok(())
}

fn lang_of(order: &OrderRequest) -> &'static str {
    if order.language.as_deref() == Some("en") {
        "en"
    } else {
        "es"
    }
}

fn order_label(number: Option<i64>, en: bool) -> String {
    match (number, en) {
        (Some(n), false) => format!("tu pedido N° {n}"),
        (Some(n), true) => format!("your order no. {n}"),
        (None, false) => "tu pedido".to_owned(),
        (None, true) => "your order".to_owned(),
    }
}

/// The confirmation's words by SMS or WhatsApp.
pub fn received_text(restaurant: &str, number: Option<i64>, lang: &str) -> String {
    let en = lang == "en";
    let order = order_label(number, en);
    if en {
        format!(
            "{restaurant}: we got {order}. We'll tell you when the restaurant accepts it. Reply STOP to receive no more messages."
        )
    } else {
        format!(
            "{restaurant}: recibimos {order}. Te avisamos cuando el restaurante lo acepte. Responde BAJA para no recibir más mensajes."
        )
    }
}

fn step_of(step: &str) -> Option<Step> {
    match step {
        "accepted" => Some(Step::Accepted),
        "ready" => Some(Step::Ready),
        "rejected" => Some(Step::Rejected),
        _ => None,
    }
}

/// A status step's words by SMS (the WhatsApp message's, named by the restaurant).
pub fn step_text(
    restaurant: &str,
    step: Step,
    number: Option<i64>,
    reason: Option<String>,
    lang: &str,
) -> String {
    let words = Message::OrderStatus {
        step,
        number,
        reason,
    }
    .render(lang);
    format!("{restaurant}: {words}")
}

fn email_subject(restaurant: &str, step: Option<Step>, number: Option<i64>, en: bool) -> String {
    let n = number.map(|n| format!(" N° {n}")).unwrap_or_default();
    let n_en = number.map(|n| format!(" no. {n}")).unwrap_or_default();
    match (step, en) {
        (None, false) => format!("{restaurant}: recibimos tu pedido{n}"),
        (None, true) => format!("{restaurant}: we got your order{n_en}"),
        (Some(Step::Accepted), false) => format!("{restaurant}: tu pedido{n} fue aceptado"),
        (Some(Step::Accepted), true) => format!("{restaurant}: your order{n_en} was accepted"),
        (Some(Step::Ready), false) => format!("{restaurant}: tu pedido{n} está listo"),
        (Some(Step::Ready), true) => format!("{restaurant}: your order{n_en} is ready"),
        (Some(Step::Rejected), false) => format!("{restaurant}: tu pedido{n} fue rechazado"),
        (Some(Step::Rejected), true) => format!("{restaurant}: your order{n_en} was refused"),
    }
}

fn email_dedupe(tenant: Uuid, subject: &str) -> String {
    // The mail outbox's keys are global: the tenant keeps two tenants' apart.
    format!("diner:{tenant}:{subject}")
}

/// Queues a mail to a diner, with the opt-out link; `false` when queued before.
#[allow(clippy::too_many_arguments)]
pub async fn queue_email(
    state: &AppState,
    tx: &mut Tx,
    tenant: TenantId,
    to: &str,
    hash: &[u8],
    dedupe: &str,
    lang: &str,
    restaurant: &str,
    subject: String,
    lines: Vec<String>,
    action: Option<(String, String)>,
) -> StoreResult<bool> {
    let keys = state.vault.keys(tx).await?;
    let unsubscribe = opt_out_link(
        &state.settings.public_url,
        &keys,
        tenant,
        "email",
        hash,
        lang,
    );
    let kind = crate::mail::templates::MailKind::DinerNotice {
        restaurant: restaurant.to_owned(),
        subject,
        lines,
        action,
        unsubscribe,
    };
    let lang = if lang == "en" { Lang::En } else { Lang::Es };
    crate::mail::outbox::Outbox::enqueue(tx, &email_dedupe(tenant.0, dedupe), to, lang, &kind).await
}

/// After a new widget order (in its transaction): remembers how the diner hears about
/// it and queues the confirmation, when they chose a channel and consented. Answers
/// whether something was queued (wake the senders after the commit).
pub async fn register_order(
    state: &AppState,
    tx: &mut Tx,
    tenant: TenantId,
    location: LocationId,
    order_id: Uuid,
    number: Option<i64>,
    order: &OrderRequest,
) -> StoreResult<bool> {
    let Some(channel) = chosen(order) else {
        return Ok(false);
    };
    if order.messages_consent != Some(true) {
        return Ok(false);
    }
    let lang = lang_of(order);
    let keys = state.vault.keys(tx).await?;
    let restaurant = store::restaurant_name(tx).await?;
    let received = format!("order:{order_id}:received");
    match channel {
        NotifyChannel::None => Ok(false),
        NotifyChannel::Whatsapp | NotifyChannel::Sms => {
            let Ok(phone) = dysa_domain::customer::normalize_phone(&order.customer.phone) else {
                return Ok(false);
            };
            let Some(hash) = keys.phone_hash(&phone) else {
                return Ok(false);
            };
            if crate::store::sms::opted_out(tx, "phone", &hash).await? {
                return Ok(false);
            }
            let text = received_text(&restaurant, number, lang);
            if channel == NotifyChannel::Whatsapp {
                let wa_id: String = phone.chars().filter(char::is_ascii_digit).collect();
                crate::store::whatsapp::remember_order(tx, &keys, order_id, location, &wa_id, lang)
                    .await?;
                wa_outbox::enqueue(
                    tx,
                    &keys,
                    location,
                    &wa_id,
                    &received,
                    lang,
                    &Message::Notice { text },
                )
                .await
            } else {
                let sealed = keys.seal(
                    "order_contacts",
                    "contact",
                    &order_id.to_string(),
                    phone.as_bytes(),
                );
                store::save_order_contact(
                    tx,
                    &NewOrderContact {
                        order: order_id,
                        location,
                        channel: "sms",
                        contact: &sealed,
                        contact_hash: &hash,
                        lang,
                    },
                )
                .await?;
                crate::twilio::queue(state, tx, &phone, &received, lang, &text).await
            }
        }
        NotifyChannel::Email => {
            let email = dysa_domain::validate::normalize_email(
                order.customer.email.as_deref().unwrap_or_default(),
            );
            let Some(hash) = keys.email_hash(&email) else {
                return Ok(false);
            };
            if crate::store::sms::opted_out(tx, "email", &hash).await? {
                return Ok(false);
            }
            let sealed = keys.seal(
                "order_contacts",
                "contact",
                &order_id.to_string(),
                email.as_bytes(),
            );
            store::save_order_contact(
                tx,
                &NewOrderContact {
                    order: order_id,
                    location,
                    channel: "email",
                    contact: &sealed,
                    contact_hash: &hash,
                    lang,
                },
            )
            .await?;
            let en = lang == "en";
            let line = if en {
                format!(
                    "We got {}. We'll write to you when the restaurant accepts it, and when it is ready.",
                    order_label(number, true)
                )
            } else {
                format!(
                    "Recibimos {}. Te escribimos cuando el restaurante lo acepte y cuando esté listo.",
                    order_label(number, false)
                )
            };
            queue_email(
                state,
                tx,
                tenant,
                &email,
                &hash,
                &received,
                lang,
                &restaurant,
                email_subject(&restaurant, None, number, en),
                vec![line],
                None,
            )
            .await
        }
    }
}

async fn queue_step(
    state: &AppState,
    tx: &mut Tx,
    tenant: TenantId,
    step: &WaitingStep,
) -> StoreResult<bool> {
    let Some(kind) = step_of(&step.step) else {
        return Ok(false);
    };
    let keys = state.vault.keys(tx).await?;
    let Some(contact) = keys
        .open(
            "order_contacts",
            "contact",
            &step.order_id.to_string(),
            &step.contact,
        )
        .and_then(|bytes| String::from_utf8(bytes).ok())
    else {
        tracing::error!(order = %step.order_id, "an order's contact does not open");
        return Ok(false);
    };
    let opt_kind = if step.channel == "email" {
        "email"
    } else {
        "phone"
    };
    if crate::store::sms::opted_out(tx, opt_kind, &step.contact_hash).await? {
        return Ok(false);
    }
    let dedupe = format!("order:{}:{}", step.order_id, step.step);
    let lang = step.lang.as_str();
    let text = step_text(
        &step.restaurant_name,
        kind,
        step.number,
        step.reason.clone(),
        lang,
    );
    if step.channel == "email" {
        let words = Message::OrderStatus {
            step: kind,
            number: step.number,
            reason: step.reason.clone(),
        }
        .render(lang);
        queue_email(
            state,
            tx,
            tenant,
            &contact,
            &step.contact_hash,
            &dedupe,
            lang,
            &step.restaurant_name,
            email_subject(&step.restaurant_name, Some(kind), step.number, lang == "en"),
            vec![words],
            None,
        )
        .await
    } else {
        crate::twilio::queue(state, tx, &contact, &dedupe, lang, &text).await
    }
}

/// Queues, in the caller's transaction (the tenant's), the SMS or mail of every order
/// status step written since the last pass; answers how many were queued (wake the
/// senders after the commit).
pub async fn flush(state: &AppState, tx: &mut Tx, tenant: TenantId) -> StoreResult<usize> {
    let mut queued = 0;
    for step in store::waiting_steps(tx, BATCH).await? {
        if queue_step(state, tx, tenant, &step).await? {
            queued += 1;
        }
        store::step_queued(tx, step.order_id, &step.step).await?;
    }
    Ok(queued)
}

/// Wakes the senders after diner messages were queued and committed.
pub fn wake(state: &AppState, tenant: TenantId) {
    state.sms.wake();
    state.mail.wake();
    let outbox = state.whatsapp.clone();
    tokio::spawn(async move {
        if let Err(error) = outbox.run_tenant(tenant, chrono::Utc::now()).await {
            tracing::warn!(%error, "could not send order messages by WhatsApp now");
        }
    });
}

/// One pass over every tenant with a step waiting: answers how many were queued.
pub async fn flush_all(state: &AppState) -> StoreResult<usize> {
    let mut queued = 0;
    for tenant in store::step_tenants(&state.db).await? {
        let mut tx = state.db.tenant_tx(tenant).await?;
        let here = flush(state, &mut tx, tenant).await?;
        tx.commit().await?;
        if here > 0 {
            state.sms.wake();
            state.mail.wake();
        }
        queued += here;
    }
    Ok(queued)
}

/// Runs [`flush_all`] every `every` for as long as the process lives (zero: not at all).
pub fn spawn(state: &AppState, every: Duration) {
    if every.is_zero() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            if let Err(error) = flush_all(&state).await {
                tracing::warn!(%error, "order messages not queued now; retried later");
            }
            tokio::time::sleep(every).await;
        }
    });
}

fn opt_out_mac(keys: &crate::pii::TenantKeys, payload: &str) -> String {
    URL_SAFE_NO_PAD.encode(&keys.lookup_hash("opt_out_link", payload)[..18])
}

/// The opt-out token of the holder of `hash` (a `phone` or `email` keyed hash).
pub fn opt_out_token(keys: &crate::pii::TenantKeys, kind: &str, hash: &[u8]) -> String {
    let payload = format!(
        "{}{}",
        if kind == "email" { 'e' } else { 'p' },
        URL_SAFE_NO_PAD.encode(hash)
    );
    let mac = opt_out_mac(keys, &payload);
    format!("{payload}.{mac}")
}

/// What a token names, when its MAC is the tenant's: the kind and the keyed hash.
pub fn read_opt_out_token(
    keys: &crate::pii::TenantKeys,
    token: &str,
) -> Option<(&'static str, Vec<u8>)> {
    let (payload, mac) = token.split_once('.')?;
    let expected = opt_out_mac(keys, payload);
    if !bool::from(expected.as_bytes().ct_eq(mac.as_bytes())) {
        return None;
    }
    let kind = match payload.chars().next()? {
        'e' => "email",
        'p' => "phone",
        _ => return None,
    };
    let hash = URL_SAFE_NO_PAD.decode(&payload[1..]).ok()?;
    (hash.len() == 32).then_some((kind, hash))
}

/// The public opt-out page of the holder of `hash`.
pub fn opt_out_link(
    public_url: &str,
    keys: &crate::pii::TenantKeys,
    tenant: TenantId,
    kind: &str,
    hash: &[u8],
    lang: &str,
) -> String {
    let lang = if lang == "en" { "?lang=en" } else { "" };
    format!(
        "{}/api/v1/public/opt-out/{tenant}/{}{lang}",
        public_url.trim_end_matches('/'),
        opt_out_token(keys, kind, hash)
    )
}

/// Why an opt-out link did not work.
#[derive(Debug, thiserror::Error)]
pub enum OptOutError {
    /// Unknown tenant, or a token not made by it.
    #[error("no such opt-out link")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for OptOutError {
    fn from(error: sqlx::Error) -> Self {
        OptOutError::Store(error.into())
    }
}

/// The link's restaurant name, when `token` is `tenant`'s; with `record`, the holder is
/// opted out (once; a second press keeps the first).
pub async fn opt_out_by_link(
    state: &AppState,
    tenant: TenantId,
    token: &str,
    record: bool,
) -> Result<String, OptOutError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    // The tenant first: a path naming no tenant of ours finds none, and no tenant key is
    // made for it.
    let restaurant = store::restaurant_name(&mut tx).await?;
    if restaurant.is_empty() {
        return Err(OptOutError::NotFound);
    }
    let keys = state.vault.keys(&mut tx).await?;
    let (kind, hash) = read_opt_out_token(&keys, token).ok_or(OptOutError::NotFound)?;
    if record {
        crate::store::sms::opt_out(&mut tx, kind, &hash, "email_link").await?;
    }
    tx.commit().await?;
    Ok(restaurant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_under_their_tenants_key() {
        let a = crate::pii::TenantKeys::from_data_key(Uuid::now_v7(), &[1; 32]);
        let b = crate::pii::TenantKeys::from_data_key(Uuid::now_v7(), &[2; 32]);
        let hash = a.email_hash("rosa@example.cl").unwrap_or_default();
        let token = opt_out_token(&a, "email", &hash);
        assert_eq!(
            read_opt_out_token(&a, &token),
            Some(("email", hash.clone()))
        );
        assert_eq!(read_opt_out_token(&b, &token), None);
        // Another address under the same MAC does not pass.
        let other = a.email_hash("otro@example.cl").unwrap_or_default();
        let (_, mac) = token.split_once('.').unwrap_or_default();
        let forged = format!("e{}.{mac}", URL_SAFE_NO_PAD.encode(&other));
        assert_eq!(read_opt_out_token(&a, &forged), None);
        assert!(!token.contains("rosa"));
    }

    #[test]
    fn words_name_the_restaurant_and_the_order() {
        assert_eq!(
            received_text("La Picá", Some(12), "es"),
            "La Picá: recibimos tu pedido N° 12. Te avisamos cuando el restaurante lo acepte. Responde BAJA para no recibir más mensajes."
        );
        assert!(
            step_text(
                "La Picá",
                Step::Rejected,
                Some(3),
                Some("Sin gas".into()),
                "es"
            )
            .ends_with("Motivo: Sin gas")
        );
        assert_eq!(
            email_subject("R", Some(Step::Ready), Some(4), true),
            "R: your order no. 4 is ready"
        );
    }
}
