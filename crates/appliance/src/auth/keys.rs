//! The key that signs access tokens.
//!
//! It is generated on first start and kept in `secrets/` inside the data directory with
//! owner-only permissions. The desktop app moves it into the OS keyring.

use std::io::Write;
use std::path::Path;

/// The signing key could not be read or created.
#[derive(Debug, thiserror::Error)]
#[error("signing key at {path}: {source}")]
pub struct KeyError {
    path: String,
    #[source]
    source: std::io::Error,
}

/// Length of the HMAC key in bytes.
const KEY_LEN: usize = 32;

/// Loads the signing key from `secrets/jwt-signing.key`, creating it if missing.
pub fn load_or_create(data_dir: &Path) -> Result<Vec<u8>, KeyError> {
    let dir = data_dir.join("secrets");
    let path = dir.join("jwt-signing.key");
    let err = |source| KeyError {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read(&path) {
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
    std::fs::create_dir_all(&dir).map_err(err)?;
    let mut key = vec![0u8; KEY_LEN];
    rand::fill(key.as_mut_slice());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path).map_err(err)?;
    file.write_all(&key).map_err(err)?;
    file.sync_all().map_err(err)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_once_then_reads_the_same_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = load_or_create(dir.path()).expect("create");
        let second = load_or_create(dir.path()).expect("read");
        assert_eq!(first, second);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("secrets/jwt-signing.key"))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
