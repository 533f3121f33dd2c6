//! Signed values the site hands to browsers: the forms' CSRF token (a signed
//! double-submit cookie) and the welcome ticket that carries a new enrolment code from
//! the sign-up post to the welcome page once, without putting it in a URL.

use crate::http::extract::request_cookie;
use crate::settings::Settings;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

type HmacSha256 = Hmac<Sha256>;

/// Cookie holding the CSRF token; the forms repeat it in a hidden field.
pub const CSRF_COOKIE: &str = "dysa_site_csrf";
/// Cookie holding the welcome ticket (read once by `/welcome`).
pub const WELCOME_COOKIE: &str = "dysa_site_welcome";
/// How long a form may stay open before its token expires.
const CSRF_TTL_SECS: i64 = 2 * 60 * 60;
/// How long the welcome ticket waits for the redirect to be followed.
const WELCOME_TTL_SECS: i64 = 15 * 60;

/// The site's signing key: derived from `jwt_secret` when it is set (so every instance
/// agrees), else random per process (like the access tokens).
fn key(settings: &Settings) -> Vec<u8> {
    static RANDOM: OnceLock<[u8; 32]> = OnceLock::new();
    if settings.jwt_secret.len() >= 32 {
        let mut hasher = Sha256::new();
        hasher.update(b"dysa-site-v1\0");
        hasher.update(settings.jwt_secret.as_bytes());
        hasher.finalize().to_vec()
    } else {
        RANDOM.get_or_init(rand::random).to_vec()
    }
}

fn mac(settings: &Settings, purpose: &str, payload: &str) -> HmacSha256 {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(&key(settings)).expect("hmac accepts any key");
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(payload.as_bytes());
    mac
}

fn sign(settings: &Settings, purpose: &str, payload: &str) -> String {
    let tag = mac(settings, purpose, payload).finalize().into_bytes();
    format!("{payload}.{}", URL_SAFE_NO_PAD.encode(tag))
}

/// The payload of a signed value, when its signature holds (checked in constant time).
fn verify<'a>(settings: &Settings, purpose: &str, signed: &'a str) -> Option<&'a str> {
    let (payload, tag) = signed.rsplit_once('.')?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    mac(settings, purpose, payload)
        .verify_slice(&tag)
        .ok()
        .map(|()| payload)
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Whether cookies should be `Secure` (the site is served over HTTPS).
fn secure(settings: &Settings) -> &'static str {
    if settings.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    }
}

/// A fresh CSRF token: a random nonce and its expiry, signed.
pub fn new_csrf(settings: &Settings) -> String {
    let nonce: [u8; 16] = rand::random();
    let payload = format!(
        "{}~{}",
        URL_SAFE_NO_PAD.encode(nonce),
        now() + CSRF_TTL_SECS
    );
    sign(settings, "csrf", &payload)
}

/// Whether `token` is one of ours and not expired.
pub fn csrf_is_valid(settings: &Settings, token: &str) -> bool {
    verify(settings, "csrf", token)
        .and_then(|payload| payload.split_once('~'))
        .and_then(|(_, expiry)| expiry.parse::<i64>().ok())
        .is_some_and(|expiry| expiry > now())
}

/// The CSRF token of this visitor: the cookie's when still valid, else a new one (the
/// answer must then set it, see [`csrf_cookie`]).
pub fn csrf_for(settings: &Settings, headers: &axum::http::HeaderMap) -> (String, bool) {
    match request_cookie(headers, CSRF_COOKIE) {
        Some(token) if csrf_is_valid(settings, token) => (token.to_owned(), false),
        _ => (new_csrf(settings), true),
    }
}

/// Whether a form post carries the same valid token in its field and its cookie (a page
/// of another site can make the browser send the cookie, but cannot read it to fill the
/// field).
pub fn csrf_matches(settings: &Settings, headers: &axum::http::HeaderMap, field: &str) -> bool {
    let Some(cookie) = request_cookie(headers, CSRF_COOKIE) else {
        return false;
    };
    let same = cookie.len() == field.len()
        && cookie
            .bytes()
            .zip(field.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    same && csrf_is_valid(settings, cookie)
}

/// The `Set-Cookie` value storing a CSRF token.
pub fn csrf_cookie(settings: &Settings, token: &str) -> String {
    format!(
        "{CSRF_COOKIE}={token}; Path=/; Max-Age={CSRF_TTL_SECS}; HttpOnly; SameSite=Strict{}",
        secure(settings)
    )
}

/// What the welcome page shows once after a sign-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WelcomeTicket {
    /// The restaurant's name.
    pub restaurant: String,
    /// Its slug.
    pub slug: String,
    /// The first appliance's one-time enrolment code.
    pub code: String,
    /// Unix time after which the ticket is void.
    pub expires: i64,
}

impl WelcomeTicket {
    /// A ticket valid for the next few minutes.
    pub fn new(restaurant: String, slug: String, code: String) -> Self {
        Self {
            restaurant,
            slug,
            code,
            expires: now() + WELCOME_TTL_SECS,
        }
    }

    /// The `Set-Cookie` value carrying this ticket, signed, to `/welcome`.
    pub fn cookie(&self, settings: &Settings) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let signed = sign(settings, "welcome", &URL_SAFE_NO_PAD.encode(json));
        format!(
            "{WELCOME_COOKIE}={signed}; Path=/; Max-Age={WELCOME_TTL_SECS}; HttpOnly; SameSite=Strict{}",
            secure(settings)
        )
    }

    /// The ticket in the request, when signed by us and not expired.
    pub fn from_request(settings: &Settings, headers: &axum::http::HeaderMap) -> Option<Self> {
        let signed = request_cookie(headers, WELCOME_COOKIE)?;
        let payload = verify(settings, "welcome", signed)?;
        let json = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let ticket: WelcomeTicket = serde_json::from_slice(&json).ok()?;
        (ticket.expires > now()).then_some(ticket)
    }

    /// The `Set-Cookie` value that deletes the ticket (it is shown once).
    pub fn clear_cookie(settings: &Settings) -> String {
        format!(
            "{WELCOME_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{}",
            secure(settings)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            jwt_secret: "a-test-secret-that-is-long-enough-123".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn csrf_tokens_verify_and_tampering_fails() {
        let s = settings();
        let token = new_csrf(&s);
        assert!(csrf_is_valid(&s, &token));
        let mut forged = token.clone();
        forged.replace_range(0..1, if token.starts_with('A') { "B" } else { "A" });
        assert!(!csrf_is_valid(&s, &forged));
        let other = Settings {
            jwt_secret: "another-secret-that-is-long-enough-456".into(),
            ..Settings::default()
        };
        assert!(!csrf_is_valid(&other, &token));
        assert!(!csrf_is_valid(&s, "nonsense"));
    }

    #[test]
    fn expired_csrf_tokens_fail() {
        let s = settings();
        let stale = sign(&s, "csrf", &format!("bm9uY2U~{}", now() - 1));
        assert!(!csrf_is_valid(&s, &stale));
    }

    #[test]
    fn a_csrf_token_cannot_pass_as_a_welcome_ticket() {
        let s = settings();
        let token = new_csrf(&s);
        assert!(verify(&s, "welcome", &token).is_none());
    }
}
