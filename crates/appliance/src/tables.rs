//! Dining-room table operations: create, change and remove tables, on top of
//! `store::tables` (which also computes each table's live status).

use crate::menu::nullable;
use crate::store::tables::{self as store, TableRecord, TableUse, TableWithStatus};
use crate::store::{Db, StoreError, WriteTx, now_text};
use dysa_domain::floor::GridCell;
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::TableId;
use dysa_domain::validate::FieldErrors;
use dysa_domain::validate::FieldIssue;
use serde::Deserialize;

/// Longest table name.
pub const NAME_MAX: usize = 40;
/// Longest area name.
pub const AREA_MAX: usize = 60;
/// Most seats at one table (the schema's limit).
pub const SEATS_MAX: u8 = 100;

/// Why a table operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The input is invalid, field by field.
    #[error("invalid table input")]
    Invalid(FieldErrors),
    /// No such live table.
    #[error("table not found")]
    NotFound,
    /// Another live table has that name.
    #[error("table name in use")]
    NameTaken {
        /// The existing table.
        existing: TableId,
    },
    /// An open order or a pending reservation holds the table.
    #[error("table in use")]
    InUse(TableUse),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for TableError {
    fn from(error: sqlx::Error) -> Self {
        TableError::Store(StoreError::Sqlx(error))
    }
}

/// A new table.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTable {
    /// Its name (1–40 characters, unique among tables).
    pub name: String,
    /// Seats (1–100).
    pub seats: i64,
    /// Area ("Terraza").
    #[serde(default)]
    pub area: Option<String>,
    /// Sort order; after the last table when absent.
    #[serde(default)]
    pub position: Option<i64>,
    /// Offered for seating and booking (default true).
    #[serde(default)]
    pub active: Option<bool>,
    /// Column on the area's floor plan (0–49); not placed when absent.
    #[serde(default)]
    pub grid_x: Option<GridCell>,
    /// Row on the area's floor plan (0–49); not placed when absent.
    #[serde(default)]
    pub grid_y: Option<GridCell>,
}

/// Changes to a table; absent fields stay, `null` clears the area.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TableChanges {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New number of seats.
    #[serde(default)]
    pub seats: Option<i64>,
    /// New area, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub area: Option<Option<String>>,
    /// New sort order.
    #[serde(default)]
    pub position: Option<i64>,
    /// Active or not.
    #[serde(default)]
    pub active: Option<bool>,
    /// New column on the floor plan (0–49), or null to take it off the plan.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<u16>)]
    pub grid_x: Option<Option<GridCell>>,
    /// New row on the floor plan (0–49), or null to take it off the plan.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<u16>)]
    pub grid_y: Option<Option<GridCell>>,
}

fn seats(errors: &mut FieldErrors, value: i64) -> u8 {
    match u8::try_from(value) {
        Ok(seats) if (1..=SEATS_MAX).contains(&seats) => seats,
        _ => {
            errors.add(
                "seats",
                FieldIssue::OutOfRange {
                    min: 1,
                    max: i64::from(SEATS_MAX),
                },
            );
            1
        }
    }
}

fn validate(errors: &mut FieldErrors, record: &TableRecord) {
    errors.text("name", &record.name, NAME_MAX);
    errors.optional_text("area", record.area.as_deref(), AREA_MAX);
}

fn clean_optional(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

async fn check_name(tx: &mut WriteTx, record: &TableRecord) -> Result<(), TableError> {
    match store::find_by_name(&mut **tx, &record.name, Some(record.id)).await? {
        Some(existing) => Err(TableError::NameTaken { existing }),
        None => Ok(()),
    }
}

/// The table with its status now.
pub async fn with_status(
    pool: &sqlx::SqlitePool,
    id: TableId,
) -> Result<TableWithStatus, TableError> {
    store::with_status(pool, jiff::Timestamp::now(), Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or(TableError::NotFound)
}

/// Every live table with its status now, in floor order.
pub async fn list(pool: &sqlx::SqlitePool) -> Result<Vec<TableWithStatus>, TableError> {
    Ok(store::with_status(pool, jiff::Timestamp::now(), None).await?)
}

/// Creates a table.
pub async fn create(db: &Db, input: NewTable) -> Result<TableRecord, TableError> {
    let mut errors = FieldErrors::new();
    let mut record = TableRecord {
        id: TableId::new(),
        name: input.name.trim().to_owned(),
        seats: seats(&mut errors, input.seats),
        area: clean_optional(input.area),
        position: input.position.unwrap_or(0),
        active: input.active.unwrap_or(true),
        grid_x: input.grid_x,
        grid_y: input.grid_y,
        needs_cleaning: false,
        created_at: now_text(),
        updated_at: Hlc::ZERO,
        deleted_at: None,
    };
    validate(&mut errors, &record);
    errors.into_result().map_err(TableError::Invalid)?;
    let mut tx = db.begin().await?;
    check_name(&mut tx, &record).await?;
    if input.position.is_none() {
        record.position = store::next_position(&mut tx).await?;
    }
    record.updated_at = db.tick();
    store::save(&mut tx, &record).await?;
    tx.commit().await?;
    Ok(record)
}

/// Changes a table (an unchanged request writes nothing).
pub async fn update(
    db: &Db,
    id: TableId,
    changes: TableChanges,
) -> Result<TableRecord, TableError> {
    let mut tx = db.begin().await?;
    let before = store::find(&mut *tx, id)
        .await?
        .ok_or(TableError::NotFound)?;
    let mut record = before.clone();
    let mut errors = FieldErrors::new();
    if let Some(name) = changes.name {
        record.name = name.trim().to_owned();
    }
    if let Some(value) = changes.seats {
        record.seats = seats(&mut errors, value);
    }
    if let Some(area) = changes.area {
        record.area = clean_optional(area);
    }
    if let Some(position) = changes.position {
        record.position = position;
    }
    if let Some(active) = changes.active {
        record.active = active;
    }
    if let Some(x) = changes.grid_x {
        record.grid_x = x;
    }
    if let Some(y) = changes.grid_y {
        record.grid_y = y;
    }
    validate(&mut errors, &record);
    errors.into_result().map_err(TableError::Invalid)?;
    if record == before {
        return Ok(before);
    }
    check_name(&mut tx, &record).await?;
    record.updated_at = db.tick();
    store::save(&mut tx, &record).await?;
    tx.commit().await?;
    Ok(record)
}

/// Marks a table clean after a tab closed on it ("por limpiar" → libre).
pub async fn mark_clean(db: &Db, id: TableId) -> Result<TableWithStatus, TableError> {
    let mut tx = db.begin().await?;
    store::find(&mut *tx, id)
        .await?
        .ok_or(TableError::NotFound)?;
    store::set_needs_cleaning(&mut tx, id, false, db.tick()).await?;
    tx.commit().await?;
    with_status(&db.read, id).await
}

/// Tombstones a table; refused while an open order or a pending reservation holds it.
pub async fn delete(db: &Db, id: TableId) -> Result<TableRecord, TableError> {
    let mut tx = db.begin().await?;
    let mut record = store::find(&mut *tx, id)
        .await?
        .ok_or(TableError::NotFound)?;
    let holding = store::table_use(&mut tx, id, jiff::Timestamp::now()).await?;
    if holding.is_busy() {
        return Err(TableError::InUse(holding));
    }
    let hlc = db.tick();
    record.updated_at = hlc;
    record.deleted_at = Some(hlc);
    store::save(&mut tx, &record).await?;
    tx.commit().await?;
    Ok(record)
}
