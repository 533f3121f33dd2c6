//! Sync with the cloud (docs/SYNC.md, "Appliance"): enrolment, the device token, the
//! push/pull loop and its status.
//!
//! - [`token`]: where the device token lives (OS keyring, else a 0600 file);
//! - [`client`]: the cloud's HTTP API;
//! - [`apply`]: writing the cloud's rows into the typed tables;
//! - [`join`]: a new counter joins a location by approval, and the location key's claim;
//! - [`location_key`]: the location's secret staff accounts are sealed with;
//! - [`staff_rows`]: taking a pulled staff account only when its seal opens;
//! - [`run`]: the loop that pushes the outbox, pulls changes and waits for the next reason
//!   to do it again.

pub mod apply;
pub mod client;
pub mod join;
pub mod location_key;
pub mod run;
pub mod staff_rows;
pub mod token;

use crate::events::EventKind;
use crate::store::sync::{self as sync_store, CloudLink};
use crate::store::writer::Writer;
use crate::store::{Db, StoreError, StoreResult, now_text, outbox};
use dysa_domain::settings::keys::LOCATION_CLOSED;
use dysa_domain::validate::{FieldErrors, FieldIssue, Lang};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use token::{TokenError, TokenStorage, TokenVault};

/// How the link to the cloud stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// The appliance was never connected (or was disconnected).
    NotConfigured,
    /// The last exchange with the cloud succeeded.
    Online,
    /// The cloud is out of reach (or no exchange has finished yet); changes wait here.
    Offline,
    /// The cloud revoked this device; sync stopped until staff connect it again.
    Revoked,
}

/// What staff see about sync (`GET /sync/status`, and the `sync` live event).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SyncStatus {
    /// The link's state.
    pub link: LinkState,
    /// The cloud this appliance is connected to.
    pub cloud_url: Option<String>,
    /// Where the device token is kept.
    pub token_storage: Option<TokenStorage>,
    /// The cloud's id for this device.
    pub device_id: Option<String>,
    /// When it was connected.
    pub connected_at: Option<String>,
    /// Why the cloud revoked the device.
    pub revoked_reason: Option<String>,
    /// When a whole push and pull last succeeded.
    pub last_success_at: Option<String>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Local changes waiting to reach the cloud.
    pub pending: i64,
    /// Local changes the cloud refused (see `GET /sync/rejected`).
    pub rejected: i64,
    /// Cloud rows that could not be applied here yet (waiting for a related row).
    pub parked: i64,
    // The synced `location.closed` setting; the counter keeps selling while it is true,
    // only the cloud's widget for the location answers "cerrado".
    /// True while the owner has closed this location in the cloud (the panel shows a banner).
    pub location_closed: bool,
}

/// What the sync loop and the link's operations work with: narrow handles (the database,
/// the writer, live events, the restaurant's settings, the order desk, the assistant and
/// the sync handle itself), not the whole application state, so the state can hold the
/// sync handle without a cycle. Cheap to clone.
#[derive(Clone, Debug)]
pub struct SyncContext {
    /// The database.
    pub db: Db,
    /// The single write path.
    pub writer: Writer,
    /// Live events for open panels.
    pub events: crate::events::EventBus,
    /// Restaurant settings kept in memory (dropped when synced settings arrive).
    pub restaurant: std::sync::Arc<crate::restaurant::SettingsCache>,
    /// Orders, to announce the ones that arrive from the cloud.
    pub orders: crate::ordering::OrderDesk,
    /// Answers diners' chats relayed by the cloud.
    pub assistant: crate::assistant::Assistant,
    /// The token vault and the running loop.
    pub sync: std::sync::Arc<SyncHandle>,
    /// The backups, which a linked counter uploads after its rounds.
    pub backups: std::sync::Arc<crate::backup::Backups>,
}

/// Reads the current status.
pub async fn status(db: &Db) -> StoreResult<SyncStatus> {
    let pool = &db.read;
    let link = sync_store::link(pool).await?;
    let sync = sync_store::state(pool).await?;
    let pending = outbox::pending_count(pool).await?;
    let rejected = sync_store::rejected_count(pool).await?;
    let parked = sync_store::parked_count(pool).await?;
    let location_closed = crate::store::settings::get(pool, LOCATION_CLOSED)
        .await?
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let link_state = match &link {
        None => LinkState::NotConfigured,
        Some(l) if l.revoked_reason.is_some() => LinkState::Revoked,
        Some(_) if sync.last_error.is_none() && sync.last_success_at.is_some() => LinkState::Online,
        Some(_) => LinkState::Offline,
    };
    Ok(SyncStatus {
        link: link_state,
        cloud_url: link.as_ref().map(|l| l.cloud_url.clone()),
        token_storage: link.as_ref().map(|l| l.token_storage),
        device_id: link.as_ref().map(|l| l.device_id.clone()),
        connected_at: link.as_ref().map(|l| l.connected_at.clone()),
        revoked_reason: link.and_then(|l| l.revoked_reason),
        last_success_at: sync.last_success_at,
        last_error: sync.last_error,
        pending,
        rejected,
        parked,
        location_closed,
    })
}

/// Publishes the status as a `sync` event when something staff see changed since the
/// last one (not on every quiet 30-second round).
pub async fn publish_status(state: &SyncContext) {
    // Held from the read to the publish: the loop and connect/disconnect publish
    // concurrently, and a status read earlier must not be published after a newer one
    // (panels would show "offline" while online, or "online" after a disconnect).
    let mut last = state.sync.last_published.lock().await;
    let current = match status(&state.db).await {
        Ok(current) => current,
        Err(error) => {
            tracing::warn!(%error, "sync status unreadable");
            return;
        }
    };
    // A quiet round only moves `last_success_at`: not worth waking every panel for.
    let mut seen = current.clone();
    seen.last_success_at = None;
    if last.as_ref() == Some(&seen) {
        return;
    }
    *last = Some(seen);
    state.events.publish(
        EventKind::Sync,
        "",
        serde_json::to_value(&current).unwrap_or_default(),
    );
}

/// The sync machinery held in the application state.
#[derive(Debug)]
pub struct SyncHandle {
    vault: TokenVault,
    pub(crate) http: reqwest::Client,
    running: std::sync::Mutex<Option<run::Running>>,
    last_published: tokio::sync::Mutex<Option<SyncStatus>>,
    /// Staff asked for a round now (the desktop tray's "sync now").
    wake: std::sync::Arc<tokio::sync::Notify>,
}

impl SyncHandle {
    /// A handle keeping the token with `vault`; no loop runs until [`resume`] or [`connect`].
    pub fn new(vault: TokenVault) -> Self {
        // Its own client: the shared one gives Ollama on this machine 2 s to connect, too
        // little for a restaurant's internet link; keep-alives find a dead live channel.
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(10))
            .tcp_keepalive(std::time::Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        Self {
            vault,
            http,
            running: std::sync::Mutex::new(None),
            last_published: tokio::sync::Mutex::new(None),
            wake: std::sync::Arc::default(),
        }
    }

    /// Where the token is kept.
    pub fn vault(&self) -> &TokenVault {
        &self.vault
    }

    fn start(&self, state: &SyncContext, link: &CloudLink, token: String) {
        let client = client::CloudClient::new(self.http.clone(), link.cloud_url.clone(), token);
        let running = run::spawn(state.clone(), client);
        // Replacing an earlier loop stops it (its handle aborts on drop).
        *self.running.lock().unwrap_or_else(|p| p.into_inner()) = Some(running);
    }

    /// Runs a round now, cutting short the quiet wait or the backoff after a failure
    /// (staff pressed "sync now"). No effect when no loop runs.
    pub fn sync_now(&self) {
        self.wake.notify_one();
    }

    /// Stops the loop, if one runs. Safe at any point: every step it takes is idempotent
    /// (a push cut short is answered the same when replayed).
    pub fn stop(&self) {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
    }

    /// Whether a loop is running (it ends by itself when the device is revoked).
    pub fn is_running(&self) -> bool {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .is_some_and(|r| !r.is_finished())
    }
}

/// Starts the loop at boot when the appliance is connected and not revoked.
pub async fn resume(state: &SyncContext) -> StoreResult<()> {
    let Some(link) = sync_store::link(&state.db.read).await? else {
        return Ok(());
    };
    if link.revoked_reason.is_some() {
        return Ok(());
    }
    if join::waiting(state).await? {
        // A joining counter syncs once the location key arrived (`join::poll_join`).
        return Ok(());
    }
    let vault = state.sync.vault.clone();
    let storage = link.token_storage;
    let token = tokio::task::spawn_blocking(move || vault.load(storage)).await;
    match token {
        Ok(Ok(token)) => {
            // Installs linked before location keys existed claim theirs now; a rival key
            // is reported, not fatal (the staff rows it cannot open stay parked, listed
            // as `staff_seal_invalid`).
            let client = client::CloudClient::new(
                state.sync.http.clone(),
                link.cloud_url.clone(),
                token.clone(),
            );
            let claimer = state.clone();
            tokio::spawn(async move {
                if let Err(error) = join::claim_location_key(&claimer, &client).await {
                    tracing::warn!(%error, "the location key could not be claimed");
                }
            });
            state.sync.start(state, &link, token);
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "the cloud token cannot be read; sync stays off until reconnected");
            let message =
                format!("no se pudo leer el token del equipo / device token unreadable: {error}");
            state
                .writer
                .write(move |conn| {
                    Box::pin(async move {
                        sync_store::record_attempt(conn, &now_text(), Some(&message)).await
                    })
                })
                .await?;
        }
        Err(error) => tracing::error!(%error, "token read task failed"),
    }
    Ok(())
}

/// A request to connect this appliance to the cloud.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct ConnectInput {
    /// The cloud's address, e.g. `https://nube.chatbotdysa.cl`.
    pub cloud_url: String,
    /// The one-time code from the owners' dashboard.
    pub enrollment_code: String,
    /// How the dashboard will name this device (default: "Caja" and the restaurant's name).
    #[serde(default)]
    pub device_name: Option<String>,
}

/// Why connecting failed.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The input is invalid.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The appliance is already connected (and not revoked).
    #[error("already connected to {0}")]
    AlreadyConnected(String),
    /// The cloud did not answer.
    #[error("cloud at {url} unreachable: {detail}")]
    Unreachable {
        /// The address tried.
        url: String,
        /// What failed.
        detail: String,
    },
    /// The cloud refused the enrolment (bad or used code).
    #[error("the cloud refused: {message}")]
    Refused {
        /// The cloud's HTTP status.
        status: u16,
        /// The cloud's message, in the request's language.
        message: String,
        /// The cloud's field problems.
        fields: BTreeMap<String, String>,
    },
    /// Something answered, but not the ChatBotDysa cloud.
    #[error("unexpected answer: {0}")]
    BadResponse(String),
    /// The token could not be kept.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The location's key is held by another counter, and this one has its own staff and
    /// data: it must join the location (a fresh install) rather than be linked.
    #[error("the location already has a key held by another counter")]
    LocationHasKey,
    /// This appliance's location key could not be read or made.
    #[error("location key: {0}")]
    LocationKey(String),
}

/// Checks and normalises a cloud address: `http(s)://host[:port][/path]`, no query, no
/// trailing slash. Plain HTTP only to this machine (tests, a local cloud): the device
/// token must never cross a network in clear text.
pub fn normalize_cloud_url(text: &str) -> Result<String, FieldIssue> {
    let invalid = || FieldIssue::Other {
        es: "no es una dirección válida (https://…)".into(),
        en: "is not a valid address (https://…)".into(),
    };
    let url = reqwest::Url::parse(text.trim()).map_err(|_| invalid())?;
    let host = url.host_str().ok_or_else(invalid)?;
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(invalid());
    }
    let loopback = host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(FieldIssue::Other {
                es: "debe usar https:// (el token del equipo no viaja sin cifrar)".into(),
                en: "must use https:// (the device token never travels unencrypted)".into(),
            });
        }
        _ => return Err(invalid()),
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Enrols this appliance with the cloud, keeps its token, claims the location key (a
/// location whose key another counter holds refuses the link: that counter joins
/// instead, see [`join`]) and starts syncing.
pub async fn connect(
    state: &SyncContext,
    input: ConnectInput,
    lang: Lang,
) -> Result<SyncStatus, ConnectError> {
    let (link, token) = enrol(state, input, lang).await?;
    let client = client::CloudClient::new(
        state.sync.http.clone(),
        link.cloud_url.clone(),
        token.clone(),
    );
    if let Err(error) = join::claim_location_key(state, &client).await {
        // Nothing of this counter was sent yet: forgetting the link loses nothing.
        if let Err(forget) = disconnect(state).await {
            tracing::error!(%forget, "could not forget a refused link");
        }
        return Err(error);
    }
    tracing::info!(cloud = %link.cloud_url, device = %link.device_id, storage = link.token_storage.as_str(),
        "connected to the cloud");
    state.sync.start(state, &link, token);
    publish_status(state).await;
    Ok(status(&state.db).await?)
}

/// Enrols this appliance with the cloud and keeps its token and link, without syncing
/// yet (a joining counter waits for the location key first).
pub(crate) async fn enrol(
    state: &SyncContext,
    input: ConnectInput,
    lang: Lang,
) -> Result<(CloudLink, String), ConnectError> {
    let mut errors = FieldErrors::new();
    let cloud_url = match normalize_cloud_url(&input.cloud_url) {
        Ok(url) => Some(url),
        Err(issue) => {
            errors.add("cloud_url", issue);
            None
        }
    };
    errors.text("enrollment_code", &input.enrollment_code, 64);
    if let Some(name) = &input.device_name {
        errors.text("device_name", name, 80);
    }
    errors.into_result().map_err(ConnectError::Invalid)?;
    let cloud_url = cloud_url.unwrap_or_default();
    if let Some(existing) = sync_store::link(&state.db.read).await?
        && existing.revoked_reason.is_none()
    {
        return Err(ConnectError::AlreadyConnected(existing.cloud_url));
    }
    let device_name = match input.device_name {
        Some(name) => name.trim().to_owned(),
        None => {
            let restaurant = state.restaurant.get(&state.db.read).await?;
            let name = format!("Caja {}", restaurant.name.trim());
            name.trim().chars().take(80).collect()
        }
    };
    let request = client::EnrollRequest {
        enrollment_code: input.enrollment_code.trim(),
        device_name: &device_name,
    };
    let enrolled = client::enroll(&state.sync.http, &cloud_url, &request, lang)
        .await
        .map_err(|error| match error {
            client::CloudError::Unreachable(detail) => ConnectError::Unreachable {
                url: cloud_url.clone(),
                detail,
            },
            client::CloudError::Revoked { message, .. } => ConnectError::Refused {
                status: 401,
                message,
                fields: BTreeMap::new(),
            },
            client::CloudError::Refused {
                status,
                message,
                fields,
                ..
            } => ConnectError::Refused {
                status,
                message,
                fields,
            },
            client::CloudError::BadResponse(detail) => ConnectError::BadResponse(detail),
            error @ client::CloudError::SnapshotRequired { .. } => {
                ConnectError::BadResponse(error.to_string())
            }
        })?;
    let vault = state.sync.vault.clone();
    let token = enrolled.device_token.clone();
    let token_storage = tokio::task::spawn_blocking(move || vault.save(&token))
        .await
        .map_err(|e| StoreError::CommitFailed(e.to_string()))??;
    let link = CloudLink {
        cloud_url,
        device_id: enrolled.device_id.to_string(),
        tenant_id: enrolled.tenant_id.to_string(),
        location_id: enrolled.location_id.to_string(),
        token_storage,
        connected_at: now_text(),
        revoked_reason: None,
    };
    let saved = link.clone();
    state
        .writer
        .write(move |conn| Box::pin(async move { sync_store::save_link(conn, &saved).await }))
        .await?;
    Ok((link, enrolled.device_token))
}

/// Forgets the link and the token and stops the loop. Changes made from now on still
/// queue in the outbox, for a later connection.
pub async fn disconnect(state: &SyncContext) -> Result<(), ConnectError> {
    state.sync.stop();
    let vault = state.sync.vault.clone();
    tokio::task::spawn_blocking(move || vault.forget())
        .await
        .map_err(|e| StoreError::CommitFailed(e.to_string()))??;
    state
        .writer
        .write(|conn| Box::pin(async move { sync_store::delete_link(conn).await }))
        .await?;
    tracing::info!("disconnected from the cloud");
    publish_status(state).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_addresses_are_checked_and_normalised() {
        assert_eq!(
            normalize_cloud_url(" https://nube.dysa.cl/ ")
                .ok()
                .as_deref(),
            Some("https://nube.dysa.cl")
        );
        assert_eq!(
            normalize_cloud_url("http://127.0.0.1:8080").ok().as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert!(normalize_cloud_url("http://nube.dysa.cl").is_err());
        assert!(normalize_cloud_url("nube.dysa.cl").is_err());
        assert!(normalize_cloud_url("ftp://nube.dysa.cl").is_err());
        assert!(normalize_cloud_url("https://nube.dysa.cl/?x=1").is_err());
    }
}
