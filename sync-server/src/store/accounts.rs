//! Dashboard accounts of a tenant, their sessions and refresh tokens, and the
//! sign-in lockout counters. (super_admin accounts and sessions are out of the service role's
//! sight: see `store::platform`.)

use super::{Db, StoreResult, Tx};
use chrono::{DateTime, Utc};
use dysa_domain::ids::{AccountId, LocationId, TenantId};
use dysa_domain::lockout::Counter;
use uuid::Uuid;

/// An account as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AccountRecord {
    /// Id.
    pub id: AccountId,
    /// The tenant (none for a super_admin).
    pub tenant_id: Option<TenantId>,
    /// Display name.
    pub name: String,
    /// Login email (normalised).
    pub email: String,
    /// `owner`, `manager`, `viewer` or `super_admin`.
    pub role: String,
    /// Argon2id PHC string (empty where the store did not read it).
    pub password_hash: String,
    /// False once deactivated.
    pub active: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// The locations it is limited to; empty: every location (read where the query
    /// names it, else empty).
    #[sqlx(default)]
    pub location_ids: Vec<LocationId>,
}

/// An account's locations as a column of a query over `accounts` (migration 0035).
macro_rules! location_ids {
    () => {
        "coalesce((SELECT array_agg(al.location_id ORDER BY al.location_id)
                   FROM account_locations al WHERE al.account_id = accounts.id), '{}') AS location_ids"
    };
}

const SELECT: &str = concat!(
    "SELECT id, tenant_id, name, email, role, password_hash, active, created_at, ",
    location_ids!(),
    " FROM accounts"
);

/// Inserts an account.
pub async fn insert(tx: &mut Tx, record: &AccountRecord) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO accounts (id, tenant_id, name, email, role, password_hash, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(record.id)
    .bind(record.tenant_id)
    .bind(&record.name)
    .bind(&record.email)
    .bind(&record.role)
    .bind(&record.password_hash)
    .bind(record.active)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The tenant an email signs in to, if any.
pub async fn tenant_of_login(db: &Db, email: &str) -> StoreResult<Option<TenantId>> {
    Ok(sqlx::query_scalar("SELECT tenant_of_login($1)")
        .bind(email)
        .fetch_one(&db.pool)
        .await?)
}

/// An account of the transaction's tenant by email.
pub async fn find_by_email(tx: &mut Tx, email: &str) -> StoreResult<Option<AccountRecord>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE email = $1")))
            .bind(email)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// An account of the transaction's tenant by id.
pub async fn find(tx: &mut Tx, id: AccountId) -> StoreResult<Option<AccountRecord>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1")))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// Opens a session with its first refresh token.
pub async fn open_session(
    tx: &mut Tx,
    tenant: TenantId,
    account: AccountId,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> StoreResult<Uuid> {
    let family = Uuid::now_v7();
    sqlx::query("INSERT INTO sessions (family_id, tenant_id, account_id) VALUES ($1, $2, $3)")
        .bind(family)
        .bind(tenant)
        .bind(account)
        .execute(&mut **tx)
        .await?;
    add_token(tx, tenant, family, token_hash, expires_at).await?;
    Ok(family)
}

/// Adds a refresh token to a session.
pub async fn add_token(
    tx: &mut Tx,
    tenant: TenantId,
    family: Uuid,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, tenant_id, family_id, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(tenant)
    .bind(family)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The tenant a refresh token belongs to, if it exists.
pub async fn tenant_of_refresh_token(db: &Db, token_hash: &str) -> StoreResult<Option<TenantId>> {
    Ok(sqlx::query_scalar("SELECT tenant_of_refresh_token($1)")
        .bind(token_hash)
        .fetch_one(&db.pool)
        .await?)
}

/// What the store knows of a presented refresh token.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RefreshTokenState {
    /// The session.
    pub family_id: Uuid,
    /// The session's account.
    pub account_id: AccountId,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
    /// When it was exchanged.
    pub used_at: Option<DateTime<Utc>>,
    /// When its session was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Looks a refresh token up by hash, locking it against a parallel exchange.
pub async fn find_token(tx: &mut Tx, token_hash: &str) -> StoreResult<Option<RefreshTokenState>> {
    Ok(sqlx::query_as(
        "SELECT t.family_id, s.account_id, t.expires_at, t.used_at, s.revoked_at
         FROM refresh_tokens t JOIN sessions s ON s.family_id = t.family_id
         WHERE t.token_hash = $1 FOR UPDATE OF t",
    )
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Marks a refresh token exchanged.
pub async fn mark_used(tx: &mut Tx, token_hash: &str) -> StoreResult<()> {
    sqlx::query("UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Revokes a session.
pub async fn revoke_session(tx: &mut Tx, family: Uuid, reason: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE family_id = $1 AND revoked_at IS NULL",
    )
    .bind(family)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The account of an open session, with its tenant's status.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionAccount {
    /// The account (its hash is not read).
    #[sqlx(flatten)]
    pub account: AccountRecord,
    /// `active` or `suspended`: a suspended tenant's sessions stay open but are refused.
    pub tenant_status: String,
}

/// The account of an open session, if the session is open and the account active.
pub async fn session_account(
    tx: &mut Tx,
    family: Uuid,
    account: AccountId,
) -> StoreResult<Option<SessionAccount>> {
    Ok(sqlx::query_as(concat!(
        "SELECT accounts.id, accounts.tenant_id, accounts.name, accounts.email, accounts.role,
                ''::text AS password_hash, accounts.active, accounts.created_at,
                t.status AS tenant_status, ",
        location_ids!(),
        " FROM sessions s JOIN accounts ON accounts.id = s.account_id
         JOIN tenants t ON t.id = accounts.tenant_id
         WHERE s.family_id = $1 AND s.account_id = $2 AND s.revoked_at IS NULL AND accounts.active",
    ))
    .bind(family)
    .bind(account)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The tenant's accounts, owners first, then by name.
pub async fn list(tx: &mut Tx) -> StoreResult<Vec<AccountRecord>> {
    Ok(sqlx::query_as(concat!(
        "SELECT id, tenant_id, name, email, role, ''::text AS password_hash, active, created_at, ",
        location_ids!(),
        " FROM accounts
         ORDER BY role <> 'owner', lower(name), created_at, id",
    ))
    .fetch_all(&mut **tx)
    .await?)
}

/// Changes what is given of an account of the tenant; answers it, or none when it does
/// not exist.
pub async fn update(
    tx: &mut Tx,
    id: AccountId,
    name: Option<&str>,
    role: Option<&str>,
    active: Option<bool>,
) -> StoreResult<Option<AccountRecord>> {
    Ok(sqlx::query_as(concat!(
        "UPDATE accounts SET name = coalesce($2, name), role = coalesce($3, role),
                active = coalesce($4, active), updated_at = now()
         WHERE id = $1
         RETURNING id, tenant_id, name, email, role, ''::text AS password_hash, active, created_at, ",
        location_ids!(),
    ))
    .bind(id)
    .bind(name)
    .bind(role)
    .bind(active)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Closes every open session of an account; answers how many.
pub async fn revoke_account_sessions(
    tx: &mut Tx,
    account: AccountId,
    reason: &str,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = now(), revoked_reason = $2
         WHERE account_id = $1 AND revoked_at IS NULL",
    )
    .bind(account)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// The lockout counter of `scope`, locked (`FOR UPDATE`) until the transaction ends, so
/// parallel attempts on one scope take turns (callers lock scopes in one fixed order).
pub async fn lock_counter(tx: &mut Tx, scope: &str) -> StoreResult<Counter> {
    sqlx::query("INSERT INTO auth_lockouts (scope) VALUES ($1) ON CONFLICT (scope) DO NOTHING")
        .bind(scope)
        .execute(&mut **tx)
        .await?;
    let (attempts, locks, until, last): (i32, i32, Option<i64>, i64) = sqlx::query_as(
        "SELECT attempts, locks, locked_until_ms, last_attempt_ms
         FROM auth_lockouts WHERE scope = $1 FOR UPDATE",
    )
    .bind(scope)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Counter {
        attempts: u32::try_from(attempts).unwrap_or(0),
        locks: u32::try_from(locks).unwrap_or(0),
        locked_until_ms: until,
        last_attempt_ms: last,
    })
}

/// Stores the counter of `scope`; an all-zero counter deletes the row.
pub async fn save_counter(tx: &mut Tx, scope: &str, counter: &Counter) -> StoreResult<()> {
    if *counter == Counter::default() {
        sqlx::query("DELETE FROM auth_lockouts WHERE scope = $1")
            .bind(scope)
            .execute(&mut **tx)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "UPDATE auth_lockouts SET attempts = $2, locks = $3, locked_until_ms = $4,
             last_attempt_ms = $5
         WHERE scope = $1",
    )
    .bind(scope)
    .bind(i32::try_from(counter.attempts).unwrap_or(i32::MAX))
    .bind(i32::try_from(counter.locks).unwrap_or(i32::MAX))
    .bind(counter.locked_until_ms)
    .bind(counter.last_attempt_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A one-time link's purpose (`account_tokens.purpose`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Sets a new password.
    PasswordReset,
    /// Confirms the account's email address.
    VerifyEmail,
}

impl TokenPurpose {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::PasswordReset => "password_reset",
            TokenPurpose::VerifyEmail => "verify_email",
        }
    }
}

/// Stores a one-time link's hash.
pub async fn insert_account_token(
    tx: &mut Tx,
    tenant: TenantId,
    account: AccountId,
    token_hash: &str,
    purpose: TokenPurpose,
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, tenant_id, account_id, purpose, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(tenant)
    .bind(account)
    .bind(purpose.as_str())
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The tenant a one-time link belongs to, if it exists.
pub async fn tenant_of_account_token(db: &Db, token_hash: &str) -> StoreResult<Option<TenantId>> {
    Ok(sqlx::query_scalar("SELECT tenant_of_account_token($1)")
        .bind(token_hash)
        .fetch_one(&db.pool)
        .await?)
}

/// Uses a one-time link: marks it used if it is of `purpose`, unused and unexpired at
/// `now`, and answers its account (none otherwise). The update is the check, so two
/// parallel uses cannot both succeed.
pub async fn use_account_token(
    tx: &mut Tx,
    token_hash: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> StoreResult<Option<AccountId>> {
    Ok(sqlx::query_scalar(
        "UPDATE account_tokens SET used_at = $3
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
         RETURNING account_id",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Retires every unused link of `purpose` of an account (one reset ends the others).
pub async fn retire_account_tokens(
    tx: &mut Tx,
    account: AccountId,
    purpose: TokenPurpose,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE account_tokens SET used_at = now()
         WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL",
    )
    .bind(account)
    .bind(purpose.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether an unused link of `purpose` was made for the account after `since` (a new
/// request within the minute mails nothing more).
pub async fn recent_account_token(
    tx: &mut Tx,
    account: AccountId,
    purpose: TokenPurpose,
    since: DateTime<Utc>,
) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM account_tokens
                        WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL
                          AND created_at > $3)",
    )
    .bind(account)
    .bind(purpose.as_str())
    .bind(since)
    .fetch_one(&mut **tx)
    .await?)
}

/// Whether the verification link `token_hash` belongs to an account whose email is
/// verified by now (a second click on the same link is not an error).
pub async fn verified_by_token(tx: &mut Tx, token_hash: &str) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM account_tokens t JOIN accounts a ON a.id = t.account_id
                        WHERE t.token_hash = $1 AND t.purpose = 'verify_email'
                          AND a.email_verified_at IS NOT NULL)",
    )
    .bind(token_hash)
    .fetch_one(&mut **tx)
    .await?)
}

/// Replaces an account's password hash.
pub async fn set_password(tx: &mut Tx, account: AccountId, password_hash: &str) -> StoreResult<()> {
    sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = now() WHERE id = $1")
        .bind(account)
        .bind(password_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks an account's email verified (keeps the first time).
pub async fn mark_email_verified(tx: &mut Tx, account: AccountId) -> StoreResult<()> {
    sqlx::query(
        "UPDATE accounts SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1",
    )
    .bind(account)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether an account's email is verified.
pub async fn email_verified(tx: &mut Tx, account: AccountId) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT coalesce((SELECT email_verified_at IS NOT NULL FROM accounts WHERE id = $1), false)",
    )
    .bind(account)
    .fetch_one(&mut **tx)
    .await?)
}

/// Closes every open session of an account but `keep`; answers how many.
pub async fn revoke_other_sessions(
    tx: &mut Tx,
    account: AccountId,
    keep: Uuid,
    reason: &str,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = now(), revoked_reason = $3
         WHERE account_id = $1 AND family_id <> $2 AND revoked_at IS NULL",
    )
    .bind(account)
    .bind(keep)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}
