//! A new counter joins a location by approval, and the location key's claim (docs/SYNC.md,
//! "Joining a location"; docs/SECURITY.md, "A new counter joins by approval").
//!
//! - [`claim_location_key`]: a counter being linked tells the cloud the fingerprint of its
//!   key. The first claim of a location wins; a counter holding another key (its own
//!   setup, its own staff) is refused and must join instead. A linked counter whose
//!   location already has a key never makes one of its own.
//! - [`start_join`] / [`poll_join`]: a fresh counter enrols, makes an X25519 key pair and
//!   asks to join; once an admin at another counter approves, it opens the sealed location
//!   key, checks it is the location's (its fingerprint), keeps it and starts syncing, which
//!   brings the location's staff: they sign in with their own accounts.
//! - [`pending_requests`] / [`decide`]: the approving side. The verification code is
//!   computed here from the public key the cloud relayed, never taken from the cloud.

use super::SyncContext;
use super::client::{CloudClient, CloudError};
use super::location_key::{
    LocationKey, LocationKeyError, current_or_load, ensure_location_key, install_location_key,
};
use super::{ConnectError, ConnectInput, publish_status};
use crate::store::sync::CloudLink;
use crate::store::{StoreError, join as join_store, sync as sync_store, users};
use dysa_domain::join::{
    JoinKeyPair, JoinRequest, JoinStatus, NewJoinRequest, parse_public_key, seal_location_key,
    verification_code,
};
use dysa_domain::validate::Lang;
use serde::Serialize;

/// Claims this appliance's location key with the cloud, making the key first when the
/// location has none and this appliance neither. Refuses ([`ConnectError::LocationHasKey`])
/// when the location's key is another one, or when the location has a key and this
/// appliance has none (it must join to receive it, never make a rival).
pub async fn claim_location_key(
    state: &SyncContext,
    client: &CloudClient,
) -> Result<(), ConnectError> {
    let cloud_error = |error: CloudError| match error {
        CloudError::Refused { status: 409, .. } => ConnectError::LocationHasKey,
        CloudError::Unreachable(detail) => ConnectError::Unreachable {
            url: client.base().to_owned(),
            detail,
        },
        other => ConnectError::BadResponse(other.to_string()),
    };
    // A cloud from before location keys answers 404: nothing to claim there.
    let older_cloud = |error: &CloudError| matches!(error, CloudError::Refused { status: 404, .. });
    let stored = match current_or_load(&state.db).await {
        Ok(key) => Some(key),
        Err(LocationKeyError::Missing) => None,
        // Unreadable (a locked keyring): never answered as "no key", which would make one.
        Err(error) => return Err(ConnectError::LocationKey(error.to_string())),
    };
    let key = match stored {
        Some(key) => key,
        None => {
            let held = match client.location_key().await {
                Err(error) if older_cloud(&error) => return Ok(()),
                other => other.map_err(cloud_error)?,
            };
            if held.fingerprint.is_some() {
                return Err(ConnectError::LocationHasKey);
            }
            ensure_location_key(&state.db)
                .await
                .map_err(|e| ConnectError::LocationKey(e.to_string()))?
        }
    };
    match client.claim_location_key(&key.fingerprint()).await {
        Err(error) if older_cloud(&error) => {
            tracing::warn!("the cloud does not know location keys yet; nothing claimed");
            Ok(())
        }
        other => other.map_err(cloud_error),
    }
}

/// Where this counter's join stands, for the waiting screen (`GET /setup/join`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct JoinProgress {
    /// `none` (never asked), `pending`, `approved` (taking the location's data),
    /// `refused`, `expired` or `joined`.
    pub status: String,
    /// The code to compare with the one the approving admin sees.
    pub verification_code: Option<String>,
    /// The name the admins see.
    pub device_name: Option<String>,
    /// Why it failed, for staff.
    pub detail: Option<String>,
}

/// A join request waiting at another counter, as an admin here sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct JoinRequestView {
    /// The request's id.
    pub id: uuid::Uuid,
    /// The joining counter's name.
    pub device_name: String,
    /// Derived here from the relayed public key: it must equal the code on the joining
    /// counter's screen, or the cloud swapped the key.
    pub verification_code: String,
    /// When it was made.
    pub created_at: String,
    /// When it stops waiting.
    pub expires_at: String,
}

/// Why a join step failed.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// Staff accounts exist here: this counter was set up on its own.
    #[error("already set up")]
    AlreadySetUp,
    /// Enrolling failed.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The cloud refused or could not be reached.
    #[error(transparent)]
    Cloud(#[from] CloudError),
    /// This appliance is not linked to a cloud.
    #[error("not connected to the cloud")]
    NotConnected,
    /// No such request waits at this location.
    #[error("no such join request")]
    NotFound,
    /// This appliance holds no location key to hand on.
    #[error("no location key here")]
    NoKey,
    /// The key received is not the location's.
    #[error("{0}")]
    BadKey(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// This appliance's live link and its token.
pub(crate) async fn linked(state: &SyncContext) -> Result<Option<(CloudLink, String)>, JoinError> {
    let Some(link) = sync_store::link(&state.db.read)
        .await?
        .filter(|l| l.revoked_reason.is_none())
    else {
        return Ok(None);
    };
    let vault = state.sync.vault.clone();
    let storage = link.token_storage;
    let token = tokio::task::spawn_blocking(move || vault.load(storage))
        .await
        .map_err(|e| StoreError::CommitFailed(e.to_string()))?
        .map_err(|e| JoinError::Connect(e.into()))?;
    Ok(Some((link, token)))
}

/// The cloud client of this appliance's link.
pub(crate) async fn linked_client(state: &SyncContext) -> Result<CloudClient, JoinError> {
    let (link, token) = linked(state).await?.ok_or(JoinError::NotConnected)?;
    Ok(CloudClient::new(
        state.sync.http.clone(),
        link.cloud_url,
        token,
    ))
}

fn progress_of(stored: Option<join_store::PendingJoin>) -> JoinProgress {
    match stored {
        None => JoinProgress {
            status: "none".into(),
            verification_code: None,
            device_name: None,
            detail: None,
        },
        Some(join) => JoinProgress {
            verification_code: parse_public_key(&join.public_key)
                .ok()
                .map(|k| verification_code(&k)),
            status: join.status,
            device_name: Some(join.device_name),
            detail: join.detail,
        },
    }
}

/// A fresh counter (no staff yet) enrols with the cloud and asks to join its location.
pub async fn start_join(
    state: &SyncContext,
    input: ConnectInput,
    lang: Lang,
) -> Result<JoinProgress, JoinError> {
    if users::count(&state.db.read).await? > 0 {
        return Err(JoinError::AlreadySetUp);
    }
    let device_name = input
        .device_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "Caja nueva".to_owned());
    let (link, token) = match linked(state).await? {
        // A join cut short (refused, expired, restarted): ask again on the same link.
        Some(linked) => linked,
        None => {
            let input = ConnectInput {
                device_name: Some(device_name.clone()),
                ..input
            };
            super::enrol(state, input, lang).await?
        }
    };
    let client = CloudClient::new(state.sync.http.clone(), link.cloud_url.clone(), token);
    let pair = JoinKeyPair::generate();
    let request = client
        .create_join_request(&NewJoinRequest {
            public_key: pair.public_key_text(),
            device_name: device_name.clone(),
        })
        .await?;
    let secret = pair.secret_bytes();
    let public = pair.public_key_text();
    let request_id = request.id.to_string();
    state
        .writer
        .write(move |conn| {
            Box::pin(async move {
                join_store::save(conn, &request_id, &secret, &public, &device_name).await
            })
        })
        .await?;
    tracing::info!(code = %pair.verification_code(), "asked to join the location; waiting for an admin's approval");
    Ok(progress_of(join_store::get(&state.db.read).await?))
}

async fn set_status(
    state: &SyncContext,
    status: &str,
    detail: Option<String>,
) -> Result<(), JoinError> {
    let status = status.to_owned();
    state
        .writer
        .write(move |conn| {
            Box::pin(async move { join_store::set_status(conn, &status, detail.as_deref()).await })
        })
        .await?;
    Ok(())
}

/// Asks the cloud how this counter's request stands; once approved, opens the location key,
/// checks it is the location's, keeps it and starts syncing (which brings the staff).
pub async fn poll_join(state: &SyncContext) -> Result<JoinProgress, JoinError> {
    let Some(join) = join_store::get(&state.db.read).await? else {
        return Ok(progress_of(None));
    };
    if join.status != "pending" && join.status != "approved" {
        return Ok(progress_of(Some(join)));
    }
    let client = linked_client(state).await?;
    let id = join
        .request_id
        .parse::<uuid::Uuid>()
        .map_err(|_| JoinError::NotFound)?;
    let request = client.join_request(id).await?;
    match request.status {
        JoinStatus::Pending => {}
        JoinStatus::Refused | JoinStatus::Expired => {
            set_status(state, request.status.as_str(), None).await?;
        }
        JoinStatus::Approved => {
            let secret: [u8; 32] = join
                .secret_key
                .as_deref()
                .and_then(|s| s.try_into().ok())
                .ok_or_else(|| JoinError::BadKey("the join secret is gone".into()))?;
            let sealed = request.sealed_key.unwrap_or_default();
            let opened = JoinKeyPair::from_secret_bytes(secret)
                .open_location_key(&sealed)
                .map_err(|e| JoinError::BadKey(e.to_string()));
            let key = match opened {
                Ok(bytes) => LocationKey::from_bytes(bytes),
                Err(error) => {
                    set_status(state, "refused", Some(error.to_string())).await?;
                    return Err(error);
                }
            };
            // The key must be the one the location's first counter claimed: a device token
            // alone (no key) cannot plant a rival key on a new counter.
            let claimed = client.location_key().await?.fingerprint;
            if claimed.as_deref() != Some(key.fingerprint().as_str()) {
                let detail = "la llave recibida no es la del local / the key received is not the restaurant's";
                set_status(state, "refused", Some(detail.to_owned())).await?;
                return Err(JoinError::BadKey(detail.into()));
            }
            install_location_key(&state.db, key)
                .await
                .map_err(|e| JoinError::BadKey(e.to_string()))?;
            set_status(state, "joined", None).await?;
            tracing::info!("joined the location: taking its data and staff");
            super::resume(state).await?;
            publish_status(state).await;
        }
    }
    Ok(progress_of(join_store::get(&state.db.read).await?))
}

/// Whether this appliance waits for its join to be approved (its sync stays off until the
/// location key arrives: without it the location's staff cannot be opened).
pub async fn waiting(state: &SyncContext) -> Result<bool, StoreError> {
    Ok(join_store::get(&state.db.read)
        .await?
        .is_some_and(|j| j.status != "joined"))
}

/// Before a setup of its own: a join still waiting blocks it (answers `true`); a refused or
/// expired one is given up, its link and token forgotten, so the counter set up alone never
/// syncs into the location it asked to join.
pub async fn blocks_setup(state: &SyncContext) -> Result<bool, JoinError> {
    let Some(join) = join_store::get(&state.db.read).await? else {
        return Ok(false);
    };
    match join.status.as_str() {
        "pending" | "approved" => Ok(true),
        "joined" => Ok(false),
        _ => {
            super::disconnect(state).await?;
            state
                .writer
                .write(|conn| Box::pin(async move { join_store::delete(conn).await }))
                .await?;
            Ok(false)
        }
    }
}

/// The location's join requests waiting for an admin here.
pub async fn pending_requests(state: &SyncContext) -> Result<Vec<JoinRequestView>, JoinError> {
    let client = linked_client(state).await?;
    let requests = client.join_requests().await?;
    Ok(requests
        .into_iter()
        .filter_map(|r| {
            let key = parse_public_key(&r.public_key).ok()?;
            Some(JoinRequestView {
                id: r.id,
                device_name: r.device_name,
                verification_code: verification_code(&key),
                created_at: r.created_at,
                expires_at: r.expires_at,
            })
        })
        .collect())
}

/// Approves (seals this appliance's location key to the request's public key, posting
/// only the ciphertext) or refuses a join request. Answers the approved request.
pub async fn decide(
    state: &SyncContext,
    id: uuid::Uuid,
    approve: bool,
) -> Result<Option<JoinRequest>, JoinError> {
    let client = linked_client(state).await?;
    let (sealed, approved) = if approve {
        let key = current_or_load(&state.db)
            .await
            .map_err(|_| JoinError::NoKey)?;
        let request = client
            .join_requests()
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(JoinError::NotFound)?;
        let public =
            parse_public_key(&request.public_key).map_err(|e| JoinError::BadKey(e.to_string()))?;
        let sealed = seal_location_key(&public, key.as_bytes())
            .map_err(|e| JoinError::BadKey(e.to_string()))?;
        (Some(sealed), Some(request))
    } else {
        (None, None)
    };
    match client.decide_join(id, sealed.as_deref()).await {
        Err(CloudError::Refused { status: 404, .. }) => Err(JoinError::NotFound),
        other => {
            other?;
            Ok(approved)
        }
    }
}
