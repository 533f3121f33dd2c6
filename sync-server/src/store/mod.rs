//! The Postgres store: migrations as the owner, the restricted service role, and
//! per-request transactions that carry the tenant for row-level security.
//!
//! Every query of the service runs as the service role, which owns no table and cannot
//! bypass RLS. A transaction opened with [`Db::tenant_tx`] sets `app.tenant_id` (local to
//! the transaction) so the policies let it see that tenant's rows and no other; a
//! transaction without it ([`Db::public_tx`]) sees no tenant rows at all.

pub mod accounts;
pub mod audit;
pub mod backups;
pub mod billing;
pub mod booking_notices;
pub mod bookings;
pub mod chat;
pub mod counter_recovery;
pub mod customers;
pub mod data_keys;
pub mod day_closes;
pub mod devices;
pub mod diner_contacts;
pub mod idempotency;
pub mod join;
pub mod leads;
pub mod mail;
pub mod media;
pub mod mercado_pago;
pub mod overview;
pub mod owner_notices;
pub mod owners;
pub mod platform;
pub mod presence;
pub mod relays;
pub mod retention;
pub mod signing_keys;
pub mod sms;
pub mod sync;
pub mod tenants;
pub mod whatsapp;
pub mod widget;
pub mod widget_orders;

use dysa_domain::ids::{LocationId, TenantId};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool, Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// The embedded migrations of `migrations/cloud`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/cloud");

/// A store failure. Callers map it to a 500 and log it; details never reach clients.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database answered with an error.
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// Migrations failed at start.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A tenant's data key cannot be opened (the master key configured is not the one
    /// that sealed it).
    #[error(transparent)]
    DataKey(#[from] crate::pii::KeyError),
}

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// A transaction of the service role.
pub type Tx = Transaction<'static, Postgres>;

/// Handle to the database (the service role's pools); cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    /// Connections of the service role.
    pub pool: PgPool,
    /// One connection of the service role kept for the live channel's `LISTEN`, apart
    /// from `pool` so it never takes a request's connection.
    pub listen_pool: PgPool,
}

/// Creates the service role if missing. Roles are global to the cluster, so parallel
/// starts (or parallel test databases) may race here: the loser's duplicate is ignored.
const CREATE_ROLE: &str = r#"
DO $$
DECLARE r text := current_setting('dysa.service_role');
BEGIN
    IF r = current_user THEN
        RAISE EXCEPTION 'the service role must differ from the owner role %', r;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
        BEGIN
            EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION', r);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$"#;

/// Puts the role's attributes back if someone changed them, and sets its password when
/// one is configured. Touches the role only when needed (concurrent ALTERs of one role
/// fail with "tuple concurrently updated").
const FIX_ROLE: &str = r#"
DO $$
DECLARE r text := current_setting('dysa.service_role');
        pw text := current_setting('dysa.service_password');
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r AND (rolsuper OR rolbypassrls
               OR NOT rolcanlogin OR rolcreaterole OR rolcreatedb OR rolreplication)) THEN
        EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION', r);
    END IF;
    IF pw <> '' THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', r, pw);
    END IF;
END
$$"#;

/// The service role's privileges in this database: data access on every table (row-level
/// security decides which rows), nothing on the migration ledger, insert-only on leads.
const GRANTS: &str = r#"
DO $$
DECLARE r text := current_setting('dysa.service_role');
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', r);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', r);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO %I', r);
    EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO %I', r);
    EXECUTE format('REVOKE ALL ON TABLE _sqlx_migrations FROM %I', r);
    EXECUTE format('REVOKE SELECT, UPDATE, DELETE ON TABLE leads FROM %I', r);
END
$$"#;

impl Db {
    /// Runs migrations and prepares the service role through the owner connection
    /// `owner`, then connects as the service role.
    pub async fn open(
        owner: PgConnectOptions,
        role: &str,
        password: &str,
        max_connections: u32,
    ) -> StoreResult<Db> {
        let mut admin = owner.clone().connect().await?;
        MIGRATOR.run(&mut admin).await?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            match prepare_role(&mut admin, role, password).await {
                Ok(()) => break,
                Err(error) if attempt < 5 => {
                    tracing::warn!(%error, attempt, "preparing the service role failed; retrying");
                    tokio::time::sleep(Duration::from_millis(50 * attempt)).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
        drop(admin);
        let mut service = owner
            .username(role)
            .application_name("dysa-cloud")
            .options([("statement_timeout", "15s")]);
        if !password.is_empty() {
            service = service.password(password);
        }
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(service.clone())
            .await?;
        // The listener holds its connection for as long as it runs.
        let listen_pool = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_lazy_with(service);
        Ok(Db { pool, listen_pool })
    }

    /// Opens by URL (the owner connection).
    pub async fn open_url(
        url: &str,
        role: &str,
        password: &str,
        max_connections: u32,
    ) -> StoreResult<Db> {
        let owner = PgConnectOptions::from_str(url)?;
        Self::open(owner, role, password, max_connections).await
    }

    /// A transaction that sees only `tenant`'s rows.
    pub async fn tenant_tx(&self, tenant: TenantId) -> StoreResult<Tx> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(tenant.to_string())
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    /// A transaction that sees only `tenant`'s rows and, when `locations` is given, only
    /// those locations' rows: the `location_scope` policies of migration 0035 hide the
    /// others from every statement, reads and writes alike, so a manager limited to
    /// Providencia finds nothing of Ñuñoa whatever the route forgets. `None`: every
    /// location (owners, devices, background work).
    pub async fn scoped_tx(
        &self,
        tenant: TenantId,
        locations: Option<&[LocationId]>,
    ) -> StoreResult<Tx> {
        let mut tx = self.tenant_tx(tenant).await?;
        if let Some(locations) = locations {
            sqlx::query("SELECT set_config('app.location_ids', $1::uuid[]::text, true)")
                .bind(locations)
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// A transaction with no tenant: it sees no tenant rows (leads, lockout, lookups).
    pub async fn public_tx(&self) -> StoreResult<Tx> {
        Ok(self.pool.begin().await?)
    }

    /// Checks that the database answers (for `/health`).
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.listen_pool.close().await;
        self.pool.close().await;
    }
}

async fn prepare_role(
    admin: &mut sqlx::PgConnection,
    role: &str,
    password: &str,
) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut tx = admin.begin().await?;
    sqlx::query("SELECT set_config('dysa.service_role', $1, true), set_config('dysa.service_password', $2, true)")
        .bind(role)
        .bind(password)
        .execute(&mut *tx)
        .await?;
    sqlx::query(CREATE_ROLE).execute(&mut *tx).await?;
    sqlx::query(FIX_ROLE).execute(&mut *tx).await?;
    sqlx::query(GRANTS).execute(&mut *tx).await?;
    tx.commit().await
}

/// The tenant a tenant transaction was opened for (what `app_tenant()` reads).
pub async fn current_tenant(tx: &mut Tx) -> StoreResult<TenantId> {
    Ok(sqlx::query_scalar("SELECT app_tenant()")
        .fetch_one(&mut **tx)
        .await?)
}

/// The newest HLC stamp stored for the transaction's tenant, as text (a clock resumes
/// after it).
pub async fn newest_stamp(tx: &mut Tx) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar("SELECT max(hlc) FROM sync_rows")
        .fetch_one(&mut **tx)
        .await?)
}

/// Whether an error is a unique violation of `constraint`.
pub fn is_unique_violation(error: &sqlx::Error, constraint: &str) -> bool {
    match error {
        sqlx::Error::Database(e) => {
            e.code().as_deref() == Some("23505") && e.constraint() == Some(constraint)
        }
        _ => false,
    }
}
