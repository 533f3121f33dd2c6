//! The key that signs access tokens.
//!
//! Generated on first start and kept in the OS keyring when the machine has one (the
//! desktop app on a staff PC); where there is none (a headless server, CI) it lives in
//! `secrets/jwt-signing.key` inside the data directory with owner-only permissions, and
//! the log says so. A key found in the file while a keyring is available is moved into
//! the keyring and the file removed, so upgrading an install keeps every session valid.

use crate::sync::token::KEYRING_SERVICE;
use keyring_core::{CredentialStore, Entry};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The signing key could not be read or created.
#[derive(Debug, thiserror::Error)]
#[error("signing key at {path}: {source}")]
pub struct KeyError {
    path: String,
    #[source]
    source: std::io::Error,
}

impl KeyError {
    /// The blocking task that loads the key did not finish (the runtime is shutting down).
    pub fn interrupted(cause: impl std::fmt::Display) -> Self {
        KeyError {
            path: "(keyring)".to_owned(),
            source: std::io::Error::other(cause.to_string()),
        }
    }
}

/// Length of the HMAC key in bytes.
const KEY_LEN: usize = 32;

/// Where the signing key ended up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStorage {
    /// In the OS keyring.
    Keyring,
    /// In `secrets/jwt-signing.key`, mode 0600.
    File,
}

/// The key and where it is kept.
#[derive(Debug)]
pub struct SigningKey {
    /// The HMAC key.
    pub bytes: Vec<u8>,
    /// Where it lives.
    pub storage: KeyStorage,
}

/// The fallback file's path inside `data_dir`.
pub fn key_file(data_dir: &Path) -> PathBuf {
    data_dir.join("secrets").join("jwt-signing.key")
}

/// Loads the signing key, creating it if missing: from the keyring `keyring` when given
/// and working, else from the 0600 file. `device_id` names the keyring entry, so a second
/// data directory on the same machine (a test install) never shares or overwrites it.
/// Blocking (the keyring talks D-Bus).
pub fn load_or_create(
    data_dir: &Path,
    device_id: uuid::Uuid,
    keyring: Option<&Arc<CredentialStore>>,
) -> Result<SigningKey, KeyError> {
    load_or_create_secret(
        &key_file(data_dir),
        &format!("jwt-signing-key-{device_id}"),
        "the token signing key",
        keyring,
    )
}

/// Any 32-byte secret of the appliance kept the same way as the signing key (keyring
/// entry `entry` first, else the 0600 file `path`), so every secret (the signing key, the
/// backup key) follows one set of rules. `what` names it in the log. Blocking.
pub fn load_or_create_secret(
    path: &Path,
    entry: &str,
    what: &str,
    keyring: Option<&Arc<CredentialStore>>,
) -> Result<SigningKey, KeyError> {
    let Some(store) = keyring else {
        let bytes = file_key(path)?;
        tracing::info!(path = %path.display(), "no OS keyring: {what} is kept in a file only this user can read (mode 0600)");
        return Ok(SigningKey {
            bytes,
            storage: KeyStorage::File,
        });
    };
    match keyring_key(store, entry, path) {
        Ok(Some(bytes)) => Ok(SigningKey {
            bytes,
            storage: KeyStorage::Keyring,
        }),
        Ok(None) => Ok(SigningKey {
            bytes: file_key(path)?,
            storage: KeyStorage::File,
        }),
        Err(error) => {
            tracing::warn!(%error, path = %path.display(), "the OS keyring is unavailable: {what} is kept in a file only this user can read (mode 0600)");
            Ok(SigningKey {
                bytes: file_key(path)?,
                storage: KeyStorage::File,
            })
        }
    }
}

/// The key through the keyring: the stored one, else the file's moved in, else a new
/// one. `Ok(None)` when the keyring holds nothing and refused to take a key (the caller
/// keeps using the file).
fn keyring_key(
    store: &Arc<CredentialStore>,
    name: &str,
    path: &Path,
) -> Result<Option<Vec<u8>>, keyring_core::Error> {
    let entry = Entry::new_in_store(store, KEYRING_SERVICE, name)?;
    match entry.get_secret() {
        Ok(bytes) if bytes.len() >= KEY_LEN => {
            // A file left by a keyring outage must not outlive it.
            remove_file(path);
            return Ok(Some(bytes));
        }
        Ok(_) => {
            tracing::warn!("the signing key in the OS keyring is too short; replacing it");
        }
        Err(keyring_core::Error::NoEntry) => {}
        Err(error) => return Err(error),
    }
    let existing = match std::fs::read(path) {
        Ok(bytes) if bytes.len() >= KEY_LEN => Some(bytes),
        _ => None,
    };
    let migrating = existing.is_some();
    let key = existing.unwrap_or_else(new_key);
    match entry.set_secret(&key) {
        Ok(()) => {
            if migrating {
                tracing::info!(path = %path.display(), "moved the token signing key from its file into the OS keyring");
            }
            remove_file(path);
            Ok(Some(key))
        }
        Err(error) => {
            tracing::warn!(%error, path = %path.display(), "the OS keyring refused the token signing key: it is kept in a file only this user can read (mode 0600)");
            Ok(None)
        }
    }
}

fn new_key() -> Vec<u8> {
    let mut key = vec![0u8; KEY_LEN];
    rand::fill(key.as_mut_slice());
    key
}

fn remove_file(path: &Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => {
            tracing::warn!(%error, path = %path.display(), "could not remove the old signing key file");
        }
    }
}

/// Reads the key file, creating it (mode 0600) when missing.
fn file_key(path: &Path) -> Result<Vec<u8>, KeyError> {
    let err = |source| KeyError {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read(path) {
        Ok(bytes) if bytes.len() >= KEY_LEN => return Ok(bytes),
        Ok(_) => {
            return Err(err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "key file is too short",
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(err(e)),
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let key = new_key();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(err)?;
    file.write_all(&key).map_err(err)?;
    file.sync_all().map_err(err)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn mock_store() -> Arc<CredentialStore> {
        keyring_core::mock::Store::new().unwrap()
    }

    fn entry(store: &Arc<CredentialStore>, device: uuid::Uuid) -> Entry {
        Entry::new_in_store(store, KEYRING_SERVICE, &format!("jwt-signing-key-{device}")).unwrap()
    }

    #[test]
    fn without_a_keyring_the_key_is_created_once_in_a_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let device = uuid::Uuid::now_v7();
        let first = load_or_create(dir.path(), device, None).unwrap();
        assert_eq!(first.storage, KeyStorage::File);
        assert_eq!(first.bytes.len(), KEY_LEN);
        let second = load_or_create(dir.path(), device, None).unwrap();
        assert_eq!(first.bytes, second.bytes);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(key_file(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn with_a_keyring_a_new_key_never_touches_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let store = mock_store();
        let device = uuid::Uuid::now_v7();
        let first = load_or_create(dir.path(), device, Some(&store)).unwrap();
        assert_eq!(first.storage, KeyStorage::Keyring);
        assert!(!key_file(dir.path()).exists());
        assert_eq!(entry(&store, device).get_secret().unwrap(), first.bytes);
        let second = load_or_create(dir.path(), device, Some(&store)).unwrap();
        assert_eq!(second.bytes, first.bytes);
        // Another data directory on the same machine gets its own key.
        let other = load_or_create(dir.path(), uuid::Uuid::now_v7(), Some(&store)).unwrap();
        assert_ne!(other.bytes, first.bytes);
    }

    #[test]
    fn a_key_in_a_file_moves_into_the_keyring_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let device = uuid::Uuid::now_v7();
        let before = load_or_create(dir.path(), device, None).unwrap();
        let store = mock_store();
        let after = load_or_create(dir.path(), device, Some(&store)).unwrap();
        assert_eq!(after.storage, KeyStorage::Keyring);
        assert_eq!(
            after.bytes, before.bytes,
            "sessions signed before stay valid"
        );
        assert!(!key_file(dir.path()).exists());
        assert_eq!(entry(&store, device).get_secret().unwrap(), before.bytes);
    }

    #[test]
    fn a_keyring_that_refuses_keeps_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let device = uuid::Uuid::now_v7();
        let store = mock_store();
        let refusing = entry(&store, device);
        let mock: &keyring_core::mock::Cred = refusing.as_any().downcast_ref().unwrap();
        mock.set_error(keyring_core::Error::NoStorageAccess(Box::new(
            std::io::Error::other("locked"),
        )));
        let first = load_or_create(dir.path(), device, Some(&store)).unwrap();
        assert_eq!(first.storage, KeyStorage::File);
        assert!(key_file(dir.path()).exists());
        assert_eq!(std::fs::read(key_file(dir.path())).unwrap(), first.bytes);
    }
}
