//! Staff credentials sealed with the location key (docs/SECURITY.md, "Staff credentials
//! stay in the restaurant").
//!
//! A staff account syncs between the counters of one location through the cloud, but the
//! cloud must never hold anything that lets someone check a password or PIN guess offline,
//! and a device token alone must never be able to create, re-role or re-key an account that
//! signs in at another counter. So everything that decides who signs in and with what
//! rights travels as one opaque field, `credentials`: a [`StaffSecret`] encrypted and
//! authenticated with XChaCha20-Poly1305 under the location key, a 32-byte secret that only
//! the location's appliances hold. The cloud stores the blob as one last-writer-wins value
//! and cannot read or forge it; a counter applies a pulled account only when the blob opens
//! and is newer (`sealed_at`) than the one it holds, so an old blob replayed is ignored.
//!
//! The associated data binds a blob to its user and to its location: moving Ana's blob
//! onto Pedro's row, or one location's blob to another's, fails to open.
//!
//! Wire form: `v1.` followed by base64url (no padding) of the 24-byte nonce and the
//! ciphertext with its 16-byte tag.

use crate::hlc::Hlc;
use crate::rbac::Role;
use crate::sync::{Mutation, Op, Rejection};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

/// The user row's field that carries the sealed credentials.
pub const CREDENTIALS_FIELD: &str = "credentials";

/// Longest `credentials` value the cloud stores (a real one is about 1 KiB).
pub const MAX_CREDENTIALS_LEN: usize = 2048;

/// The fields a user row may carry on the wire: the id, the sealed credentials, and display
/// mirrors for the owners' dashboard (which grant nothing: counters read the seal).
pub const USER_FIELDS: [&str; 8] = [
    "id",
    "name",
    "email",
    "role",
    "active",
    CREDENTIALS_FIELD,
    "created_at",
    "updated_at",
];

/// Reason code of a pushed staff change the cloud cannot check (a hash in clear, an
/// unknown field, a delete): `rejected: unauthorised_field`.
pub const UNAUTHORISED_FIELD: &str = "unauthorised_field";

/// Reason code under which a counter parks a pulled staff row whose seal does not open
/// (forged with a device token, or sealed with another location's key).
pub const SEAL_INVALID: &str = "staff_seal_invalid";

/// Domain separation of the associated data, versioned with the wire form.
const AAD_PREFIX: &[u8] = b"dysa-staff-v1";
/// Prefix of the wire form.
const WIRE_PREFIX: &str = "v1.";
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// What decides who signs in at a counter and with what rights. Counters take these only
/// from an opened seal, never from the row's display mirrors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSecret {
    /// Display name (the PIN pad lists it).
    pub name: String,
    /// Login email, normalised.
    pub email: String,
    /// Role, hence permissions.
    pub role: Role,
    /// Deactivated accounts cannot sign in.
    pub active: bool,
    /// Argon2id PHC string of the password.
    pub password_hash: String,
    /// Argon2id PHC string of the PIN, if one is set.
    pub pin_hash: Option<String>,
    /// HLC of the write that sealed it: a counter applies a blob only when this is newer
    /// than the one it holds, so replaying an old blob changes nothing.
    pub sealed_at: Hlc,
}

/// Why a blob did not open. Deliberately coarse: a forger learns nothing from it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    /// Not `v1.` + base64url of a nonce and a ciphertext.
    #[error("sealed credentials are not in the expected form")]
    Format,
    /// Authentication failed: another key, user or location, or altered bytes.
    #[error("sealed credentials do not open with this location's key")]
    Unauthentic,
    /// It opened but does not hold a staff secret (a bug on the sealing side).
    #[error("sealed credentials hold no staff secret")]
    Content,
}

fn aad(location_id: &str, user_id: &str) -> Vec<u8> {
    // Length-prefixed, so no two (location, user) pairs make the same bytes.
    let mut aad = Vec::with_capacity(AAD_PREFIX.len() + location_id.len() + user_id.len() + 16);
    aad.extend_from_slice(AAD_PREFIX);
    for part in [location_id, user_id] {
        aad.extend_from_slice(&(part.len() as u64).to_be_bytes());
        aad.extend_from_slice(part.as_bytes());
    }
    aad
}

/// Seals `secret` for `user_id` of `location_id` with `key` and a fresh random nonce.
pub fn seal(key: &[u8; 32], location_id: &str, user_id: &str, secret: &StaffSecret) -> String {
    let mut nonce = [0u8; NONCE_LEN];
    rand::fill(&mut nonce);
    seal_with_nonce(key, &nonce, location_id, user_id, secret)
}

/// [`seal`] with a given nonce: for deterministic tests and the simulation only. A nonce
/// must never be used twice with one key.
pub fn seal_with_nonce(
    key: &[u8; 32],
    nonce: &[u8; NONCE_LEN],
    location_id: &str,
    user_id: &str,
    secret: &StaffSecret,
) -> String {
    let cipher = XChaCha20Poly1305::new(key.into());
    // A struct of strings, a bool and an enum always serialises.
    let plain = serde_json::to_vec(secret).unwrap_or_default();
    let aad = aad(location_id, user_id);
    let sealed = cipher
        .encrypt(
            &XNonce::from(*nonce),
            Payload {
                msg: &plain,
                aad: &aad,
            },
        )
        // Encryption fails only past 256 GiB of plaintext.
        .unwrap_or_default();
    let mut bytes = Vec::with_capacity(NONCE_LEN + sealed.len());
    bytes.extend_from_slice(nonce);
    bytes.extend_from_slice(&sealed);
    format!("{WIRE_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Opens a blob made by [`seal`] for the same key, location and user.
pub fn open(
    key: &[u8; 32],
    location_id: &str,
    user_id: &str,
    sealed: &str,
) -> Result<StaffSecret, SealError> {
    if sealed.len() > MAX_CREDENTIALS_LEN {
        return Err(SealError::Format);
    }
    let encoded = sealed.strip_prefix(WIRE_PREFIX).ok_or(SealError::Format)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| SealError::Format)?;
    if bytes.len() < NONCE_LEN + TAG_LEN {
        return Err(SealError::Format);
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SealError::Format)?;
    let cipher = XChaCha20Poly1305::new(key.into());
    let aad = aad(location_id, user_id);
    let plain = cipher
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: ciphertext,
                aad: &aad,
            },
        )
        .map_err(|_| SealError::Unauthentic)?;
    serde_json::from_slice(&plain).map_err(|_| SealError::Content)
}

/// The cloud's check of a pushed user mutation, before any merge: only the known fields,
/// never a hash in clear, never a delete (accounts are deactivated, and a tombstone is
/// something the cloud could not check), and a bounded `credentials` string. A device token
/// alone must not be able to make the cloud store or serve staff secrets.
pub fn check_user_mutation(mutation: &Mutation) -> Result<(), Rejection> {
    if mutation.op == Op::Delete {
        return Err(Rejection::UnauthorisedField(
            "las cuentas del personal se desactivan, no se borran / staff accounts are deactivated, not deleted".to_owned(),
        ));
    }
    if let Some(name) = mutation
        .payload
        .keys()
        .find(|name| !USER_FIELDS.contains(&name.as_str()))
    {
        return Err(Rejection::UnauthorisedField(format!(
            "campo no permitido en una cuenta del personal / field not allowed on a staff account: {}",
            name.chars().take(64).collect::<String>()
        )));
    }
    match mutation.payload.get(CREDENTIALS_FIELD) {
        None => Ok(()),
        Some(serde_json::Value::String(text))
            if text.len() <= MAX_CREDENTIALS_LEN && text.starts_with(WIRE_PREFIX) =>
        {
            Ok(())
        }
        Some(_) => Err(Rejection::Malformed(format!(
            "credentials must be a sealed string of at most {MAX_CREDENTIALS_LEN} bytes"
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    const LOCATION: &str = "0190a7f0-0000-7000-8000-000000000001";
    const USER: &str = "0190a7f0-0000-7000-8000-0000000000aa";

    fn role() -> impl Strategy<Value = Role> {
        prop_oneof![
            Just(Role::Admin),
            Just(Role::Manager),
            Just(Role::Waiter),
            Just(Role::Viewer)
        ]
    }

    fn secret() -> impl Strategy<Value = StaffSecret> {
        (
            "\\PC{0,80}",
            "[a-z]{1,20}@[a-z]{1,20}\\.cl",
            role(),
            any::<bool>(),
            "\\$argon2id\\$[ -~]{80,100}",
            proptest::option::of("\\$argon2id\\$[ -~]{80,100}"),
            (any::<u64>(), 0u32..1_000_000, any::<u64>()),
        )
            .prop_map(
                |(name, email, role, active, password_hash, pin_hash, (wall, counter, node))| {
                    StaffSecret {
                        name,
                        email,
                        role,
                        active,
                        password_hash,
                        pin_hash,
                        sealed_at: Hlc {
                            wall_ms: wall % 1_000_000_000_000_000,
                            counter,
                            node,
                        },
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn what_is_sealed_opens_unchanged(key in any::<[u8; 32]>(), s in secret()) {
            let sealed = seal(&key, LOCATION, USER, &s);
            prop_assert!(sealed.len() <= MAX_CREDENTIALS_LEN, "{} bytes", sealed.len());
            prop_assert_eq!(open(&key, LOCATION, USER, &sealed), Ok(s));
        }

        #[test]
        fn any_flipped_bit_is_refused(key in any::<[u8; 32]>(), s in secret(), at in any::<prop::sample::Index>(), bit in 0u8..8) {
            let sealed = seal(&key, LOCATION, USER, &s);
            let mut bytes = URL_SAFE_NO_PAD.decode(&sealed[WIRE_PREFIX.len()..]).unwrap();
            let i = at.index(bytes.len());
            bytes[i] ^= 1 << bit;
            let forged = format!("{WIRE_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
            prop_assert_eq!(open(&key, LOCATION, USER, &forged), Err(SealError::Unauthentic));
        }

        #[test]
        fn another_user_location_or_key_is_refused(key in any::<[u8; 32]>(), other in any::<[u8; 32]>(), s in secret()) {
            prop_assume!(key != other);
            let sealed = seal(&key, LOCATION, USER, &s);
            let other_user = "0190a7f0-0000-7000-8000-0000000000ab";
            let other_location = "0190a7f0-0000-7000-8000-000000000002";
            prop_assert_eq!(open(&key, LOCATION, other_user, &sealed), Err(SealError::Unauthentic));
            prop_assert_eq!(open(&key, other_location, USER, &sealed), Err(SealError::Unauthentic));
            prop_assert_eq!(open(&other, LOCATION, USER, &sealed), Err(SealError::Unauthentic));
            // The boundary between location and user cannot be shifted.
            prop_assert_eq!(
                open(&key, &format!("{LOCATION}0"), &USER[1..], &sealed),
                Err(SealError::Unauthentic)
            );
        }

        #[test]
        fn garbage_never_opens(key in any::<[u8; 32]>(), text in "\\PC{0,300}") {
            prop_assert!(open(&key, LOCATION, USER, &text).is_err());
        }
    }

    #[test]
    fn two_seals_of_the_same_secret_differ() {
        let s = StaffSecret {
            name: "Ana".into(),
            email: "ana@dysa.cl".into(),
            role: Role::Waiter,
            active: true,
            password_hash: "h".into(),
            pin_hash: None,
            sealed_at: Hlc::ZERO,
        };
        let key = [7u8; 32];
        assert_ne!(
            seal(&key, LOCATION, USER, &s),
            seal(&key, LOCATION, USER, &s)
        );
    }

    fn mutation(op: Op, payload: serde_json::Value) -> Mutation {
        Mutation {
            mutation_id: "m".into(),
            entity: crate::sync::Entity::User,
            entity_id: USER.into(),
            op,
            payload: payload.as_object().cloned().unwrap_or_default(),
            hlc: Hlc::ZERO.to_string(),
        }
    }

    #[test]
    fn the_cloud_refuses_hashes_unknown_fields_and_deletes_of_staff() {
        let sealed = seal(
            &[1; 32],
            LOCATION,
            USER,
            &StaffSecret {
                name: "Ana".into(),
                email: "ana@dysa.cl".into(),
                role: Role::Admin,
                active: true,
                password_hash: "h".into(),
                pin_hash: None,
                sealed_at: Hlc::ZERO,
            },
        );
        let ok = mutation(
            Op::Upsert,
            serde_json::json!({"id": USER, "name": "Ana", "role": "admin", "credentials": sealed}),
        );
        assert_eq!(check_user_mutation(&ok), Ok(()));
        for field in ["password_hash", "pin_hash", "is_owner"] {
            let bad = mutation(Op::Upsert, serde_json::json!({ "id": USER, field: "x" }));
            let refused = check_user_mutation(&bad).unwrap_err();
            assert_eq!(refused.code(), UNAUTHORISED_FIELD, "{field}");
        }
        let deleted = mutation(Op::Delete, serde_json::json!({}));
        assert_eq!(
            check_user_mutation(&deleted).unwrap_err().code(),
            UNAUTHORISED_FIELD
        );
        let huge = mutation(
            Op::Upsert,
            serde_json::json!({ "credentials": format!("v1.{}", "A".repeat(MAX_CREDENTIALS_LEN)) }),
        );
        assert_eq!(check_user_mutation(&huge).unwrap_err().code(), "malformed");
        let number = mutation(Op::Upsert, serde_json::json!({ "credentials": 5 }));
        assert_eq!(
            check_user_mutation(&number).unwrap_err().code(),
            "malformed"
        );
    }
}
