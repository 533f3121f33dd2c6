//! The platform operator's work: creating super_admins (owner connection, from the CLI),
//! the tenant and demo-request lists, and suspending or reactivating a tenant.
//!
//! The platform reaches across tenants only through the `platform_*` database functions
//! (see `migrations/cloud/0002_platform.sql` for why). Suspension is not one of them: it
//! updates the tenant's row inside the tenant's own RLS scope.

use crate::auth::password;
use crate::store::platform::{self as store, LeadRecord, TenantSummary};
use crate::store::{Db, MIGRATOR, StoreError, is_unique_violation, tenants};
use dysa_domain::ids::{AccountId, TenantId};
use dysa_domain::validate::{FieldErrors, FieldIssue, normalize_email};
use sqlx::ConnectOptions;
use sqlx::postgres::PgConnectOptions;
use uuid::Uuid;

/// Why a platform operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum PlatformError {
    /// The input is invalid.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// Another account uses the email.
    #[error("an account with that email already exists")]
    EmailTaken,
    /// No such tenant.
    #[error("tenant not found")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Hashing failed.
    #[error(transparent)]
    Hash(#[from] password::HashError),
}

impl From<sqlx::Error> for PlatformError {
    fn from(error: sqlx::Error) -> Self {
        PlatformError::Store(StoreError::Sqlx(error))
    }
}

/// A new platform operator.
#[derive(Debug)]
pub struct NewAdmin {
    /// Login email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Password (the sign-up rules).
    pub password: String,
}

/// Creates a super_admin through the owner connection `owner` (migrating first). The
/// service role cannot do this: a super_admin exists only where someone holding the
/// database owner's credentials made it.
pub async fn create_admin(
    owner: &PgConnectOptions,
    input: NewAdmin,
) -> Result<AccountId, PlatformError> {
    let mut errors = FieldErrors::new();
    errors.text("name", &input.name, 80);
    errors.email("email", &input.email);
    errors.password("password", &input.password);
    errors.into_result().map_err(PlatformError::Invalid)?;
    let password_hash = password::hash(input.password).await?;
    let mut conn = owner.connect().await?;
    MIGRATOR.run(&mut conn).await.map_err(StoreError::from)?;
    let id = AccountId::new();
    let email = normalize_email(&input.email);
    store::insert_admin(&mut conn, id, input.name.trim(), &email, &password_hash)
        .await
        .map_err(|e| {
            if is_unique_violation(&e, "accounts_email_key") {
                PlatformError::EmailTaken
            } else {
                e.into()
            }
        })?;
    tracing::info!(account_id = %id, %email, "platform admin created");
    Ok(id)
}

/// Largest page of a platform list.
pub const MAX_PAGE: i64 = 200;
/// Page size when none is asked for.
pub const DEFAULT_PAGE: i64 = 50;

/// A page of a list: at most `limit` rows after skipping `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Rows per page, 1..=[`MAX_PAGE`].
    pub limit: i32,
    /// Rows skipped.
    pub offset: i32,
}

impl Page {
    /// Checks the query's `limit` (default [`DEFAULT_PAGE`]) and `offset` (default 0).
    pub fn new(limit: Option<i64>, offset: Option<i64>) -> Result<Page, FieldErrors> {
        let mut errors = FieldErrors::new();
        let limit = limit.unwrap_or(DEFAULT_PAGE);
        let offset = offset.unwrap_or(0);
        errors.check(
            (1..=MAX_PAGE).contains(&limit),
            "limit",
            FieldIssue::Other {
                es: format!("debe estar entre 1 y {MAX_PAGE}"),
                en: format!("must be between 1 and {MAX_PAGE}"),
            },
        );
        let offset = i32::try_from(offset).ok().filter(|o| *o >= 0);
        errors.check(
            offset.is_some(),
            "offset",
            FieldIssue::Other {
                es: "debe ser un entero de 0 en adelante".into(),
                en: "must be a whole number from 0 up".into(),
            },
        );
        errors.into_result()?;
        Ok(Page {
            limit: i32::try_from(limit).unwrap_or(1),
            offset: offset.unwrap_or(0),
        })
    }

    /// Splits `limit + 1` fetched rows into the page and the next page's offset.
    fn finish<T>(self, mut rows: Vec<T>) -> (Vec<T>, Option<i64>) {
        let limit = usize::try_from(self.limit).unwrap_or(0);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = more.then(|| i64::from(self.offset) + i64::from(self.limit));
        (rows, next)
    }
}

/// Tenants, newest first, and the next page's offset.
pub async fn tenants(
    db: &Db,
    session: (Uuid, AccountId),
    page: Page,
) -> Result<(Vec<TenantSummary>, Option<i64>), PlatformError> {
    let mut tx = db.public_tx().await?;
    let rows = store::tenants(
        &mut tx,
        session,
        None,
        page.limit.saturating_add(1),
        page.offset,
    )
    .await?;
    Ok(page.finish(rows))
}

/// Demo requests, newest first, and the next page's offset.
pub async fn leads(
    db: &Db,
    session: (Uuid, AccountId),
    page: Page,
) -> Result<(Vec<LeadRecord>, Option<i64>), PlatformError> {
    let mut tx = db.public_tx().await?;
    let rows = store::leads(&mut tx, session, page.limit.saturating_add(1), page.offset).await?;
    Ok(page.finish(rows))
}

/// Suspends (`active = false`) or reactivates a tenant; answers it. Idempotent. While
/// suspended, its sign-ins, sessions, refreshes, device tokens and enrolment codes are
/// refused with 403 `tenant_suspended`, checked on every request; nothing is revoked, so
/// reactivation gives everything back at once (appliances need no re-enrolment).
pub async fn set_active(
    db: &Db,
    session: (Uuid, AccountId),
    tenant: TenantId,
    active: bool,
) -> Result<TenantSummary, PlatformError> {
    let status = if active { "active" } else { "suspended" };
    let mut tx = db.tenant_tx(tenant).await?;
    if !tenants::set_status(&mut tx, tenant, status).await? {
        return Err(PlatformError::NotFound);
    }
    tx.commit().await?;
    tracing::info!(admin_id = %session.1, tenant_id = %tenant, status, "tenant status set");
    let mut tx = db.public_tx().await?;
    store::tenants(&mut tx, session, Some(tenant), 1, 0)
        .await?
        .into_iter()
        .next()
        .ok_or(PlatformError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_checked_and_know_whether_more_follow() {
        assert_eq!(
            Page::new(None, None).ok(),
            Some(Page {
                limit: 50,
                offset: 0
            })
        );
        for (limit, offset) in [(Some(0), None), (Some(201), None), (None, Some(-1))] {
            assert!(Page::new(limit, offset).is_err(), "{limit:?} {offset:?}");
        }
        let page = Page {
            limit: 2,
            offset: 4,
        };
        assert_eq!(page.finish(vec![1, 2, 3]), (vec![1, 2], Some(6)));
        assert_eq!(page.finish(vec![1, 2]), (vec![1, 2], None));
    }
}
