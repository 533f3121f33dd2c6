//! Access tokens (short-lived signed JWTs) and refresh tokens (random, stored hashed).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dysa_domain::ids::{SessionFamilyId, UserId};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How long an access token is accepted.
pub const ACCESS_TTL_SECS: i64 = 15 * 60;
/// How long a refresh token may wait before it is used; every use issues a fresh one.
pub const REFRESH_TTL_SECS: i64 = 14 * 24 * 60 * 60;

/// The claims inside an access token.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user.
    pub sub: UserId,
    /// The login session, checked against revocation on every request.
    pub sid: SessionFamilyId,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
    /// Issuer, fixed, so tokens of other services are refused.
    pub iss: String,
}

const ISSUER: &str = "dysa-appliance";

/// Signs and checks access tokens with the appliance's key. Cheap to clone: the state
/// that every request clones carries it, so the keys sit behind one `Arc`.
#[derive(Clone)]
pub struct TokenSigner(std::sync::Arc<Keys>);

struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Built once: every authenticated request checks a token with it.
    validation: Validation,
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
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 5;
        Self(std::sync::Arc::new(Keys {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
            validation,
        }))
    }

    /// A signed access token for `user` in session `sid`, issued `now` (seconds).
    pub fn issue(
        &self,
        user: UserId,
        sid: SessionFamilyId,
        now: i64,
    ) -> Result<String, TokenError> {
        let claims = Claims {
            sub: user,
            sid,
            iat: now,
            exp: now + ACCESS_TTL_SECS,
            iss: ISSUER.to_owned(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.0.encoding,
        )?)
    }

    /// The claims of a valid, unexpired token.
    pub fn check(&self, token: &str) -> Result<Claims, TokenError> {
        Ok(jsonwebtoken::decode::<Claims>(token, &self.0.decoding, &self.0.validation)?.claims)
    }
}

/// A new random refresh token (256 bits, URL-safe).
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a refresh token: its SHA-256, so a copied database cannot log in.
pub fn hash_refresh_token(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_check_and_tampered_ones_do_not() {
        let signer = TokenSigner::new(b"0123456789abcdef0123456789abcdef");
        let now = jiff::Timestamp::now().as_second();
        let user = UserId::new();
        let token = signer
            .issue(user, SessionFamilyId::new(), now)
            .expect("issue");
        assert_eq!(signer.check(&token).expect("check").sub, user);
        let other = TokenSigner::new(b"another key another key another!");
        assert!(other.check(&token).is_err());
        let expired = signer
            .issue(user, SessionFamilyId::new(), now - ACCESS_TTL_SECS - 60)
            .expect("issue");
        assert!(signer.check(&expired).is_err());
    }

    #[test]
    fn refresh_tokens_are_unique_and_hashed() {
        let a = new_refresh_token();
        assert_ne!(a, new_refresh_token());
        assert_eq!(hash_refresh_token(&a), hash_refresh_token(&a));
        assert_ne!(hash_refresh_token(&a), a);
    }
}
