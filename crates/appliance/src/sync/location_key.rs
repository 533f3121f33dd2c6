//! The location key: 32 random bytes that only the appliances of one location hold
//! (docs/SECURITY.md, "Staff credentials stay in the restaurant").
//!
//! Staff accounts travel through the cloud sealed with it (`dysa_domain::staff_seal`), so
//! the cloud, a dump of its database or a stolen device token never see a password or PIN
//! hash, and cannot make an account another counter accepts. The first appliance of a
//! location makes the key at setup ([`ensure_location_key`]); a second counter receives it
//! sealed to its own key pair once an admin at an existing counter approves it, and keeps
//! it with [`install_location_key`].
//!
//! Kept like the token signing key (`auth::keys`): in the OS keyring when the machine has
//! one, else in `secrets/location.key` in the data directory, mode 0600. The key never
//! enters SQLite, so a copy of the database alone does not hold it.

use crate::auth::keys::KeyStorage;
use crate::store::{Db, StoreError, StoreResult, users};
use crate::sync::token::KEYRING_SERVICE;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use keyring_core::{CredentialStore, Entry};
use sha2::Sha256;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use zeroize::Zeroizing;

/// Length of the key in bytes.
pub const LOCATION_KEY_LEN: usize = 32;

/// What the fingerprint is computed over (versioned: a new derivation gets a new label).
const FINGERPRINT_LABEL: &[u8] = b"dysa location key fingerprint v1";

/// The location's secret. Wiped from memory when dropped; its `Debug` shows only the
/// fingerprint, so a log line can never carry it.
#[derive(Clone)]
pub struct LocationKey {
    bytes: Zeroizing<[u8; LOCATION_KEY_LEN]>,
}

impl std::fmt::Debug for LocationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocationKey")
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

impl PartialEq for LocationKey {
    fn eq(&self, other: &Self) -> bool {
        // Compared through the fingerprint: no early exit on the secret's bytes.
        self.fingerprint() == other.fingerprint()
    }
}

impl Eq for LocationKey {}

impl LocationKey {
    /// A new random key (the first appliance of a location makes it).
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; LOCATION_KEY_LEN]);
        rand::fill(bytes.as_mut_slice());
        Self { bytes }
    }

    /// A key received from elsewhere (another counter of the location, a test).
    pub fn from_bytes(bytes: [u8; LOCATION_KEY_LEN]) -> Self {
        Self {
            bytes: Zeroizing::new(bytes),
        }
    }

    /// The secret bytes, to seal and open staff credentials with.
    pub fn as_bytes(&self) -> &[u8; LOCATION_KEY_LEN] {
        &self.bytes
    }

    /// A public name of the key: base64url of HMAC-SHA256(key, label) cut to 16 bytes. Two
    /// counters compare fingerprints to know they hold the same key without showing it.
    pub fn fingerprint(&self) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.bytes.as_slice())
            .expect("HMAC takes a key of any length");
        mac.update(FINGERPRINT_LABEL);
        let digest = mac.finalize().into_bytes();
        URL_SAFE_NO_PAD.encode(&digest[..16])
    }

    /// The location label staff seals are bound to (`staff_seal`'s associated data). The
    /// key's fingerprint rather than the cloud's location id: a counter that was never
    /// connected seals too, and the key is what names a location among its appliances.
    pub fn seal_label(&self) -> String {
        self.fingerprint()
    }
}

/// The key could not be read or kept.
#[derive(Debug, thiserror::Error)]
pub enum LocationKeyError {
    /// The key file could not be read or written.
    #[error("location key file {path}: {source}")]
    File {
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// An account write needs the key and this appliance has none (not set up, or a
    /// second counter still waiting for the location's key).
    #[error("this appliance holds no location key yet")]
    Missing,
    /// The OS keyring did not answer (locked, no daemon yet) and no key file exists: the key
    /// may be in the keyring, so none is made, which would be a rival key.
    #[error("the OS keyring is unavailable and holds the location key, perhaps: {0}")]
    KeyringUnavailable(String),
    /// The blocking task that reads the keyring did not finish (shutting down).
    #[error("location key task interrupted: {0}")]
    Interrupted(String),
    /// Re-sealing the accounts with the key failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where the key is kept, and the copy in memory. Lives in [`Db`] (`db.location_key`), so
/// every account write can seal.
pub struct LocationKeys {
    file: PathBuf,
    keyring: Option<Arc<CredentialStore>>,
    user: String,
    current: RwLock<Option<Arc<LocationKey>>>,
    /// One creation or installation at a time: two setups racing must not make two keys.
    changing: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for LocationKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocationKeys")
            .field("file", &self.file)
            .field("keyring", &self.keyring.is_some())
            .field("current", &self.current())
            .finish()
    }
}

/// The fallback file's path inside `data_dir`.
pub fn key_file(data_dir: &Path) -> PathBuf {
    data_dir.join("secrets").join("location.key")
}

impl LocationKeys {
    /// Keeps the key of the appliance whose database has `device_id` (one keyring entry per
    /// database, so a test install never shares the real one's), its file in `data_dir`.
    pub fn new(
        data_dir: &Path,
        device_id: uuid::Uuid,
        keyring: Option<Arc<CredentialStore>>,
    ) -> Self {
        Self {
            file: key_file(data_dir),
            keyring,
            user: format!("location-key-{device_id}"),
            current: RwLock::new(None),
            changing: tokio::sync::Mutex::new(()),
        }
    }

    /// The key in memory, if this appliance has one (loaded at start, made at setup, or
    /// received from another counter).
    pub fn current(&self) -> Option<Arc<LocationKey>> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn set_current(&self, key: LocationKey) -> Arc<LocationKey> {
        let key = Arc::new(key);
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(key.clone());
        key
    }

    fn entry(&self) -> Option<Entry> {
        let store = self.keyring.as_ref()?;
        match Entry::new_in_store(store, KEYRING_SERVICE, &self.user) {
            Ok(entry) => Some(entry),
            Err(error) => {
                tracing::warn!(%error, "the OS keyring is unavailable for the location key");
                None
            }
        }
    }

    /// Reads the stored key into memory: the keyring's, else the file's. `None` when this
    /// appliance has none yet; an error when the keyring did not answer and no file holds a
    /// key (the key may be in the locked keyring). Blocking (the keyring talks D-Bus).
    pub fn load(&self) -> Result<Option<Arc<LocationKey>>, LocationKeyError> {
        let mut keyring_failed = None;
        if let Some(entry) = self.entry() {
            match entry.get_secret() {
                Ok(bytes) => {
                    if let Ok(bytes) = <[u8; LOCATION_KEY_LEN]>::try_from(bytes.as_slice()) {
                        return Ok(Some(self.set_current(LocationKey::from_bytes(bytes))));
                    }
                    tracing::warn!("the location key in the OS keyring has the wrong length");
                }
                Err(keyring_core::Error::NoEntry) => {}
                Err(error) => {
                    tracing::warn!(%error, "the OS keyring is unavailable: reading the location key from its file");
                    keyring_failed = Some(error.to_string());
                }
            }
        }
        let err = |source| LocationKeyError::File {
            path: self.file.display().to_string(),
            source,
        };
        match std::fs::read(&self.file) {
            Ok(bytes) => {
                let bytes = Zeroizing::new(bytes);
                let bytes = <[u8; LOCATION_KEY_LEN]>::try_from(bytes.as_slice()).map_err(|_| {
                    err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "the location key file does not hold 32 bytes",
                    ))
                })?;
                Ok(Some(self.set_current(LocationKey::from_bytes(bytes))))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match keyring_failed {
                Some(error) => Err(LocationKeyError::KeyringUnavailable(error)),
                None => Ok(None),
            },
            Err(e) => Err(err(e)),
        }
    }

    /// Keeps `key` (keyring first, else the 0600 file) and makes it the one in memory.
    /// Blocking.
    pub fn save(
        &self,
        key: LocationKey,
    ) -> Result<(Arc<LocationKey>, KeyStorage), LocationKeyError> {
        if let Some(entry) = self.entry() {
            match entry.set_secret(key.as_bytes()) {
                Ok(()) => {
                    remove_file(&self.file);
                    return Ok((self.set_current(key), KeyStorage::Keyring));
                }
                Err(error) => {
                    tracing::warn!(%error, path = %self.file.display(), "the OS keyring refused the location key: it is kept in a file only this user can read (mode 0600)");
                }
            }
        } else {
            tracing::info!(path = %self.file.display(), "no OS keyring: the location key is kept in a file only this user can read (mode 0600)");
        }
        write_private(&self.file, key.as_bytes()).map_err(|source| LocationKeyError::File {
            path: self.file.display().to_string(),
            source,
        })?;
        Ok((self.set_current(key), KeyStorage::File))
    }
}

fn remove_file(path: &Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => {
            tracing::warn!(%error, path = %path.display(), "could not remove the old location key file");
        }
    }
}

/// Writes `bytes` to `path` with mode 0600, replacing it whole (a temporary file renamed
/// over it, so a crash never leaves half a key).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = path.with_extension("key.tmp");
    remove_file(&temp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temp, path)
}

async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, LocationKeyError> + Send + 'static,
) -> Result<T, LocationKeyError> {
    tokio::task::spawn_blocking(job)
        .await
        .map_err(|e| LocationKeyError::Interrupted(e.to_string()))?
}

/// The location key, made now if this appliance has none: the one place a key is created
/// (first-run setup, and the first start of an install made before keys existed). A second
/// counter of a location must receive the location's key instead of making a rival one:
/// the join flow gates this (a cloud-side claim) before calling it. An appliance with
/// accounts whose keyring does not answer makes no key (its key may be in there).
pub async fn ensure_location_key(db: &Db) -> Result<Arc<LocationKey>, LocationKeyError> {
    let keys = db.location_key.clone();
    if let Some(key) = keys.current() {
        return Ok(key);
    }
    let _guard = keys.changing.lock().await;
    let loader = keys.clone();
    match blocking(move || loader.load()).await {
        Ok(Some(key)) => return Ok(key),
        Ok(None) => {}
        Err(LocationKeyError::KeyringUnavailable(error)) if users::count(&db.read).await? == 0 => {
            // Nothing was ever sealed here: a new key in the file fallback is safe.
            tracing::warn!(%error, "the OS keyring is unavailable; making the location key anyway");
        }
        Err(error) => return Err(error),
    }
    let saver = keys.clone();
    let (key, storage) = blocking(move || saver.save(LocationKey::generate())).await?;
    tracing::info!(fingerprint = %key.fingerprint(), storage = ?storage, "made this location's key");
    Ok(key)
}

/// The key in memory, else the stored one read now (a keyring that was locked at start may
/// answer now). Account writes seal with it.
pub async fn current_or_load(db: &Db) -> Result<Arc<LocationKey>, LocationKeyError> {
    if let Some(key) = db.location_key.current() {
        return Ok(key);
    }
    let keys = db.location_key.clone();
    blocking(move || keys.load())
        .await?
        .ok_or(LocationKeyError::Missing)
}

/// Keeps `key` as this appliance's location key (received from another counter of the
/// location; tests give two counters the same key this way) and re-seals every local
/// account with it, so the other counters can open them. Returns how many were re-sealed.
pub async fn install_location_key(db: &Db, key: LocationKey) -> Result<usize, LocationKeyError> {
    let keys = db.location_key.clone();
    {
        let _guard = keys.changing.lock().await;
        let saver = keys.clone();
        let (key, storage) = blocking(move || saver.save(key)).await?;
        tracing::info!(fingerprint = %key.fingerprint(), storage = ?storage, "installed this location's key");
    }
    Ok(reseal_users(db).await?)
}

/// At start: loads the key; an install with accounts but no key (made before keys existed)
/// gets one; then every account not sealed with the current key is re-sealed, its
/// `credentials` recorded in the outbox, so the cloud holds only sealed accounts. Returns
/// how many accounts were re-sealed.
pub async fn start(db: &Db) -> Result<usize, LocationKeyError> {
    let keys = db.location_key.clone();
    if let Err(error) = blocking(move || keys.load()).await {
        // Staff still sign in with the hashes kept here; account changes wait for the key
        // (`current_or_load`) rather than sealing with a rival one.
        tracing::error!(%error, "the location key cannot be read now; staff account changes wait for it");
        return Ok(0);
    }
    if db.location_key.current().is_none() {
        if users::count(&db.read).await? == 0 {
            // Not set up yet: setup makes the key (or the join flow brings it).
            return Ok(0);
        }
        ensure_location_key(db).await?;
    }
    Ok(reseal_users(db).await?)
}

/// Re-seals every account whose credentials were not sealed with the current key (none
/// yet, or another key before this one was installed). No key: nothing to do.
pub async fn reseal_users(db: &Db) -> StoreResult<usize> {
    let Some(key) = db.location_key.current() else {
        return Ok(0);
    };
    let mut tx = db.begin().await?;
    let stale = users::unsealed(&mut tx, &key.fingerprint()).await?;
    for mut record in stale.iter().cloned() {
        record.updated_at = db.tick();
        users::save(&mut tx, &record, &key).await?;
    }
    tx.commit().await?;
    if !stale.is_empty() {
        tracing::info!(
            accounts = stale.len(),
            "sealed the staff accounts with the location key"
        );
        db.session_cache.invalidate();
    }
    Ok(stale.len())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn mock_store() -> Arc<CredentialStore> {
        keyring_core::mock::Store::new().unwrap()
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = LocationKey::from_bytes([0xab; 32]);
        let shown = format!("{key:?}");
        assert!(shown.contains(&key.fingerprint()));
        assert!(!shown.to_lowercase().contains("abab"), "{shown}");
        assert!(!shown.contains("171"), "{shown}");
    }

    #[test]
    fn fingerprints_name_keys() {
        let a = LocationKey::from_bytes([1; 32]);
        let b = LocationKey::from_bytes([2; 32]);
        assert_eq!(
            a.fingerprint(),
            LocationKey::from_bytes([1; 32]).fingerprint()
        );
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint().len(), 22, "16 bytes in base64url");
        assert_ne!(LocationKey::generate(), LocationKey::generate());
    }

    #[test]
    fn without_a_keyring_the_key_lives_in_a_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let keys = LocationKeys::new(dir.path(), uuid::Uuid::now_v7(), None);
        assert!(keys.load().unwrap().is_none());
        let (saved, storage) = keys.save(LocationKey::generate()).unwrap();
        assert_eq!(storage, KeyStorage::File);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(key_file(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = LocationKeys::new(dir.path(), uuid::Uuid::now_v7(), None);
        assert_eq!(again.load().unwrap().unwrap(), saved);
    }

    #[test]
    fn a_locked_keyring_never_reads_as_no_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = mock_store();
        let device = uuid::Uuid::now_v7();
        let keys = LocationKeys::new(dir.path(), device, Some(store.clone()));
        keys.save(LocationKey::generate()).unwrap();
        let entry = Entry::new_in_store(&store, KEYRING_SERVICE, &format!("location-key-{device}"))
            .unwrap();
        let mock: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
        mock.set_error(keyring_core::Error::NoStorageAccess(Box::new(
            std::io::Error::other("locked"),
        )));
        let after_reboot = LocationKeys::new(dir.path(), device, Some(store));
        assert!(matches!(
            after_reboot.load(),
            Err(LocationKeyError::KeyringUnavailable(_))
        ));
    }

    #[test]
    fn with_a_keyring_the_key_never_touches_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let store = mock_store();
        let device = uuid::Uuid::now_v7();
        let keys = LocationKeys::new(dir.path(), device, Some(store.clone()));
        let (saved, storage) = keys.save(LocationKey::generate()).unwrap();
        assert_eq!(storage, KeyStorage::Keyring);
        assert!(!key_file(dir.path()).exists());
        let again = LocationKeys::new(dir.path(), device, Some(store));
        assert_eq!(again.load().unwrap().unwrap(), saved);
    }
}
