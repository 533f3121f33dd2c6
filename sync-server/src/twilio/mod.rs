//! SMS by Twilio (issue 18, Build 4): where WhatsApp does not reach a diner, booking
//! confirmations and reminders go by SMS from the restaurant's own Twilio account.
//!
//! The owner links the account in the dashboard (Account SID, Auth Token, and a sending
//! number or messaging service); the Auth Token is sealed at rest with the cloud's
//! `credentials_key` exactly like Mercado Pago's credentials and never answered again
//! (docs/SECURITY.md). Every SMS goes through the durable [`outbox`] (sealed number,
//! retries with back-off, never twice) and the Messages API ([`client`]). Twilio calls
//! back twice per tenant: the status callback of each message (statuses recorded once
//! each and moving only forward) and incoming messages (a diner's STOP/BAJA/PARAR opts
//! the number out, ALTA/START opts it in again); both are refused with 401, and nothing
//! stored, unless `X-Twilio-Signature` verifies ([`signature`]).

pub mod client;
pub mod outbox;
pub mod signature;

use crate::diner_replies::{self, DinerReply};
use crate::mercado_pago::seal::CredentialsKey;
use crate::state::AppState;
use crate::store::sms::{self as store, NewSms, NewTwilio};
use crate::store::{StoreError, Tx};
use chrono::{DateTime, Utc};
use client::Account;
use dysa_domain::ids::{AccountId, TenantId};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The sealed field's name (associated data of the seal).
const TOKEN_FIELD: &str = "twilio_auth_token";

/// Why a Twilio operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    /// The cloud has no `credentials_key`: it cannot keep credentials.
    #[error("SMS is not configured on this cloud")]
    NotConfigured,
    /// Bad input.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// A webhook whose signature does not verify (or an unknown tenant).
    #[error("bad signature")]
    BadSignature,
    /// Signed, but not what Twilio sends.
    #[error("malformed webhook: {0}")]
    Malformed(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SmsError {
    fn from(error: sqlx::Error) -> Self {
        SmsError::Store(error.into())
    }
}

/// What an owner sends to link Twilio. Write-only: never answered back.
#[derive(Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = TwilioLinkRequest)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    /// The Account SID (`AC` and 32 hex digits), from Twilio's console.
    pub account_sid: String,
    /// The Auth Token.
    pub auth_token: String,
    /// The sending number in E.164 (`+56…`), when no messaging service is given.
    #[serde(default)]
    pub from_number: Option<String>,
    /// A Messaging Service SID (`MG…`): Twilio picks the sender.
    #[serde(default)]
    pub messaging_service_sid: Option<String>,
}

impl std::fmt::Debug for LinkRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkRequest")
            .field("account_sid", &self.account_sid)
            .finish_non_exhaustive()
    }
}

/// Whether Twilio is linked, and the URLs to set in Twilio's console. Never the token.
// Named apart from Mercado Pago's `LinkStatus` in the OpenAPI document (the same name
// made the two share one schema, Mercado Pago's, in the generated client).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[schema(as = TwilioLinkStatus)]
pub struct LinkStatus {
    /// Whether an account is linked.
    pub linked: bool,
    /// The sender (number or messaging service) when linked.
    pub sender: Option<String>,
    /// When it was linked.
    pub linked_at: Option<DateTime<Utc>>,
    /// The "A message comes in" webhook URL to set on the number (STOP, ALTA, SI, NO).
    pub inbound_url: String,
}

fn issue(es: &str, en: &str) -> FieldIssue {
    FieldIssue::Other {
        es: es.to_owned(),
        en: en.to_owned(),
    }
}

fn hex_sid(text: &str, prefix: &str) -> bool {
    text.len() == 34 && text.starts_with(prefix) && text[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn e164(text: &str) -> bool {
    let digits = text.strip_prefix('+').unwrap_or("");
    (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// Checks what an owner sends.
pub fn check_link(request: &LinkRequest) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    errors.check(
        hex_sid(request.account_sid.trim(), "AC"),
        "account_sid",
        issue(
            "no parece un Account SID de Twilio (AC y 32 caracteres)",
            "does not look like a Twilio Account SID (AC and 32 characters)",
        ),
    );
    let token = request.auth_token.trim();
    errors.check(
        (16..=128).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_graphic()),
        "auth_token",
        issue(
            "no parece un Auth Token de Twilio",
            "does not look like a Twilio Auth Token",
        ),
    );
    let from = request.from_number.as_deref().map(str::trim);
    let service = request.messaging_service_sid.as_deref().map(str::trim);
    errors.check(
        from.is_none_or(e164),
        "from_number",
        issue(
            "escribe el número en formato internacional, por ejemplo +56912345678",
            "write the number in international format, e.g. +56912345678",
        ),
    );
    errors.check(
        service.is_none_or(|s| hex_sid(s, "MG")),
        "messaging_service_sid",
        issue(
            "no parece un Messaging Service SID (MG y 32 caracteres)",
            "does not look like a Messaging Service SID (MG and 32 characters)",
        ),
    );
    errors.check(
        from.is_some() || service.is_some(),
        "from_number",
        issue(
            "indica el número que envía o un Messaging Service",
            "give the sending number or a Messaging Service",
        ),
    );
    errors.into_result()
}

fn key(state: &AppState) -> Result<&CredentialsKey, SmsError> {
    state.payments_key.as_ref().ok_or(SmsError::NotConfigured)
}

/// Links (or relinks) the tenant's Twilio account, the token sealed.
pub async fn link(
    state: &AppState,
    tenant: TenantId,
    by: Option<AccountId>,
    request: &LinkRequest,
) -> Result<(), SmsError> {
    check_link(request).map_err(SmsError::Invalid)?;
    let sealed = key(state)?.seal(tenant.0, TOKEN_FIELD, request.auth_token.trim());
    let mut tx = state.db.tenant_tx(tenant).await?;
    store::save_account(
        &mut tx,
        NewTwilio {
            account_sid: request.account_sid.trim(),
            auth_token: &sealed,
            from_number: request.from_number.as_deref().map(str::trim),
            messaging_service_sid: request.messaging_service_sid.as_deref().map(str::trim),
        },
        by,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where Twilio posts incoming messages for `tenant`.
pub fn inbound_url(state: &AppState, tenant: TenantId) -> String {
    format!(
        "{}/api/v1/webhooks/twilio/{tenant}/inbound",
        state.settings.public_url.trim_end_matches('/')
    )
}

/// Where Twilio posts the statuses of messages sent for `tenant`.
pub fn status_callback_url(public_url: &str, tenant: TenantId) -> String {
    format!(
        "{}/api/v1/webhooks/twilio/{tenant}/status",
        public_url.trim_end_matches('/')
    )
}

/// Whether the tenant linked Twilio.
pub async fn status(state: &AppState, tenant: TenantId) -> Result<LinkStatus, SmsError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let account = store::account(&mut tx).await?;
    tx.commit().await?;
    Ok(LinkStatus {
        linked: account.is_some(),
        sender: account
            .as_ref()
            .and_then(|a| a.messaging_service_sid.clone().or(a.from_number.clone())),
        linked_at: account.map(|a| a.linked_at),
        inbound_url: inbound_url(state, tenant),
    })
}

/// Unlinks the tenant's account (its token deleted); whether one was linked.
pub async fn unlink(state: &AppState, tenant: TenantId) -> Result<bool, SmsError> {
    let mut tx = state.db.tenant_tx(tenant).await?;
    let removed = store::delete_account(&mut tx).await?;
    tx.commit().await?;
    Ok(removed)
}

/// The opened account of the tenant of `tx`, if linked and the key opens it.
pub async fn account(
    key: Option<&CredentialsKey>,
    tenant: TenantId,
    tx: &mut Tx,
) -> Result<Option<Account>, StoreError> {
    let (Some(key), Some(sealed)) = (key, store::account(tx).await?) else {
        return Ok(None);
    };
    let Some(auth_token) = key.open(tenant.0, TOKEN_FIELD, &sealed.auth_token) else {
        tracing::error!(%tenant, "the Twilio token does not open under the credentials key");
        return Ok(None);
    };
    Ok(Some(Account {
        account_sid: sealed.account_sid,
        auth_token,
        from_number: sealed.from_number,
        messaging_service_sid: sealed.messaging_service_sid,
    }))
}

/// Whether the tenant of `tx` can send SMS now.
pub async fn can_send(state: &AppState, tx: &mut Tx) -> Result<bool, StoreError> {
    Ok(state.payments_key.is_some() && store::account(tx).await?.is_some())
}

/// Queues `body` to `phone` in the caller's transaction, the number sealed under the
/// tenant's data key (wake [`outbox::SmsOutbox`] after the commit); `false` when
/// `dedupe_key` was queued before or the number holds no digit.
pub async fn queue(
    state: &AppState,
    tx: &mut Tx,
    phone: &str,
    dedupe_key: &str,
    lang: &str,
    body: &str,
) -> Result<bool, StoreError> {
    let keys = state.vault.keys(tx).await?;
    let Some(hash) = keys.phone_hash(phone) else {
        return Ok(false);
    };
    let id = Uuid::now_v7();
    let sealed = keys.seal(
        "sms_outbox",
        "phone",
        &id.to_string(),
        phone.trim().as_bytes(),
    );
    let body: String = body.chars().take(client::MAX_BODY_CHARS).collect();
    store::enqueue(
        tx,
        &NewSms {
            id,
            phone: &sealed,
            phone_hash: &hash,
            dedupe_key,
            lang: if lang == "en" { "en" } else { "es" },
            body: &body,
        },
    )
    .await
}

/// A signed webhook as it arrived: the full URL Twilio called (the cloud's public URL and
/// the path and query), its form parameters and its `X-Twilio-Signature`.
#[derive(Clone, Debug)]
pub struct Signed<'a> {
    /// The full URL.
    pub url: String,
    /// The form's parameters, in the order posted.
    pub params: Vec<(String, String)>,
    /// The header.
    pub signature: Option<&'a str>,
}

impl Signed<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Checks `signed` against the tenant's Auth Token and AccountSid: the tenant and its
/// opened account, or [`SmsError::BadSignature`] (nothing is read from the form first).
async fn verified(
    state: &AppState,
    tenant: Uuid,
    signed: &Signed<'_>,
) -> Result<(TenantId, Tx), SmsError> {
    let tenant = store::account_tenant(&state.db, tenant)
        .await?
        .ok_or(SmsError::BadSignature)?;
    let mut tx = state.db.tenant_tx(tenant).await?;
    let account = account(state.payments_key.as_ref(), tenant, &mut tx)
        .await?
        .ok_or(SmsError::BadSignature)?;
    if !signature::signature_ok(
        &account.auth_token,
        &signed.url,
        &signed.params,
        signed.signature,
    ) || signed.param("AccountSid") != Some(account.account_sid.as_str())
    {
        return Err(SmsError::BadSignature);
    }
    Ok((tenant, tx))
}

/// A status callback for `tenant`: once its signature checks, the status is recorded
/// once per (message, status), and the message's status moves only forward. Answers
/// whether anything new was recorded.
pub async fn status_callback(
    state: &AppState,
    tenant: Uuid,
    signed: &Signed<'_>,
) -> Result<bool, SmsError> {
    let (_, mut tx) = verified(state, tenant, signed).await?;
    let sid = signed
        .param("MessageSid")
        .filter(|s| (2..=64).contains(&s.len()))
        .ok_or_else(|| SmsError::Malformed("no MessageSid".into()))?;
    let status = signed
        .param("MessageStatus")
        .filter(|s| client::status_rank(s).is_some())
        .ok_or_else(|| SmsError::Malformed("no outbound MessageStatus".into()))?;
    let code = signed
        .param("ErrorCode")
        .and_then(|c| c.parse::<i32>().ok());
    let new = store::record_status_event(&mut tx, sid, status, code).await?;
    if new && let Some(current) = store::provider_status(&mut tx, sid).await? {
        let forward = current
            .as_deref()
            .and_then(client::status_rank)
            .is_none_or(|rank| client::status_rank(status) > Some(rank));
        if forward {
            store::set_provider_status(&mut tx, sid, status).await?;
        }
    }
    tx.commit().await?;
    Ok(new)
}

/// What an incoming message did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inbound {
    /// The number opted out (STOP, BAJA, PARAR…).
    OptedOut,
    /// The number opted in again (START, ALTA).
    OptedIn,
    /// A SI or NO answered a booking's reminder: what to tell the diner.
    Answered(String),
    /// Nothing we act on.
    Ignored,
}

impl Inbound {
    /// The TwiML answer: a confirmation for our Spanish keywords (Twilio answers its own
    /// English ones, STOP and START, itself), else an empty `<Response/>`.
    pub fn twiml(&self, body: &str) -> String {
        let text = match self {
            Inbound::Answered(text) => Some(text.as_str()),
            _ if is_twilio_keyword(body) => None,
            Inbound::OptedOut => Some(diner_replies::opted_out_text("es")),
            Inbound::OptedIn => Some(diner_replies::opted_in_text("es")),
            Inbound::Ignored => None,
        };
        match text {
            Some(text) => format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{}</Message></Response>",
                xml_escape(text)
            ),
            None => "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>".to_owned(),
        }
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Twilio's own default keywords (it confirms those itself).
fn is_twilio_keyword(body: &str) -> bool {
    let word = body.trim().to_ascii_uppercase();
    [
        "STOP",
        "STOPALL",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "OPTOUT",
        "REVOKE",
        "START",
        "UNSTOP",
    ]
    .contains(&word.as_str())
}

/// An incoming message for `tenant` (Twilio's "A message comes in" webhook, form fields
/// `From`, `To`, `Body`, `MessageSid`, `AccountSid`): a keyword opts the sender out or
/// in, stored as the tenant's keyed hash of the number.
pub async fn inbound(
    state: &AppState,
    tenant: Uuid,
    signed: &Signed<'_>,
) -> Result<Inbound, SmsError> {
    let (_, mut tx) = verified(state, tenant, signed).await?;
    let from = signed
        .param("From")
        .ok_or_else(|| SmsError::Malformed("no From".into()))?;
    let body = signed.param("Body").unwrap_or_default();
    let keys = state.vault.keys(&mut tx).await?;
    let Some(hash) = keys.phone_hash(from) else {
        return Err(SmsError::Malformed("From holds no number".into()));
    };
    let done = match diner_replies::classify(body) {
        DinerReply::OptOut => {
            store::opt_out(&mut tx, "phone", &hash, "sms").await?;
            Inbound::OptedOut
        }
        DinerReply::OptIn => {
            store::opt_in(&mut tx, "phone", &hash).await?;
            Inbound::OptedIn
        }
        reply @ (DinerReply::Yes | DinerReply::No) => {
            match crate::booking_messages::answer(state, &mut tx, &hash, reply, Utc::now()).await {
                Ok(Some(text)) => Inbound::Answered(text),
                Ok(None) => Inbound::Ignored,
                Err(crate::booking_messages::LinkError::Store(error)) => return Err(error.into()),
                Err(error) => {
                    tracing::warn!(%error, "a booking answer by SMS was not applied");
                    Inbound::Ignored
                }
            }
        }
        DinerReply::Other => Inbound::Ignored,
    };
    tx.commit().await?;
    Ok(done)
}

/// Whether the holder of `phone` opted out (the tenant of `tx`): every sender of diner
/// messages asks before one leaves.
pub async fn phone_opted_out(
    state_vault: &crate::pii::Vault,
    tx: &mut Tx,
    phone: &str,
) -> Result<bool, StoreError> {
    let keys = state_vault.keys(tx).await?;
    match keys.phone_hash(phone) {
        Some(hash) => store::opted_out(tx, "phone", &hash).await,
        None => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> LinkRequest {
        LinkRequest {
            account_sid: format!("AC{}", "a1".repeat(16)),
            auth_token: "0123456789abcdef0123456789abcdef".into(),
            from_number: Some("+56912345678".into()),
            messaging_service_sid: None,
        }
    }

    #[test]
    fn a_link_needs_a_plausible_account_and_a_sender() {
        assert!(check_link(&request()).is_ok());
        let mut bad = request();
        bad.account_sid = "AC123".into();
        assert!(check_link(&bad).is_err());
        let mut none = request();
        none.from_number = None;
        assert!(check_link(&none).is_err());
        let mut service = none.clone();
        service.messaging_service_sid = Some(format!("MG{}", "0".repeat(32)));
        assert!(check_link(&service).is_ok());
        let mut local = request();
        local.from_number = Some("912345678".into());
        assert!(check_link(&local).is_err());
    }

    #[test]
    fn spanish_keywords_are_confirmed_by_us_english_ones_by_twilio() {
        assert!(Inbound::OptedOut.twiml("BAJA").contains("no te enviaremos"));
        assert!(!Inbound::OptedOut.twiml("STOP").contains("<Message>"));
        assert!(Inbound::OptedIn.twiml("alta").contains("volverás"));
        assert!(!Inbound::Ignored.twiml("hola").contains("<Message>"));
    }
}
