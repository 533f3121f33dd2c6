//! Access tokens (short-lived signed JWTs naming the tenant, or none for the platform
//! operator), and the random secrets the cloud hands out once and keeps only as hashes:
//! refresh tokens, device tokens and enrolment codes.

use crate::store::signing_keys::{self, Rotation, StoredKey};
use crate::store::{Db, StoreError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use dysa_domain::ids::{AccountId, TenantId};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
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
    pub sub: AccountId,
    /// The account's tenant; absent for a platform (super_admin) session, whose tokens
    /// every tenant route refuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<TenantId>,
    /// The login session, checked against revocation on every request.
    pub sid: Uuid,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
    /// Issuer, fixed, so the appliance's tokens are refused here.
    pub iss: String,
}

/// Signs and checks access tokens with the keys every instance shares (stored in
/// Postgres, see [`crate::store::signing_keys`]): a token names its key in the `kid`
/// header, so a token signed by one instance verifies on every other, and survives a
/// restart. Cheap to clone (the key ring is shared).
#[derive(Clone, Default)]
pub struct TokenSigner {
    ring: Arc<RwLock<KeyRing>>,
}

#[derive(Default)]
struct KeyRing {
    /// Oldest first.
    keys: Vec<SigningKey>,
    /// When an unknown `kid` last sent us to the database (at most once a second).
    last_miss: Option<Instant>,
}

struct SigningKey {
    kid: String,
    signs_from: i64,
    verify_until: i64,
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
pub enum TokenError {
    /// Malformed, badly signed, expired or from another issuer.
    #[error("access token: {0}")]
    Jwt(#[from] jsonwebtoken::errors::Error),
    /// The token names no key this cloud has (forged, or signed by a key long deleted).
    #[error("access token: unknown signing key")]
    UnknownKey,
    /// No key is loaded yet, so nothing can be signed.
    #[error("access token: no signing key loaded")]
    NoSigningKey,
    /// The keys could not be read or rotated.
    #[error("signing keys: {0}")]
    Store(#[from] StoreError),
}

/// How often every instance rotates (when due) and reloads the shared keys.
pub const KEY_REFRESH_EVERY: Duration = Duration::from_secs(60);
/// How long before it signs a new key is written: every instance has reloaded by then.
const KEY_AHEAD_SECS: i64 = 10 * 60;
/// How long a key verifies after it stops signing: a token's life, with leeway.
const KEY_GRACE_SECS: i64 = ACCESS_TTL_SECS + 5 * 60;
/// The kid of a key given in code ([`TokenSigner::new`]).
const STATIC_KID: &str = "static";

impl TokenSigner {
    /// A signer over one fixed HMAC key, signing for ever (unit tests and tools; the
    /// service uses [`TokenSigner::rotate`]).
    pub fn new(key: &[u8]) -> Self {
        let signer = Self::default();
        signer.ring_mut().keys = vec![SigningKey {
            kid: STATIC_KID.to_owned(),
            signs_from: i64::MIN,
            verify_until: i64::MAX,
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
        }];
        signer
    }

    /// A signer with a random key (tokens die with the value).
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        rand::fill(&mut key);
        Self::new(&key)
    }

    fn ring(&self) -> std::sync::RwLockReadGuard<'_, KeyRing> {
        self.ring
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn ring_mut(&self) -> std::sync::RwLockWriteGuard<'_, KeyRing> {
        self.ring
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Uses these keys from now on (what the database holds).
    pub fn install(&self, stored: &[StoredKey]) {
        let keys = stored
            .iter()
            .map(|key| SigningKey {
                kid: key.kid.clone(),
                signs_from: key.signs_from.timestamp(),
                verify_until: key.verify_until.timestamp(),
                encoding: EncodingKey::from_secret(&key.secret),
                decoding: DecodingKey::from_secret(&key.secret),
            })
            .collect();
        self.ring_mut().keys = keys;
    }

    /// Rotates the shared keys when due (see [`signing_keys::rotate`]) as of `now`, with
    /// keys that sign `period` each, and loads them.
    pub async fn rotate(
        &self,
        db: &Db,
        now: DateTime<Utc>,
        period: chrono::Duration,
    ) -> Result<(), StoreError> {
        let rotation = Rotation {
            now,
            period: period.max(chrono::Duration::seconds(2 * KEY_AHEAD_SECS)),
            ahead: chrono::Duration::seconds(KEY_AHEAD_SECS),
            grace: chrono::Duration::seconds(KEY_GRACE_SECS),
        };
        let kid = Uuid::now_v7().simple().to_string();
        let stored = signing_keys::rotate(db, rotation, kid, || {
            let mut secret = vec![0u8; 32];
            rand::fill(&mut secret[..]);
            secret
        })
        .await?;
        self.install(&stored);
        Ok(())
    }

    /// Rotates (when due) and reloads every [`KEY_REFRESH_EVERY`] while the process runs.
    pub fn spawn_rotation(&self, db: Db, period: chrono::Duration) {
        let signer = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(KEY_REFRESH_EVERY);
            tick.tick().await;
            loop {
                tick.tick().await;
                if let Err(error) = signer.rotate(&db, Utc::now(), period).await {
                    tracing::warn!(%error, "signing keys: rotation failed; retried later");
                }
            }
        });
    }

    /// A signed access token (`tenant` is `None` for a platform session), signed by the
    /// newest key whose signing period has begun at `now`.
    pub fn issue(
        &self,
        account: AccountId,
        tenant: Option<TenantId>,
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
        let ring = self.ring();
        let key = ring
            .keys
            .iter()
            .rev()
            .find(|key| key.signs_from <= now)
            .or_else(|| ring.keys.first())
            .ok_or(TokenError::NoSigningKey)?;
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(key.kid.clone());
        Ok(jsonwebtoken::encode(&header, &claims, &key.encoding)?)
    }

    /// The claims of a valid, unexpired token signed by a key this signer holds.
    pub fn check(&self, token: &str) -> Result<Claims, TokenError> {
        let kid = jsonwebtoken::decode_header(token)?
            .kid
            .ok_or(TokenError::UnknownKey)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 5;
        let now = Utc::now().timestamp();
        let ring = self.ring();
        let key = ring
            .keys
            .iter()
            .find(|key| key.kid == kid && key.verify_until >= now)
            .ok_or(TokenError::UnknownKey)?;
        Ok(jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation)?.claims)
    }

    /// Like [`TokenSigner::check`], reloading the keys from `db` first when the token
    /// names one not loaded yet (another instance wrote it since our last reload). At
    /// most once a second, so made-up kids cannot make every request read the database.
    pub async fn verify(&self, token: &str, db: &Db) -> Result<Claims, TokenError> {
        match self.check(token) {
            Err(TokenError::UnknownKey) => {}
            other => return other,
        }
        {
            let mut ring = self.ring_mut();
            if ring
                .last_miss
                .is_some_and(|at| at.elapsed() < Duration::from_secs(1))
            {
                return Err(TokenError::UnknownKey);
            }
            ring.last_miss = Some(Instant::now());
        }
        let stored = signing_keys::load(db).await?;
        if !stored.is_empty() {
            self.install(&stored);
        }
        self.check(token)
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
        let (a, t, s) = (AccountId::new(), TenantId::new(), Uuid::now_v7());
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
