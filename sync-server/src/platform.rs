//! The platform operator's work: creating super_admins (owner connection, from the CLI),
//! the tenant list, suspending (with a reason) or reactivating a tenant, and the website's
//! leads as a sales pipeline, purged after 12 months.
//!
//! The platform reaches across tenants only through the `platform_*` database functions
//! (see `migrations/cloud/0002_platform.sql` for why). Suspension is not one of them: it
//! updates the tenant's row inside the tenant's own RLS scope.

use crate::auth::password;
use crate::store::platform::{self as store, LeadRecord, TenantSummary};
use crate::store::{Db, MIGRATOR, StoreError, is_unique_violation, tenants};
use chrono::{DateTime, Months, NaiveDate, Utc};
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
    /// No such lead.
    #[error("lead not found")]
    LeadNotFound,
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

/// Where a lead is in the sales pipeline (the console shows nuevo, contactado, demo,
/// ganado, perdido).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LeadStage {
    /// Nobody has answered it yet.
    New,
    /// Someone wrote or called.
    Contacted,
    /// A demo is booked or was given.
    Demo,
    /// They signed up.
    Won,
    /// They will not.
    Lost,
}

impl LeadStage {
    /// Every stage, in the pipeline's order.
    pub const ALL: [LeadStage; 5] = [
        LeadStage::New,
        LeadStage::Contacted,
        LeadStage::Demo,
        LeadStage::Won,
        LeadStage::Lost,
    ];

    /// The stored (and published) value.
    pub fn as_str(self) -> &'static str {
        match self {
            LeadStage::New => "new",
            LeadStage::Contacted => "contacted",
            LeadStage::Demo => "demo",
            LeadStage::Won => "won",
            LeadStage::Lost => "lost",
        }
    }

    /// The stage of a stored value.
    pub fn parse(value: &str) -> Option<LeadStage> {
        LeadStage::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// Longest notes on a lead.
pub const MAX_LEAD_NOTES: usize = 4000;
/// Longest reason for a suspension.
pub const MAX_SUSPENSION_REASON: usize = 500;
/// How long a lead is kept: the privacy page promises "hasta 12 meses".
pub const LEAD_RETENTION_MONTHS: u32 = 12;

/// Leads, newest first (only those at `stage` when given), and the next page's offset.
pub async fn leads(
    db: &Db,
    session: (Uuid, AccountId),
    stage: Option<LeadStage>,
    page: Page,
) -> Result<(Vec<LeadRecord>, Option<i64>), PlatformError> {
    let mut tx = db.public_tx().await?;
    let rows = store::leads(
        &mut tx,
        session,
        stage.map(LeadStage::as_str),
        page.limit.saturating_add(1),
        page.offset,
    )
    .await?;
    Ok(page.finish(rows))
}

/// What the operator sets on a lead.
#[derive(Clone, Debug)]
pub struct LeadChange {
    /// Its stage.
    pub stage: LeadStage,
    /// Notes (replace the old ones; up to [`MAX_LEAD_NOTES`] characters).
    pub notes: String,
    /// When to follow it up; none clears it.
    pub follow_up_on: Option<NaiveDate>,
}

/// Moves a lead along the pipeline; answers it.
pub async fn update_lead(
    db: &Db,
    session: (Uuid, AccountId),
    id: Uuid,
    change: LeadChange,
) -> Result<LeadRecord, PlatformError> {
    let mut errors = FieldErrors::new();
    errors.check(
        change.notes.chars().count() <= MAX_LEAD_NOTES,
        "notes",
        FieldIssue::Other {
            es: format!("debe tener como máximo {MAX_LEAD_NOTES} caracteres"),
            en: format!("must be at most {MAX_LEAD_NOTES} characters"),
        },
    );
    errors.into_result().map_err(PlatformError::Invalid)?;
    let mut tx = db.public_tx().await?;
    let update = store::LeadUpdate {
        stage: change.stage.as_str(),
        notes: change.notes.trim(),
        follow_up_on: change.follow_up_on,
    };
    let lead = store::update_lead(&mut tx, session, id, &update)
        .await?
        .ok_or(PlatformError::LeadNotFound)?;
    tx.commit().await?;
    tracing::info!(admin_id = %session.1, lead_id = %id, stage = update.stage, "lead updated");
    Ok(lead)
}

/// The oldest arrival a kept lead may have at `now`: [`LEAD_RETENTION_MONTHS`] before.
pub fn lead_horizon(now: DateTime<Utc>) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(LEAD_RETENTION_MONTHS))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Deletes the leads older than [`LEAD_RETENTION_MONTHS`] at `now`; answers how many.
pub async fn purge_leads(db: &Db, now: DateTime<Utc>) -> Result<i64, PlatformError> {
    let mut tx = db.public_tx().await?;
    let purged = store::purge_leads(&mut tx, lead_horizon(now)).await?;
    tx.commit().await?;
    Ok(purged)
}

/// Purges old leads every [`crate::retention::SWEEP_EVERY`] (the first time right away)
/// while the process runs: the privacy page's 12 months hold without anyone remembering.
pub fn spawn_lead_purge(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(crate::retention::SWEEP_EVERY);
        loop {
            tick.tick().await;
            match purge_leads(&db, Utc::now()).await {
                Ok(purged) => tracing::info!(purged, "lead purge"),
                Err(error) => tracing::warn!(%error, "lead purge failed; retried later"),
            }
        }
    });
}

/// Suspends (`active = false`, with the operator's `reason`) or reactivates a tenant;
/// answers it. Idempotent. While suspended, its cloud features pause: sign-ins,
/// sessions, refreshes, device tokens and enrolment codes are refused with 403
/// `tenant_suspended` (with the reason, `http::suspension`), checked on every request;
/// its devices keep syncing, so the counter never stops selling. Nothing is revoked, so
/// reactivation gives everything back at once (appliances need no re-enrolment).
pub async fn set_active(
    db: &Db,
    session: (Uuid, AccountId),
    tenant: TenantId,
    active: bool,
    reason: Option<&str>,
) -> Result<TenantSummary, PlatformError> {
    let reason = reason.map(str::trim).unwrap_or_default();
    if !active {
        let mut errors = FieldErrors::new();
        errors.text("reason", reason, MAX_SUSPENSION_REASON);
        errors.into_result().map_err(PlatformError::Invalid)?;
    }
    let status = if active { "active" } else { "suspended" };
    let reason = (!active).then_some(reason);
    let mut tx = db.tenant_tx(tenant).await?;
    if !tenants::set_status(&mut tx, tenant, status, reason).await? {
        return Err(PlatformError::NotFound);
    }
    tx.commit().await?;
    tracing::info!(admin_id = %session.1, tenant_id = %tenant, status, ?reason, "tenant status set");
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
