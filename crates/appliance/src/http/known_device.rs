//! "Known devices": browsers that signed in at this appliance at least once.
//!
//! A successful sign-in (password, PIN or the first-run setup) gives the browser a
//! long-lived random cookie; only its SHA-256 is kept (`known_devices`). The PIN pad's
//! list of staff (`GET /auth/pin-users`) answers from the LAN only to such a device (or to
//! anyone, when the operator turns `pin_users_known_devices_only` off): someone who just
//! joined the restaurant's Wi-Fi learns neither names nor roles.

use super::extract::request_cookie;
use crate::state::AppState;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Name of the known-device cookie.
pub const DEVICE_COOKIE: &str = "dysa_device";
/// How long the cookie lives, and how long an unseen device stays known: 400 days (the
/// longest a browser keeps a cookie).
pub const DEVICE_TTL_SECS: i64 = 400 * 24 * 3600;
/// Only the sign-in routes need to see the cookie.
const COOKIE_PATH: &str = "/api/v1/auth";

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The oldest `last_seen_at` that still counts as known.
fn horizon() -> String {
    let ttl = jiff::SignedDuration::from_secs(DEVICE_TTL_SECS);
    crate::store::instant_text(
        jiff::Timestamp::now()
            .checked_sub(ttl)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
    )
}

/// Whether the request carries the cookie of a known device.
pub async fn is_known(state: &AppState, headers: &HeaderMap) -> crate::store::StoreResult<bool> {
    let Some(token) = request_cookie(headers, DEVICE_COOKIE).filter(|t| !t.is_empty()) else {
        return Ok(false);
    };
    crate::store::known_devices::is_known(&state.db.read, &hash(token), &horizon()).await
}

/// After a successful sign-in: refreshes the device the request already names, or makes
/// it a new one and sets its cookie on `response`. A failure here only means the device
/// is not remembered (it is logged): the sign-in itself stands.
pub async fn remember(state: &AppState, headers: &HeaderMap, response: &mut Response) {
    let presented = request_cookie(headers, DEVICE_COOKIE).filter(|t| !t.is_empty());
    let known = match presented {
        Some(token) => is_known(state, headers)
            .await
            .unwrap_or(false)
            .then_some(token),
        None => None,
    };
    let token = match known {
        Some(token) => token.to_owned(),
        None => {
            let mut bytes = [0u8; 32];
            rand::fill(&mut bytes);
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        }
    };
    let now = crate::store::now_text();
    if let Err(error) =
        crate::store::known_devices::remember(&state.db.write, &hash(&token), &now, &horizon())
            .await
    {
        tracing::warn!(%error, "could not remember the signed-in device");
        return;
    }
    if known.is_none() {
        // No `Secure`: the panel is served over plain HTTP on the LAN and on loopback.
        let text = format!(
            "{DEVICE_COOKIE}={token}; Path={COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age={DEVICE_TTL_SECS}"
        );
        if let Ok(value) = HeaderValue::from_str(&text) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
}
