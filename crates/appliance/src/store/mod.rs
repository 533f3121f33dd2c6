//! The SQLite store: connection pools, migrations, the HLC clock and the outbox.
//!
//! Writes go through one connection (the single writer path), so SQLite never answers
//! "database is locked" under load and group commit can batch on it; reads use a pool
//! of read-only connections that WAL lets run beside the writer.

pub mod analytics;
pub mod audit;
pub mod bills;
pub mod cache;
pub mod closing;
pub mod conversations;
pub mod customers;
pub mod drawers;
pub mod fiscal;
pub mod join;
pub mod kitchen;
pub mod known_devices;
pub mod lockouts;
pub mod media;
pub mod menu;
pub mod numbering;
pub mod orders;
pub mod outbox;
pub mod parked;
pub mod printing;
pub mod recovery;
pub mod reservations;
pub mod rows;
pub mod sessions;
pub mod settings;
pub mod sync;
pub mod tables;
pub mod users;
pub mod writer;

use dysa_domain::hlc::{Hlc, HlcClock};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// The embedded migrations of `migrations/appliance`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/appliance");

/// A store failure. Callers map it to a 500 and log it; details never reach clients.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database answered with an error.
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// Migrations failed at start.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value could not be read back (corrupt row or a newer schema).
    #[error("corrupt row in {table}: {detail}")]
    Corrupt {
        /// The table holding the bad row.
        table: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// A JSON payload could not be written.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// The group commit holding this write failed; nothing of it was kept.
    #[error("commit failed: {0}")]
    CommitFailed(String),
}

impl StoreError {
    /// A row of `table` that cannot be read back.
    pub fn corrupt(table: &'static str, detail: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt {
            table,
            detail: detail.to_string(),
        }
    }
}

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// A write transaction on the single writer connection.
pub type WriteTx = Transaction<'static, Sqlite>;

/// Handle to the database and the in-memory copies of its hottest rows; cheap to clone.
#[derive(Clone)]
pub struct Db {
    /// Read-only connections for queries.
    pub read: SqlitePool,
    /// The one connection that writes.
    pub write: SqlitePool,
    /// The menu's pricing data between menu changes; menu writers invalidate it.
    pub menu_cache: Arc<cache::PricingCache>,
    /// Open sessions' users between account changes; account writers invalidate it.
    pub session_cache: Arc<cache::SessionCache>,
    /// The location key staff accounts are sealed with (`crate::sync::location_key`).
    pub location_key: Arc<crate::sync::location_key::LocationKeys>,
    clock: Arc<Mutex<HlcClock>>,
    device_id: uuid::Uuid,
    outbox_written: Arc<Notify>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("device_id", &self.device_id)
            .finish()
    }
}

impl Db {
    /// Opens (creating if missing) the database file, runs migrations, and loads the
    /// device identity and clock.
    pub async fn open(path: &Path) -> StoreResult<Db> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Sqlx(sqlx::Error::Io(e)))?;
        }
        let base = SqliteConnectOptions::new()
            .filename(path)
            .journal_mode(SqliteJournalMode::Wal)
            // Orders and money: acknowledged only once they survive a power cut.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .pragma("temp_store", "memory");
        let outbox_written = Arc::new(Notify::new());
        let hook = outbox_written.clone();
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            // A connection to a local file cannot hang up; the ping sqlx sends before
            // handing it out is a round trip to SQLite's thread on every group commit.
            // (sqlx still tests it when it is given back.)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(30))
            // Every outbox row is inserted on this connection, whoever writes it (the group
            // writer, or a handler's own transaction), so a hook here tells the sync loop
            // about every local change without touching the code that makes them. Set on
            // each new connection: the pool may replace the one it has.
            .after_connect(move |conn, _| {
                let hook = hook.clone();
                Box::pin(async move {
                    let mut handle = conn.lock_handle().await?;
                    handle.set_update_hook(move |change| {
                        if change.table == "outbox"
                            && matches!(change.operation, sqlx::sqlite::SqliteOperation::Insert)
                        {
                            hook.notify_one();
                        }
                    });
                    Ok(())
                })
            })
            .connect_with(base.clone().create_if_missing(true))
            .await?;
        MIGRATOR.run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(base.read_only(true))
            .await?;
        let (device_id, node, last) = load_device(&write).await?;
        // Kept beside the database (its file fallback in the data directory), read at start.
        let location_key = crate::sync::location_key::LocationKeys::new(
            path.parent().unwrap_or(Path::new(".")),
            device_id,
            keyring_core::get_default_store(),
        );
        let db = Db {
            location_key: Arc::new(location_key),
            read,
            write,
            menu_cache: Arc::default(),
            session_cache: Arc::default(),
            clock: Arc::new(Mutex::new(HlcClock::new(node, last))),
            device_id,
            outbox_written,
        };
        // This counter's range of order numbers, claimed before the first order.
        numbering::settle(&db).await?;
        Ok(db)
    }

    /// Signalled whenever an outbox row is inserted. The hook fires inside the writing
    /// transaction, before its commit: a reader that must see the row reads it on the
    /// write connection, which it gets only once that transaction has ended. A rolled
    /// back write gives a spurious wake-up, which costs one empty look.
    pub fn outbox_written(&self) -> Arc<Notify> {
        self.outbox_written.clone()
    }

    /// Feeds a timestamp taken from another node (the cloud) to the clock, so the next
    /// local change sorts after it. A remote clock more than a day ahead is not followed.
    /// Returns the clock's newest timestamp.
    pub fn observe(&self, remote: Hlc) -> Hlc {
        let mut clock = self.clock.lock().unwrap_or_else(|p| p.into_inner());
        match clock.observe(remote, now_ms()) {
            Ok(now) => now,
            Err(error) => {
                tracing::warn!(%error, %remote, "not following a remote clock");
                clock.tick(now_ms())
            }
        }
    }

    /// This appliance's device id (stable for the life of the database).
    pub fn device_id(&self) -> uuid::Uuid {
        self.device_id
    }

    /// A fresh HLC timestamp for a local change.
    pub fn tick(&self) -> Hlc {
        let mut clock = self.clock.lock().unwrap_or_else(|p| p.into_inner());
        clock.tick(now_ms())
    }

    /// Starts a write transaction on the writer connection.
    pub async fn begin(&self) -> StoreResult<WriteTx> {
        Ok(self.write.begin().await?)
    }

    /// Checks that the database answers (for `/health`).
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    /// Closes every connection, checkpointing the WAL, so the file is clean on exit.
    pub async fn close(&self) {
        self.read.close().await;
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.write)
            .await
        {
            tracing::warn!(%error, "WAL checkpoint at shutdown failed");
        }
        self.write.close().await;
    }
}

async fn load_device(pool: &SqlitePool) -> StoreResult<(uuid::Uuid, u64, Hlc)> {
    let row: Option<(String, i64, String)> =
        sqlx::query_as("SELECT device_id, hlc_node, last_hlc FROM device WHERE singleton = 1")
            .fetch_optional(pool)
            .await?;
    let (device_id, node, mut last) = match row {
        Some((id, node, last)) => {
            let corrupt = |detail: String| StoreError::Corrupt {
                table: "device",
                detail,
            };
            (
                id.parse()
                    .map_err(|e: uuid::Error| corrupt(e.to_string()))?,
                node as u64,
                last.parse::<Hlc>().map_err(|e| corrupt(e.to_string()))?,
            )
        }
        None => {
            let id = uuid::Uuid::now_v7();
            // 63 random bits: fits SQLite's signed INTEGER and is unique enough per device.
            let node = rand::random::<u64>() >> 1;
            sqlx::query(
                "INSERT INTO device (singleton, device_id, hlc_node, last_hlc, created_at) VALUES (1, ?, ?, ?, ?)",
            )
            .bind(id.to_string())
            .bind(node as i64)
            .bind(Hlc::ZERO.to_string())
            .bind(jiff::Timestamp::now().to_string())
            .execute(pool)
            .await?;
            (id, node, Hlc::ZERO)
        }
    };
    // The clock must resume after every stamp already written, even if the wall clock
    // was set back while the appliance was off.
    let newest: Option<String> = sqlx::query_scalar("SELECT max(hlc) FROM outbox")
        .fetch_one(pool)
        .await?;
    if let Some(newest) = newest.and_then(|t| t.parse::<Hlc>().ok()) {
        last = last.max(newest);
    }
    Ok((device_id, node, last))
}

/// Milliseconds since the Unix epoch, from the system clock.
pub fn now_ms() -> u64 {
    u64::try_from(jiff::Timestamp::now().as_millisecond()).unwrap_or(0)
}

/// The current time as stored in the database; see [`instant_text`].
pub fn now_text() -> String {
    instant_text(jiff::Timestamp::now())
}

/// An instant as stored in the database: RFC 3339 in UTC with exactly three fractional
/// digits (`2026-11-27T19:00:00.000Z`). The fixed width makes text order equal time order,
/// so SQL can compare and range-scan instants as plain text.
pub fn instant_text(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::instant_text;

    #[test]
    fn instants_have_fixed_width_so_text_order_is_time_order() {
        let whole = jiff::Timestamp::from_second(1_764_270_000).expect("ts");
        assert_eq!(instant_text(whole), "2025-11-27T19:00:00.000Z");
        let later = whole + jiff::SignedDuration::from_millis(5);
        assert_eq!(instant_text(later), "2025-11-27T19:00:00.005Z");
        assert!(instant_text(whole) < instant_text(later));
    }
}
