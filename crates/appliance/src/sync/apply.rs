//! Applying the cloud's rows to the typed tables (docs/SYNC.md, "Applying a cloud row").
//!
//! The device never merges: it takes the cloud's row as it is, unless a local change to
//! that row still waits to be pushed (the push will bring the merged row back) or it
//! already holds that version or a newer one. A taken row is written with one constant
//! upsert per entity and **no outbox row** (it came from the cloud; sending it back would
//! echo forever), its version is recorded, and its HLC raises the clock.
//!
//! The rows are the JSON the outbox sends (the store's records), so each entity's shape
//! here mirrors its record; the round-trip tests at the end keep the two in step.
//!
//! A row that cannot be applied yet — its order, item or table has not arrived (pulls go
//! by version, and a parent changed later comes later), or it clashes with a local row —
//! is parked in `sync_parked` and retried after every page, so one such row never blocks
//! the rows behind it.

use crate::store::orders::{OrderLine, Payment, Transition};
use crate::store::{
    StoreError, StoreResult, instant_text, menu::ModifierOption, sync as sync_store,
};
use dysa_domain::customer::Rut;
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{
    CategoryId, CustomerId, ItemId, ModifierGroupId, OrderId, ReservationId, TableId, UserId,
};
use dysa_domain::menu::Station;
use dysa_domain::money::Clp;
use dysa_domain::order::{CancelRequest, Channel, OrderStatus};
use dysa_domain::reservation::{ReservationStatus, is_cloud_channel};
use dysa_domain::sync::{ChangeRecord, Entity, Row};
use jiff::Timestamp;
use serde::Deserialize;
use serde::de::DeserializeOwned;
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
        Entity::Order | Entity::Reservation => 3,
        Entity::OrderLine | Entity::OrderTransition | Entity::Payment => 4,
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

/// Reads the row as `T` (the entity's record shape).
fn record<T: DeserializeOwned>(row: &Row) -> Result<T, RowError> {
    Ok(serde_json::from_value(serde_json::Value::Object(
        row.clone(),
    ))?)
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
            apply_category(conn, &record(&change.row)?, &stamp).await?;
            applied.menu = true;
        }
        Entity::ModifierGroup => {
            apply_group(conn, &record(&change.row)?, &stamp).await?;
            applied.menu = true;
        }
        Entity::Item => {
            apply_item(conn, &record(&change.row)?, &stamp).await?;
            applied.menu = true;
        }
        Entity::Customer => {
            let row: CustomerRow = record(&change.row)?;
            apply_customer(conn, &row, &stamp).await?;
            applied.customers.insert(row.id);
        }
        Entity::Table => {
            let row: TableRow = record(&change.row)?;
            apply_table(conn, &row, &stamp).await?;
            applied.tables.insert(row.id);
        }
        Entity::Reservation => {
            let row: ReservationRow = record(&change.row)?;
            if apply_reservation(conn, &row, &stamp).await? {
                applied.reservations_created.insert(row.id);
            } else {
                applied.reservations_updated.insert(row.id);
            }
        }
        Entity::Order => {
            let row: OrderRow = record(&change.row)?;
            if apply_order(conn, &row, &stamp).await? {
                applied.orders_created.insert(row.id);
            } else {
                applied.orders_updated.insert(row.id);
            }
        }
        Entity::OrderLine => {
            let row: LineRow = record(&change.row)?;
            apply_line(conn, &row, &stamp).await?;
            applied.orders_updated.insert(row.order_id);
        }
        Entity::OrderTransition => {
            let row: TransitionRow = record(&change.row)?;
            apply_transition(conn, &row, &stamp).await?;
            applied.orders_updated.insert(row.order_id);
        }
        Entity::Payment => {
            let row: Payment = record(&change.row)?;
            apply_payment(conn, &row, &stamp).await?;
            applied.orders_updated.insert(row.order_id);
        }
    }
    Ok(hlc)
}

// ---------------------------------------------------------------- settings (users: `staff_rows`)

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
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at, deleted_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
           deleted_at = excluded.deleted_at",
    )
    .bind(&change.entity_id)
    .bind(serde_json::to_string(value)?)
    .bind(&stamp.updated_at)
    .bind(&stamp.deleted_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- menu

/// A category as `store::menu::CategoryRecord` serialises it.
#[derive(Deserialize)]
struct CategoryRow {
    id: CategoryId,
    name: String,
    name_en: Option<String>,
    position: i64,
    active: bool,
    created_at: String,
}

async fn apply_category(
    conn: &mut SqliteConnection,
    row: &CategoryRow,
    stamp: &Stamp,
) -> Result<(), RowError> {
    sqlx::query(
        "INSERT INTO menu_categories (id, name, name_en, position, active, created_at, updated_at, deleted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
           position = excluded.position, active = excluded.active,
           updated_at = excluded.updated_at, deleted_at = excluded.deleted_at",
    )
    .bind(row.id.to_string())
    .bind(&row.name)
    .bind(&row.name_en)
    .bind(row.position)
    .bind(row.active)
    .bind(&row.created_at)
    .bind(&stamp.updated_at)
    .bind(&stamp.deleted_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A modifier group as `store::menu::ModifierGroupRecord` serialises it.
#[derive(Deserialize)]
struct GroupRow {
    id: ModifierGroupId,
    name: String,
    name_en: Option<String>,
    min_choices: u8,
    max_choices: u8,
    options: Vec<ModifierOption>,
    created_at: String,
}

async fn apply_group(
    conn: &mut SqliteConnection,
    row: &GroupRow,
    stamp: &Stamp,
) -> Result<(), RowError> {
    sqlx::query(
        "INSERT INTO menu_modifier_groups (id, name, name_en, min_choices, max_choices, options, created_at, updated_at, deleted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
           min_choices = excluded.min_choices, max_choices = excluded.max_choices,
           options = excluded.options, updated_at = excluded.updated_at, deleted_at = excluded.deleted_at",
    )
    .bind(row.id.to_string())
    .bind(&row.name)
    .bind(&row.name_en)
    .bind(i64::from(row.min_choices))
    .bind(i64::from(row.max_choices))
    .bind(serde_json::to_string(&row.options)?)
    .bind(&row.created_at)
    .bind(&stamp.updated_at)
    .bind(&stamp.deleted_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An item as `store::menu::ItemRecord` serialises it.
#[derive(Deserialize)]
struct ItemRow {
    id: ItemId,
    category_id: CategoryId,
    name: String,
    name_en: Option<String>,
    description: Option<String>,
    description_en: Option<String>,
    price: Clp,
    station: Station,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    allergens: Vec<String>,
    #[serde(default)]
    modifier_group_ids: Vec<ModifierGroupId>,
    available: bool,
    position: i64,
    created_at: String,
}

async fn apply_item(
    conn: &mut SqliteConnection,
    row: &ItemRow,
    stamp: &Stamp,
) -> Result<(), RowError> {
    sqlx::query(
        "INSERT INTO menu_items (id, category_id, name, name_en, description, description_en, price,
           station, tags, allergens, modifier_group_ids, available, position, created_at, updated_at, deleted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET category_id = excluded.category_id, name = excluded.name,
           name_en = excluded.name_en, description = excluded.description,
           description_en = excluded.description_en, price = excluded.price,
           station = excluded.station, tags = excluded.tags, allergens = excluded.allergens,
           modifier_group_ids = excluded.modifier_group_ids, available = excluded.available,
           position = excluded.position, updated_at = excluded.updated_at, deleted_at = excluded.deleted_at",
    )
    .bind(row.id.to_string())
    .bind(row.category_id.to_string())
    .bind(&row.name)
    .bind(&row.name_en)
    .bind(&row.description)
    .bind(&row.description_en)
    .bind(row.price.pesos())
    .bind(row.station.as_str())
    .bind(serde_json::to_string(&row.tags)?)
    .bind(serde_json::to_string(&row.allergens)?)
    .bind(serde_json::to_string(&row.modifier_group_ids)?)
    .bind(row.available)
    .bind(row.position)
    .bind(&row.created_at)
    .bind(&stamp.updated_at)
    .bind(&stamp.deleted_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- customers and tables

/// A customer as `store::customers::CustomerRecord` serialises it.
#[derive(Deserialize)]
struct CustomerRow {
    id: CustomerId,
    name: String,
    phone: Option<String>,
    email: Option<String>,
    rut: Option<Rut>,
    notes: Option<String>,
    #[serde(default)]
    marketing_consent: bool,
    created_at: String,
}

async fn apply_customer(
    conn: &mut SqliteConnection,
    row: &CustomerRow,
    stamp: &Stamp,
) -> Result<(), RowError> {
    sqlx::query(
        "INSERT INTO customers (id, name, phone, email, rut, notes, marketing_consent, created_at, updated_at, deleted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone,
           email = excluded.email, rut = excluded.rut, notes = excluded.notes,
           marketing_consent = excluded.marketing_consent, updated_at = excluded.updated_at,
           deleted_at = excluded.deleted_at",
    )
    .bind(row.id.to_string())
    .bind(&row.name)
    .bind(&row.phone)
    .bind(&row.email)
    .bind(row.rut.map(|r| r.to_string()))
    .bind(&row.notes)
    .bind(row.marketing_consent)
    .bind(&row.created_at)
    .bind(&stamp.updated_at)
    .bind(&stamp.deleted_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A dining table as `store::tables::TableRecord` serialises it.
#[derive(Deserialize)]
struct TableRow {
    id: TableId,
    name: String,
    seats: u8,
    area: Option<String>,
    position: i64,
    active: bool,
    created_at: String,
}

async fn apply_table(
    conn: &mut SqliteConnection,
    row: &TableRow,
    stamp: &Stamp,
) -> Result<(), RowError> {
    sqlx::query(
        "INSERT INTO dining_tables (id, name, seats, area, position, active, created_at, updated_at, deleted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, seats = excluded.seats,
           area = excluded.area, position = excluded.position, active = excluded.active,
           updated_at = excluded.updated_at, deleted_at = excluded.deleted_at",
    )
    .bind(row.id.to_string())
    .bind(&row.name)
    .bind(i64::from(row.seats))
    .bind(&row.area)
    .bind(row.position)
    .bind(row.active)
    .bind(&row.created_at)
    .bind(&stamp.updated_at)
    .bind(&stamp.deleted_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- reservations

/// A reservation as `store::reservations::ReservationRecord` serialises it.
#[derive(Deserialize)]
struct ReservationRow {
    id: ReservationId,
    customer_id: Option<CustomerId>,
    name: String,
    phone: Option<String>,
    party_size: u32,
    starts_at: Timestamp,
    ends_at: Timestamp,
    duration_minutes: u32,
    /// `None` for a booking made on the cloud that no restaurant has seated yet.
    table_id: Option<TableId>,
    status: ReservationStatus,
    channel: String,
    notes: Option<String>,
    cancel_reason: Option<String>,
    created_by: Option<UserId>,
    created_at: String,
}

/// Returns true when the reservation is new to this device.
async fn apply_reservation(
    conn: &mut SqliteConnection,
    row: &ReservationRow,
    stamp: &Stamp,
) -> Result<bool, RowError> {
    let Some(table_id) = row.table_id else {
        // Booked on the cloud and not decided yet: the restaurant decides it now. Without
        // a table and no longer waiting (declined), the counter has nothing to seat.
        if row.status == ReservationStatus::Booked && is_cloud_channel(&row.channel) {
            return Err(RowError::Undecided);
        }
        return Ok(false);
    };
    let existed: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM reservations WHERE id = ?)")
            .bind(row.id.to_string())
            .fetch_one(&mut *conn)
            .await?;
    // Instants go through `instant_text` like every stored instant: the overlap query
    // compares them as text.
    sqlx::query(
        "INSERT INTO reservations (id, customer_id, name, phone, party_size, starts_at, ends_at,
           duration_minutes, table_id, status, channel, notes, cancel_reason, created_by,
           created_at, updated_at, deleted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id,
           name = excluded.name, phone = excluded.phone, party_size = excluded.party_size,
           starts_at = excluded.starts_at, ends_at = excluded.ends_at,
           duration_minutes = excluded.duration_minutes, table_id = excluded.table_id,
           status = excluded.status, channel = excluded.channel, notes = excluded.notes,
           cancel_reason = excluded.cancel_reason, created_by = excluded.created_by,
           updated_at = excluded.updated_at, deleted_at = excluded.deleted_at",
    )
    .bind(row.id.to_string())
    .bind(row.customer_id.map(|id| id.to_string()))
    .bind(&row.name)
    .bind(&row.phone)
    .bind(i64::from(row.party_size))
    .bind(instant_text(row.starts_at))
    .bind(instant_text(row.ends_at))
    .bind(i64::from(row.duration_minutes))
    .bind(table_id.to_string())
    .bind(row.status.as_str())
    .bind(&row.channel)
    .bind(&row.notes)
    .bind(&row.cancel_reason)
    .bind(row.created_by.map(|id| id.to_string()))
    .bind(&row.created_at)
    .bind(&stamp.updated_at)
    .bind(&stamp.deleted_at)
    .execute(&mut *conn)
    .await?;
    Ok(!existed)
}

// ---------------------------------------------------------------- orders

/// An order header as `store::orders::OrderRow` serialises it. A row born elsewhere (a
/// widget order made in the cloud) may lack the local daily number: it gets one here.
#[derive(Deserialize)]
struct OrderRow {
    id: OrderId,
    number: Option<i64>,
    business_date: Option<String>,
    local_hour: Option<i64>,
    channel: Channel,
    created_by: Option<UserId>,
    created_at: String,
    status: OrderStatus,
    customer_id: Option<CustomerId>,
    table_id: Option<TableId>,
    note: Option<String>,
    subtotal: Clp,
    #[serde(default)]
    discount: Clp,
    total: Clp,
    net: Clp,
    tax: Clp,
    tax_rate_bp: u32,
    #[serde(default)]
    tip: Clp,
    amount_due: Clp,
    cancel_reason: Option<String>,
    #[serde(default)]
    cancel_request: Option<CancelRequest>,
}

/// Returns true when the order is new to this device.
async fn apply_order(
    conn: &mut SqliteConnection,
    row: &OrderRow,
    stamp: &Stamp,
) -> Result<bool, RowError> {
    let id = row.id.to_string();
    let cancel_request = row
        .cancel_request
        .as_ref()
        .map(serde_json::to_string)
        .transpose()?;
    let existed: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM orders WHERE id = ?)")
        .bind(&id)
        .fetch_one(&mut *conn)
        .await?;
    if existed {
        // The daily number, day and hour stay as this device first had them: staff may
        // have called the order by that number already.
        sqlx::query(
            "UPDATE orders SET channel = ?, status = ?, customer_id = ?, table_id = ?, note = ?,
               subtotal = ?, discount = ?, total = ?, net = ?, tax = ?, tax_rate_bp = ?, tip = ?,
               amount_due = ?, cancel_reason = ?, cancel_request = ?, created_by = ?, updated_at = ?,
               deleted_at = ?
             WHERE id = ?",
        )
        .bind(row.channel.as_str())
        .bind(row.status.as_str())
        .bind(row.customer_id.map(|c| c.to_string()))
        .bind(row.table_id.map(|t| t.to_string()))
        .bind(&row.note)
        .bind(row.subtotal.0)
        .bind(row.discount.0)
        .bind(row.total.0)
        .bind(row.net.0)
        .bind(row.tax.0)
        .bind(i64::from(row.tax_rate_bp))
        .bind(row.tip.0)
        .bind(row.amount_due.0)
        .bind(&row.cancel_reason)
        .bind(cancel_request.as_deref())
        .bind(row.created_by.map(|u| u.to_string()))
        .bind(&stamp.updated_at)
        .bind(&stamp.deleted_at)
        .bind(&id)
        .execute(&mut *conn)
        .await?;
        return Ok(false);
    }
    let (derived_date, derived_hour) = local_day(conn, &row.created_at).await?;
    let business_date = row.business_date.clone().unwrap_or(derived_date);
    let local_hour = row.local_hour.unwrap_or(derived_hour);
    // Two counters offline on the same day both hand out #12; the second to arrive here
    // takes the next free number of the day, so the daily number stays unique locally.
    let number = match row.number {
        Some(n) if !number_taken(conn, &business_date, n).await? => n,
        _ => crate::store::orders::reserve_numbers(conn, &business_date, 1).await?,
    };
    sqlx::query(
        "INSERT INTO orders (id, number, business_date, local_hour, channel, status, customer_id, table_id, note,
            subtotal, discount, total, net, tax, tax_rate_bp, tip, amount_due, cancel_reason, cancel_request,
            created_by, created_at, updated_at, deleted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(number)
    .bind(&business_date)
    .bind(local_hour)
    .bind(row.channel.as_str())
    .bind(row.status.as_str())
    .bind(row.customer_id.map(|c| c.to_string()))
    .bind(row.table_id.map(|t| t.to_string()))
    .bind(&row.note)
    .bind(row.subtotal.0)
    .bind(row.discount.0)
    .bind(row.total.0)
    .bind(row.net.0)
    .bind(row.tax.0)
    .bind(i64::from(row.tax_rate_bp))
    .bind(row.tip.0)
    .bind(row.amount_due.0)
    .bind(&row.cancel_reason)
    .bind(cancel_request.as_deref())
    .bind(row.created_by.map(|u| u.to_string()))
    .bind(&row.created_at)
    .bind(&stamp.updated_at)
    .bind(&stamp.deleted_at)
    .execute(&mut *conn)
    .await?;
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

/// An order line as `store::orders::LineRow` serialises it.
#[derive(Deserialize)]
struct LineRow {
    line: OrderLine,
    order_id: OrderId,
    position: i64,
    created_by: Option<UserId>,
    voided_at: Option<String>,
    voided_by: Option<UserId>,
    created_at: String,
}

async fn apply_line(
    conn: &mut SqliteConnection,
    row: &LineRow,
    stamp: &Stamp,
) -> Result<(), RowError> {
    let line = &row.line;
    sqlx::query(
        "INSERT INTO order_lines (id, order_id, position, item_id, name, quantity, unit_price, line_total, modifiers,
            note, station, voided_at, void_reason, voided_by, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET position = excluded.position, item_id = excluded.item_id,
            name = excluded.name, quantity = excluded.quantity, unit_price = excluded.unit_price,
            line_total = excluded.line_total, modifiers = excluded.modifiers, note = excluded.note,
            station = excluded.station, voided_at = excluded.voided_at,
            void_reason = excluded.void_reason, voided_by = excluded.voided_by,
            updated_at = excluded.updated_at",
    )
    .bind(line.id.to_string())
    .bind(row.order_id.to_string())
    .bind(row.position)
    .bind(line.item_id.to_string())
    .bind(&line.name)
    .bind(i64::from(line.quantity))
    .bind(line.unit_price.0)
    .bind(line.line_total.0)
    .bind(serde_json::to_string(&line.modifiers)?)
    .bind(&line.note)
    .bind(line.station.as_str())
    .bind(&row.voided_at)
    .bind(&line.void_reason)
    .bind(row.voided_by.map(|u| u.to_string()))
    .bind(row.created_by.map(|u| u.to_string()))
    .bind(&row.created_at)
    .bind(&stamp.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A status change as `store::orders::TransitionRow` serialises it.
#[derive(Deserialize)]
struct TransitionRow {
    id: uuid::Uuid,
    order_id: OrderId,
    transition: Transition,
}

async fn apply_transition(
    conn: &mut SqliteConnection,
    row: &TransitionRow,
    stamp: &Stamp,
) -> Result<(), RowError> {
    let t = &row.transition;
    // Append-only: a transition, once recorded, is a fact.
    sqlx::query(
        "INSERT INTO order_transitions (id, order_id, from_status, to_status, reason, by_user, at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(row.id.to_string())
    .bind(row.order_id.to_string())
    .bind(t.from.map(|s| s.as_str()))
    .bind(t.to.as_str())
    .bind(&t.reason)
    .bind(t.by_user.map(|u| u.to_string()))
    .bind(&t.at)
    .bind(&stamp.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn apply_payment(
    conn: &mut SqliteConnection,
    payment: &Payment,
    stamp: &Stamp,
) -> Result<(), RowError> {
    // Append-only ledger, like transitions.
    sqlx::query(
        "INSERT INTO payments (id, order_id, method, amount, tip, received, change, refund_of, reference, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(payment.id.to_string())
    .bind(payment.order_id.to_string())
    .bind(payment.method.as_str())
    .bind(payment.amount.0)
    .bind(payment.tip.0)
    .bind(payment.received.map(|c| c.0))
    .bind(payment.change.map(|c| c.0))
    .bind(payment.refund_of.map(|p| p.to_string()))
    .bind(&payment.reference)
    .bind(payment.created_by.map(|u| u.to_string()))
    .bind(&payment.created_at)
    .bind(&stamp.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Each entity, written here by the store as a local change, read from the outbox as
    //! the push sends it, merged as the cloud merges it, applied into a fresh database
    //! and read back: it must come back equal.
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::store::orders::{self, NewOrderRows, OrderState};
    use crate::store::{Db, menu, outbox, settings, users};
    use dysa_domain::ids::{ModifierOptionId, OrderLineId, PaymentId};
    use dysa_domain::payment::PaymentMethod;
    use dysa_domain::rbac::Role;
    use dysa_domain::sync::{Mutation, Op, StoredRow, merge};
    use serde_json::json;
    use std::collections::BTreeMap;

    struct Pair {
        _dir: tempfile::TempDir,
        /// Where the changes are made.
        a: Db,
        /// A fresh appliance that only ever receives them from the "cloud".
        b: Db,
    }

    async fn pair() -> Pair {
        let dir = tempfile::tempdir().unwrap();
        let a = Db::open(&dir.path().join("a.db")).await.unwrap();
        let b = Db::open(&dir.path().join("b.db")).await.unwrap();
        Pair { _dir: dir, a, b }
    }

    /// A's outbox as the cloud would hold it after the pushes: merged rows with versions.
    async fn cloud_rows(db: &Db) -> Vec<ChangeRecord> {
        let rows = outbox::pending(&db.read, 100_000).await.unwrap();
        let mut stored: BTreeMap<(String, String), (StoredRow, i64, Entity)> = BTreeMap::new();
        for (n, row) in rows.into_iter().enumerate() {
            let entity: Entity = row.entity.parse().unwrap();
            let mutation = Mutation {
                mutation_id: row.mutation_id,
                entity,
                entity_id: row.entity_id.clone(),
                op: row.op.parse::<Op>().unwrap(),
                payload: serde_json::from_str(&row.payload).unwrap(),
                hlc: row.hlc,
            };
            let key = (row.entity, row.entity_id);
            let current = stored.get(&key).map(|(s, _, _)| s);
            let merged = merge(current, &mutation).unwrap().stored;
            stored.insert(key, (merged, n as i64 + 1, entity));
        }
        stored
            .into_iter()
            .map(|((_, id), (row, version, entity))| ChangeRecord {
                version,
                entity,
                entity_id: id,
                location_id: None,
                deleted: row.is_deleted(),
                hlc: row.newest_hlc(),
                row: row.row,
            })
            .collect()
    }

    /// Sends everything A wrote to B, as pulled pages do.
    async fn sync(pair: &Pair) -> Applied {
        let changes = cloud_rows(&pair.a).await;
        let mut tx = pair.b.begin().await.unwrap();
        let mut applied = Applied::for_location(pair.b.location_key.current());
        apply_page(&mut tx, &changes, &mut applied).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(applied.parked, 0, "nothing may stay parked");
        assert_eq!(applied.rows, changes.len());
        let outbox_rows: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
            .fetch_one(&pair.b.read)
            .await
            .unwrap();
        assert_eq!(outbox_rows, 0, "applying never writes the outbox");
        applied
    }

    fn category(db: &Db, name: &str) -> menu::CategoryRecord {
        menu::CategoryRecord {
            id: CategoryId::new(),
            name: name.into(),
            name_en: Some("Mains".into()),
            position: 3,
            active: true,
            created_at: crate::store::now_text(),
            updated_at: db.tick(),
            deleted_at: None,
        }
    }

    fn item(db: &Db, category: CategoryId, groups: Vec<ModifierGroupId>) -> menu::ItemRecord {
        menu::ItemRecord {
            id: ItemId::new(),
            category_id: category,
            name: "Pastel de choclo".into(),
            name_en: Some("Corn pie".into()),
            description: Some("Con pino".into()),
            description_en: None,
            price: Clp(10_990),
            station: Station::Kitchen,
            tags: vec!["tradicional".into()],
            allergens: vec!["milk".into()],
            modifier_group_ids: groups,
            available: false,
            position: 1,
            created_at: crate::store::now_text(),
            updated_at: db.tick(),
            deleted_at: None,
        }
    }

    /// A category and an item in A, for rows that refer to an item.
    async fn seed_item(db: &Db) -> menu::ItemRecord {
        let mut tx = db.begin().await.unwrap();
        let c = category(db, "Platos");
        menu::save_category(&mut tx, &c).await.unwrap();
        let i = item(db, c.id, vec![]);
        menu::save_item(&mut tx, &i).await.unwrap();
        tx.commit().await.unwrap();
        i
    }

    #[tokio::test]
    async fn categories_round_trip() {
        let p = pair().await;
        let mut tx = p.a.begin().await.unwrap();
        menu::save_category(&mut tx, &category(&p.a, "Platos"))
            .await
            .unwrap();
        let mut gone = category(&p.a, "Antiguos");
        menu::save_category(&mut tx, &gone).await.unwrap();
        gone.deleted_at = Some(p.a.tick());
        gone.updated_at = gone.deleted_at.unwrap();
        menu::save_category(&mut tx, &gone).await.unwrap();
        tx.commit().await.unwrap();
        assert!(sync(&p).await.menu);
        let (a, b) = (
            menu::snapshot(&p.a.read).await.unwrap(),
            menu::snapshot(&p.b.read).await.unwrap(),
        );
        assert_eq!(a.categories.len(), 2);
        assert_eq!(a.categories, b.categories, "tombstones included");
    }

    #[tokio::test]
    async fn modifier_groups_round_trip() {
        let p = pair().await;
        let group = menu::ModifierGroupRecord {
            id: ModifierGroupId::new(),
            name: "Tamaño".into(),
            name_en: Some("Size".into()),
            min_choices: 1,
            max_choices: 1,
            options: vec![
                menu::ModifierOption {
                    id: ModifierOptionId::new(),
                    name: "Grande".into(),
                    name_en: None,
                    price_delta: Clp(1_500),
                    available: true,
                },
                menu::ModifierOption {
                    id: ModifierOptionId::new(),
                    name: "Sin palta".into(),
                    name_en: Some("No avocado".into()),
                    price_delta: Clp(-500),
                    available: false,
                },
            ],
            created_at: crate::store::now_text(),
            updated_at: p.a.tick(),
            deleted_at: None,
        };
        let mut tx = p.a.begin().await.unwrap();
        menu::save_group(&mut tx, &group).await.unwrap();
        tx.commit().await.unwrap();
        sync(&p).await;
        let back = menu::find_group(&p.b.read, group.id).await.unwrap();
        assert_eq!(back, Some(group));
    }

    #[tokio::test]
    async fn items_round_trip() {
        let p = pair().await;
        let mut tx = p.a.begin().await.unwrap();
        let c = category(&p.a, "Platos");
        menu::save_category(&mut tx, &c).await.unwrap();
        let group = menu::ModifierGroupRecord {
            id: ModifierGroupId::new(),
            name: "Extra".into(),
            name_en: None,
            min_choices: 0,
            max_choices: 2,
            options: vec![],
            created_at: crate::store::now_text(),
            updated_at: p.a.tick(),
            deleted_at: None,
        };
        menu::save_group(&mut tx, &group).await.unwrap();
        let i = item(&p.a, c.id, vec![group.id]);
        menu::save_item(&mut tx, &i).await.unwrap();
        let mut priced = i.clone();
        priced.price = Clp(12_490);
        priced.updated_at = p.a.tick();
        menu::save_item(&mut tx, &priced).await.unwrap();
        tx.commit().await.unwrap();
        sync(&p).await;
        assert_eq!(
            menu::find_item(&p.b.read, i.id).await.unwrap(),
            Some(priced)
        );
        let (a, b) = (
            menu::snapshot(&p.a.read).await.unwrap(),
            menu::snapshot(&p.b.read).await.unwrap(),
        );
        assert_eq!(a.items, b.items);
        assert_eq!(a.updated_at(), b.updated_at(), "the menu's ETag agrees");
    }

    #[tokio::test]
    async fn customers_round_trip() {
        let p = pair().await;
        let record = crate::store::customers::CustomerRecord {
            id: CustomerId::new(),
            name: "José Peña".into(),
            phone: Some("+56987654321".into()),
            email: Some("jose@example.cl".into()),
            rut: Some("12.345.678-5".parse().unwrap()),
            notes: Some("Alérgico al maní".into()),
            marketing_consent: true,
            created_at: crate::store::now_text(),
            updated_at: p.a.tick(),
            deleted_at: None,
        };
        let mut tx = p.a.begin().await.unwrap();
        crate::store::customers::save(&mut tx, &record)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(sync(&p).await.customers.len(), 1);
        let back = crate::store::customers::find(&p.b.read, record.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            serde_json::to_value(back).unwrap(),
            serde_json::to_value(record).unwrap()
        );
    }

    #[tokio::test]
    async fn tables_round_trip() {
        let p = pair().await;
        let record = crate::store::tables::TableRecord {
            id: TableId::new(),
            name: "Mesa 4".into(),
            seats: 6,
            area: Some("Terraza".into()),
            position: 4,
            active: true,
            created_at: crate::store::now_text(),
            updated_at: p.a.tick(),
            deleted_at: None,
        };
        let mut tx = p.a.begin().await.unwrap();
        crate::store::tables::save(&mut tx, &record).await.unwrap();
        tx.commit().await.unwrap();
        sync(&p).await;
        let back = crate::store::tables::find(&p.b.read, record.id)
            .await
            .unwrap();
        assert_eq!(back, Some(record));
    }

    #[tokio::test]
    async fn users_round_trip() {
        let p = pair().await;
        // Both counters of the location hold its key (the join flow brings it).
        let key = crate::sync::location_key::LocationKey::from_bytes([9; 32]);
        p.a.location_key.save(key.clone()).unwrap();
        p.b.location_key.save(key.clone()).unwrap();
        let record = users::new_record(
            "Ana Admin",
            "ana@donde-pepe.cl",
            Role::Manager,
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            Some("$argon2id$pin".into()),
            p.a.tick(),
        );
        let mut tx = p.a.begin().await.unwrap();
        users::save(&mut tx, &record, &key).await.unwrap();
        tx.commit().await.unwrap();
        assert!(sync(&p).await.users);
        let back = users::find(&p.b.read, record.id).await.unwrap().unwrap();
        assert_eq!(back, record);
    }

    #[tokio::test]
    async fn settings_round_trip() {
        let p = pair().await;
        let mut tx = p.a.begin().await.unwrap();
        let hours = json!({"monday": [{"open": "12:00", "close": "16:00"}]});
        settings::put(&mut tx, "restaurant.name", &json!("Donde Pepe"), p.a.tick())
            .await
            .unwrap();
        settings::put(&mut tx, "restaurant.opening_hours", &hours, p.a.tick())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(sync(&p).await.settings);
        for key in ["restaurant.name", "restaurant.opening_hours"] {
            assert_eq!(
                settings::get(&p.b.read, key).await.unwrap(),
                settings::get(&p.a.read, key).await.unwrap()
            );
        }
    }

    #[tokio::test]
    async fn reservations_round_trip() {
        let p = pair().await;
        let table = crate::store::tables::TableRecord {
            id: TableId::new(),
            name: "Mesa 1".into(),
            seats: 4,
            area: None,
            position: 0,
            active: true,
            created_at: crate::store::now_text(),
            updated_at: p.a.tick(),
            deleted_at: None,
        };
        let starts_at: Timestamp = "2026-11-27T23:00:00Z".parse().unwrap();
        let record = crate::store::reservations::ReservationRecord {
            id: ReservationId::new(),
            customer_id: None,
            name: "Familia Soto".into(),
            phone: Some("+56911112222".into()),
            party_size: 4,
            starts_at,
            ends_at: starts_at + jiff::SignedDuration::from_mins(90),
            duration_minutes: 90,
            table_id: table.id,
            status: ReservationStatus::Confirmed,
            channel: "widget".into(),
            notes: Some("Cumpleaños".into()),
            cancel_reason: None,
            created_by: None,
            created_at: crate::store::now_text(),
            updated_at: p.a.tick(),
        };
        let mut tx = p.a.begin().await.unwrap();
        crate::store::tables::save(&mut tx, &table).await.unwrap();
        crate::store::reservations::save(&mut tx, &record)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let applied = sync(&p).await;
        assert!(applied.reservations_created.contains(&record.id));
        let back = crate::store::reservations::find(&p.b.read, record.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            serde_json::to_value(back).unwrap(),
            serde_json::to_value(record).unwrap()
        );
        let stored: String = sqlx::query_scalar("SELECT starts_at FROM reservations")
            .fetch_one(&p.b.read)
            .await
            .unwrap();
        assert_eq!(
            stored,
            instant_text(starts_at),
            "instants stored as the overlap query needs"
        );
    }

    /// A whole order in A: header, a line, its first transition.
    async fn seed_order(db: &Db, item: &menu::ItemRecord) -> NewOrderRows {
        let id = OrderId::new();
        let now = crate::store::now_text();
        let rows = NewOrderRows {
            row: orders::OrderRow {
                id,
                number: 7,
                business_date: "2026-11-27".into(),
                local_hour: 13,
                channel: Channel::Counter,
                created_by: None,
                created_at: now.clone(),
                state: OrderState {
                    status: OrderStatus::Pending,
                    customer_id: None,
                    table_id: None,
                    note: Some("Para llevar".into()),
                    subtotal: Clp(21_980),
                    discount: Clp(0),
                    total: Clp(21_980),
                    net: Clp(18_471),
                    tax: Clp(3_509),
                    tax_rate_bp: 1900,
                    tip: Clp(2_000),
                    amount_due: Clp(23_980),
                    cancel_reason: None,
                },
                updated_at: db.tick(),
            },
            lines: vec![orders::LineRow {
                line: OrderLine {
                    id: OrderLineId::new(),
                    item_id: item.id,
                    name: item.name.clone(),
                    quantity: 2,
                    unit_price: Clp(10_990),
                    line_total: Clp(21_980),
                    modifiers: vec![],
                    note: Some("Sin aceitunas".into()),
                    station: Station::Kitchen,
                    voided: false,
                    void_reason: None,
                },
                order_id: id,
                position: 0,
                created_by: None,
                voided_at: None,
                voided_by: None,
                created_at: now.clone(),
                updated_at: db.tick(),
            }],
            transition: orders::TransitionRow {
                id: uuid::Uuid::now_v7(),
                order_id: id,
                transition: Transition {
                    from: None,
                    to: OrderStatus::Pending,
                    reason: None,
                    by_user: None,
                    at: now,
                },
                updated_at: db.tick(),
            },
            idempotency: None,
        };
        let mut tx = db.begin().await.unwrap();
        orders::insert_new_orders(&mut tx, std::slice::from_ref(&rows))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        rows
    }

    async fn same_order(p: &Pair, id: OrderId) -> orders::Order {
        let mut a = p.a.read.acquire().await.unwrap();
        let mut b = p.b.read.acquire().await.unwrap();
        let left = orders::load(&mut a, id).await.unwrap().unwrap();
        let right = orders::load(&mut b, id).await.unwrap().unwrap();
        assert_eq!(
            serde_json::to_value(&left).unwrap(),
            serde_json::to_value(&right).unwrap()
        );
        right
    }

    #[tokio::test]
    async fn orders_round_trip() {
        let p = pair().await;
        let item = seed_item(&p.a).await;
        let rows = seed_order(&p.a, &item).await;
        // A later partial change (the status and money columns), as updates sync.
        let mut state = rows.row.state.clone();
        state.status = OrderStatus::Confirmed;
        state.discount = Clp(980);
        let mut tx = p.a.begin().await.unwrap();
        orders::update_state(&mut tx, rows.row.id, &state, p.a.tick())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let applied = sync(&p).await;
        assert!(applied.orders_created.contains(&rows.row.id));
        let order = same_order(&p, rows.row.id).await;
        assert_eq!(order.number, 7);
        assert_eq!(order.status, OrderStatus::Confirmed);
    }

    #[tokio::test]
    async fn order_lines_round_trip() {
        let p = pair().await;
        let item = seed_item(&p.a).await;
        let rows = seed_order(&p.a, &item).await;
        let mut void = rows.lines[0].clone();
        void.line.voided = true;
        void.line.void_reason = Some("Se equivocó de plato".into());
        void.voided_at = Some(crate::store::now_text());
        void.updated_at = p.a.tick();
        let mut tx = p.a.begin().await.unwrap();
        orders::save_line(&mut tx, &void).await.unwrap();
        tx.commit().await.unwrap();
        sync(&p).await;
        let order = same_order(&p, rows.row.id).await;
        assert!(order.lines[0].voided);
        let raw: (i64, Option<String>) =
            sqlx::query_as("SELECT position, voided_at FROM order_lines WHERE id = ?")
                .bind(void.line.id.to_string())
                .fetch_one(&p.b.read)
                .await
                .unwrap();
        assert_eq!(raw, (void.position, void.voided_at));
    }

    #[tokio::test]
    async fn order_transitions_round_trip() {
        let p = pair().await;
        let item = seed_item(&p.a).await;
        let rows = seed_order(&p.a, &item).await;
        let cancel = orders::TransitionRow {
            id: uuid::Uuid::now_v7(),
            order_id: rows.row.id,
            transition: Transition {
                from: Some(OrderStatus::Pending),
                to: OrderStatus::Cancelled,
                reason: Some("Sin stock".into()),
                by_user: None,
                at: crate::store::now_text(),
            },
            updated_at: p.a.tick(),
        };
        let mut tx = p.a.begin().await.unwrap();
        orders::insert_transition(&mut tx, &cancel).await.unwrap();
        tx.commit().await.unwrap();
        sync(&p).await;
        let order = same_order(&p, rows.row.id).await;
        assert_eq!(order.transitions.len(), 2);
        assert_eq!(order.transitions[1].reason.as_deref(), Some("Sin stock"));
    }

    #[tokio::test]
    async fn payments_round_trip() {
        let p = pair().await;
        let item = seed_item(&p.a).await;
        let rows = seed_order(&p.a, &item).await;
        let payment = Payment {
            id: PaymentId::new(),
            order_id: rows.row.id,
            method: PaymentMethod::Cash,
            amount: Clp(21_980),
            tip: Clp(2_000),
            received: Some(Clp(25_000)),
            change: Some(Clp(1_020)),
            refund_of: None,
            reference: None,
            created_by: None,
            created_at: crate::store::now_text(),
        };
        let mut tx = p.a.begin().await.unwrap();
        orders::insert_payment(&mut tx, &payment, p.a.tick())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        sync(&p).await;
        same_order(&p, rows.row.id).await;
        let back = orders::payments_of(&p.b.read, rows.row.id).await.unwrap();
        assert_eq!(
            serde_json::to_value(back).unwrap(),
            json!([serde_json::to_value(&payment).unwrap()])
        );
    }

    // ------------------------------------------------------------ the rules of applying

    async fn apply(db: &Db, changes: &[ChangeRecord]) -> Applied {
        let mut tx = db.begin().await.unwrap();
        let mut applied = Applied::default();
        apply_page(&mut tx, changes, &mut applied).await.unwrap();
        tx.commit().await.unwrap();
        applied
    }

    #[tokio::test]
    async fn a_pending_local_change_or_a_held_version_wins_over_the_cloud_row() {
        let p = pair().await;
        let item = seed_item(&p.a).await;
        let original = cloud_rows(&p.a).await;
        apply(&p.b, &original).await;
        // B edits the item locally: the change waits in B's outbox.
        let mut local = item.clone();
        local.name = "Pastel de choclo XL".into();
        local.updated_at = p.b.tick();
        let mut tx = p.b.begin().await.unwrap();
        menu::save_item(&mut tx, &local).await.unwrap();
        tx.commit().await.unwrap();
        let mut newer = original.clone();
        for change in &mut newer {
            change.version += 10;
            change.row.insert("position".into(), json!(9));
        }
        let applied = apply(&p.b, &newer).await;
        assert_eq!(applied.rows, 1, "only the category, which B did not touch");
        let kept = menu::find_item(&p.b.read, item.id).await.unwrap().unwrap();
        assert_eq!(kept, local, "the pending local edit is not overwritten");
        // Once pushed, a version the device already holds is not applied again.
        sqlx::query("UPDATE outbox SET pushed_at = 'now'")
            .execute(&p.b.write)
            .await
            .unwrap();
        let applied = apply(&p.b, &original).await;
        assert_eq!(applied.rows, 0, "versions already held are skipped");
        let kept = menu::find_item(&p.b.read, item.id).await.unwrap().unwrap();
        assert_eq!(kept, local);
    }

    #[tokio::test]
    async fn a_line_arriving_before_its_order_waits_parked() {
        let p = pair().await;
        let item = seed_item(&p.a).await;
        let rows = seed_order(&p.a, &item).await;
        let changes = cloud_rows(&p.a).await;
        let (orders_only, rest): (Vec<_>, Vec<_>) =
            changes.into_iter().partition(|c| c.entity == Entity::Order);
        let first = apply(&p.b, &rest).await;
        assert!(
            first.parked >= 2,
            "the line and the transition wait for their order"
        );
        let second = apply(&p.b, &orders_only).await;
        assert_eq!(second.parked, 0);
        assert_eq!(second.rows, 1 + first.parked as usize);
        same_order(&p, rows.row.id).await;
    }

    #[tokio::test]
    async fn an_order_whose_daily_number_is_taken_gets_the_next_one() {
        let p = pair().await;
        let item = seed_item(&p.a).await;
        apply(&p.b, &cloud_rows(&p.a).await).await;
        // B took its own #7 the same day while apart.
        let mine = seed_order(&p.b, &item).await;
        let mut tx = p.b.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO order_counters (business_date, last_number) VALUES ('2026-11-27', 7)",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query("UPDATE outbox SET pushed_at = 'now'")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let theirs = seed_order(&p.a, &item).await;
        let mut changes = cloud_rows(&p.a).await;
        // A widget order from the cloud carries no daily number at all.
        let mut widget = changes
            .iter()
            .find(|c| c.entity == Entity::Order)
            .unwrap()
            .clone();
        widget.entity_id = OrderId::new().to_string();
        widget.row.insert("id".into(), json!(widget.entity_id));
        for field in ["number", "business_date", "local_hour"] {
            widget.row.remove(field);
        }
        // 13:00 in Santiago (summer time): the same business day.
        widget
            .row
            .insert("created_at".into(), json!("2026-11-27T16:00:00.000Z"));
        widget.version = 99;
        changes.push(widget.clone());
        apply(&p.b, &changes).await;
        let numbers: Vec<(String, i64)> =
            sqlx::query_as("SELECT id, number FROM orders ORDER BY number")
                .fetch_all(&p.b.read)
                .await
                .unwrap();
        assert_eq!(numbers.len(), 3);
        let number_of = |id: String| numbers.iter().find(|(i, _)| *i == id).unwrap().1;
        assert_eq!(
            number_of(mine.row.id.to_string()),
            7,
            "the local number stays"
        );
        assert_eq!(number_of(theirs.row.id.to_string()), 8);
        assert_eq!(number_of(widget.entity_id.clone()), 9);
    }
}
