//! SendGrid: the v3 Mail Send client and the signed Event Webhook.
//!
//! Mail Send (<https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send>):
//! `POST {base}/v3/mail/send` with `Authorization: Bearer <key>` and a JSON body of
//! `personalizations` (recipients, `custom_args`), `from`, `subject` and `content`
//! (`text/plain` before `text/html`); `202 Accepted` with an empty body and the
//! `X-Message-Id` header means taken; `4xx` bodies are `{"errors":[{"message","field"}]}`.
//!
//! Event Webhook security
//! (<https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features>):
//! each POST carries `X-Twilio-Email-Event-Webhook-Signature` (base64 of an ASN.1 DER
//! ECDSA signature) and `X-Twilio-Email-Event-Webhook-Timestamp`; the signature is
//! ECDSA P-256 with SHA-256 over the timestamp followed by the raw body, checked with the
//! public key SendGrid shows under Mail Settings (base64 of its DER SubjectPublicKeyInfo).
//! The body is a JSON array of events
//! (<https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event>), each with
//! `email`, `event`, `sg_event_id`, `timestamp`, and our `custom_args` copied in at the top.

use super::{Accepted, MailConfigError, Outgoing, SendError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use lettre::message::Mailbox;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::pkcs8::DecodePublicKey;
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;

/// The header with the webhook's signature.
pub const SIGNATURE_HEADER: &str = "x-twilio-email-event-webhook-signature";
/// The header with the signed timestamp.
pub const TIMESTAMP_HEADER: &str = "x-twilio-email-event-webhook-timestamp";
/// The `custom_args` key naming the outbox row.
pub const OUTBOX_ARG: &str = "outbox_id";

/// A SendGrid Mail Send client.
#[derive(Clone)]
pub struct SendGrid {
    http: reqwest::Client,
    url: String,
    key: String,
    from: Mailbox,
}

impl SendGrid {
    /// A client for the API at `base` (`https://api.sendgrid.com`; tests pass their fake).
    pub fn new(base: &str, key: &str, from: Mailbox) -> Result<SendGrid, MailConfigError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| MailConfigError::Http(e.to_string()))?;
        Ok(SendGrid {
            http,
            url: format!("{}/v3/mail/send", base.trim_end_matches('/')),
            key: key.to_owned(),
            from,
        })
    }

    /// The Mail Send body of `mail`.
    pub fn body(&self, mail: &Outgoing) -> Value {
        let mut body = self.message(mail);
        // One-click opt-out (RFC 8058), as SendGrid takes extra headers.
        if let Some(url) = &mail.list_unsubscribe {
            body["headers"] = json!({
                "List-Unsubscribe": format!("<{url}>"),
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            });
        }
        body
    }

    fn message(&self, mail: &Outgoing) -> Value {
        let mut from = json!({ "email": self.from.email.to_string() });
        if let Some(name) = &self.from.name {
            from["name"] = json!(name);
        }
        json!({
            "personalizations": [{
                "to": [{ "email": mail.to }],
                "custom_args": { OUTBOX_ARG: mail.id.to_string() },
            }],
            "from": from,
            "subject": mail.subject,
            "content": [
                { "type": "text/plain", "value": mail.text },
                { "type": "text/html", "value": mail.html },
            ],
        })
    }

    /// Sends one mail.
    pub async fn send(&self, mail: &Outgoing) -> Result<Accepted, SendError> {
        let sent = self
            .http
            .post(&self.url)
            .bearer_auth(&self.key)
            .json(&self.body(mail))
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            // Not connected: nothing went out.
            Err(error) if error.is_connect() => {
                return Err(SendError::Transient(error.to_string()));
            }
            // Sent, maybe taken, no answer: never sent again.
            Err(error) => return Err(SendError::Uncertain(error.to_string())),
        };
        let status = response.status();
        if status.is_success() {
            let provider_id = response
                .headers()
                .get("x-message-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            return Ok(Accepted { provider_id });
        }
        let detail = response.text().await.unwrap_or_default();
        let detail: String = format!("HTTP {status}: {detail}")
            .chars()
            .take(500)
            .collect();
        if status.as_u16() == 429 || status.is_server_error() {
            Err(SendError::Transient(detail))
        } else {
            Err(SendError::Permanent(detail))
        }
    }
}

/// The webhook's verification key.
#[derive(Clone, Debug)]
pub struct WebhookKey(VerifyingKey);

impl WebhookKey {
    /// Reads the key as SendGrid shows it: base64 of the DER SubjectPublicKeyInfo (a PEM
    /// block is accepted too).
    pub fn parse(text: &str) -> Result<WebhookKey, MailConfigError> {
        let body: String = text
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect::<String>()
            .split_whitespace()
            .collect();
        let der = STANDARD
            .decode(body)
            .map_err(|e| MailConfigError::WebhookKey(e.to_string()))?;
        VerifyingKey::from_public_key_der(&der)
            .map(WebhookKey)
            .map_err(|e| MailConfigError::WebhookKey(e.to_string()))
    }

    /// Whether `signature` (base64 DER) signs `timestamp` followed by `body`.
    pub fn verifies(&self, timestamp: &str, body: &[u8], signature: &str) -> bool {
        let Ok(bytes) = STANDARD.decode(signature.trim()) else {
            return false;
        };
        let Ok(signature) = Signature::from_der(&bytes) else {
            return false;
        };
        let mut signed = Vec::with_capacity(timestamp.len() + body.len());
        signed.extend_from_slice(timestamp.as_bytes());
        signed.extend_from_slice(body);
        self.0.verify(&signed, &signature).is_ok()
    }
}

/// One event of the webhook, as far as the cloud cares.
#[derive(Clone, Debug, Deserialize)]
pub struct Event {
    /// The recipient.
    #[serde(default)]
    pub email: String,
    /// `processed`, `delivered`, `bounce`, `dropped`, `spamreport`, …
    #[serde(default)]
    pub event: String,
    /// SendGrid's id of the event (unique; a redelivery repeats it).
    #[serde(default)]
    pub sg_event_id: Option<String>,
    /// Why (bounces, drops).
    #[serde(default)]
    pub reason: Option<String>,
    /// For bounces: `bounce` (permanent) or `blocked` (the receiver refused for now).
    #[serde(default, rename = "type")]
    pub bounce_type: Option<String>,
    /// Our outbox row, from `custom_args`.
    #[serde(default)]
    pub outbox_id: Option<String>,
}

impl Event {
    /// The outbox row the event is about, if it names one.
    pub fn outbox(&self) -> Option<Uuid> {
        self.outbox_id.as_deref().and_then(|id| id.parse().ok())
    }

    /// What the address should be marked with: a hard bounce, a drop or a spam report
    /// (a `blocked` bounce is the receiver refusing for now, not a dead address).
    pub fn address_event(&self) -> Option<&'static str> {
        match self.event.as_str() {
            "bounce" if self.bounce_type.as_deref() != Some("blocked") => Some("bounce"),
            "dropped" => Some("dropped"),
            "spamreport" => Some("spamreport"),
            _ => None,
        }
    }

    /// Whether SendGrid took the mail (settles a row left `uncertain`).
    pub fn means_taken(&self) -> bool {
        matches!(self.event.as_str(), "processed" | "delivered")
    }
}

/// Why a webhook post was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebhookError {
    /// No key configured, a header missing, or a signature that does not verify.
    #[error("bad signature")]
    BadSignature,
    /// Signed, but not a JSON array of events.
    #[error("malformed events: {0}")]
    Malformed(String),
}

/// Checks the signature of a webhook post and reads its events. With no key configured
/// every post is refused: unsigned events could mark any address as bouncing.
pub fn verify_events(
    key: Option<&WebhookKey>,
    signature: Option<&str>,
    timestamp: Option<&str>,
    body: &[u8],
) -> Result<Vec<Event>, WebhookError> {
    let (Some(key), Some(signature), Some(timestamp)) = (key, signature, timestamp) else {
        return Err(WebhookError::BadSignature);
    };
    if !key.verifies(timestamp, body, signature) {
        return Err(WebhookError::BadSignature);
    }
    serde_json::from_slice(body).map_err(|e| WebhookError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::SigningKey;
    use p256::ecdsa::signature::Signer;
    use p256::pkcs8::EncodePublicKey;

    fn key_pair() -> (SigningKey, WebhookKey) {
        let signing = SigningKey::from_slice(&[7u8; 32]).expect("key");
        let der = signing.verifying_key().to_public_key_der().expect("der");
        let public = WebhookKey::parse(&STANDARD.encode(der.as_bytes())).expect("parse");
        (signing, public)
    }

    fn sign(key: &SigningKey, timestamp: &str, body: &[u8]) -> String {
        let mut signed = timestamp.as_bytes().to_vec();
        signed.extend_from_slice(body);
        let signature: Signature = key.sign(&signed);
        STANDARD.encode(signature.to_der().as_bytes())
    }

    #[test]
    fn a_signed_body_verifies_and_any_change_does_not() {
        let (signing, public) = key_pair();
        let body = br#"[{"email":"a@b.cl","event":"bounce","sg_event_id":"e1"}]"#;
        let signature = sign(&signing, "1700000000", body);
        let events = verify_events(Some(&public), Some(&signature), Some("1700000000"), body)
            .expect("verifies");
        assert_eq!(events[0].address_event(), Some("bounce"));
        let other_time = verify_events(Some(&public), Some(&signature), Some("1700000001"), body);
        assert_eq!(other_time.expect_err("refused"), WebhookError::BadSignature);
        let mut changed = body.to_vec();
        changed[12] = b'x';
        let tampered = verify_events(
            Some(&public),
            Some(&signature),
            Some("1700000000"),
            &changed,
        );
        assert_eq!(tampered.expect_err("refused"), WebhookError::BadSignature);
        assert_eq!(
            verify_events(None, Some(&signature), Some("1700000000"), body).expect_err("refused"),
            WebhookError::BadSignature
        );
        assert_eq!(
            verify_events(
                Some(&public),
                Some("bm90IGEgc2lnbmF0dXJl"),
                Some("1700000000"),
                body
            )
            .expect_err("refused"),
            WebhookError::BadSignature
        );
    }

    #[test]
    fn the_sample_of_the_sendgrid_libraries_verifies() {
        // The key, signature, timestamp and payload of SendGrid's own library tests
        // (@sendgrid/eventwebhook): a check that we sign over the same bytes they do.
        let key = WebhookKey::parse("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==").expect("key");
        let payload =
            r#"{"category":"example_payload","event":"test_event","message_id":"message_id"}"#;
        assert!(key.verifies(
            "1588788367",
            payload.as_bytes(),
            "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0="
        ));
    }

    #[test]
    fn blocked_bounces_do_not_mark_the_address() {
        let event: Event = serde_json::from_value(json!({
            "email": "a@b.cl", "event": "bounce", "type": "blocked", "sg_event_id": "x"
        }))
        .expect("event");
        assert_eq!(event.address_event(), None);
    }
}
