//! The tenants' Mercado Pago credentials at rest: sealed with XChaCha20-Poly1305 under
//! the cloud's `credentials_key` (a 32-byte secret from the settings, never in the
//! database), with the tenant id and the field's name as associated data, so a sealed
//! token copied onto another tenant's row, or the secret onto the token's column, does
//! not open. Stored form: the 24-byte nonce, then the ciphertext with its tag.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use uuid::Uuid;

const NONCE_LEN: usize = 24;
const AAD_PREFIX: &str = "dysa-mercado-pago-v1";

/// Why the key in the settings cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("credentials_key must be the base64 of 32 bytes")]
pub struct BadKey;

/// The key that seals the tenants' payment credentials.
#[derive(Clone)]
pub struct CredentialsKey(XChaCha20Poly1305);

impl std::fmt::Debug for CredentialsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CredentialsKey(…)")
    }
}

fn aad(tenant: Uuid, field: &str) -> Vec<u8> {
    format!("{AAD_PREFIX}:{tenant}:{field}").into_bytes()
}

impl CredentialsKey {
    /// Reads the settings' base64 value.
    pub fn parse(base64: &str) -> Result<CredentialsKey, BadKey> {
        let bytes = STANDARD.decode(base64.trim()).map_err(|_| BadKey)?;
        if bytes.len() != 32 {
            return Err(BadKey);
        }
        XChaCha20Poly1305::new_from_slice(&bytes)
            .map(CredentialsKey)
            .map_err(|_| BadKey)
    }

    /// Seals `secret`, the `field` of `tenant`.
    pub fn seal(&self, tenant: Uuid, field: &str, secret: &str) -> Vec<u8> {
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let nonce = XNonce::from(nonce_bytes);
        let aad = aad(tenant, field);
        // Encryption fails only for plaintexts beyond 256 GiB.
        let sealed = self
            .0
            .encrypt(
                &nonce,
                Payload {
                    msg: secret.as_bytes(),
                    aad: &aad,
                },
            )
            .unwrap_or_default();
        let mut out = nonce_bytes.to_vec();
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens what [`CredentialsKey::seal`] made for the same tenant and field.
    pub fn open(&self, tenant: Uuid, field: &str, sealed: &[u8]) -> Option<String> {
        if sealed.len() <= NONCE_LEN {
            return None;
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
        let aad = aad(tenant, field);
        let plain = self
            .0
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: body,
                    aad: &aad,
                },
            )
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_for_its_tenant_and_field() {
        let key = CredentialsKey::parse(&STANDARD.encode([7u8; 32])).expect("a 32-byte key");
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let sealed = key.seal(a, "access_token", "APP_USR-1");
        assert_eq!(
            key.open(a, "access_token", &sealed).as_deref(),
            Some("APP_USR-1")
        );
        assert_eq!(key.open(b, "access_token", &sealed), None);
        assert_eq!(key.open(a, "webhook_secret", &sealed), None);
        assert!(!sealed.windows(9).any(|w| w == b"APP_USR-1"));
        let other = CredentialsKey::parse(&STANDARD.encode([8u8; 32])).expect("a 32-byte key");
        assert_eq!(other.open(a, "access_token", &sealed), None);
        assert!(CredentialsKey::parse("c2hvcnQ=").is_err());
    }
}
