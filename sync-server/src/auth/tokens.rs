//! Access tokens (short-lived signed JWTs naming the tenant, or none for the platform
//! operator), and the random secrets the cloud hands out once and keeps only as hashes:
//! refresh tokens, device tokens and enrolment codes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// How long an access token is accepted.
pub const ACCESS_TTL_SECS: i64 = 15 * 60;
/// How long a refresh token may wait before it is used; every use issues a fresh one.
pub const REFRESH_TTL_SECS: i64 = 14 * 24 * 60 * 60;
/// How long an enrolment code stays valid.
pub const ENROLLMENT_TTL_SECS: i64 = 24 * 60 * 60;

const ISSUER: &str = "dysa-cloud";

/// The claims inside an access token.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The account.
    pub sub: Uuid,
    /// The account's tenant; absent for a platform (super_admin) session, whose tokens
    /// every tenant route refuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<Uuid>,
    /// The login session, checked against revocation on every request.
    pub sid: Uuid,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
    /// Issuer, fixed, so the appliance's tokens are refused here.
    pub iss: String,
}

/// Signs and checks access tokens.
#[derive(Clone)]
pub struct TokenSigner {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSigner(..)")
    }
}

/// A token could not be made or was not acceptable.
#[derive(Debug, thiserror::Error)]
#[error("access token: {0}")]
pub struct TokenError(#[from] jsonwebtoken::errors::Error);

impl TokenSigner {
    /// A signer over an HMAC key.
    pub fn new(key: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
        }
    }

    /// A signer with a random key (tokens die with the process).
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        rand::fill(&mut key);
        Self::new(&key)
    }

    /// A signed access token (`tenant` is `None` for a platform session).
    pub fn issue(
        &self,
        account: Uuid,
        tenant: Option<Uuid>,
        session: Uuid,
        now: i64,
    ) -> Result<String, TokenError> {
        let claims = Claims {
            sub: account,
            tid: tenant,
            sid: session,
            iat: now,
            exp: now + ACCESS_TTL_SECS,
            iss: ISSUER.to_owned(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The claims of a valid, unexpired token.
    pub fn check(&self, token: &str) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 5;
        Ok(jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)?.claims)
    }
}

/// A new random secret (256 bits, URL-safe) with a prefix saying what it is.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a secret: its SHA-256, so a copied database cannot log in.
pub fn hash_secret(secret: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()))
}

/// Letters that cannot be misread (no 0/O, 1/I/L), for codes people type.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A new enrolment code, `XXXX-XXXX-XXXX` (about 59 bits).
pub fn new_enrollment_code() -> String {
    let mut bytes = [0u8; 12];
    rand::fill(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The stored form of an enrolment code: typed case and separators do not matter.
pub fn hash_enrollment_code(code: &str) -> String {
    let canonical: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hash_secret(&canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_check_and_foreign_ones_do_not() {
        let signer = TokenSigner::new(b"0123456789abcdef0123456789abcdef");
        let now = chrono::Utc::now().timestamp();
        let (a, t, s) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let token = signer.issue(a, Some(t), s, now).expect("issue");
        let claims = signer.check(&token).expect("check");
        assert_eq!((claims.sub, claims.tid, claims.sid), (a, Some(t), s));
        assert!(TokenSigner::random().check(&token).is_err());
        let platform = signer.issue(a, None, s, now).expect("issue");
        assert_eq!(signer.check(&platform).expect("check").tid, None);
    }

    #[test]
    fn enrollment_codes_are_typed_loosely() {
        let code = new_enrollment_code();
        assert_eq!(code.len(), 14);
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(hash_enrollment_code(&code), hash_enrollment_code(&typed));
        assert_ne!(
            hash_enrollment_code(&code),
            hash_enrollment_code(&new_enrollment_code())
        );
    }
}
