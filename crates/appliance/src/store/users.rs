//! Staff accounts. Users are synced: every change writes its outbox row, which carries the
//! account's credentials only sealed with the location key (`dysa_domain::staff_seal`):
//! no password or PIN hash ever leaves the appliance in clear.

use super::{StoreError, StoreResult, WriteTx, now_text, outbox};
use crate::sync::location_key::LocationKey;
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::UserId;
use dysa_domain::rbac::Role;
use dysa_domain::staff_seal::{self, StaffSecret};
use dysa_domain::sync::{Entity, Op};
use sqlx::{SqliteConnection, SqlitePool};

/// A stored staff account, secrets included. Never serialised: clients get a view of it,
/// and the sync payload is [`UserWire`], which carries the secrets sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRecord {
    /// The account's id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Login email, normalised to lower case.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Argon2id PHC string of the quick-switch PIN, if set.
    pub pin_hash: Option<String>,
    /// Deactivated accounts cannot log in; their history stays.
    pub active: bool,
    /// When the account was created (RFC 3339).
    pub created_at: String,
    /// HLC of the last change.
    pub updated_at: Hlc,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    name: String,
    email: String,
    role: String,
    password_hash: String,
    pin_hash: Option<String>,
    active: bool,
    created_at: String,
    updated_at: String,
}

impl TryFrom<UserRow> for UserRecord {
    type Error = StoreError;
    fn try_from(row: UserRow) -> Result<Self, Self::Error> {
        let corrupt = |detail: String| StoreError::Corrupt {
            table: "users",
            detail,
        };
        Ok(UserRecord {
            id: row
                .id
                .parse()
                .map_err(|e: uuid::Error| corrupt(e.to_string()))?,
            name: row.name,
            email: row.email,
            role: row
                .role
                .parse()
                .map_err(|e: dysa_domain::rbac::UnknownRole| corrupt(e.to_string()))?,
            password_hash: row.password_hash,
            pin_hash: row.pin_hash,
            active: row.active,
            created_at: row.created_at,
            updated_at: row
                .updated_at
                .parse()
                .map_err(|e: dysa_domain::hlc::HlcError| corrupt(e.to_string()))?,
        })
    }
}

impl UserRecord {
    /// What decides who signs in and with what rights, as sealed for the other counters,
    /// stamped with the write's HLC.
    pub fn secret(&self) -> StaffSecret {
        StaffSecret {
            name: self.name.clone(),
            email: self.email.clone(),
            role: self.role,
            active: self.active,
            password_hash: self.password_hash.clone(),
            pin_hash: self.pin_hash.clone(),
            sealed_at: self.updated_at,
        }
    }

    fn wire(&self, credentials: Option<String>) -> dysa_domain::sync::rows::User {
        dysa_domain::sync::rows::User {
            id: self.id,
            name: self.name.clone(),
            email: self.email.clone(),
            role: self.role,
            active: self.active,
            created_at: self.created_at.clone(),
            updated_at: self.updated_at,
            credentials,
        }
    }
}

const COLUMNS: &str =
    "id, name, email, role, password_hash, pin_hash, active, created_at, updated_at";

/// How many live accounts exist (0 means the appliance still needs its setup).
pub async fn count(pool: &SqlitePool) -> StoreResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM users WHERE deleted_at IS NULL")
            .fetch_one(pool)
            .await?,
    )
}

/// Same as [`count`], inside a write transaction (setup decides on it atomically).
pub async fn count_in(tx: &mut WriteTx) -> StoreResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM users WHERE deleted_at IS NULL")
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// A live account by id.
pub async fn find<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    id: UserId,
) -> StoreResult<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE id = ? AND deleted_at IS NULL"
    )))
    .bind(id.to_string())
    .fetch_optional(executor)
    .await?;
    row.map(UserRecord::try_from).transpose()
}

/// A live account by (normalised) email.
pub async fn find_by_email<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    email: &str,
) -> StoreResult<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE email = ? AND deleted_at IS NULL"
    )))
    .bind(email)
    .fetch_optional(executor)
    .await?;
    row.map(UserRecord::try_from).transpose()
}

/// Every live account, by name.
pub async fn list(pool: &SqlitePool) -> StoreResult<Vec<UserRecord>> {
    let rows: Vec<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id"
    )))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(UserRecord::try_from).collect()
}

/// How many active admins exist besides `except` (so the last admin cannot be removed).
pub async fn other_active_admins(tx: &mut WriteTx, except: UserId) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND deleted_at IS NULL AND id <> ?",
    )
    .bind(except.to_string())
    .fetch_one(&mut **tx)
    .await?)
}

/// Writes a whole account (insert or replace) and its outbox row, sealing its secrets
/// with `key` as of `record.updated_at` (the caller stamped it with a fresh HLC). The
/// outbox row carries the changed display mirrors and the new `credentials`, never a hash.
/// When it changes an existing account, call `db.session_cache.invalidate()` after the
/// commit (the session check answers the user's role and active flag).
pub async fn save(tx: &mut WriteTx, record: &UserRecord, key: &LocationKey) -> StoreResult<()> {
    let before = find(&mut **tx, record.id).await?;
    let credentials = staff_seal::seal(
        key.as_bytes(),
        &key.seal_label(),
        &record.id.to_string(),
        &record.secret(),
    );
    write_account(
        tx,
        &record.id.to_string(),
        &record.secret(),
        &record.created_at,
        &record.updated_at.to_string(),
        Some(key.fingerprint().as_str()),
    )
    .await?;
    outbox::record_changes(
        tx,
        Entity::User,
        &record.id.to_string(),
        Op::Upsert,
        before.as_ref().map(|b| b.wire(None)).as_ref(),
        &record.wire(Some(credentials)),
        record.updated_at,
    )
    .await?;
    Ok(())
}

/// Writes an account's stored columns from what decides who signs in (`secret`, sealed
/// at `secret.sealed_at` with the key of `key_fingerprint`): the one write of the users
/// table, for this counter's own changes (`save`) and for a staff row opened from the
/// cloud (`sync::staff_rows`). The synced row itself (`dysa_domain::sync::rows::User`)
/// carries only display mirrors and the sealed secret, never these hashes.
pub async fn write_account(
    conn: &mut SqliteConnection,
    id: &str,
    secret: &StaffSecret,
    created_at: &str,
    updated_at: &str,
    key_fingerprint: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (id, name, email, role, password_hash, pin_hash, active, created_at,
                            updated_at, deleted_at, credentials_sealed_at, credentials_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email,
           role = excluded.role, password_hash = excluded.password_hash,
           pin_hash = excluded.pin_hash, active = excluded.active,
           updated_at = excluded.updated_at, deleted_at = NULL,
           credentials_sealed_at = excluded.credentials_sealed_at,
           credentials_key = excluded.credentials_key",
    )
    .bind(id)
    .bind(&secret.name)
    .bind(&secret.email)
    .bind(secret.role.as_str())
    .bind(&secret.password_hash)
    .bind(&secret.pin_hash)
    .bind(secret.active)
    .bind(created_at)
    .bind(updated_at)
    .bind(secret.sealed_at.to_string())
    .bind(key_fingerprint)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The live accounts whose credentials were not sealed with the key of `fingerprint`
/// (an install from before location keys, or a key installed since): they are re-sealed
/// at start so the cloud and the other counters get sealed rows.
pub async fn unsealed(tx: &mut WriteTx, fingerprint: &str) -> StoreResult<Vec<UserRecord>> {
    let rows: Vec<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users
         WHERE deleted_at IS NULL AND (credentials_key IS NULL OR credentials_key <> ?)
         ORDER BY id"
    )))
    .bind(fingerprint)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(UserRecord::try_from).collect()
}

/// A new account record, stamped `hlc`.
pub fn new_record(
    name: &str,
    email: &str,
    role: Role,
    password_hash: String,
    pin_hash: Option<String>,
    hlc: Hlc,
) -> UserRecord {
    UserRecord {
        id: UserId::new(),
        name: name.trim().to_owned(),
        email: dysa_domain::validate::normalize_email(email),
        role,
        password_hash,
        pin_hash,
        active: true,
        created_at: now_text(),
        updated_at: hlc,
    }
}
