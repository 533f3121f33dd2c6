//! The ChatBotDysa appliance: the restaurant's local server on SQLite.
//!
//! A library so the headless binary, the desktop shell and the tests all run the very
//! same server: [`router`] builds it, [`serve`] runs it until shutdown.

pub mod accounts;
pub mod assistant;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod closing;
pub mod customers;
pub mod drawers;
pub mod events;
pub mod fiscal;
pub mod http;
pub mod kitchen;
pub mod menu;
pub mod ordering;
pub mod printing;
pub mod recovery;
pub mod reservations;
pub mod restaurant;
pub mod settings;
pub mod setup_code;
pub mod state;
pub mod store;
pub mod sync;
pub mod tables;

use state::AppState;
use std::future::Future;
use std::net::SocketAddr;

/// The whole HTTP application over `state`.
pub fn router(state: AppState) -> axum::Router {
    http::app(state)
}

/// Opens the data directory (database, signing key), builds the state and, when the
/// appliance is connected to the cloud, starts the sync loop.
pub async fn open(settings: settings::Settings) -> Result<AppState, OpenError> {
    std::fs::create_dir_all(&settings.data_dir).map_err(|source| OpenError::DataDir {
        path: settings.data_dir.display().to_string(),
        source,
    })?;
    // One appliance per data directory; a restore takes the same lock.
    let lock = backup::InstanceLock::acquire(&settings.data_dir)?;
    // A migration that goes wrong can be undone from this copy.
    backup::before_migrations(&settings.data_dir, &settings.database_path()).await?;
    let db = store::Db::open(&settings.database_path()).await?;
    // The keyring talks D-Bus, which blocks: keep it off the async workers.
    let data_dir = settings.data_dir.clone();
    let device_id = db.device_id();
    let key = tokio::task::spawn_blocking(move || {
        auth::keys::load_or_create(
            &data_dir,
            device_id,
            keyring_core::get_default_store().as_ref(),
        )
    })
    .await
    .map_err(|error| OpenError::Key(auth::keys::KeyError::interrupted(error)))??;
    let state = AppState::new(db, &key.bytes, settings);
    state.backups.hold_lock(lock);
    // Before syncing: accounts from before location keys are sealed and queued first.
    sync::location_key::start(&state.db).await?;
    // Not set up yet: print the code a setup from another device needs.
    if store::users::count(&state.db.read).await? == 0 {
        state.setup_code.current();
    }
    sync::resume(&state.sync_context()).await?;
    Ok(state)
}

/// Why the appliance could not open its data.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The data directory cannot be created.
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The database failed to open or migrate.
    #[error(transparent)]
    Store(#[from] store::StoreError),
    /// The signing key cannot be read or created.
    #[error(transparent)]
    Key(#[from] auth::keys::KeyError),
    /// The location key cannot be read or created, or the accounts not sealed.
    #[error(transparent)]
    LocationKey(#[from] sync::location_key::LocationKeyError),
    /// Another appliance holds the data directory, or the backup before migrating failed
    /// (the database is left unmigrated rather than changed without a copy).
    #[error(transparent)]
    Backup(#[from] backup::BackupError),
}

/// Serves until `shutdown` resolves, lets in-flight requests finish, then closes the
/// database cleanly.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let closing = state.clone();
    state.backups.start(state.events.clone());
    assistant::spawn_retention(state.db.clone());
    // Admin actions that hash (new users, PINs) share the sign-ins' permits.
    state.hasher.install();
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    close(&closing).await;
    result
}

/// Stops the background loops (sync, scheduled backups), closes the database cleanly and
/// lets the data directory go, so a restore (or another appliance) may take it.
pub async fn close(state: &AppState) {
    // The loops write through the database: stop them before closing.
    state.sync.stop();
    state.backups.stop();
    state.db.close().await;
    state.backups.release_lock();
}
