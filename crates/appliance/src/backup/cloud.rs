//! Backups uploaded to the cloud while the counter is linked (issue 20; docs/SECURITY.md,
//! "Backups in the cloud"). Beside the sync rounds (its own step, timer and back-off in
//! `sync::run`, so a failing push does not hold it back), the newest verified backup file
//! not sent yet goes up in parts of 8 MiB exactly as it is on disk (encrypted under the backup
//! key: the cloud stores bytes it cannot read), then the recovery copy of the key. The
//! name of the last file sent is kept in `backups/uploaded` so a file goes once.

use super::{BackupError, Backups, blocking, list, load_key};
use crate::sync::client::{CloudBackup, CloudClient, CloudError};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Bytes per uploaded part (the cloud's limit for one part).
pub const PART_BYTES: usize = 8 * 1024 * 1024;

/// Why an upload did not happen.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// Reading the file or the key failed.
    #[error(transparent)]
    Backup(#[from] BackupError),
    /// The cloud refused or could not be reached (tried again after a back-off).
    #[error(transparent)]
    Cloud(#[from] CloudError),
}

fn marker(dir: &Path) -> PathBuf {
    dir.join("uploaded")
}

/// Sends the newest backup if it is not the last one sent; answers what the cloud holds
/// afterwards (`None`: nothing new to send).
pub async fn upload_newest(
    backups: &Backups,
    client: &CloudClient,
) -> Result<Option<CloudBackup>, UploadError> {
    let dir = backups.dir();
    let Some((path, modified)) = list(&dir).into_iter().next() else {
        return Ok(None);
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sent = std::fs::read_to_string(marker(&dir)).unwrap_or_default();
    if sent.trim() == name {
        return Ok(None);
    }
    let (data_dir, device_id) = (backups.data_dir.clone(), backups.device_id);
    let keyring = keyring_core::get_default_store();
    let key = blocking(move || load_key(&data_dir, device_id, keyring.as_ref())).await?;
    let held = upload_file(client, &path, modified, &key).await?;
    let _ = std::fs::write(marker(&dir), &name);
    tracing::info!(file = %name, size = held.size_bytes, "backup uploaded to the cloud");
    Ok(Some(held))
}

/// Uploads one backup file and the key that opens it.
pub async fn upload_file(
    client: &CloudClient,
    path: &Path,
    modified: std::time::SystemTime,
    key: &[u8],
) -> Result<CloudBackup, UploadError> {
    let id = uuid::Uuid::now_v7();
    let taken_at = jiff::Timestamp::try_from(modified).unwrap_or_else(|_| jiff::Timestamp::now());
    client.put_backup_key(key).await?;
    client.begin_backup(id, &taken_at).await?;
    let mut file =
        std::fs::File::open(path).map_err(super::io(format!("opening {}", path.display())))?;
    let mut hash = Sha256::new();
    let (mut n, mut size) = (0usize, 0u64);
    loop {
        let mut part = vec![0u8; PART_BYTES];
        let mut filled = 0;
        while filled < PART_BYTES {
            let read = file
                .read(&mut part[filled..])
                .map_err(super::io("reading the backup"))?;
            if read == 0 {
                break;
            }
            filled += read;
        }
        if filled == 0 {
            break;
        }
        part.truncate(filled);
        hash.update(&part);
        size += filled as u64;
        client.put_backup_part(id, n, part).await?;
        n += 1;
        if filled < PART_BYTES {
            break;
        }
    }
    let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(client.complete_backup(id, n, size, &digest).await?)
}

/// Downloads the cloud's backup `backup` into `to`, checking its size and sha256.
pub async fn download(
    client: &CloudClient,
    backup: &CloudBackup,
    to: &Path,
) -> Result<(), UploadError> {
    use std::io::Write;
    let mut file =
        std::fs::File::create(to).map_err(super::io(format!("creating {}", to.display())))?;
    let mut hash = Sha256::new();
    let mut size = 0u64;
    for n in 0..backup.parts {
        let bytes = client.backup_part(backup.id, n).await?;
        hash.update(&bytes);
        size += bytes.len() as u64;
        file.write_all(&bytes)
            .map_err(super::io("writing the downloaded backup"))?;
    }
    file.sync_all()
        .map_err(super::io("syncing the downloaded backup"))?;
    let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    if size != backup.size_bytes || backup.sha256.as_deref().is_some_and(|h| h != digest) {
        return Err(CloudError::BadResponse(
            "the downloaded backup does not match its size or sha256".into(),
        )
        .into());
    }
    Ok(())
}
