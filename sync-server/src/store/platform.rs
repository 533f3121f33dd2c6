//! The platform operator's (super_admin's) accounts and sessions, and its views across
//! tenants. The service role cannot see any of these rows: every call here goes through
//! one of the `platform_*` SECURITY DEFINER functions of `migrations/cloud/0002_platform.sql`
//! (read there why), and the cross-tenant reads answer nothing unless given an open
//! super_admin session.

use super::accounts::AccountRecord;
use super::{StoreResult, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use dysa_domain::ids::{AccountId, TenantId};
use uuid::Uuid;

/// The super_admin with this normalised email, with its password hash (for sign-in).
pub async fn login_account(tx: &mut Tx, email: &str) -> StoreResult<Option<AccountRecord>> {
    Ok(sqlx::query_as(
        "SELECT id, tenant_id, name, email, role, password_hash, active, created_at
         FROM platform_login_account($1)",
    )
    .bind(email)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Opens a platform session with its first refresh token (by hash). False when the
/// account is not an active super_admin.
pub async fn open_session(
    tx: &mut Tx,
    family: Uuid,
    account: AccountId,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> StoreResult<bool> {
    Ok(
        sqlx::query_scalar("SELECT platform_open_session($1, $2, $3, $4)")
            .bind(family)
            .bind(account)
            .bind(token_hash)
            .bind(expires_at)
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// The super_admin of an open platform session (without its hash).
pub async fn session_account(
    tx: &mut Tx,
    family: Uuid,
    account: AccountId,
) -> StoreResult<Option<AccountRecord>> {
    Ok(sqlx::query_as(
        "SELECT id, tenant_id, name, email, role, password_hash, active, created_at
         FROM platform_session_account($1, $2)",
    )
    .bind(family)
    .bind(account)
    .fetch_optional(&mut **tx)
    .await?)
}

/// What a platform refresh did.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RefreshOutcome {
    /// `ok`, `unknown`, `revoked`, `reused` or `expired`.
    pub outcome: String,
    /// The session, when the token was known.
    pub session_id: Option<Uuid>,
    /// Its account, when the token was known.
    pub account: Option<AccountId>,
}

/// Exchanges a platform refresh token (by hash) for a new one (by hash). The caller
/// commits whatever the outcome: a reuse closes the session.
pub async fn refresh(
    tx: &mut Tx,
    old_hash: &str,
    new_hash: &str,
    expires_at: DateTime<Utc>,
) -> StoreResult<RefreshOutcome> {
    Ok(
        sqlx::query_as("SELECT outcome, session_id, account FROM platform_refresh($1, $2, $3)")
            .bind(old_hash)
            .bind(new_hash)
            .bind(expires_at)
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// Closes the platform session `(family, account)` and/or that of a platform refresh
/// token (by hash).
pub async fn logout(
    tx: &mut Tx,
    session: Option<(Uuid, AccountId)>,
    token_hash: Option<&str>,
) -> StoreResult<()> {
    sqlx::query("SELECT platform_logout($1, $2, $3)")
        .bind(session.map(|(family, _)| family))
        .bind(session.map(|(_, account)| account))
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A tenant as the platform sees it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TenantSummary {
    /// Id.
    pub id: TenantId,
    /// URL name.
    pub slug: String,
    /// Business name.
    pub name: String,
    /// `basic`, `pro` or `enterprise`.
    pub plan: String,
    /// `active` or `suspended`.
    pub status: String,
    /// Sign-up time.
    pub created_at: DateTime<Utc>,
    /// Its locations.
    pub locations: i64,
    /// Its enrolled, unrevoked devices.
    pub devices: i64,
    /// The last request of any of its devices.
    pub last_device_seen_at: Option<DateTime<Utc>>,
    /// Its unrevoked devices seen in the last five minutes (counters online).
    pub counters_online: i64,
    /// The last completed sync of any of its devices.
    pub last_sync_at: Option<DateTime<Utc>>,
    /// Why the operator suspended it (kept after reactivation until the next suspension).
    pub suspension_reason: Option<String>,
    /// When it was last suspended.
    pub suspended_at: Option<DateTime<Utc>>,
}

/// Tenants, newest first (`tenant`: just that one), for the open platform session
/// `(family, account)`.
pub async fn tenants(
    tx: &mut Tx,
    (family, account): (Uuid, AccountId),
    tenant: Option<TenantId>,
    limit: i32,
    offset: i32,
) -> StoreResult<Vec<TenantSummary>> {
    Ok(sqlx::query_as(
        "SELECT id, slug, name, plan, status, created_at, locations, devices, last_device_seen_at,
                counters_online, last_sync_at, suspension_reason, suspended_at
         FROM platform_tenants($1, $2, $3, $4, $5)",
    )
    .bind(family)
    .bind(account)
    .bind(tenant)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut **tx)
    .await?)
}

/// A lead (a demo request or a contact message) as the platform sees it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LeadRecord {
    /// Id.
    pub id: Uuid,
    /// Who asked.
    pub name: String,
    /// Their restaurant.
    pub restaurant: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// Free text.
    pub message: Option<String>,
    /// When it arrived.
    pub created_at: DateTime<Utc>,
    /// `demo` (the /demo form or API) or `contact` (the /contacto form).
    pub source: String,
    /// `new`, `contacted`, `demo`, `won` or `lost`.
    pub stage: String,
    /// The operator's notes.
    pub notes: String,
    /// When to follow it up.
    pub follow_up_on: Option<NaiveDate>,
    /// Its last change.
    pub updated_at: DateTime<Utc>,
}

/// The columns of [`LeadRecord`], as the lead functions answer them.
const LEAD_COLUMNS: &str = "id, name, restaurant, email, phone, message, created_at, source, stage, notes, follow_up_on, updated_at";

/// Leads, newest first (`stage`: only those at it), for the open platform session
/// `(family, account)`.
pub async fn leads(
    tx: &mut Tx,
    (family, account): (Uuid, AccountId),
    stage: Option<&str>,
    limit: i32,
    offset: i32,
) -> StoreResult<Vec<LeadRecord>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {LEAD_COLUMNS} FROM platform_leads($1, $2, $3, $4, $5)"
    )))
    .bind(family)
    .bind(account)
    .bind(stage)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut **tx)
    .await?)
}

/// A lead's place in the pipeline, as the operator sets it.
#[derive(Clone, Debug)]
pub struct LeadUpdate<'a> {
    /// `new`, `contacted`, `demo`, `won` or `lost`.
    pub stage: &'a str,
    /// Notes (replaces the old ones).
    pub notes: &'a str,
    /// When to follow it up (none clears it).
    pub follow_up_on: Option<NaiveDate>,
}

/// Sets a lead's stage, notes and follow-up date; answers it, or none when it does not
/// exist (or the session is not an open super_admin's).
pub async fn update_lead(
    tx: &mut Tx,
    (family, account): (Uuid, AccountId),
    id: Uuid,
    update: &LeadUpdate<'_>,
) -> StoreResult<Option<LeadRecord>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {LEAD_COLUMNS} FROM platform_update_lead($1, $2, $3, $4, $5, $6)"
    )))
    .bind(family)
    .bind(account)
    .bind(id)
    .bind(update.stage)
    .bind(update.notes)
    .bind(update.follow_up_on)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Deletes the leads that arrived before `before` (`purge_old_leads`); answers how many.
pub async fn purge_leads(tx: &mut Tx, before: DateTime<Utc>) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT purge_old_leads($1)")
        .bind(before)
        .fetch_one(&mut **tx)
        .await?)
}

/// Inserts a super_admin through the owner connection: the service role cannot (its
/// policies refuse a row without a tenant), which is the point.
pub async fn insert_admin(
    owner: &mut sqlx::PgConnection,
    id: AccountId,
    name: &str,
    email: &str,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO accounts (id, tenant_id, name, email, role, password_hash)
         VALUES ($1, NULL, $2, $3, 'super_admin', $4)",
    )
    .bind(id)
    .bind(name)
    .bind(email)
    .bind(password_hash)
    .execute(owner)
    .await?;
    Ok(())
}
