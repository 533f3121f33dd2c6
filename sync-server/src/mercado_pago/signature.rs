//! The `x-signature` check of Mercado Pago's webhook notifications.
//!
//! Followed documentation, "Validar origen de la notificación"
//! (<https://www.mercadopago.cl/developers/es/docs/checkout-pro/payment-notifications>):
//! the `x-signature` header is `ts=<unix seconds>,v1=<hex>`; `v1` is HMAC-SHA256, keyed
//! with the application's secret signature, over the manifest
//! `id:<data.id of the URL>;request-id:<x-request-id header>;ts:<ts>;` (a part whose
//! value is missing is left out; an alphanumeric `data.id` is lowercased). The `data.id`
//! is the notification URL's query parameter, not the body's.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header with the signature.
pub const SIGNATURE_HEADER: &str = "x-signature";
/// The header with the request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The documented manifest of one notification.
pub fn manifest(data_id: Option<&str>, request_id: Option<&str>, ts: &str) -> String {
    let mut manifest = String::new();
    if let Some(id) = data_id.filter(|id| !id.is_empty()) {
        let id = if id.chars().all(|c| c.is_ascii_alphanumeric()) {
            id.to_ascii_lowercase()
        } else {
            id.to_owned()
        };
        manifest.push_str(&format!("id:{id};"));
    }
    if let Some(request) = request_id.filter(|r| !r.is_empty()) {
        manifest.push_str(&format!("request-id:{request};"));
    }
    manifest.push_str(&format!("ts:{ts};"));
    manifest
}

/// `ts` and `v1` of an `x-signature` header.
fn parts(header: &str) -> Option<(&str, &str)> {
    let mut ts = None;
    let mut v1 = None;
    for part in header.split(',') {
        let (key, value) = part.split_once('=')?;
        match key.trim() {
            "ts" => ts = Some(value.trim()),
            "v1" => v1 = Some(value.trim()),
            _ => {}
        }
    }
    Some((ts?, v1?))
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The `x-signature` value for a notification (what Mercado Pago sends; the tests' fake
/// signs with it).
pub fn sign(secret: &[u8], data_id: Option<&str>, request_id: Option<&str>, ts: i64) -> String {
    let ts = ts.to_string();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(manifest(data_id, request_id, &ts).as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("ts={ts},v1={hex}")
}

/// Whether `header` is a valid signature of the notification under `secret`, made at
/// most `max_age_secs` from `now` (a captured notification is not good forever; 0: no
/// age check). Compared in constant time.
pub fn verify(
    secret: &[u8],
    header: Option<&str>,
    data_id: Option<&str>,
    request_id: Option<&str>,
    now: i64,
    max_age_secs: i64,
) -> bool {
    let Some((ts, v1)) = header.and_then(parts) else {
        return false;
    };
    let Ok(seconds) = ts.parse::<i64>() else {
        return false;
    };
    // Mercado Pago has sent the timestamp in seconds and in milliseconds; take both.
    let seconds = if seconds > 100_000_000_000 {
        seconds / 1000
    } else {
        seconds
    };
    if max_age_secs > 0 && (now - seconds).abs() > max_age_secs {
        return false;
    }
    let Some(expected) = unhex(v1) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(manifest(data_id, request_id, ts).as_bytes());
    mac.verify_slice(&expected).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_is_the_documented_template() {
        assert_eq!(
            manifest(Some("123456"), Some("bb56a2f1"), "1704908010"),
            "id:123456;request-id:bb56a2f1;ts:1704908010;"
        );
        assert_eq!(
            manifest(Some("ABC123"), None, "1"),
            "id:abc123;ts:1;",
            "alphanumeric ids are lowercased, a missing part is left out"
        );
    }

    #[test]
    fn a_signature_verifies_only_with_its_secret_and_fields() {
        let now = 1_704_908_010;
        let header = sign(b"secreto", Some("123"), Some("req-1"), now);
        assert!(verify(
            b"secreto",
            Some(&header),
            Some("123"),
            Some("req-1"),
            now,
            600
        ));
        assert!(!verify(
            b"otro",
            Some(&header),
            Some("123"),
            Some("req-1"),
            now,
            600
        ));
        assert!(!verify(
            b"secreto",
            Some(&header),
            Some("124"),
            Some("req-1"),
            now,
            600
        ));
        assert!(!verify(
            b"secreto",
            Some(&header),
            Some("123"),
            Some("req-2"),
            now,
            600
        ));
        assert!(!verify(
            b"secreto",
            Some(&header),
            Some("123"),
            Some("req-1"),
            now + 601,
            600
        ));
        assert!(!verify(
            b"secreto",
            None,
            Some("123"),
            Some("req-1"),
            now,
            600
        ));
        assert!(!verify(
            b"secreto",
            Some("ts=1,v1=zz"),
            Some("123"),
            None,
            1,
            0
        ));
        assert!(!verify(
            b"secreto",
            Some("garbage"),
            Some("123"),
            None,
            1,
            0
        ));
    }
}
