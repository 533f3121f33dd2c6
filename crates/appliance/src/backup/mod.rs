//! Backups that restore: online, verified, encrypted copies of the database.
//!
//! A copy is taken with `VACUUM INTO` on its own connection (a consistent snapshot under
//! WAL while the writer keeps committing), checked with `PRAGMA integrity_check`,
//! encrypted with the backup key (kept like every other secret: keyring first, else a
//! 0600 file) into a temporary name and renamed, so a half-written backup never looks
//! complete. Copies older than the retention window are deleted, the newest one always
//! kept. [`restore`] puts one back into a stopped appliance.

pub mod cloud;
pub mod crypt;
pub mod recover;

use crate::events::{EventBus, EventKind};
use keyring_core::CredentialStore;
use serde::Serialize;
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use zeroize::Zeroizing;

/// File name ending of a finished backup.
pub const EXTENSION: &str = "dysabak";

/// Why a backup or a restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// Reading or writing a file failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// SQLite refused the copy or the check.
    #[error(transparent)]
    Sqlite(#[from] sqlx::Error),
    /// The copy failed `PRAGMA integrity_check`.
    #[error("integrity check failed: {0}")]
    Integrity(String),
    /// Encrypting or decrypting failed (wrong key, altered file).
    #[error(transparent)]
    Crypt(#[from] crypt::CryptError),
    /// The backup key cannot be read or created.
    #[error(transparent)]
    Key(#[from] crate::auth::keys::KeyError),
    /// Another appliance (or restore) holds the data directory.
    #[error(
        "the appliance is running on {0} (stop it first) / el appliance está funcionando sobre {0} (deténgalo primero)"
    )]
    Running(String),
    /// A blocking step did not finish (the runtime is shutting down).
    #[error("interrupted: {0}")]
    Interrupted(String),
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Io { what, source }
}

/// The last backup's outcome, as `GET /api/v1/backups` and the panel show it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct BackupReport {
    /// When it was taken (RFC 3339).
    pub at: String,
    /// The backup file's name in `<data_dir>/backups/` (empty when it failed).
    pub file: String,
    /// Encrypted size in bytes.
    pub size_bytes: u64,
    /// Whether the copy passed `PRAGMA integrity_check`.
    pub verified: bool,
    /// How long it took, in milliseconds.
    pub duration_ms: u64,
    /// Why it failed, when it did.
    pub error: Option<String>,
}

/// The data directory's lock: held by a running appliance and by a restore, so a
/// restore never replaces a database under a running appliance and two appliances never
/// share one directory.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

impl InstanceLock {
    /// The lock file's path inside `data_dir`.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join("dysa.lock")
    }

    /// Takes the lock, or fails with [`BackupError::Running`] when someone holds it.
    pub fn acquire(data_dir: &Path) -> Result<InstanceLock, BackupError> {
        let path = Self::path(data_dir);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(format!("opening {}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(InstanceLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(BackupError::Running(data_dir.display().to_string()))
            }
            Err(std::fs::TryLockError::Error(source)) => Err(BackupError::Io {
                what: format!("locking {}", path.display()),
                source,
            }),
        }
    }
}

/// The backup key's fallback file.
pub fn key_file(data_dir: &Path) -> PathBuf {
    data_dir.join("secrets").join("backup.key")
}

/// Loads (creating once) the backup key of `device_id`. Blocking (keyring).
pub fn load_key(
    data_dir: &Path,
    device_id: uuid::Uuid,
    keyring: Option<&Arc<CredentialStore>>,
) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let key = crate::auth::keys::load_or_create_secret(
        &key_file(data_dir),
        &format!("backup-key-{device_id}"),
        "the backup key",
        keyring,
    )?;
    Ok(Zeroizing::new(key.bytes))
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, BackupError> + Send + 'static,
) -> Result<T, BackupError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| BackupError::Interrupted(error.to_string()))?
}

/// Runs `PRAGMA integrity_check` on the database file at `path`.
pub async fn integrity_check(path: &Path) -> Result<(), BackupError> {
    let mut conn =
        SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(path)).await?;
    let rows: Result<Vec<(String,)>, _> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await;
    conn.close().await.ok();
    let rows = rows?;
    match rows.as_slice() {
        [(ok,)] if ok == "ok" => Ok(()),
        _ => Err(BackupError::Integrity(
            rows.into_iter()
                .map(|(r,)| r)
                .collect::<Vec<_>>()
                .join("; "),
        )),
    }
}

/// Removes a database file and the `-wal`/`-shm` files SQLite may have left beside it.
fn remove_database(path: &Path) {
    remove_quietly(path);
    for side in ["-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(side);
        remove_quietly(Path::new(&name));
    }
}

fn remove_quietly(path: &Path) {
    if let Err(error) = std::fs::remove_file(path)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(%error, path = %path.display(), "could not remove a temporary backup file");
    }
}

fn sync_dir(dir: &Path) {
    // Makes the rename durable; not supported everywhere (Windows), hence best effort.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

/// The table a backup copy (never the live database) carries the location key in, so a
/// replacement counter recovering from the cloud's copy can open the location's staff
/// (docs/SECURITY.md, "Replacing a dead counter"). Encrypted with the rest of the file.
/// (The statements below spell the name out: SQL is kept literal.)
pub const LOCATION_KEY_TABLE: &str = "backup_location_key";

/// Writes this appliance's location key (when it holds one) into the plain copy at `copy`.
async fn stash_location_key(
    copy: &Path,
    data_dir: &Path,
    device_id: uuid::Uuid,
) -> Result<(), BackupError> {
    let dir = data_dir.to_path_buf();
    let keyring = keyring_core::get_default_store();
    let key = tokio::task::spawn_blocking(move || {
        crate::sync::location_key::LocationKeys::new(&dir, device_id, keyring).load()
    })
    .await
    .map_err(|error| BackupError::Interrupted(error.to_string()))?;
    let key = match key {
        Ok(Some(key)) => key,
        Ok(None) => return Ok(()),
        Err(error) => {
            // The backup is still worth taking; a recovery from it then needs a join.
            tracing::warn!(%error, "the location key is unreadable: this backup goes without it");
            return Ok(());
        }
    };
    let mut conn =
        SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(copy)).await?;
    let written = async {
        sqlx::query(
            "CREATE TABLE backup_location_key (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), key BLOB NOT NULL) STRICT",
        )
        .execute(&mut conn)
        .await?;
        sqlx::query("INSERT INTO backup_location_key (singleton, key) VALUES (1, ?1)")
        .bind(key.as_bytes().as_slice())
        .execute(&mut conn)
        .await
    }
    .await;
    conn.close().await.ok();
    written?;
    Ok(())
}

/// Takes the location key out of a decrypted backup at `path` (overwriting its bytes in
/// the file: `secure_delete`), so the key never lands in a live database. `None` for a
/// backup taken without one.
pub async fn take_location_key(
    path: &Path,
) -> Result<Option<crate::sync::location_key::LocationKey>, BackupError> {
    use crate::sync::location_key::{LOCATION_KEY_LEN, LocationKey};
    let mut conn =
        SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(path)).await?;
    let taken = async {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?1")
                .bind(LOCATION_KEY_TABLE)
                .fetch_optional(&mut conn)
                .await?;
        if exists.is_none() {
            return Ok::<_, sqlx::Error>(None);
        }
        let bytes: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT key FROM backup_location_key WHERE singleton = 1")
                .fetch_optional(&mut conn)
                .await?;
        sqlx::query("PRAGMA secure_delete = ON")
            .execute(&mut conn)
            .await?;
        sqlx::query("DROP TABLE backup_location_key")
            .execute(&mut conn)
            .await?;
        let bytes = bytes.map(Zeroizing::new);
        Ok(bytes
            .as_deref()
            .and_then(|b| <[u8; LOCATION_KEY_LEN]>::try_from(b.as_slice()).ok())
            .map(LocationKey::from_bytes))
    }
    .await;
    conn.close().await.ok();
    Ok(taken?)
}

/// Takes one verified, encrypted backup of the database at `db_path` into `dir`.
pub async fn create(
    db_path: &Path,
    dir: &Path,
    device_id: uuid::Uuid,
    key: Zeroizing<Vec<u8>>,
) -> Result<BackupReport, BackupError> {
    let started = std::time::Instant::now();
    let at = jiff::Timestamp::now();
    std::fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
    let name = format!(
        "dysa-{}-{:03}.{EXTENSION}",
        at.strftime("%Y%m%dT%H%M%S"),
        at.subsec_millisecond()
    );
    let plain = dir.join(format!(".{name}.plain.tmp"));
    let sealed = dir.join(format!(".{name}.tmp"));
    let done = dir.join(&name);
    let result = async {
        remove_quietly(&plain);
        let mut conn = SqliteConnection::connect_with(
            &SqliteConnectOptions::new()
                .filename(db_path)
                .busy_timeout(Duration::from_secs(30)),
        )
        .await?;
        let copied = sqlx::query("VACUUM INTO ?")
            .bind(plain.display().to_string())
            .execute(&mut conn)
            .await;
        conn.close().await.ok();
        copied?;
        let data_dir = db_path.parent().unwrap_or(Path::new(".")).to_path_buf();
        stash_location_key(&plain, &data_dir, device_id).await?;
        integrity_check(&plain).await?;
        let (plain_in, sealed_out, done_path) = (plain.clone(), sealed.clone(), done.clone());
        blocking(move || {
            let mut input =
                std::io::BufReader::new(File::open(&plain_in).map_err(io("opening the copy"))?);
            let file = File::create(&sealed_out).map_err(io("creating the backup file"))?;
            let mut output = std::io::BufWriter::new(file);
            crypt::encrypt(&key, device_id, &mut input, &mut output)?;
            let file = output.into_inner().map_err(|e| BackupError::Io {
                what: "writing the backup file".to_owned(),
                source: e.into_error(),
            })?;
            file.sync_all().map_err(io("syncing the backup file"))?;
            drop(file);
            std::fs::rename(&sealed_out, &done_path).map_err(io("naming the backup file"))?;
            if let Some(parent) = done_path.parent() {
                sync_dir(parent);
            }
            Ok(())
        })
        .await
    }
    .await;
    remove_database(&plain);
    if let Err(error) = result {
        remove_quietly(&sealed);
        return Err(error);
    }
    let size_bytes = std::fs::metadata(&done)
        .map_err(io("reading the backup's size"))?
        .len();
    Ok(BackupReport {
        at: at.to_string(),
        file: name,
        size_bytes,
        verified: true,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        error: None,
    })
}

/// Finished backups in `dir` with their modification times, newest first.
pub fn list(dir: &Path) -> Vec<(PathBuf, SystemTime)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, SystemTime)> = entries
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with("dysa-") && name.ends_with(&format!(".{EXTENSION}"))
        })
        .filter_map(|entry| {
            let modified = entry.metadata().ok()?.modified().ok()?;
            Some((entry.path(), modified))
        })
        .collect();
    found.sort_by_key(|entry| std::cmp::Reverse(entry.1));
    found
}

/// Deletes the backups in `dir` older than `keep` (the newest one always stays, so an
/// appliance left off for longer than the window still has one) and leftover temporary
/// files older than a day. Returns the deleted paths.
pub fn prune(dir: &Path, keep: Duration, now: SystemTime) -> Vec<PathBuf> {
    let mut deleted = Vec::new();
    let too_old = |modified: SystemTime| now.duration_since(modified).is_ok_and(|age| age > keep);
    for (path, modified) in list(dir).into_iter().skip(1) {
        if too_old(modified) && std::fs::remove_file(&path).is_ok() {
            deleted.push(path);
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.filter_map(Result::ok) {
            let is_temp = entry.file_name().to_string_lossy().ends_with(".tmp");
            let stale = entry.metadata().and_then(|m| m.modified()).is_ok_and(|m| {
                now.duration_since(m)
                    .is_ok_and(|age| age > Duration::from_secs(86_400))
            });
            if is_temp && stale && std::fs::remove_file(entry.path()).is_ok() {
                deleted.push(entry.path());
            }
        }
    }
    deleted
}

/// The appliance's backups: where they go, how often, the last outcome, and the data
/// directory's lock while the appliance runs.
#[derive(Debug)]
pub struct Backups {
    data_dir: PathBuf,
    db_path: PathBuf,
    device_id: uuid::Uuid,
    interval: Option<Duration>,
    retention: Duration,
    last: Mutex<Option<BackupReport>>,
    running: tokio::sync::Mutex<()>,
    lock: Mutex<Option<InstanceLock>>,
    stop: tokio::sync::Notify,
    /// Rung after each verified backup: the upload step sends it without waiting.
    taken: tokio::sync::Notify,
}

impl Backups {
    /// The backups of the database at `db_path` for these settings (no lock held yet).
    pub fn new(settings: &crate::settings::Settings, device_id: uuid::Uuid) -> Self {
        let last = list(&settings.data_dir.join("backups"))
            .first()
            .and_then(|(path, modified)| {
                Some(BackupReport {
                    at: jiff::Timestamp::try_from(*modified).ok()?.to_string(),
                    file: path.file_name()?.to_string_lossy().into_owned(),
                    size_bytes: std::fs::metadata(path).ok()?.len(),
                    // Only copies that passed the check are ever given a final name.
                    verified: true,
                    duration_ms: 0,
                    error: None,
                })
            });
        Self {
            data_dir: settings.data_dir.clone(),
            db_path: settings.database_path(),
            device_id,
            interval: (settings.backup_interval_hours > 0)
                .then(|| Duration::from_secs(settings.backup_interval_hours * 3600)),
            retention: Duration::from_secs(settings.backup_retention_days.max(1) * 86_400),
            last: Mutex::new(last),
            running: tokio::sync::Mutex::new(()),
            lock: Mutex::new(None),
            stop: tokio::sync::Notify::new(),
            taken: tokio::sync::Notify::new(),
        }
    }

    /// Notified after each verified backup (one waiter: the cloud upload step; a backup
    /// taken while nobody waits leaves a permit, so it is not missed).
    pub fn taken(&self) -> &tokio::sync::Notify {
        &self.taken
    }

    /// Where backups are written.
    pub fn dir(&self) -> PathBuf {
        self.data_dir.join("backups")
    }

    /// Keeps the data directory's lock for as long as the appliance runs.
    pub fn hold_lock(&self, lock: InstanceLock) {
        *self.lock.lock().unwrap_or_else(|p| p.into_inner()) = Some(lock);
    }

    /// Lets the data directory go (after the database is closed).
    pub fn release_lock(&self) {
        self.lock.lock().unwrap_or_else(|p| p.into_inner()).take();
    }

    /// The last backup's outcome since start (or the newest file found at start).
    pub fn last(&self) -> Option<BackupReport> {
        self.last.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Takes a backup now (one at a time), prunes old ones, records the outcome and, on
    /// failure, publishes a `backup.failed` event for the panel and the desktop tray.
    pub async fn run_now(&self, events: &EventBus) -> BackupReport {
        let _one = self.running.lock().await;
        let started = jiff::Timestamp::now();
        let (data_dir, device_id) = (self.data_dir.clone(), self.device_id);
        let keyring = keyring_core::get_default_store();
        let outcome = async {
            let key = blocking(move || load_key(&data_dir, device_id, keyring.as_ref())).await?;
            create(&self.db_path, &self.dir(), self.device_id, key).await
        }
        .await;
        let report = match outcome {
            Ok(report) => {
                let dir = self.dir();
                let retention = self.retention;
                let _ = blocking(move || Ok(prune(&dir, retention, SystemTime::now()))).await;
                tracing::info!(file = %report.file, size = report.size_bytes, ms = report.duration_ms, "backup taken and verified");
                events.publish(
                    EventKind::BackupTaken,
                    report.file.clone(),
                    serde_json::to_value(&report).unwrap_or_default(),
                );
                self.taken.notify_one();
                report
            }
            Err(error) => {
                tracing::error!(%error, "backup failed");
                let report = BackupReport {
                    at: started.to_string(),
                    file: String::new(),
                    size_bytes: 0,
                    verified: false,
                    duration_ms: 0,
                    error: Some(error.to_string()),
                };
                events.publish(
                    EventKind::BackupFailed,
                    "",
                    serde_json::to_value(&report).unwrap_or_default(),
                );
                report
            }
        };
        dysa_web::metrics::backup_finished(report.error.is_none());
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(report.clone());
        report
    }

    /// Backs up every `backup_interval_hours`, counted from the newest backup (so an
    /// appliance restarted every night still backs up), until [`Backups::stop`].
    pub fn start(self: &Arc<Self>, events: EventBus) {
        let Some(interval) = self.interval else {
            return;
        };
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                let newest = list(&this.dir()).first().map(|(_, modified)| *modified);
                let wait = match newest {
                    // A new install: its first copy a minute after start.
                    None => Duration::from_secs(60),
                    Some(newest) => {
                        let age = SystemTime::now()
                            .duration_since(newest)
                            .unwrap_or(Duration::ZERO);
                        interval.saturating_sub(age).max(Duration::from_secs(60))
                    }
                };
                tokio::select! {
                    () = this.stop.notified() => break,
                    () = tokio::time::sleep(wait) => {}
                }
                let failed = this.run_now(&events).await.error.is_some();
                if failed {
                    // Retry within the hour rather than waiting a whole interval.
                    tokio::select! {
                        () = this.stop.notified() => break,
                        () = tokio::time::sleep(Duration::from_secs(3600).min(interval)) => {}
                    }
                }
            }
        });
    }

    /// Stops the scheduled backups.
    pub fn stop(&self) {
        self.stop.notify_one();
    }
}

/// Backs up the database at `db_path` when it exists and has migrations still to run,
/// so a migration that goes wrong can be undone. Called at open, before migrating.
pub async fn before_migrations(
    data_dir: &Path,
    db_path: &Path,
) -> Result<Option<BackupReport>, BackupError> {
    if !db_path.exists() {
        return Ok(None);
    }
    let mut conn = SqliteConnection::connect_with(
        &SqliteConnectOptions::new()
            .filename(db_path)
            .read_only(true),
    )
    .await?;
    let applied: Result<Vec<(i64,)>, _> =
        sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success = 1")
            .fetch_all(&mut conn)
            .await;
    let device: Result<Option<(String,)>, _> =
        sqlx::query_as("SELECT device_id FROM device WHERE singleton = 1")
            .fetch_optional(&mut conn)
            .await;
    conn.close().await.ok();
    // No migrations table or device row: a database that never finished its first start
    // holds nothing worth keeping.
    let (Ok(applied), Ok(Some((device,)))) = (applied, device) else {
        return Ok(None);
    };
    let pending = crate::store::MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .any(|m| !applied.iter().any(|(v,)| *v == m.version));
    if !pending {
        return Ok(None);
    }
    let Ok(device_id) = device.parse::<uuid::Uuid>() else {
        return Ok(None);
    };
    let dir = data_dir.to_path_buf();
    let keyring = keyring_core::get_default_store();
    let key = blocking(move || load_key(&dir, device_id, keyring.as_ref())).await?;
    let report = create(db_path, &data_dir.join("backups"), device_id, key).await?;
    tracing::info!(file = %report.file, "backup taken before migrating the database");
    Ok(Some(report))
}

/// What [`restore`] did.
#[derive(Debug, Serialize)]
pub struct RestoreReport {
    /// The backup restored.
    pub from: PathBuf,
    /// The database now in place.
    pub database: PathBuf,
    /// Where the database it replaced was kept (none when there was none).
    pub set_aside: Option<PathBuf>,
    /// The restored database's size in bytes.
    pub size_bytes: u64,
    /// The device the backup belongs to.
    pub device_id: uuid::Uuid,
}

/// Restores `file` into `data_dir` while no appliance runs there: decrypts it, checks
/// its integrity, keeps the current database (and its WAL) aside as
/// `dysa.db.before-restore-<timestamp>`, puts the backup in place and removes the stale
/// `-wal`/`-shm` files.
pub async fn restore(data_dir: &Path, file: &Path) -> Result<RestoreReport, BackupError> {
    let lock = InstanceLock::acquire(data_dir)?;
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let db_path = data_dir.join("dysa.db");
    let staged = data_dir.join(format!(".restore-{stamp}.db.tmp"));
    let (source, dir, staged_out) = (file.to_path_buf(), data_dir.to_path_buf(), staged.clone());
    let keyring = keyring_core::get_default_store();
    let decrypted = blocking(move || {
        let device_id = crypt::read_device_id(
            &mut File::open(&source).map_err(io(format!("opening {}", source.display())))?,
        )?;
        let key = load_key(&dir, device_id, keyring.as_ref())?;
        let mut input =
            std::io::BufReader::new(File::open(&source).map_err(io("opening the backup"))?);
        let out = File::create(&staged_out).map_err(io("writing the restored database"))?;
        let mut output = std::io::BufWriter::new(out);
        crypt::decrypt(&key, &mut input, &mut output)?;
        let out = output.into_inner().map_err(|e| BackupError::Io {
            what: "writing the restored database".to_owned(),
            source: e.into_error(),
        })?;
        out.sync_all()
            .map_err(io("syncing the restored database"))?;
        Ok(device_id)
    })
    .await;
    let device_id = match decrypted {
        Ok(device_id) => device_id,
        Err(error) => {
            remove_database(&staged);
            return Err(error);
        }
    };
    let checked = integrity_check(&staged).await;
    // The check's connection may leave side files; the staged file itself stays.
    for side in ["-wal", "-shm"] {
        let mut name = staged.as_os_str().to_owned();
        name.push(side);
        remove_quietly(Path::new(&name));
    }
    if let Err(error) = checked {
        remove_database(&staged);
        return Err(error);
    }
    // The key the copy carries stays out of the live database; the data directory keeps
    // its own (a restore on the same counter), so it is not installed from here.
    let stripped = take_location_key(&staged).await;
    for side in ["-wal", "-shm"] {
        let mut name = staged.as_os_str().to_owned();
        name.push(side);
        remove_quietly(Path::new(&name));
    }
    if let Err(error) = stripped {
        remove_database(&staged);
        return Err(error);
    }
    let mut set_aside = None;
    if db_path.exists() {
        let aside = data_dir.join(format!("dysa.db.before-restore-{stamp}"));
        std::fs::rename(&db_path, &aside).map_err(io("setting the current database aside"))?;
        // Its WAL goes with it under SQLite's naming, so the copy kept aside opens with
        // every change it had; the shared-memory file is rebuilt by SQLite.
        let wal = data_dir.join("dysa.db-wal");
        if wal.exists() {
            std::fs::rename(
                &wal,
                data_dir.join(format!("dysa.db.before-restore-{stamp}-wal")),
            )
            .map_err(io("setting the current WAL aside"))?;
        }
        set_aside = Some(aside);
    }
    remove_quietly(&data_dir.join("dysa.db-wal"));
    remove_quietly(&data_dir.join("dysa.db-shm"));
    std::fs::rename(&staged, &db_path).map_err(io("putting the backup in place"))?;
    sync_dir(data_dir);
    let size_bytes = std::fs::metadata(&db_path)
        .map_err(io("reading the restored database"))?
        .len();
    drop(lock);
    Ok(RestoreReport {
        from: file.to_path_buf(),
        database: db_path,
        set_aside,
        size_bytes,
        device_id,
    })
}
