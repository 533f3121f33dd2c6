//! "Recuperar este local": a fresh counter replaces a dead one (issue 20; docs/SYNC.md,
//! "Replacing a dead counter"; docs/SECURITY.md, "Replacing a dead counter").
//!
//! With an enrolment code from the owner's dashboard the new counter enrols, downloads
//! the location's newest backup held by the cloud and the recovery copy of the key that
//! opens it (the cloud gives that key only to a counter enrolled within the last hour:
//! the owner's fresh code is the authorisation, a stolen token of a running counter is
//! not), checks and decrypts it, migrates it, takes the location key the backup carries
//! (checked against the fingerprint the location claimed), copies its rows into this
//! database, then runs one sync round at once: the backup's unsent changes go up and the
//! cloud's newer rows come down (rows are keyed by id and merged by version, so nothing
//! is doubled). The report says what came from where.
//!
//! The location key is installed before any row is copied, and the copy's transaction
//! records the recovery (`recoveries`, migration 0034): a recovery that fails after the
//! copy, or a counter stopped then, is asked again on the same install and goes on from
//! there (docs/SYNC.md, "Replacing a dead counter").

use super::{BackupError, blocking, crypt, integrity_check, io, remove_database, remove_quietly};
use crate::store::{StoreError, users};
use crate::sync::client::{CloudBackup, CloudClient, CloudError};
use crate::sync::location_key::install_location_key;
use crate::sync::{ConnectError, ConnectInput, SyncContext, join};
use dysa_domain::validate::Lang;
use serde::Serialize;
use sqlx::Row;

async fn columns_of(
    conn: &mut sqlx::SqliteConnection,
    schema: &str,
    table: &str,
) -> Result<Vec<String>, sqlx::Error> {
    Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
        "PRAGMA {schema}.table_info(\"{table}\")"
    )))
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.get::<String, _>("name"))
    .collect())
}
use std::collections::BTreeMap;
use std::path::Path;

/// Tables the backup's rows are never copied from: this counter's own identity, link and
/// sign-ins, the print queue (a ticket printed before the counter died must not print
/// again), and the sync cursor (taken from the backup separately).
const NOT_COPIED: &[&str] = &[
    "_sqlx_migrations",
    "device",
    "cloud_link",
    "sync_join",
    "sync_state",
    "sessions",
    "refresh_tokens",
    "idempotency_keys",
    "auth_failures",
    "auth_lockouts",
    "known_devices",
    "print_jobs",
    "recoveries",
    super::LOCATION_KEY_TABLE,
];

/// Append-only tables (their triggers refuse deletes): rows are added, never replaced.
const APPEND_ONLY: &[&str] = &["audit_events", "day_closes"];

/// What the report counts, with the query that counts it.
const COUNTED: &[(&str, &str)] = &[
    ("orders", "SELECT COUNT(*) FROM orders"),
    ("payments", "SELECT COUNT(*) FROM payments"),
    ("conversations", "SELECT COUNT(*) FROM conversations"),
    (
        "conversation_messages",
        "SELECT COUNT(*) FROM conversation_messages",
    ),
    ("customers", "SELECT COUNT(*) FROM customers"),
    ("reservations", "SELECT COUNT(*) FROM reservations"),
    ("menu_items", "SELECT COUNT(*) FROM menu_items"),
    ("users", "SELECT COUNT(*) FROM users"),
    ("settings", "SELECT COUNT(*) FROM settings"),
    (
        "open_drawers",
        "SELECT COUNT(*) FROM drawer_sessions WHERE status <> 'closed'",
    ),
    ("day_closes", "SELECT COUNT(*) FROM day_closes"),
];

/// Why a recovery failed.
#[derive(Debug, thiserror::Error)]
pub enum RecoverError {
    /// Staff accounts exist here: this counter is set up already.
    #[error("already set up")]
    AlreadySetUp,
    /// Enrolling failed.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The cloud refused or could not be reached.
    #[error(transparent)]
    Cloud(#[from] CloudError),
    /// The cloud holds no backup of this location.
    #[error("the cloud holds no backup of this location")]
    NoBackup,
    /// The backup carries no location key (taken before recovery existed, or the key was
    /// unreadable then): the location's staff cannot be opened; join from another counter.
    #[error("the backup carries no location key")]
    NoLocationKey,
    /// The key in the backup is not the one the location claimed.
    #[error("the backup's location key is not the location's")]
    WrongLocationKey,
    /// Reading, decrypting or checking the backup failed.
    #[error(transparent)]
    Backup(#[from] BackupError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The location key could not be kept.
    #[error("location key: {0}")]
    LocationKey(String),
}

impl From<sqlx::Error> for RecoverError {
    fn from(error: sqlx::Error) -> Self {
        RecoverError::Store(StoreError::from(error))
    }
}

impl From<join::JoinError> for RecoverError {
    fn from(error: join::JoinError) -> Self {
        match error {
            join::JoinError::Connect(e) => RecoverError::Connect(e),
            join::JoinError::Cloud(e) => RecoverError::Cloud(e),
            join::JoinError::Store(e) => RecoverError::Store(e),
            other => RecoverError::Store(StoreError::CommitFailed(other.to_string())),
        }
    }
}

/// How many rows of one kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowCount {
    /// What: `orders`, `payments`, `conversations`, `conversation_messages`, `customers`,
    /// `reservations`, `menu_items`, `users`, `settings`, `open_drawers`, `day_closes`;
    /// for changes sent, the synced entity (`order`, `conversation`, …).
    pub key: String,
    /// How many.
    pub count: i64,
}

/// The backup a recovery came from.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RecoveredBackup {
    /// The cloud's id of the backup.
    pub id: uuid::Uuid,
    /// When the dead counter took it.
    pub taken_at: String,
    /// Its encrypted size in bytes.
    pub size_bytes: u64,
    /// The counter that took it.
    pub device_id: uuid::Uuid,
}

/// What "Recuperar este local" brought back, and from where (`POST /setup/recover`).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RecoveryReport {
    /// The backup restored.
    pub backup: RecoveredBackup,
    /// Rows as the backup held them (conversations, local settings, open drawers…).
    pub from_backup: Vec<RowCount>,
    /// Rows the first sync added on top (the cloud's changes after the backup); negative
    /// when the cloud had removed some.
    pub from_cloud: Vec<RowCount>,
    /// Changes the backup held that the dead counter had never sent: this counter sent
    /// them now (by entity).
    pub sent_to_cloud: Vec<RowCount>,
    /// Of those, how many still wait (the first round did not finish; the loop goes on).
    pub still_pending: i64,
    /// Whether the first sync round finished.
    pub synced: bool,
    /// Why it did not, when it did not (the loop keeps trying).
    pub sync_error: Option<String>,
    /// What could be lost: changes made on the dead counter after the backup that never
    /// reached the cloud. Nobody can count them; none were found here.
    pub lost_es: String,
    /// The same in English.
    pub lost_en: String,
    /// What is not brought back on purpose.
    pub not_restored: Vec<String>,
    /// How long the whole recovery took, in milliseconds.
    pub duration_ms: u64,
}

async fn counts(db: &crate::store::Db) -> Result<BTreeMap<String, i64>, RecoverError> {
    let mut out = BTreeMap::new();
    for (key, query) in COUNTED {
        let n: i64 = sqlx::query_scalar(*query).fetch_one(&db.read).await?;
        out.insert((*key).to_owned(), n);
    }
    Ok(out)
}

async fn pending_by_entity(db: &crate::store::Db) -> Result<Vec<RowCount>, RecoverError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT entity, COUNT(*) FROM outbox WHERE pushed_at IS NULL AND rejected_reason IS NULL
         GROUP BY entity ORDER BY entity",
    )
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(key, count)| RowCount { key, count })
        .collect())
}

/// A recovery whose rows were copied but whose later steps did not finish
/// (`recoveries`, migration 0034).
struct Unfinished {
    backup: CloudBackup,
    from_backup: BTreeMap<String, i64>,
}

async fn unfinished(db: &crate::store::Db) -> Result<Option<Unfinished>, RecoverError> {
    let row: Option<(String, String, i64, String, String)> = sqlx::query_as(
        "SELECT backup_id, taken_at, size_bytes, dead_device_id, from_backup FROM recoveries
         WHERE singleton = 1 AND finished_at IS NULL",
    )
    .fetch_optional(&db.read)
    .await?;
    let Some((id, taken_at, size, device, counts)) = row else {
        return Ok(None);
    };
    let bad = |what: &str| RecoverError::Store(StoreError::CommitFailed(what.to_owned()));
    Ok(Some(Unfinished {
        backup: CloudBackup {
            id: id.parse().map_err(|_| bad("a recovery's backup id"))?,
            device_id: device.parse().map_err(|_| bad("a recovery's device id"))?,
            taken_at,
            parts: 0,
            size_bytes: u64::try_from(size).unwrap_or(0),
            sha256: None,
        },
        from_backup: serde_json::from_str(&counts).map_err(|_| bad("a recovery's counts"))?,
    }))
}

/// Recovers the location into this fresh counter (see the module's comment). A recovery
/// that failed after its rows were copied goes on from there when asked again (no
/// download, no second copy); one that finished answers [`RecoverError::AlreadySetUp`].
pub async fn recover(
    state: &SyncContext,
    input: ConnectInput,
    lang: Lang,
) -> Result<RecoveryReport, RecoverError> {
    let started = std::time::Instant::now();
    let resumed = unfinished(&state.db).await?;
    if resumed.is_none() && users::count(&state.db.read).await? > 0 {
        return Err(RecoverError::AlreadySetUp);
    }
    // A recovery cut short (the cloud out of reach mid-download) is tried again on the
    // same link: the code was used once already.
    let (link, token) = match join::linked(state).await? {
        Some(linked) => linked,
        None => crate::sync::enrol(state, input, lang).await?,
    };
    let client = CloudClient::new(state.sync.http.clone(), link.cloud_url.clone(), token);
    let (backup, from_backup_counts) = match resumed {
        Some(resumed) => {
            tracing::warn!(backup = %resumed.backup.id, "going on with a recovery whose rows were copied");
            (resumed.backup, resumed.from_backup)
        }
        None => {
            let backup = client
                .latest_backup()
                .await?
                .ok_or(RecoverError::NoBackup)?;
            let key = zeroize::Zeroizing::new(client.backup_key(backup.device_id).await?);
            let data_dir = state.backups.data_dir.clone();
            let sealed = data_dir.join(format!(".recover-{}.dysabak.tmp", backup.id));
            let staged = data_dir.join(format!(".recover-{}.db.tmp", backup.id));
            let outcome = {
                let (state, client, backup) = (state.clone(), client.clone(), backup.clone());
                let (key, sealed, staged) = (key.clone(), sealed.clone(), staged.clone());
                tokio::spawn(async move {
                    restore_rows(&state, &client, &backup, &key, &sealed, &staged).await
                })
                .await
                .map_err(|e| RecoverError::Backup(BackupError::Interrupted(e.to_string())))?
            };
            remove_quietly(&sealed);
            remove_database(&staged);
            (backup, outcome?)
        }
    };
    // What the backup held unsent, before this counter writes anything of its own (its
    // order-number slot below is its own change, not the dead counter's).
    let sent = pending_by_entity(&state.db).await?;
    let sent_total: i64 = sent.iter().map(|r| r.count).sum();
    // From here every step may run twice (a retry after a failure): none adds rows.
    after_copy(state).await?;
    let before_round = counts(&state.db).await?;
    // The backup's unsent changes up, the cloud's newer rows down, before reporting.
    let synced = crate::sync::run::round_once(state, &client).await;
    crate::sync::resume(state).await?;
    crate::sync::publish_status(state).await;
    let after = counts(&state.db).await?;
    let still: i64 = pending_by_entity(&state.db)
        .await?
        .iter()
        .map(|r| r.count)
        .sum();
    // In the order of [`COUNTED`] (orders first), not the keys' alphabetical order.
    let from_backup = COUNTED
        .iter()
        .map(|(key, _)| RowCount {
            key: (*key).to_owned(),
            count: from_backup_counts.get(*key).copied().unwrap_or(0),
        })
        .collect();
    // What the first round brought: counted around the round only, so this counter's own
    // writes after the copy are not taken for the cloud's.
    let from_cloud = COUNTED
        .iter()
        .map(|(key, _)| RowCount {
            key: (*key).to_owned(),
            count: after.get(*key).copied().unwrap_or(0)
                - before_round.get(*key).copied().unwrap_or(0),
        })
        .filter(|r| r.count != 0)
        .collect();
    let taken = backup.taken_at.clone();
    let report = RecoveryReport {
        backup: RecoveredBackup {
            id: backup.id,
            taken_at: backup.taken_at.clone(),
            size_bytes: backup.size_bytes,
            device_id: backup.device_id,
        },
        from_backup,
        from_cloud,
        sent_to_cloud: sent,
        still_pending: still.min(sent_total),
        synced: synced.is_ok(),
        sync_error: synced.err(),
        lost_es: format!(
            "Lo que la caja anterior cambió después del respaldo ({taken}) y nunca envió a la nube no se puede saber; no se encontró nada aquí."
        ),
        lost_en: format!(
            "What the old counter changed after the backup ({taken}) and never sent to the cloud cannot be known; none was found here."
        ),
        not_restored: vec!["sessions".into(), "print_jobs".into(), "sync_status".into()],
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    };
    sqlx::query("UPDATE recoveries SET finished_at = ?1 WHERE singleton = 1")
        .bind(crate::store::now_text())
        .execute(&state.db.write)
        .await?;
    record(state, &report).await;
    tracing::warn!(backup = %report.backup.id, from = %report.backup.device_id,
        sent = sent_total, "recovered the location from the cloud's backup");
    Ok(report)
}

/// What follows the copy, safe to run again: caches over the replaced tables, accounts
/// sealed with the location key, the clock past every stamp the backup holds, and this
/// counter's own range of order numbers (the dead one's stays claimed by it).
async fn after_copy(state: &SyncContext) -> Result<(), RecoverError> {
    state.db.menu_cache.invalidate();
    state.db.session_cache.invalidate();
    state.restaurant.invalidate();
    crate::sync::location_key::reseal_users(&state.db).await?;
    let newest: Option<String> = sqlx::query_scalar("SELECT MAX(hlc) FROM outbox")
        .fetch_one(&state.db.read)
        .await?;
    if let Some(newest) = newest.and_then(|h| h.parse::<dysa_domain::hlc::Hlc>().ok()) {
        state.db.observe(newest);
    }
    crate::store::numbering::settle(&state.db).await?;
    Ok(())
}

async fn record(state: &SyncContext, report: &RecoveryReport) {
    let event = crate::audit::Actor::anonymous(state.db.device_id(), Some("setup")).event(
        dysa_domain::audit::AuditAction::BackupRestored,
        "database",
        Some(report.backup.id.to_string()),
        None,
        Some(serde_json::json!({
            "recovered_from_cloud": true,
            "taken_at": report.backup.taken_at,
            "dead_device": report.backup.device_id,
            "size_bytes": report.backup.size_bytes,
        })),
    );
    if let Err(error) = crate::audit::record_alone(&state.db, &event).await {
        tracing::error!(%error, "the recovery could not be recorded in the audit log");
    }
}

/// Downloads, opens, checks and migrates the backup, installs its location key and
/// copies its rows in. Answers the counts as the backup held them.
async fn restore_rows(
    state: &SyncContext,
    client: &CloudClient,
    backup: &CloudBackup,
    key: &[u8],
    sealed: &Path,
    staged: &Path,
) -> Result<BTreeMap<String, i64>, RecoverError> {
    super::cloud::download(client, backup, sealed)
        .await
        .map_err(|error| match error {
            super::cloud::UploadError::Backup(e) => RecoverError::Backup(e),
            super::cloud::UploadError::Cloud(e) => RecoverError::Cloud(e),
        })?;
    let (from, to, key) = (
        sealed.to_path_buf(),
        staged.to_path_buf(),
        zeroize::Zeroizing::new(key.to_vec()),
    );
    blocking(move || {
        let mut input = std::io::BufReader::new(
            std::fs::File::open(&from).map_err(io("opening the downloaded backup"))?,
        );
        let out = std::fs::File::create(&to).map_err(io("writing the recovered database"))?;
        let mut output = std::io::BufWriter::new(out);
        crypt::decrypt(&key, &mut input, &mut output)?;
        let out = output.into_inner().map_err(|e| BackupError::Io {
            what: "writing the recovered database".to_owned(),
            source: e.into_error(),
        })?;
        out.sync_all()
            .map_err(io("syncing the recovered database"))?;
        Ok(())
    })
    .await?;
    integrity_check(staged).await?;
    // A backup from an older version gets this version's migrations before its rows move.
    {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(staged))
            .await?;
        let migrated = crate::store::MIGRATOR.run(&pool).await;
        pool.close().await;
        migrated.map_err(|e| RecoverError::Store(StoreError::Sqlx(e.into())))?;
    }
    let location_key = super::take_location_key(staged)
        .await?
        .ok_or(RecoverError::NoLocationKey)?;
    let claimed = client.location_key().await?.fingerprint;
    if claimed.as_deref() != Some(location_key.fingerprint().as_str()) {
        return Err(RecoverError::WrongLocationKey);
    }
    // The key before the rows: accounts are never here without the key that opens them
    // (were the counter to stop between the two, its start would make a rival key).
    install_location_key(&state.db, location_key)
        .await
        .map_err(|e| RecoverError::LocationKey(e.to_string()))?;
    copy_rows(&state.db, staged, backup).await
}

/// Copies every table of the database at `staged` (same schema: migrated) into this
/// one in one transaction, except [`NOT_COPIED`]; takes its sync cursor; records the
/// recovery as copied (`recoveries`) in the same transaction. Answers the counts as the
/// backup held them.
async fn copy_rows(
    db: &crate::store::Db,
    staged: &Path,
    backup: &CloudBackup,
) -> Result<BTreeMap<String, i64>, RecoverError> {
    let mut conn = db.write.acquire().await?;
    sqlx::query("ATTACH DATABASE ?1 AS recovered")
        .bind(staged.display().to_string())
        .execute(&mut *conn)
        .await?;
    let copied = async {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::query("PRAGMA defer_foreign_keys = ON")
            .execute(&mut *tx)
            .await?;
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM recovered.sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name IN (SELECT name FROM main.sqlite_master WHERE type = 'table')",
        )
        .fetch_all(&mut *tx)
        .await?;
        let tables: Vec<&String> = tables
            .iter()
            .filter(|t| !NOT_COPIED.contains(&t.as_str()))
            .collect();
        // Every delete before any insert: a cascade from a parent emptied later must not
        // take rows already copied into a child.
        for table in tables.iter().filter(|t| !APPEND_ONLY.contains(&t.as_str())) {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM main.\"{table}\""
            )))
                .execute(&mut *tx)
                .await?;
        }
        for table in &tables {
            let here = columns_of(&mut tx, "main", table).await?;
            let there = columns_of(&mut tx, "recovered", table).await?;
            let columns = here
                .iter()
                .filter(|c| there.contains(c))
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            if columns.is_empty() {
                continue;
            }
            let insert = if APPEND_ONLY.contains(&table.as_str()) {
                "INSERT OR IGNORE"
            } else {
                "INSERT"
            };
            // Table and column names come from the two schemas, never from a request.
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{insert} INTO main.\"{table}\" ({columns}) SELECT {columns} FROM recovered.\"{table}\""
            )))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE main.sync_state SET cursor = (SELECT cursor FROM recovered.sync_state WHERE singleton = 1)
             WHERE singleton = 1 AND EXISTS (SELECT 1 FROM recovered.sync_state)",
        )
        .execute(&mut *tx)
        .await?;
        let mut held = BTreeMap::new();
        for (key, query) in COUNTED {
            let n: i64 = sqlx::query_scalar(*query).fetch_one(&mut *tx).await?;
            held.insert((*key).to_owned(), n);
        }
        sqlx::query(
            "INSERT OR REPLACE INTO recoveries
             (singleton, backup_id, taken_at, size_bytes, dead_device_id, from_backup, copied_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(backup.id.to_string())
        .bind(&backup.taken_at)
        .bind(i64::try_from(backup.size_bytes).unwrap_or(i64::MAX))
        .bind(backup.device_id.to_string())
        .bind(serde_json::to_string(&held).unwrap_or_default())
        .bind(crate::store::now_text())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(held)
    }
    .await;
    let detached = sqlx::query("DETACH DATABASE recovered")
        .execute(&mut *conn)
        .await;
    let held = copied?;
    detached?;
    Ok(held)
}
