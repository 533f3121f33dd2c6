//! The cloud's master key: where it comes from (the environment, a key file, or — on a
//! developer's machine only — a generated file), its fingerprint, and sealing the tenants'
//! data keys with it.

use super::{open_bytes, seal_bytes};
use crate::settings::Settings;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::KeyInit;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::Path;
use uuid::Uuid;

/// The file a development run keeps its generated master key in (the working directory),
/// when neither `data_key` nor `data_key_file` is set and the cloud serves only this
/// machine.
pub const DEV_KEY_FILE: &str = "dysa-cloud-dev-data.key";

/// Why the master key cannot be had or used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The value is not the base64 of 32 bytes.
    #[error("data_key must be the base64 of 32 bytes (openssl rand -base64 32)")]
    Malformed,
    /// A public cloud with no key configured.
    #[error(
        "no data_key: set DYSA_CLOUD_DATA_KEY or DYSA_CLOUD_DATA_KEY_FILE (a cloud whose public_url is not this machine refuses to start without one)"
    )]
    Missing,
    /// The data key and the credentials key are the same secret.
    #[error("data_key must differ from credentials_key")]
    SameAsCredentials,
    /// The key file could not be read or made.
    #[error("data key file {path}: {error}")]
    File {
        /// The file.
        path: String,
        /// What went wrong.
        error: std::io::Error,
    },
    /// A tenant's data key was sealed by a master key that is not configured.
    #[error("a tenant data key was sealed by master key {0}, which is not configured")]
    UnknownMaster(String),
    /// A tenant's sealed data key does not open with the configured master key.
    #[error("a tenant data key does not open with the configured master key")]
    Unseal,
}

/// The key that seals every tenant's data key.
pub struct MasterKey {
    cipher: XChaCha20Poly1305,
    id: String,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey({})", self.id)
    }
}

fn decode(base64: &str) -> Result<[u8; 32], KeyError> {
    STANDARD
        .decode(base64.trim())
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or(KeyError::Malformed)
}

fn read_file(path: &Path) -> Result<String, KeyError> {
    std::fs::read_to_string(path).map_err(|error| KeyError::File {
        path: path.display().to_string(),
        error,
    })
}

/// Whether `public_url` names this machine (a developer's run, a test).
fn serves_only_this_machine(public_url: &str) -> bool {
    let rest = public_url
        .strip_prefix("http://")
        .or_else(|| public_url.strip_prefix("https://"))
        .unwrap_or(public_url);
    let host = rest.split(['/', '?']).next().unwrap_or(rest);
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// Makes the development key file once: written aside, then linked into place, so two
/// processes starting together both read the one that won.
fn make_dev_file(path: &Path) -> Result<String, KeyError> {
    let file_error = |error| KeyError::File {
        path: path.display().to_string(),
        error,
    };
    if let Ok(existing) = std::fs::read_to_string(path) {
        return Ok(existing);
    }
    let key: [u8; 32] = rand::random();
    let aside = path.with_extension(format!("{}.tmp", Uuid::now_v7()));
    write_private(&aside, STANDARD.encode(key).as_bytes()).map_err(file_error)?;
    let linked = std::fs::hard_link(&aside, path);
    let _ = std::fs::remove_file(&aside);
    match linked {
        Ok(()) => tracing::warn!(
            file = %path.display(),
            "NO data_key CONFIGURED: generated a development master key. Customer data sealed with it opens only while this file exists. A cloud serving the internet refuses to start like this: set DYSA_CLOUD_DATA_KEY or DYSA_CLOUD_DATA_KEY_FILE"
        ),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(file_error(e)),
    }
    read_file(path)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}

impl MasterKey {
    /// The key from its base64 text.
    pub fn parse(base64: &str) -> Result<MasterKey, KeyError> {
        let bytes = decode(base64)?;
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&bytes).expect("HMAC takes any key");
        mac.update(b"dysa data master key id v1");
        let digest = mac.finalize().into_bytes();
        Ok(MasterKey {
            cipher: XChaCha20Poly1305::new(&bytes.into()),
            id: digest[..8].iter().map(|b| format!("{b:02x}")).collect(),
        })
    }

    /// The master key the settings name: `data_key`, else the file `data_key_file`, else —
    /// only when `public_url` is this machine — a generated development key in
    /// [`DEV_KEY_FILE`]; a public cloud without one refuses to start. Also the previous
    /// master key (`data_key_previous`) while a rotation is under way.
    pub fn from_settings(settings: &Settings) -> Result<(MasterKey, Option<MasterKey>), KeyError> {
        let text = if !settings.data_key.is_empty() {
            settings.data_key.clone()
        } else if !settings.data_key_file.is_empty() {
            read_file(Path::new(&settings.data_key_file))?
        } else if serves_only_this_machine(&settings.public_url) {
            make_dev_file(Path::new(DEV_KEY_FILE))?
        } else {
            return Err(KeyError::Missing);
        };
        let bytes = decode(&text)?;
        if !settings.credentials_key.is_empty()
            && decode(&settings.credentials_key).is_ok_and(|c| c == bytes)
        {
            return Err(KeyError::SameAsCredentials);
        }
        let previous = (!settings.data_key_previous.is_empty())
            .then(|| MasterKey::parse(&settings.data_key_previous))
            .transpose()?;
        Ok((MasterKey::parse(&text)?, previous))
    }

    /// The key's public name (16 hex digits of an HMAC under it), stored beside every
    /// tenant key it seals.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn aad(tenant: Uuid) -> Vec<u8> {
        format!("dysa-tenant-data-key-v1:{tenant}").into_bytes()
    }

    /// Seals `tenant`'s data key.
    pub fn seal_data_key(&self, tenant: Uuid, key: &[u8; 32]) -> Vec<u8> {
        seal_bytes(&self.cipher, &Self::aad(tenant), key)
    }

    /// Opens `tenant`'s sealed data key.
    pub fn open_data_key(&self, tenant: Uuid, sealed: &[u8]) -> Result<[u8; 32], KeyError> {
        open_bytes(&self.cipher, &Self::aad(tenant), sealed)
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .ok_or(KeyError::Unseal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_key_opens_only_for_its_tenant_under_its_master() {
        let master = MasterKey::parse(&STANDARD.encode([3u8; 32])).expect("a key");
        let other = MasterKey::parse(&STANDARD.encode([4u8; 32])).expect("a key");
        assert_ne!(master.id(), other.id());
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let sealed = master.seal_data_key(a, &[9; 32]);
        assert_eq!(master.open_data_key(a, &sealed).ok(), Some([9; 32]));
        assert!(master.open_data_key(b, &sealed).is_err());
        assert!(other.open_data_key(a, &sealed).is_err());
        assert!(MasterKey::parse("c2hvcnQ=").is_err());
    }

    #[test]
    fn only_a_local_cloud_may_run_without_a_key() {
        assert!(serves_only_this_machine("http://127.0.0.1:8005"));
        assert!(serves_only_this_machine("http://localhost:5173/"));
        assert!(!serves_only_this_machine("https://app.chatbotdysa.cl"));
        assert!(!serves_only_this_machine("https://localhost.evil.cl"));
        let public = Settings {
            public_url: "https://app.chatbotdysa.cl".into(),
            ..Settings::default()
        };
        assert!(matches!(
            MasterKey::from_settings(&public),
            Err(KeyError::Missing)
        ));
        let same = Settings {
            data_key: STANDARD.encode([5u8; 32]),
            credentials_key: STANDARD.encode([5u8; 32]),
            ..Settings::default()
        };
        assert!(matches!(
            MasterKey::from_settings(&same),
            Err(KeyError::SameAsCredentials)
        ));
    }
}
