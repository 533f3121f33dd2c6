//! Where the device token lives: the OS keyring when the machine has one, else a file in
//! the data directory that only the appliance's user can read.
//!
//! The keyring store is passed in rather than taken from `keyring_core`'s process-wide
//! default, so tests can give each appliance its own mock store (or none) without one
//! test's store leaking into another's.

pub use crate::store::sync::TokenStorage;
use keyring_core::{CredentialStore, Entry};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The keyring service name every entry of the product uses.
pub const KEYRING_SERVICE: &str = "chatbotdysa";

/// Name of the fallback file in the data directory.
pub const TOKEN_FILE: &str = "cloud-token";

/// Why the token could not be kept or read.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The keyring refused (locked, no daemon, entry gone).
    #[error("keyring: {0}")]
    Keyring(#[from] keyring_core::Error),
    /// The fallback file could not be written or read.
    #[error("token file {path}: {source}")]
    File {
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

/// Keeps the device token; cheap to clone.
#[derive(Clone)]
pub struct TokenVault {
    file: PathBuf,
    keyring: Option<Arc<CredentialStore>>,
    user: String,
}

impl std::fmt::Debug for TokenVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenVault")
            .field("file", &self.file)
            .field("keyring", &self.keyring.is_some())
            .finish()
    }
}

impl TokenVault {
    /// A vault for the appliance whose database has `device_id`, keeping its file in
    /// `data_dir`. `keyring` is the credential store to try first (none: file only).
    pub fn new(
        data_dir: &Path,
        device_id: uuid::Uuid,
        keyring: Option<Arc<CredentialStore>>,
    ) -> Self {
        Self {
            file: data_dir.join(TOKEN_FILE),
            keyring,
            // One entry per database, so a test install beside the real one never
            // overwrites its token.
            user: format!("device-token-{device_id}"),
        }
    }

    /// A vault for another secret of the appliance (a provider's API token), kept the
    /// same way: keyring entry `user` when there is a keyring, else `data_dir/file`.
    pub fn named(
        data_dir: &Path,
        file: &str,
        user: String,
        keyring: Option<Arc<CredentialStore>>,
    ) -> Self {
        Self {
            file: data_dir.join(file),
            keyring,
            user,
        }
    }

    /// The secret wherever it was kept (keyring first, then the file); `None` when it
    /// was never kept or was forgotten. Blocking.
    pub fn load_any(&self) -> Result<Option<String>, TokenError> {
        if let Some(entry) = self.entry()? {
            match entry.get_password() {
                Ok(secret) => return Ok(Some(secret)),
                Err(keyring_core::Error::NoEntry) => {}
                Err(error) => {
                    tracing::warn!(%error, "keyring unreadable; trying the file");
                }
            }
        }
        match std::fs::read_to_string(&self.file) {
            Ok(text) => Ok(Some(text.trim().to_owned()).filter(|t| !t.is_empty())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.file_error(e)),
        }
    }

    /// The fallback file's path.
    pub fn file_path(&self) -> &Path {
        &self.file
    }

    fn entry(&self) -> Result<Option<Entry>, TokenError> {
        match &self.keyring {
            Some(store) => Ok(Some(Entry::new_in_store(
                store,
                KEYRING_SERVICE,
                &self.user,
            )?)),
            None => Ok(None),
        }
    }

    /// Keeps `token`: in the keyring when there is one and it accepts it, else in the
    /// file. Blocking (the keyring talks D-Bus): call it off the async runtime.
    pub fn save(&self, token: &str) -> Result<TokenStorage, TokenError> {
        if let Some(entry) = self.entry()? {
            match entry.set_password(token) {
                Ok(()) => {
                    // A token left in a file by an earlier enrolment must not outlive it.
                    self.remove_file()?;
                    return Ok(TokenStorage::Keyring);
                }
                Err(error) => {
                    tracing::warn!(%error, "keyring refused the device token; keeping it in a 0600 file");
                }
            }
        }
        self.write_file(token)?;
        Ok(TokenStorage::File)
    }

    /// Reads the token from where `storage` says it is. Blocking.
    pub fn load(&self, storage: TokenStorage) -> Result<String, TokenError> {
        match storage {
            TokenStorage::Keyring => match self.entry()? {
                Some(entry) => Ok(entry.get_password()?),
                None => Err(TokenError::Keyring(keyring_core::Error::NoDefaultStore)),
            },
            TokenStorage::File => std::fs::read_to_string(&self.file)
                .map(|t| t.trim().to_owned())
                .map_err(|source| self.file_error(source)),
        }
    }

    /// Removes the token from both places; absent is fine. Blocking.
    pub fn forget(&self) -> Result<(), TokenError> {
        if let Some(entry) = self.entry()? {
            match entry.delete_credential() {
                Ok(()) | Err(keyring_core::Error::NoEntry) => {}
                Err(error) => return Err(error.into()),
            }
        }
        self.remove_file()
    }

    fn file_error(&self, source: std::io::Error) -> TokenError {
        TokenError::File {
            path: self.file.display().to_string(),
            source,
        }
    }

    fn remove_file(&self) -> Result<(), TokenError> {
        match std::fs::remove_file(&self.file) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.file_error(e)),
        }
    }

    /// Writes the file through a fresh temporary created 0600, then renames it over the
    /// old one: the token is never readable by others, not even for a moment, and a crash
    /// mid-write leaves the previous file whole.
    fn write_file(&self, token: &str) -> Result<(), TokenError> {
        let temp = self.file.with_extension("tmp");
        let _ = std::fs::remove_file(&temp);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let write = || -> std::io::Result<()> {
            let mut file = options.open(&temp)?;
            file.write_all(token.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&temp, &self.file)
        };
        write().map_err(|e| self.file_error(e))
    }
}

/// Installs the platform's keyring (Secret Service on Linux, Keychain, Credential
/// Manager) as the process's default credential store and returns it, or `None` where
/// the machine has none (no D-Bus session on a headless server). Only the binaries call
/// this; tests never touch the developer's real keyring. Blocking.
pub fn platform_keyring() -> Option<Arc<CredentialStore>> {
    match keyring::Entry::store_status() {
        Ok(()) => keyring_core::get_default_store(),
        Err(error) => {
            tracing::info!(%error, "no OS keyring; the cloud token will be kept in a 0600 file");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_named_secret_is_found_wherever_it_was_kept_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let vault = TokenVault::named(dir.path(), "bsale-token", "bsale-token-x".into(), None);
        assert_eq!(vault.load_any().unwrap(), None);
        assert_eq!(vault.save("secreto").unwrap(), TokenStorage::File);
        assert_eq!(vault.load_any().unwrap().as_deref(), Some("secreto"));
        assert!(dir.path().join("bsale-token").exists());
        vault.forget().unwrap();
        assert_eq!(vault.load_any().unwrap(), None);
    }

    #[test]
    fn without_a_keyring_the_token_goes_to_a_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let vault = TokenVault::new(dir.path(), uuid::Uuid::now_v7(), None);
        assert_eq!(vault.save("dyd_secret").unwrap(), TokenStorage::File);
        assert_eq!(vault.load(TokenStorage::File).unwrap(), "dyd_secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(vault.file_path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        vault.save("dyd_second").unwrap();
        assert_eq!(vault.load(TokenStorage::File).unwrap(), "dyd_second");
        vault.forget().unwrap();
        assert!(!vault.file_path().exists());
        vault.forget().unwrap();
    }

    #[test]
    fn with_a_keyring_the_token_never_touches_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<CredentialStore> = keyring_core::mock::Store::new().unwrap();
        let vault = TokenVault::new(dir.path(), uuid::Uuid::now_v7(), Some(store.clone()));
        assert_eq!(vault.save("dyd_secret").unwrap(), TokenStorage::Keyring);
        assert!(!vault.file_path().exists());
        assert_eq!(vault.load(TokenStorage::Keyring).unwrap(), "dyd_secret");
        let entry = Entry::new_in_store(&store, KEYRING_SERVICE, &vault.user).unwrap();
        assert_eq!(entry.get_password().unwrap(), "dyd_secret");
        vault.forget().unwrap();
        assert!(matches!(
            vault.load(TokenStorage::Keyring),
            Err(TokenError::Keyring(keyring_core::Error::NoEntry))
        ));
    }

    #[test]
    fn a_keyring_that_refuses_falls_back_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<CredentialStore> = keyring_core::mock::Store::new().unwrap();
        let vault = TokenVault::new(dir.path(), uuid::Uuid::now_v7(), Some(store.clone()));
        let entry = Entry::new_in_store(&store, KEYRING_SERVICE, &vault.user).unwrap();
        let mock: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
        mock.set_error(keyring_core::Error::NoStorageAccess(Box::new(
            std::io::Error::other("locked"),
        )));
        assert_eq!(vault.save("dyd_secret").unwrap(), TokenStorage::File);
        assert_eq!(vault.load(TokenStorage::File).unwrap(), "dyd_secret");
    }
}
