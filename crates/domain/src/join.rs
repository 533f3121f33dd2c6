//! A new counter joins a location by approval (docs/SECURITY.md, "A new counter joins by
//! approval"; docs/SYNC.md, "Joining a location").
//!
//! The location key (32 bytes, held only by the location's appliances) must reach a new
//! counter without the cloud ever being able to read it. The new counter makes an X25519
//! key pair and sends the public half through the cloud; an admin at a counter that holds
//! the key approves, and that counter seals the key to the public key (a NaCl sealed box:
//! an ephemeral key pair, X25519 + XSalsa20-Poly1305) and posts only the ciphertext. Only
//! the holder of the new counter's secret key opens it.
//!
//! A cloud that swapped the public key for one of its own could open the box, so both
//! screens show a [`verification_code`] derived from the public key each side holds: the
//! joining counter from its own key, the approving counter from the key the cloud relayed.
//! They match only when the cloud relayed the key unchanged.
//!
//! The wire types of the cloud's join routes live here too, so both servers share them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use crypto_box::aead::OsRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Bytes of an X25519 public key.
pub const PUBLIC_KEY_LEN: usize = 32;
/// Bytes of the location key.
pub const LOCATION_KEY_LEN: usize = 32;
/// Bytes of the location key sealed to a public key: the sealed box adds its ephemeral
/// public key (32) and the authentication tag (16).
pub const SEALED_KEY_LEN: usize = LOCATION_KEY_LEN + 48;
/// How long a join request waits for an admin's answer.
pub const REQUEST_TTL_HOURS: i64 = 24;
/// Longest device name a join request carries.
pub const MAX_DEVICE_NAME: usize = 80;
/// Characters of the verification code (without its dash): 10 × 5 = 50 bits, so a cloud
/// that wanted a key pair of its own showing the same code would need ~2^50 tries.
const CODE_CHARS: usize = 10;
/// Crockford's base32: no I, L, O or U, easy to read aloud and compare.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Why a key, a sealed key or a code could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// Not base64, or not the expected number of bytes.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// The sealed key does not open with this secret key (sealed to another key, or
    /// tampered with).
    #[error("the sealed key does not open with this device's secret key")]
    DoesNotOpen,
    /// The system's random source failed.
    #[error("no randomness available")]
    Random,
}

/// The joining counter's key pair. The secret half never leaves the counter.
#[derive(Clone)]
pub struct JoinKeyPair {
    secret: crypto_box::SecretKey,
}

impl std::fmt::Debug for JoinKeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("JoinKeyPair")
            .field("public_key", &self.public_key_text())
            .finish()
    }
}

impl JoinKeyPair {
    /// A fresh key pair from the operating system's random source.
    pub fn generate() -> Self {
        Self {
            secret: crypto_box::SecretKey::generate(&mut OsRng),
        }
    }

    /// The pair whose secret key is `bytes` (as kept while the request waits).
    pub fn from_secret_bytes(bytes: [u8; 32]) -> Self {
        Self {
            secret: crypto_box::SecretKey::from(bytes),
        }
    }

    /// The secret key's bytes, to keep the pair across a restart while waiting.
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.secret.to_bytes()
    }

    /// The public key.
    pub fn public_key(&self) -> [u8; PUBLIC_KEY_LEN] {
        *self.secret.public_key().as_bytes()
    }

    /// The public key as the wire carries it (standard base64).
    pub fn public_key_text(&self) -> String {
        BASE64.encode(self.public_key())
    }

    /// The verification code of this pair's public key, shown on the joining counter.
    pub fn verification_code(&self) -> String {
        verification_code(&self.public_key())
    }

    /// Opens the location key sealed to this pair.
    pub fn open_location_key(&self, sealed: &str) -> Result<[u8; LOCATION_KEY_LEN], JoinError> {
        let bytes = decode_exact(sealed, SEALED_KEY_LEN, "sealed_key")?;
        let opened = self
            .secret
            .unseal(&bytes)
            .map_err(|_| JoinError::DoesNotOpen)?;
        opened.try_into().map_err(|_| JoinError::DoesNotOpen)
    }
}

fn decode_exact(text: &str, len: usize, what: &'static str) -> Result<Vec<u8>, JoinError> {
    let bytes = BASE64
        .decode(text.trim())
        .map_err(|_| JoinError::Malformed(what))?;
    if bytes.len() == len {
        Ok(bytes)
    } else {
        Err(JoinError::Malformed(what))
    }
}

/// Reads a public key from its wire text (standard base64 of 32 bytes).
pub fn parse_public_key(text: &str) -> Result<[u8; PUBLIC_KEY_LEN], JoinError> {
    let bytes = decode_exact(text, PUBLIC_KEY_LEN, "public_key")?;
    bytes
        .try_into()
        .map_err(|_| JoinError::Malformed("public_key"))
}

/// Whether `text` has the shape of a sealed location key (the cloud checks this much; it
/// cannot check more, since it cannot open it).
pub fn check_sealed_key(text: &str) -> Result<(), JoinError> {
    decode_exact(text, SEALED_KEY_LEN, "sealed_key").map(|_| ())
}

/// Seals the location key to the joining counter's public key; the answer is the
/// ciphertext's wire text. Each call uses a fresh ephemeral key, so two seals of one key
/// differ.
pub fn seal_location_key(
    public_key: &[u8; PUBLIC_KEY_LEN],
    location_key: &[u8; LOCATION_KEY_LEN],
) -> Result<String, JoinError> {
    let sealed = crypto_box::PublicKey::from(*public_key)
        .seal(&mut OsRng, location_key)
        .map_err(|_| JoinError::Random)?;
    Ok(BASE64.encode(sealed))
}

/// The short code both screens show for one public key: `XXXXX-XXXXX`, 50 bits of
/// SHA-256 over a domain tag and the key, in Crockford's base32.
pub fn verification_code(public_key: &[u8; PUBLIC_KEY_LEN]) -> String {
    let digest = Sha256::new()
        .chain_update(b"chatbotdysa join v1\0")
        .chain_update(public_key)
        .finalize();
    let mut bits = u64::from_be_bytes(
        digest[..8]
            .try_into()
            .expect("a SHA-256 digest has 32 bytes"),
    );
    let mut code = String::with_capacity(CODE_CHARS + 1);
    for i in 0..CODE_CHARS {
        if i == CODE_CHARS / 2 {
            code.push('-');
        }
        let index = (bits >> 59) as usize;
        code.push(char::from(CODE_ALPHABET[index]));
        bits <<= 5;
    }
    code
}

/// Where a join request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JoinStatus {
    /// Waiting for an admin at one of the location's counters.
    Pending,
    /// Approved: the sealed location key waits for the joining counter.
    Approved,
    /// An admin refused it.
    Refused,
    /// Nobody answered within [`REQUEST_TTL_HOURS`].
    Expired,
}

impl JoinStatus {
    /// The name stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            JoinStatus::Pending => "pending",
            JoinStatus::Approved => "approved",
            JoinStatus::Refused => "refused",
            JoinStatus::Expired => "expired",
        }
    }

    /// The status named `text`.
    pub fn parse(text: &str) -> Option<Self> {
        [
            JoinStatus::Pending,
            JoinStatus::Approved,
            JoinStatus::Refused,
            JoinStatus::Expired,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// The fingerprint of the location key a counter holds (`POST /sync/location-key`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LocationKeyClaim {
    /// The key's fingerprint (never the key).
    pub fingerprint: String,
}

/// The location's key as the cloud knows it: its fingerprint, once a counter claimed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LocationKeyState {
    /// The claimed key's fingerprint; `None` while no counter has claimed one.
    pub fingerprint: Option<String>,
}

/// A new counter asks to join (`POST /sync/join-requests`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewJoinRequest {
    /// Its X25519 public key, standard base64 of 32 bytes.
    pub public_key: String,
    /// How the admins will see it ("Caja 2").
    pub device_name: String,
}

/// A join request as the cloud relays it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JoinRequest {
    /// The request's id.
    pub id: uuid::Uuid,
    /// The cloud's id of the joining device.
    pub device_id: uuid::Uuid,
    /// Its name.
    pub device_name: String,
    /// Its public key (standard base64). Each screen derives the verification code from
    /// the key it holds; the cloud does not send one.
    pub public_key: String,
    /// Where it stands.
    pub status: JoinStatus,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it stops waiting (RFC 3339).
    pub expires_at: String,
    /// The location key sealed to `public_key`: only to the joining device, once approved.
    pub sealed_key: Option<String>,
}

/// An approval: the location key sealed to the request's public key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JoinApproval {
    /// The sealed box, standard base64 of [`SEALED_KEY_LEN`] bytes.
    pub sealed_key: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn only_the_joining_counter_opens_the_sealed_key(key in any::<[u8; 32]>(), flip in 0usize..SEALED_KEY_LEN, bit in 0u8..8) {
            let joining = JoinKeyPair::generate();
            let other = JoinKeyPair::generate();
            let sealed = seal_location_key(&joining.public_key(), &key).unwrap();
            prop_assert!(check_sealed_key(&sealed).is_ok());
            prop_assert_eq!(joining.open_location_key(&sealed).unwrap(), key);
            prop_assert_eq!(other.open_location_key(&sealed), Err(JoinError::DoesNotOpen));
            // The ciphertext never carries the key in clear.
            let bytes = BASE64.decode(&sealed).unwrap();
            prop_assert!(!bytes.windows(32).any(|w| w == key));
            // Any flipped bit is caught.
            let mut tampered = bytes.clone();
            tampered[flip] ^= 1 << bit;
            prop_assert_eq!(
                joining.open_location_key(&BASE64.encode(tampered)),
                Err(JoinError::DoesNotOpen)
            );
        }

        #[test]
        fn a_kept_secret_is_the_same_pair(secret in any::<[u8; 32]>()) {
            let pair = JoinKeyPair::from_secret_bytes(secret);
            let again = JoinKeyPair::from_secret_bytes(pair.secret_bytes());
            prop_assert_eq!(pair.public_key(), again.public_key());
            prop_assert_eq!(parse_public_key(&pair.public_key_text()).unwrap(), pair.public_key());
        }

        #[test]
        fn codes_are_readable_and_tell_keys_apart(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
            let code = verification_code(&a);
            prop_assert_eq!(code.len(), 11);
            prop_assert_eq!(code.as_bytes()[5], b'-');
            prop_assert!(code.bytes().filter(|c| *c != b'-').all(|c| CODE_ALPHABET.contains(&c)));
            prop_assert_eq!(&code, &verification_code(&a));
            if a != b {
                prop_assert_ne!(code, verification_code(&b));
            }
        }
    }

    #[test]
    fn wrong_shapes_are_refused_not_panicking() {
        assert_eq!(
            parse_public_key("not base64!"),
            Err(JoinError::Malformed("public_key"))
        );
        assert_eq!(
            parse_public_key(&BASE64.encode([0u8; 31])),
            Err(JoinError::Malformed("public_key"))
        );
        assert!(check_sealed_key(&BASE64.encode([0u8; SEALED_KEY_LEN - 1])).is_err());
        let pair = JoinKeyPair::generate();
        assert_eq!(
            pair.open_location_key(&BASE64.encode([0u8; SEALED_KEY_LEN])),
            Err(JoinError::DoesNotOpen)
        );
        assert_eq!(JoinStatus::parse("approved"), Some(JoinStatus::Approved));
        assert_eq!(JoinStatus::parse("maybe"), None);
        assert!(!format!("{pair:?}").contains(&BASE64.encode(pair.secret_bytes())));
    }
}
