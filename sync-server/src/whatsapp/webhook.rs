//! Meta's webhook for the WhatsApp Business Platform (Cloud API): the verification
//! handshake and the signed notifications.
//!
//! Followed: Meta's "Webhooks — Getting started" (verification requests carry
//! `hub.mode=subscribe`, `hub.verify_token` and `hub.challenge`; answer the challenge
//! when the token is yours; event notifications are signed with an SHA256 HMAC of the
//! payload keyed by the app secret, in `X-Hub-Signature-256: sha256=<hex>`),
//! <https://developers.facebook.com/docs/graph-api/webhooks/getting-started>, and the
//! WhatsApp Cloud API's webhook payload reference (`object: whatsapp_business_account`,
//! `entry[].changes[].value` with `metadata.phone_number_id`, `contacts`, `messages`
//! and `statuses`), <https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components>,
//! as the official Node SDK implements both
//! (github.com/WhatsApp/WhatsApp-Nodejs-SDK, `webhooks.start()`: a wrong token or a
//! signature mismatch is answered 401).

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// The header Meta signs notifications in.
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

/// Whether a GET handshake may be answered with its challenge: `hub.mode` is
/// `subscribe` and `hub.verify_token` equals the link's token (compared in constant time,
/// so the answer time does not tell how much of a guess was right).
pub fn handshake_ok(mode: Option<&str>, token: Option<&str>, expected: &str) -> bool {
    let (Some(mode), Some(token)) = (mode, token) else {
        return false;
    };
    mode == "subscribe" && constant_time_eq(token.as_bytes(), expected.as_bytes())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    // HMAC both sides under one key: equal outputs iff equal inputs, and the final
    // comparison is the MAC's own constant-time one (lengths do not leak either).
    let key = b"dysa whatsapp verify token";
    let Ok(mut left) = Hmac::<Sha256>::new_from_slice(key) else {
        return false;
    };
    left.update(a);
    let Ok(mut right) = Hmac::<Sha256>::new_from_slice(key) else {
        return false;
    };
    right.update(b);
    left.verify(&right.finalize().into_bytes()).is_ok()
}

/// Whether `header` (`sha256=<64 hex digits>`) is the HMAC-SHA256 of the raw `body`
/// under `app_secret`, checked in constant time.
pub fn signature_ok(app_secret: &str, header: Option<&str>, body: &[u8]) -> bool {
    let Some(hex) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else {
        return false;
    };
    let Some(given) = decode_hex(hex) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// The HMAC-SHA256 header value of `body` under `secret` (what Meta sends; the tests'
/// fake signs with it).
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// A notification (`object: whatsapp_business_account`).
#[derive(Debug, Default, Deserialize)]
pub struct Notification {
    /// `whatsapp_business_account`.
    #[serde(default)]
    pub object: String,
    /// One entry per business account.
    #[serde(default)]
    pub entry: Vec<Entry>,
}

/// An entry of a notification.
#[derive(Debug, Default, Deserialize)]
pub struct Entry {
    /// The changes.
    #[serde(default)]
    pub changes: Vec<Change>,
}

/// A change: `field` is `messages` for messages and statuses.
#[derive(Debug, Default, Deserialize)]
pub struct Change {
    /// Which subscription field.
    #[serde(default)]
    pub field: String,
    /// Its value.
    #[serde(default)]
    pub value: ChangeValue,
}

/// The value of a `messages` change.
#[derive(Debug, Default, Deserialize)]
pub struct ChangeValue {
    /// The business number the change is about.
    #[serde(default)]
    pub metadata: Option<Metadata>,
    /// Who wrote (name and WhatsApp id).
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Diners' messages.
    #[serde(default)]
    pub messages: Vec<InboundMessage>,
    /// What happened to the business's messages.
    #[serde(default)]
    pub statuses: Vec<Status>,
}

/// The business number of a change.
#[derive(Debug, Default, Deserialize)]
pub struct Metadata {
    /// Its phone number id (what the link names).
    #[serde(default)]
    pub phone_number_id: String,
}

/// A diner.
#[derive(Debug, Default, Deserialize)]
pub struct Contact {
    /// Their WhatsApp id (their number, digits only).
    #[serde(default)]
    pub wa_id: String,
    /// Their profile.
    #[serde(default)]
    pub profile: Option<Profile>,
}

/// A diner's profile.
#[derive(Debug, Default, Deserialize)]
pub struct Profile {
    /// Their name as they set it.
    #[serde(default)]
    pub name: String,
}

/// A diner's message.
#[derive(Debug, Default, Deserialize)]
pub struct InboundMessage {
    /// Meta's message id (`wamid.…`): the same on a redelivery.
    pub id: String,
    /// The diner's WhatsApp id.
    pub from: String,
    /// `text`, `image`, …
    #[serde(default, rename = "type")]
    pub kind: String,
    /// The text of a `text` message.
    #[serde(default)]
    pub text: Option<TextBody>,
}

/// The body of a text message.
#[derive(Debug, Default, Deserialize)]
pub struct TextBody {
    /// What the diner wrote.
    #[serde(default)]
    pub body: String,
}

/// A status of a message the business sent.
#[derive(Debug, Default, Deserialize)]
pub struct Status {
    /// The message's id (as the send answered it).
    pub id: String,
    /// `sent`, `delivered`, `read` or `failed`.
    pub status: String,
    /// Why it failed, for `failed`.
    #[serde(default)]
    pub errors: Vec<StatusError>,
}

/// An error of a failed status.
#[derive(Debug, Default, Deserialize)]
pub struct StatusError {
    /// Meta's error code (131047: outside the 24-hour window).
    #[serde(default)]
    pub code: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_body_and_secret() {
        let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
        let header = sign("app-secret", body);
        assert!(signature_ok("app-secret", Some(&header), body));
        assert!(!signature_ok("other-secret", Some(&header), body));
        assert!(!signature_ok("app-secret", Some(&header), b"{}"));
        assert!(!signature_ok("app-secret", None, body));
        assert!(!signature_ok(
            "app-secret",
            Some(header.trim_start_matches("sha256=")),
            body
        ));
        assert!(!signature_ok("app-secret", Some("sha256=zz"), body));
        // A known vector (HMAC-SHA256 of "test" under "secret").
        assert_eq!(
            sign("secret", b"test"),
            "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"
        );
    }

    #[test]
    fn the_handshake_needs_subscribe_and_the_exact_token() {
        assert!(handshake_ok(
            Some("subscribe"),
            Some("verify-me-123"),
            "verify-me-123"
        ));
        assert!(!handshake_ok(
            Some("subscribe"),
            Some("verify-me-12"),
            "verify-me-123"
        ));
        assert!(!handshake_ok(
            Some("unsubscribe"),
            Some("verify-me-123"),
            "verify-me-123"
        ));
        assert!(!handshake_ok(None, Some("verify-me-123"), "verify-me-123"));
        assert!(!handshake_ok(Some("subscribe"), None, "verify-me-123"));
    }

    #[test]
    fn a_notification_reads_messages_and_statuses() {
        let body = serde_json::json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "102290129340398", "changes": [{ "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "56912345678", "phone_number_id": "106540352242922" },
                "contacts": [{ "profile": { "name": "Camila" }, "wa_id": "56987654321" }],
                "messages": [{ "from": "56987654321", "id": "wamid.ABC", "timestamp": "1700000000",
                               "type": "text", "text": { "body": "dos completos" } }],
                "statuses": [{ "id": "wamid.OUT", "status": "failed", "timestamp": "1700000001",
                               "recipient_id": "56987654321", "errors": [{ "code": 131047, "title": "Re-engagement message" }] }]
            }}]}]
        });
        let parsed: Notification = serde_json::from_value(body).unwrap_or_default();
        let value = &parsed.entry[0].changes[0].value;
        assert_eq!(
            value.metadata.as_ref().map(|m| m.phone_number_id.as_str()),
            Some("106540352242922")
        );
        assert_eq!(
            value.messages[0].text.as_ref().map(|t| t.body.as_str()),
            Some("dos completos")
        );
        assert_eq!(value.statuses[0].errors[0].code, 131047);
        assert_eq!(
            value.contacts[0].profile.as_ref().map(|p| p.name.as_str()),
            Some("Camila")
        );
    }
}
