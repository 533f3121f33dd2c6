//! Customer data at rest (docs/SECURITY.md, "Customer data at rest"): envelope encryption
//! of diners' and customers' contact fields per tenant.
//!
//! The cloud's master key (`data_key`, from the environment or a key file, never in the
//! database) seals one random 256-bit data key per tenant (`tenant_data_keys`). From the
//! data key two keys are derived: one seals fields (XChaCha20-Poly1305, the same AEAD as
//! the payment credentials in [`crate::mercado_pago::seal`]), one makes the keyed hashes
//! phone and email lookups go through (HMAC-SHA256), so equal phones find each other
//! without the number being stored. Unsealed tenant keys are cached in memory; erasing a
//! tenant destroys its sealed key (crypto-shredding) and forgets the cached one.

pub mod backfill;
pub mod fields;
mod master;
pub mod relay;

pub use fields::{SEALED_PREFIX, sealed_fields};
pub use master::{DEV_KEY_FILE, KeyError, MasterKey};

use crate::store::{StoreResult, Tx};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use uuid::Uuid;

/// Length of the random nonce in front of every ciphertext.
const NONCE_LEN: usize = 24;

/// One tenant's unsealed keys: the field cipher and the lookup-hash key, both derived from
/// the tenant's data key (which is dropped once they are made).
pub struct TenantKeys {
    tenant: Uuid,
    cipher: XChaCha20Poly1305,
    lookup: [u8; 32],
}

impl std::fmt::Debug for TenantKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TenantKeys({}, …)", self.tenant)
    }
}

fn derive(data_key: &[u8; 32], label: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(data_key).expect("HMAC takes any key");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Seals `plain` under `cipher` with `aad`: the 24-byte nonce, then ciphertext and tag.
pub(crate) fn seal_bytes(cipher: &XChaCha20Poly1305, aad: &[u8], plain: &[u8]) -> Vec<u8> {
    let nonce_bytes: [u8; NONCE_LEN] = rand::random();
    // Encryption fails only for plaintexts beyond 256 GiB.
    let body = cipher
        .encrypt(&XNonce::from(nonce_bytes), Payload { msg: plain, aad })
        .unwrap_or_default();
    let mut out = nonce_bytes.to_vec();
    out.extend_from_slice(&body);
    out
}

/// Opens what [`seal_bytes`] made with the same key and `aad`.
pub(crate) fn open_bytes(cipher: &XChaCha20Poly1305, aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
    if sealed.len() <= NONCE_LEN {
        return None;
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    cipher
        .decrypt(&XNonce::from(nonce), Payload { msg: body, aad })
        .ok()
}

impl TenantKeys {
    /// The keys of `tenant` from its data key.
    pub fn from_data_key(tenant: Uuid, data_key: &[u8; 32]) -> TenantKeys {
        let seal_key = derive(data_key, "dysa pii seal key v1");
        TenantKeys {
            tenant,
            cipher: XChaCha20Poly1305::new(&seal_key.into()),
            lookup: derive(data_key, "dysa pii lookup key v1"),
        }
    }

    /// The tenant these keys belong to.
    pub fn tenant(&self) -> Uuid {
        self.tenant
    }

    /// The associated data of one field of one row: a ciphertext moved to another field,
    /// row, table or tenant does not open.
    fn aad(&self, table: &str, field: &str, row_id: &str) -> Vec<u8> {
        let mut aad = Vec::with_capacity(96);
        for part in [
            "dysa-pii-v1",
            &self.tenant.to_string(),
            table,
            field,
            row_id,
        ] {
            aad.extend_from_slice(&(part.len() as u32).to_be_bytes());
            aad.extend_from_slice(part.as_bytes());
        }
        aad
    }

    /// Seals `plain`, the `field` of row `row_id` of `table`.
    pub fn seal(&self, table: &str, field: &str, row_id: &str, plain: &[u8]) -> Vec<u8> {
        seal_bytes(&self.cipher, &self.aad(table, field, row_id), plain)
    }

    /// Opens what [`TenantKeys::seal`] made for the same table, field and row.
    pub fn open(&self, table: &str, field: &str, row_id: &str, sealed: &[u8]) -> Option<Vec<u8>> {
        open_bytes(&self.cipher, &self.aad(table, field, row_id), sealed)
    }

    /// The keyed hash of an already-normalised value of `kind` (`phone`, `email`): equal
    /// values hash equal within the tenant, and nobody without the tenant's key can test
    /// a guess (a Chilean mobile has only 10⁸ possible numbers: a plain hash would be
    /// reversed in seconds).
    pub fn lookup_hash(&self, kind: &str, normalised: &str) -> Vec<u8> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.lookup).expect("HMAC takes any key");
        mac.update(kind.as_bytes());
        mac.update(b":");
        mac.update(normalised.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// The lookup hash of a phone as a diner or the staff typed it (`+56 9 8765 4321`,
    /// `98765 4321`), normalised first; `None` when it holds no digit.
    pub fn phone_hash(&self, phone: &str) -> Option<Vec<u8>> {
        let normalised = dysa_domain::customer::normalize_phone(phone)
            .unwrap_or_else(|_| phone.chars().filter(char::is_ascii_digit).collect());
        (!normalised.is_empty()).then(|| self.lookup_hash("phone", &normalised))
    }

    /// The lookup hash of an email, compared without case; `None` when blank.
    pub fn email_hash(&self, email: &str) -> Option<Vec<u8>> {
        let normalised = email.trim().to_lowercase();
        (!normalised.is_empty()).then(|| self.lookup_hash("email", &normalised))
    }
}

/// The master key and the cache of unsealed tenant keys; cheap to clone.
#[derive(Clone)]
pub struct Vault {
    master: Arc<MasterKey>,
    previous: Option<Arc<MasterKey>>,
    cache: Arc<RwLock<HashMap<Uuid, Arc<TenantKeys>>>>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vault({})", self.master.id())
    }
}

impl Vault {
    /// A vault over `master`; `previous` is the master key being rotated away from (its
    /// tenant keys are re-sealed under `master` when first used).
    pub fn new(master: MasterKey, previous: Option<MasterKey>) -> Vault {
        Vault {
            master: Arc::new(master),
            previous: previous.map(Arc::new),
            cache: Arc::default(),
        }
    }

    /// The fingerprint of the master key in use.
    pub fn master_id(&self) -> &str {
        self.master.id()
    }

    /// The keys of the tenant of `tx` (a tenant transaction): from the cache, else its
    /// sealed data key unsealed, else a new data key made and stored (two instances racing
    /// to make one keep the first stored).
    pub async fn keys(&self, tx: &mut Tx) -> StoreResult<Arc<TenantKeys>> {
        let tenant = crate::store::current_tenant(tx).await?.0;
        if let Some(keys) = self.cached(tenant) {
            return Ok(keys);
        }
        let stored = crate::store::data_keys::load(tx).await?;
        let data_key = match stored {
            Some((id, sealed)) if id == self.master.id() => {
                self.master.open_data_key(tenant, &sealed)?
            }
            Some((id, sealed)) => {
                let previous = self
                    .previous
                    .as_ref()
                    .filter(|p| p.id() == id)
                    .ok_or(KeyError::UnknownMaster(id))?;
                let key = previous.open_data_key(tenant, &sealed)?;
                let resealed = self.master.seal_data_key(tenant, &key);
                crate::store::data_keys::reseal(tx, self.master.id(), &resealed).await?;
                tracing::info!(%tenant, "tenant data key re-sealed under the new master key");
                key
            }
            None => {
                let fresh: [u8; 32] = rand::random();
                let sealed = self.master.seal_data_key(tenant, &fresh);
                let (id, kept) =
                    crate::store::data_keys::create(tx, self.master.id(), &sealed).await?;
                if id == self.master.id() {
                    self.master.open_data_key(tenant, &kept)?
                } else {
                    return Err(KeyError::UnknownMaster(id).into());
                }
            }
        };
        let keys = Arc::new(TenantKeys::from_data_key(tenant, &data_key));
        self.cache
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(tenant, Arc::clone(&keys));
        Ok(keys)
    }

    fn cached(&self, tenant: Uuid) -> Option<Arc<TenantKeys>> {
        self.cache
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&tenant)
            .cloned()
    }

    /// Forgets `tenant`'s unsealed keys (after its data key is destroyed). Another
    /// instance's cache keeps them until it restarts or reads a row it cannot open: the
    /// rows themselves are deleted in the same erase.
    pub fn forget(&self, tenant: Uuid) {
        self.cache
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&tenant);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_opens_only_in_its_tenant_table_field_and_row() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let keys = TenantKeys::from_data_key(a, &[1; 32]);
        let sealed = keys.seal("customer", "phone", "row-1", b"+56987654321");
        assert_eq!(
            keys.open("customer", "phone", "row-1", &sealed).as_deref(),
            Some(&b"+56987654321"[..])
        );
        assert!(!sealed.windows(12).any(|w| w == b"+56987654321"));
        assert_eq!(keys.open("customer", "phone", "row-2", &sealed), None);
        assert_eq!(keys.open("customer", "email", "row-1", &sealed), None);
        assert_eq!(keys.open("reservation", "phone", "row-1", &sealed), None);
        let same_key_other_tenant = TenantKeys::from_data_key(b, &[1; 32]);
        assert_eq!(
            same_key_other_tenant.open("customer", "phone", "row-1", &sealed),
            None
        );
        let other_key = TenantKeys::from_data_key(a, &[2; 32]);
        assert_eq!(other_key.open("customer", "phone", "row-1", &sealed), None);
    }

    #[test]
    fn phone_hashes_match_across_spellings_and_differ_across_tenants() {
        let keys = TenantKeys::from_data_key(Uuid::now_v7(), &[1; 32]);
        let other = TenantKeys::from_data_key(Uuid::now_v7(), &[2; 32]);
        let a = keys.phone_hash("+56 9 8765 4321");
        assert!(a.is_some());
        assert_eq!(a, keys.phone_hash("9 8765 4321"));
        assert_ne!(a, keys.phone_hash("+56 9 8765 4322"));
        assert_ne!(a, other.phone_hash("+56 9 8765 4321"));
        assert_eq!(
            keys.email_hash(" Ana@Example.CL"),
            keys.email_hash("ana@example.cl")
        );
        assert_eq!(keys.phone_hash("sin teléfono"), None);
    }
}
