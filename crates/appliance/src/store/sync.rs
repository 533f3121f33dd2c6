//! The sync loop's own rows: the cloud link, the pull cursor and attempt log, the cloud
//! versions of applied rows, and what became of pushed outbox rows. All local, none synced.

use super::{StoreResult, now_text};
use serde::Serialize;
use sqlx::{SqliteConnection, SqliteExecutor};

/// Where the device token is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenStorage {
    /// The OS keyring (Secret Service, Keychain, Credential Manager).
    Keyring,
    /// A file readable only by the appliance's user (`cloud-token`, mode 0600), where the
    /// machine has no keyring (headless servers).
    File,
}

impl TokenStorage {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenStorage::Keyring => "keyring",
            TokenStorage::File => "file",
        }
    }

    fn parse(text: &str) -> TokenStorage {
        if text == "keyring" {
            TokenStorage::Keyring
        } else {
            TokenStorage::File
        }
    }
}

/// The enrolment this appliance holds with the cloud.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudLink {
    /// Base URL of the cloud (no trailing slash).
    pub cloud_url: String,
    /// The cloud's id for this device.
    pub device_id: String,
    /// The tenant (business) the device belongs to.
    pub tenant_id: String,
    /// The location (restaurant) the device serves.
    pub location_id: String,
    /// Where the token is.
    pub token_storage: TokenStorage,
    /// When it was enrolled.
    pub connected_at: String,
    /// Why the cloud refused the token, once it did.
    pub revoked_reason: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    cloud_url: String,
    device_id: String,
    tenant_id: String,
    location_id: String,
    token_storage: String,
    connected_at: String,
    revoked_reason: Option<String>,
}

/// The link, if the appliance is enrolled.
pub async fn link<'e, E: SqliteExecutor<'e>>(executor: E) -> StoreResult<Option<CloudLink>> {
    let row: Option<LinkRow> = sqlx::query_as(
        "SELECT cloud_url, device_id, tenant_id, location_id, token_storage, connected_at, revoked_reason
         FROM cloud_link WHERE singleton = 1",
    )
    .fetch_optional(executor)
    .await?;
    Ok(row.map(|r| CloudLink {
        cloud_url: r.cloud_url,
        device_id: r.device_id,
        tenant_id: r.tenant_id,
        location_id: r.location_id,
        token_storage: TokenStorage::parse(&r.token_storage),
        connected_at: r.connected_at,
        revoked_reason: r.revoked_reason,
    }))
}

/// Stores a new link, replacing any earlier one, and starts pulling from the beginning:
/// versions and the cursor of another enrolment mean nothing to this one (a full pull
/// is harmless, since a change is applied only where it is newer).
pub async fn save_link(conn: &mut SqliteConnection, link: &CloudLink) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO cloud_link (singleton, cloud_url, device_id, tenant_id, location_id, token_storage, connected_at)
         VALUES (1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (singleton) DO UPDATE SET cloud_url = excluded.cloud_url,
           device_id = excluded.device_id, tenant_id = excluded.tenant_id,
           location_id = excluded.location_id, token_storage = excluded.token_storage,
           connected_at = excluded.connected_at, revoked_at = NULL, revoked_reason = NULL",
    )
    .bind(&link.cloud_url)
    .bind(&link.device_id)
    .bind(&link.tenant_id)
    .bind(&link.location_id)
    .bind(link.token_storage.as_str())
    .bind(&link.connected_at)
    .execute(&mut *conn)
    .await?;
    reset(conn).await
}

/// Forgets the link and where the pull stood.
pub async fn delete_link(conn: &mut SqliteConnection) -> StoreResult<()> {
    sqlx::query("DELETE FROM cloud_link")
        .execute(&mut *conn)
        .await?;
    reset(conn).await
}

async fn reset(conn: &mut SqliteConnection) -> StoreResult<()> {
    sqlx::query(
        "UPDATE sync_state SET cursor = 0, last_success_at = NULL, last_error = NULL, last_attempt_at = NULL",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM sync_row_versions")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sync_parked")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Marks the link revoked with the cloud's reason; the loop stops until staff reconnect.
pub async fn mark_revoked(conn: &mut SqliteConnection, reason: &str) -> StoreResult<()> {
    sqlx::query("UPDATE cloud_link SET revoked_at = ?, revoked_reason = ? WHERE singleton = 1")
        .bind(now_text())
        .bind(reason)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// How the sync stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct SyncState {
    /// The version after which the next pull starts.
    pub cursor: i64,
    /// When a whole push-and-pull last succeeded.
    pub last_success_at: Option<String>,
    /// Why the last attempt failed (cleared by a success).
    pub last_error: Option<String>,
    /// When the last attempt started.
    pub last_attempt_at: Option<String>,
}

/// The sync state row.
pub async fn state<'e, E: SqliteExecutor<'e>>(executor: E) -> StoreResult<SyncState> {
    let row: Option<SyncState> = sqlx::query_as(
        "SELECT cursor, last_success_at, last_error, last_attempt_at FROM sync_state WHERE singleton = 1",
    )
    .fetch_optional(executor)
    .await?;
    Ok(row.unwrap_or_default())
}

/// Moves the pull cursor forward (never back: a page answered late cannot undo a newer one).
pub async fn set_cursor(conn: &mut SqliteConnection, cursor: i64) -> StoreResult<()> {
    sqlx::query("UPDATE sync_state SET cursor = max(cursor, ?) WHERE singleton = 1")
        .bind(cursor)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records the end of an attempt: a success clears the error, a failure keeps the last
/// success so staff see how long the cloud has been out of reach.
pub async fn record_attempt(
    conn: &mut SqliteConnection,
    started_at: &str,
    error: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE sync_state SET last_attempt_at = ?1,
           last_success_at = CASE WHEN ?2 IS NULL THEN ?3 ELSE last_success_at END,
           last_error = ?2
         WHERE singleton = 1",
    )
    .bind(started_at)
    .bind(error)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The cloud version this device holds of a row, if it took the row from the cloud.
pub async fn row_version(
    conn: &mut SqliteConnection,
    entity: &str,
    entity_id: &str,
) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT version FROM sync_row_versions WHERE entity = ? AND entity_id = ?",
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Records the version of a row just applied.
pub async fn set_row_version(
    conn: &mut SqliteConnection,
    entity: &str,
    entity_id: &str,
    version: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sync_row_versions (entity, entity_id, version) VALUES (?, ?, ?)
         ON CONFLICT (entity, entity_id) DO UPDATE SET version = max(version, excluded.version)",
    )
    .bind(entity)
    .bind(entity_id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether a local change to this row still waits to be pushed.
pub async fn has_pending(
    conn: &mut SqliteConnection,
    entity: &str,
    entity_id: &str,
) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM outbox
           WHERE entity = ? AND entity_id = ? AND pushed_at IS NULL AND rejected_reason IS NULL)",
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_one(&mut *conn)
    .await?)
}

/// Marks a pushed outbox row as taken by the cloud (applied or adjusted).
pub async fn mark_pushed(conn: &mut SqliteConnection, mutation_id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE outbox SET pushed_at = ? WHERE mutation_id = ?")
        .bind(now_text())
        .bind(mutation_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Marks an outbox row refused: it leaves the queue and stays for staff to see.
pub async fn mark_rejected(
    conn: &mut SqliteConnection,
    mutation_id: &str,
    reason: &str,
    detail: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE outbox SET rejected_reason = ?, rejected_detail = ?, rejected_at = ? WHERE mutation_id = ?",
    )
    .bind(reason)
    .bind(detail)
    .bind(now_text())
    .bind(mutation_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How many local changes the cloud refused that staff have not dismissed.
pub async fn rejected_count<'e, E: SqliteExecutor<'e>>(executor: E) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM outbox
             WHERE rejected_reason IS NOT NULL AND rejected_dismissed_at IS NULL",
    )
    .fetch_one(executor)
    .await?)
}

/// A local change the cloud refused, for staff.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct RejectedChange {
    /// Commit order on this device.
    pub seq: i64,
    /// The mutation's id.
    pub mutation_id: String,
    /// What kind of row (`order`, `reservation`, …).
    pub entity: String,
    /// The row's id.
    pub entity_id: String,
    /// `upsert` or `delete`.
    pub op: String,
    /// The cloud's reason code (`illegal_transition`, `append_only`, `malformed`).
    pub reason: String,
    /// The cloud's explanation for staff.
    pub detail: Option<String>,
    /// When the change was made here.
    pub created_at: String,
    /// When the cloud refused it.
    pub rejected_at: Option<String>,
}

/// Refused changes staff have not dismissed, newest first, at most `limit`.
pub async fn rejected<'e, E: SqliteExecutor<'e>>(
    executor: E,
    limit: i64,
) -> StoreResult<Vec<RejectedChange>> {
    Ok(sqlx::query_as(
        "SELECT seq, mutation_id, entity, entity_id, op, rejected_reason AS reason,
                rejected_detail AS detail, created_at, rejected_at
         FROM outbox WHERE rejected_reason IS NOT NULL AND rejected_dismissed_at IS NULL
         ORDER BY seq DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(executor)
    .await?)
}

/// Keeps a cloud row that cannot be applied yet (see the `sync_parked` table), replacing
/// an older parked version of the same row.
pub async fn park(
    conn: &mut SqliteConnection,
    entity: &str,
    entity_id: &str,
    version: i64,
    change_json: &str,
    reason: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sync_parked (entity, entity_id, version, change, reason, parked_at, since)
         VALUES (?, ?, ?, ?, ?, ?, ?6)
         ON CONFLICT (entity, entity_id) DO UPDATE SET version = excluded.version,
           change = excluded.change, reason = excluded.reason, parked_at = excluded.parked_at,
           attempts = sync_parked.attempts + 1,
           since = coalesce(sync_parked.since, sync_parked.parked_at)
         WHERE excluded.version >= sync_parked.version",
    )
    .bind(entity)
    .bind(entity_id)
    .bind(version)
    .bind(change_json)
    .bind(reason)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every parked change as JSON text, oldest version first.
pub async fn parked(conn: &mut SqliteConnection) -> StoreResult<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT change FROM sync_parked ORDER BY version")
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// Drops a parked row once applied, or once a version as new arrived and was applied.
pub async fn unpark(
    conn: &mut SqliteConnection,
    entity: &str,
    entity_id: &str,
    version: i64,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM sync_parked WHERE entity = ? AND entity_id = ? AND version <= ?")
        .bind(entity)
        .bind(entity_id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// How many cloud rows wait parked.
pub async fn parked_count<'e, E: SqliteExecutor<'e>>(executor: E) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM sync_parked")
        .fetch_one(executor)
        .await?)
}

/// Raises the clock's persisted floor to `hlc`, so after a restart the clock resumes past
/// every stamp taken from the cloud too, not only past the ones this device wrote; else
/// a local edit right after a restart could carry an older stamp than the cloud row it
/// edits and lose the last-writer-wins merge.
pub async fn raise_clock_floor(conn: &mut SqliteConnection, hlc: &str) -> StoreResult<()> {
    sqlx::query("UPDATE device SET last_hlc = ?1 WHERE singleton = 1 AND last_hlc < ?1")
        .bind(hlc)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
