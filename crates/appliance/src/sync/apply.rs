//! Applying the cloud's rows to the typed tables (docs/SYNC.md, "Applying a cloud row").
//!
//! The device never merges: it takes the cloud's row as it is, unless a local change to
//! that row still waits to be pushed (the push will bring the merged row back) or it
//! already holds that version or a newer one. A taken row is written with one constant
//! upsert per entity and **no outbox row** (it came from the cloud; sending it back would
//! echo forever), its version is recorded, and its HLC raises the clock.
//!
//! The rows are the JSON the outbox sends: each entity's type in `dysa_domain::sync::rows`,
//! the one the store writes, and written by the store's own write for that type
//! (`store::rows::upsert`, whose columns come from the type). Only what applying alone
//! needs is here: an order's daily number, a reservation the restaurant has not decided,
//! the stamps; staff rows go through `staff_rows` (their columns come from the sealed
//! secret). The round-trip tests (`apply_tests.rs`) keep the two in step.
//!
//! A row that cannot be applied yet — its order, item or table has not arrived (pulls go
//! by version, and a parent changed later comes later), or it clashes with a local row —
//! is parked in `sync_parked` and retried after every page, so one such row never blocks
//! the rows behind it.

use crate::store::rows::{self, ColumnRow};
use crate::store::{StoreError, StoreResult, sync as sync_store};
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{CustomerId, OrderId, ReservationId, TableId};
use dysa_domain::reservation::{ReservationStatus, is_cloud_channel};
use dysa_domain::sync::rows::{
    AuditEvent, Category, Conversation, ConversationMessage, Customer, DayClose, DrawerCount,
    DrawerMovement, DrawerSession, Item, ModifierGroup, Order, OrderLineRow, OrderTransition,
    Payment, Reservation, Table,
};
use dysa_domain::sync::{ChangeRecord, Entity};
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::SqliteConnection;
use std::collections::BTreeSet;

/// What the applied rows touched, so the caller can drop caches and tell open panels
/// after the commit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Rows written.
    pub rows: usize,
    /// Rows waiting parked after this page (see the module docs).
    pub parked: i64,
    /// Orders new to this device.
    pub orders_created: BTreeSet<OrderId>,
    /// Orders that changed (their header, lines, transitions or payments).
    pub orders_updated: BTreeSet<OrderId>,
    /// Reservations new to this device.
    pub reservations_created: BTreeSet<ReservationId>,
    /// Reservations that changed.
    pub reservations_updated: BTreeSet<ReservationId>,
    /// Tables that changed.
    pub tables: BTreeSet<TableId>,
    /// Customers that changed.
    pub customers: BTreeSet<CustomerId>,
    /// Something in the menu changed.
    pub menu: bool,
    /// A restaurant setting changed.
    pub settings: bool,
    /// A staff account changed.
    pub users: bool,
    /// A cash drawer session of the location (or its ledger) changed.
    pub drawers: bool,
    /// The newest HLC among the applied rows.
    pub newest_hlc: Option<Hlc>,
    /// Input, not a result: the location key staff rows are opened with (see
    /// `staff_rows`); without one, pulled staff rows are parked.
    pub location_key: Option<std::sync::Arc<super::location_key::LocationKey>>,
}

impl Applied {
    /// An empty result for applying rows with this appliance's location key.
    pub fn for_location(key: Option<std::sync::Arc<super::location_key::LocationKey>>) -> Self {
        Self {
            location_key: key,
            ..Self::default()
        }
    }

    /// Whether anything was written.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }
}

/// What became of one change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Written to its table.
    Applied,
    /// Left alone: a local change to the row waits to be pushed.
    PendingLocal,
    /// Left alone: the device already holds this version or a newer one.
    AlreadyHeld,
    /// Set aside until it can be applied.
    Parked,
}

/// Why one row could not be written.
#[derive(Debug)]
enum RowError {
    /// The row is not a usable record of its entity.
    Malformed(String),
    /// A constraint refused it (a missing parent, a clashing name): may work later.
    Constraint(String),
    /// The database failed: the whole page fails and is pulled again.
    Store(StoreError),
    /// A booking made on the cloud waits for this restaurant to accept or decline it
    /// (`reservations::decide_cloud_bookings`, run after the page in its transaction).
    Undecided,
}

/// Why a cloud booking sits in `sync_parked`: the restaurant has not decided it yet.
pub const UNDECIDED_BOOKING: &str = "cloud booking waiting for the restaurant's decision";

impl From<StoreError> for RowError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Sqlx(sqlx::Error::Database(db)) if is_constraint(db.as_ref()) => {
                RowError::Constraint(db.message().to_owned())
            }
            other => RowError::Store(other),
        }
    }
}

impl From<sqlx::Error> for RowError {
    fn from(error: sqlx::Error) -> Self {
        RowError::from(StoreError::Sqlx(error))
    }
}

impl From<serde_json::Error> for RowError {
    fn from(error: serde_json::Error) -> Self {
        RowError::Malformed(error.to_string())
    }
}

fn is_constraint(error: &dyn sqlx::error::DatabaseError) -> bool {
    use sqlx::error::ErrorKind;
    matches!(
        error.kind(),
        ErrorKind::ForeignKeyViolation
            | ErrorKind::UniqueViolation
            | ErrorKind::CheckViolation
            | ErrorKind::NotNullViolation
    )
}

/// Parents before children, so a page holding both applies in one pass.
fn rank(entity: Entity) -> u8 {
    match entity {
        Entity::User | Entity::Setting => 0,
        Entity::Category | Entity::ModifierGroup | Entity::Customer | Entity::Table => 1,
        Entity::Item => 2,
        Entity::Order | Entity::Reservation | Entity::DrawerSession | Entity::Conversation => 3,
        Entity::OrderLine
        | Entity::OrderTransition
        | Entity::Payment
        | Entity::DrawerMovement
        | Entity::DrawerCount
        | Entity::ConversationMessage => 4,
        // Refers to others by id only, as text: nothing to wait for.
        Entity::AuditEvent => 0,
        // After the rows of its page: the marks it takes on arrival then count them as in
        // the closed day, as they were on the counter that closed it.
        Entity::DayClose => 5,
    }
}

/// Applies a page of changes inside the caller's transaction (one writer job), then
/// retries the parked rows, since the page may have brought their parents.
pub async fn apply_page(
    conn: &mut SqliteConnection,
    changes: &[ChangeRecord],
    applied: &mut Applied,
) -> StoreResult<()> {
    let mut ordered: Vec<&ChangeRecord> = changes.iter().collect();
    ordered.sort_by_key(|c| (rank(c.entity), c.version));
    for change in ordered {
        apply_one(conn, change, applied).await?;
    }
    retry_parked(conn, applied).await?;
    applied.parked = sync_store::parked_count(&mut *conn).await?;
    Ok(())
}

/// Retries parked rows until a pass applies none of them.
pub async fn retry_parked(conn: &mut SqliteConnection, applied: &mut Applied) -> StoreResult<()> {
    for _ in 0..4 {
        let parked = sync_store::parked(conn).await?;
        if parked.is_empty() {
            break;
        }
        let mut changes = Vec::with_capacity(parked.len());
        for text in parked {
            match serde_json::from_str::<ChangeRecord>(&text) {
                Ok(change) => changes.push(change),
                Err(error) => tracing::warn!(%error, "unreadable parked change left alone"),
            }
        }
        changes.sort_by_key(|c| (rank(c.entity), c.version));
        let before = applied.rows;
        for change in &changes {
            let outcome = apply_one(conn, change, applied).await?;
            if outcome != Outcome::Parked {
                // Applied, or superseded by a pending local change or a newer version.
                sync_store::unpark(
                    conn,
                    change.entity.as_str(),
                    &change.entity_id,
                    change.version,
                )
                .await?;
            }
        }
        if applied.rows == before {
            break;
        }
    }
    Ok(())
}

/// Applies one change unless the device has a pending change to the row or holds a
/// version as new. Runs in a savepoint of its own: a row that fails leaves nothing behind.
pub async fn apply_one(
    conn: &mut SqliteConnection,
    change: &ChangeRecord,
    applied: &mut Applied,
) -> StoreResult<Outcome> {
    let entity = change.entity.as_str();
    if sync_store::has_pending(conn, entity, &change.entity_id).await? {
        return Ok(Outcome::PendingLocal);
    }
    if sync_store::row_version(conn, entity, &change.entity_id)
        .await?
        .is_some_and(|held| held >= change.version)
    {
        return Ok(Outcome::AlreadyHeld);
    }
    sqlx::query("SAVEPOINT apply_row")
        .execute(&mut *conn)
        .await?;
    let result = write_row(conn, change, applied).await;
    if result.is_err() {
        sqlx::query("ROLLBACK TO apply_row")
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("RELEASE apply_row").execute(&mut *conn).await?;
    match result {
        Ok(hlc) => {
            sync_store::set_row_version(conn, entity, &change.entity_id, change.version).await?;
            sync_store::unpark(conn, entity, &change.entity_id, change.version).await?;
            applied.rows += 1;
            applied.newest_hlc = applied.newest_hlc.max(Some(hlc));
            Ok(Outcome::Applied)
        }
        Err(RowError::Store(error)) => Err(error),
        Err(RowError::Undecided) => {
            let text = serde_json::to_string(change)?;
            sync_store::park(
                conn,
                entity,
                &change.entity_id,
                change.version,
                &text,
                UNDECIDED_BOOKING,
            )
            .await?;
            Ok(Outcome::Parked)
        }
        Err(RowError::Malformed(reason) | RowError::Constraint(reason)) => {
            tracing::warn!(entity, id = %change.entity_id, version = change.version, %reason,
                "cloud row set aside");
            let text = serde_json::to_string(change)?;
            sync_store::park(
                conn,
                entity,
                &change.entity_id,
                change.version,
                &text,
                &reason,
            )
            .await?;
            Ok(Outcome::Parked)
        }
    }
}

/// The fields every applied row shares: when it last changed and its tombstone.
struct Stamp {
    /// The newest HLC of the row's fields: its `updated_at` here.
    updated_at: String,
    /// The tombstone's HLC for a deleted row.
    deleted_at: Option<String>,
}

/// Reads the cloud's row as `T` (its `dysa_domain::sync::rows` type), with this change's
/// stamps as its `updated_at` and `deleted_at`.
fn stamped<T: DeserializeOwned>(change: &ChangeRecord, stamp: &Stamp) -> Result<T, RowError> {
    let mut row = change.row.clone();
    row.insert("updated_at".into(), Value::String(stamp.updated_at.clone()));
    let deleted = stamp.deleted_at.clone().map_or(Value::Null, Value::String);
    row.insert("deleted_at".into(), deleted);
    Ok(serde_json::from_value(Value::Object(row))?)
}

/// Writes a row kept column for column with the store's own upsert (`store::rows`).
async fn apply_columns<T: ColumnRow>(
    conn: &mut SqliteConnection,
    change: &ChangeRecord,
    stamp: &Stamp,
) -> Result<T, RowError> {
    let row: T = stamped(change, stamp)?;
    rows::upsert(conn, &row).await?;
    Ok(row)
}

/// The tombstone column of tables whose row type does not carry it (orders,
/// reservations).
fn deleted_column(stamp: &Stamp) -> rows::Column {
    let deleted = stamp
        .deleted_at
        .as_ref()
        .map(|d| d as &dyn std::fmt::Display);
    rows::stamp("deleted_at", deleted)
}

fn stamp(change: &ChangeRecord, hlc: Hlc) -> Stamp {
    let row_deleted = change
        .row
        .get("deleted_at")
        .and_then(|v| v.as_str())
        .and_then(|t| t.parse::<Hlc>().ok());
    let deleted_at = match (change.deleted, row_deleted) {
        (_, Some(at)) => Some(at.to_string()),
        (true, None) => Some(hlc.to_string()),
        (false, None) => None,
    };
    Stamp {
        updated_at: hlc.to_string(),
        deleted_at,
    }
}

/// Writes one row; returns its HLC.
async fn write_row(
    conn: &mut SqliteConnection,
    change: &ChangeRecord,
    applied: &mut Applied,
) -> Result<Hlc, RowError> {
    let hlc: Hlc = change
        .hlc
        .parse()
        .map_err(|e: dysa_domain::hlc::HlcError| RowError::Malformed(e.to_string()))?;
    let stamp = stamp(change, hlc);
    match change.entity {
        Entity::Setting => {
            apply_setting(conn, change, &stamp).await?;
            applied.settings = true;
        }
        Entity::User => {
            use super::staff_rows::{self, StaffApplied, StaffRowError};
            let key = applied.location_key.clone();
            match staff_rows::apply_user(conn, change, key.as_deref(), &stamp.updated_at).await {
                Ok(StaffApplied::Written) => applied.users = true,
                Ok(StaffApplied::Stale) => {}
                Err(StaffRowError::SealInvalid(_)) => {
                    return Err(RowError::Malformed(staff_rows::SEAL_INVALID.to_owned()));
                }
                Err(StaffRowError::Sqlx(error)) => return Err(error.into()),
            }
        }
        Entity::Category => {
            apply_columns::<Category>(conn, change, &stamp).await?;
            applied.menu = true;
        }
        Entity::ModifierGroup => {
            apply_columns::<ModifierGroup>(conn, change, &stamp).await?;
            applied.menu = true;
        }
        Entity::Item => {
            apply_columns::<Item>(conn, change, &stamp).await?;
            applied.menu = true;
        }
        Entity::Customer => {
            let row: Customer = apply_columns(conn, change, &stamp).await?;
            applied.customers.insert(row.id);
        }
        Entity::Table => {
            let row: Table = apply_columns(conn, change, &stamp).await?;
            applied.tables.insert(row.id);
        }
        Entity::Reservation => {
            let row: Reservation = stamped(change, &stamp)?;
            if apply_reservation(conn, &row, &stamp).await? {
                applied.reservations_created.insert(row.id);
            } else {
                applied.reservations_updated.insert(row.id);
            }
        }
        Entity::Order => {
            let row: Order = stamped(change, &stamp)?;
            if apply_order(conn, &row, &stamp).await? {
                applied.orders_created.insert(row.id);
            } else {
                applied.orders_updated.insert(row.id);
            }
        }
        Entity::OrderLine => {
            let row: OrderLineRow = stamped(change, &stamp)?;
            rows::upsert(conn, &row).await?;
            applied.orders_updated.insert(row.order_id);
        }
        Entity::OrderTransition => {
            let row: OrderTransition = stamped(change, &stamp)?;
            // Append-only: a transition, once recorded, is a fact.
            rows::upsert(conn, &row).await?;
            applied.orders_updated.insert(row.order_id);
        }
        Entity::AuditEvent => {
            // Insert-only: an event already held stays as it was recorded.
            let row: AuditEvent = serde_json::from_value(Value::Object(change.row.clone()))?;
            crate::store::audit::apply_pulled(conn, &row).await?;
        }
        Entity::DayClose => {
            // Insert-only: the first close of a day held here stands.
            let row: DayClose = serde_json::from_value(Value::Object(change.row.clone()))?;
            crate::store::closing::apply_pulled(conn, &row).await?;
        }
        Entity::Payment => {
            let row: Payment = stamped(change, &stamp)?;
            // Append-only ledger, like transitions.
            let updated_at = rows::stamp("updated_at", Some(&stamp.updated_at));
            rows::upsert_with(conn, &row, vec![updated_at]).await?;
            applied.orders_updated.insert(row.order_id);
        }
        // Sessions are written only by the counter that owns the drawer; movements and
        // counts are append-only (the cloud refuses edits), so taking the row is enough.
        Entity::DrawerSession => {
            apply_columns::<DrawerSession>(conn, change, &stamp).await?;
            applied.drawers = true;
        }
        Entity::DrawerMovement => {
            apply_columns::<DrawerMovement>(conn, change, &stamp).await?;
            applied.drawers = true;
        }
        Entity::DrawerCount => {
            apply_columns::<DrawerCount>(conn, change, &stamp).await?;
            applied.drawers = true;
        }
        // Last writer wins per field on the cloud; the merged row is taken as it is.
        Entity::Conversation => {
            apply_columns::<Conversation>(conn, change, &stamp).await?;
        }
        // Append-only: a message held stays as written. It came from the cloud, so it
        // waits for nothing to be relayed (`cloud_pending` stays 0).
        Entity::ConversationMessage => {
            let row: ConversationMessage =
                serde_json::from_value(Value::Object(change.row.clone()))?;
            rows::upsert(conn, &row).await?;
        }
    }
    Ok(hlc)
}

// ---------------------------------------------------------------- settings and users

async fn apply_setting(
    conn: &mut SqliteConnection,
    change: &ChangeRecord,
    stamp: &Stamp,
) -> Result<(), RowError> {
    // The key is the entity id; the row carries `{key, value}`.
    let value = change
        .row
        .get("value")
        .ok_or_else(|| RowError::Malformed("setting without a value".into()))?;
    crate::store::settings::write(
        conn,
        &change.entity_id,
        value,
        &stamp.updated_at,
        stamp.deleted_at.as_deref(),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- reservations

/// Returns true when the reservation is new to this device.
async fn apply_reservation(
    conn: &mut SqliteConnection,
    row: &Reservation,
    stamp: &Stamp,
) -> Result<bool, RowError> {
    if row.table_id.is_none() {
        // Booked on the cloud and not decided yet: the restaurant decides it now. Without
        // a table and no longer waiting (declined), the counter has nothing to seat.
        if row.status == ReservationStatus::Booked && is_cloud_channel(&row.channel) {
            return Err(RowError::Undecided);
        }
        return Ok(false);
    }
    let existed: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM reservations WHERE id = ?)")
            .bind(row.id.to_string())
            .fetch_one(&mut *conn)
            .await?;
    rows::upsert_with(conn, row, vec![deleted_column(stamp)]).await?;
    Ok(!existed)
}

// ---------------------------------------------------------------- orders

/// Returns true when the order is new to this device.
async fn apply_order(
    conn: &mut SqliteConnection,
    row: &Order,
    stamp: &Stamp,
) -> Result<bool, RowError> {
    let held: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT number, business_date, local_hour FROM orders WHERE id = ?")
            .bind(row.id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    let mut row = row.clone();
    if let Some((number, business_date, local_hour)) = held {
        // Kept as this device first had them (`ColumnRow::KEEP`); given here only because
        // the columns are NOT NULL.
        row.number = Some(number);
        row.business_date = Some(business_date);
        row.local_hour = Some(local_hour);
        rows::upsert_with(conn, &row, vec![deleted_column(stamp)]).await?;
        return Ok(false);
    }
    let (derived_date, derived_hour) = local_day(conn, &row.created_at).await?;
    let business_date = row.business_date.clone().unwrap_or(derived_date);
    let local_hour = row.local_hour.unwrap_or(derived_hour);
    // Two counters offline on the same day both hand out #12; the second to arrive here
    // takes the next free number of the day, so the daily number stays unique locally.
    let number = match row.number {
        Some(n) if !number_taken(conn, &business_date, n).await? => n,
        _ => crate::store::orders::reserve_numbers(conn, &business_date, 1)
            .await?
            .remove(0),
    };
    row.number = Some(number);
    row.business_date = Some(business_date.clone());
    row.local_hour = Some(local_hour);
    rows::upsert_with(conn, &row, vec![deleted_column(stamp)]).await?;
    // Local orders of the day must number after it.
    sqlx::query(
        "INSERT INTO order_counters (business_date, last_number) VALUES (?, ?)
         ON CONFLICT (business_date) DO UPDATE SET last_number = max(last_number, excluded.last_number)",
    )
    .bind(&business_date)
    .bind(number)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

async fn number_taken(
    conn: &mut SqliteConnection,
    business_date: &str,
    number: i64,
) -> Result<bool, RowError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM orders WHERE business_date = ? AND number = ?)",
    )
    .bind(business_date)
    .bind(number)
    .fetch_one(&mut *conn)
    .await?)
}

/// The restaurant's local day and hour of an instant, in the time zone stored in its
/// settings (read in this transaction, so a time zone pulled in the same page counts).
async fn local_day(conn: &mut SqliteConnection, instant: &str) -> Result<(String, i64), RowError> {
    let stored: Option<String> = sqlx::query_scalar(
        "SELECT value FROM settings WHERE key = 'restaurant.time_zone' AND deleted_at IS NULL",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let name = stored
        .and_then(|v| serde_json::from_str::<String>(&v).ok())
        .unwrap_or_else(|| "America/Santiago".to_owned());
    let tz = jiff::tz::TimeZone::get(&name)
        .or_else(|_| jiff::tz::TimeZone::get("America/Santiago"))
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let at: Timestamp = instant
        .parse()
        .map_err(|e: jiff::Error| RowError::Malformed(format!("created_at: {e}")))?;
    let local = at.to_zoned(tz);
    Ok((local.date().to_string(), i64::from(local.hour())))
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;
