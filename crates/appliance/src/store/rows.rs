//! The synced rows the appliance writes (`dysa_domain::sync::rows`): one write per type,
//! built from the type's field list, used by the store's own writes and by
//! `sync/apply.rs` alike. A field added to such a type (and a column of the same name, by
//! migration) is written, synced and applied with no other change; for the types kept
//! column for column (menu, customers, tables, drawers) it is read back too.

use super::{StoreError, StoreResult, instant_text, outbox};
use dysa_domain::hlc::Hlc;
use dysa_domain::sync::Op;
use dysa_domain::sync::rows::{
    Category, Customer, DrawerCount, DrawerMovement, DrawerSession, Item, ModifierGroup, Order,
    OrderLineRow, OrderTransition, Payment, Reservation, Storage, SyncedRow, Table,
};
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

/// One column of a row about to be written: its name, how it is stored, its value.
pub type Column = (String, Storage, Value);

/// A synced row type and the table it is written to. By default the table's columns are
/// the type's fields; a type whose row nests its detail (an order line's `line`, a
/// transition's `transition`) says how it flattens in [`ColumnRow::columns`].
pub trait ColumnRow: SyncedRow {
    /// The table.
    const TABLE: &'static str;
    /// Columns a second write of the same id leaves as first written.
    const KEEP: &'static [&'static str] = &["id", "created_at"];
    /// Rows that are facts once written (transitions, payments): a second write of the
    /// same id changes nothing.
    const APPEND_ONLY: bool = false;

    /// The columns this row is written as.
    fn columns(&self) -> StoreResult<Vec<Column>> {
        field_columns(self)
    }
}

/// One column per field of `row`, in declaration order.
fn field_columns<T: ColumnRow>(row: &T) -> StoreResult<Vec<Column>> {
    let mut fields = object_of::<T>(row)?;
    Ok(T::FIELDS
        .iter()
        .map(|f| {
            let value = fields.remove(f.name).unwrap_or(Value::Null);
            (f.name.to_owned(), f.storage, value)
        })
        .collect())
}

fn object_of<T: ColumnRow>(row: &impl Serialize) -> StoreResult<Map<String, Value>> {
    match serde_json::to_value(row)? {
        Value::Object(fields) => Ok(fields),
        _ => Err(StoreError::corrupt(T::TABLE, "a row that is not an object")),
    }
}

/// Replaces the nested object `field` of `columns` by one column per key of it, renamed
/// by `rename`; keys `rename` maps to `None` are not stored (derived on read).
fn flatten(
    columns: Vec<Column>,
    field: &str,
    rename: impl Fn(&str) -> Option<&str>,
) -> Vec<Column> {
    let mut flat = Vec::with_capacity(columns.len() + 12);
    for (name, storage, value) in columns {
        match value {
            Value::Object(inner) if name == field => {
                for (key, value) in inner {
                    if let Some(column) = rename(&key) {
                        flat.push((column.to_owned(), Storage::Plain, value));
                    }
                }
            }
            value => flat.push((name, storage, value)),
        }
    }
    flat
}

impl ColumnRow for Category {
    const TABLE: &'static str = "menu_categories";
}
impl ColumnRow for ModifierGroup {
    const TABLE: &'static str = "menu_modifier_groups";
}
impl ColumnRow for Item {
    const TABLE: &'static str = "menu_items";
}
impl ColumnRow for Customer {
    const TABLE: &'static str = "customers";
}
impl ColumnRow for Table {
    const TABLE: &'static str = "dining_tables";
}
impl ColumnRow for DrawerSession {
    const TABLE: &'static str = "drawer_sessions";
}
impl ColumnRow for DrawerMovement {
    const TABLE: &'static str = "drawer_movements";
}
impl ColumnRow for DrawerCount {
    const TABLE: &'static str = "drawer_counts";
}

impl ColumnRow for Order {
    const TABLE: &'static str = "orders";
    /// The daily number, day and hour stay as this device first had them: staff may have
    /// called the order by that number already.
    const KEEP: &'static [&'static str] =
        &["id", "number", "business_date", "local_hour", "created_at"];
}

impl ColumnRow for OrderLineRow {
    const TABLE: &'static str = "order_lines";
    const KEEP: &'static [&'static str] = &["id", "order_id", "created_by", "created_at"];

    /// The line's own fields are columns of their own; `voided` is read from `voided_at`.
    /// A line without a discount, a bill or an origin leaves them out of its JSON, but their columns
    /// are always written (NULL): a discount taken off again or a line back on bill 1 must
    /// clear them, and a multi-row insert needs the same columns on every row.
    fn columns(&self) -> StoreResult<Vec<Column>> {
        let mut columns = flatten(field_columns(self)?, "line", |key| {
            (key != "voided").then_some(key)
        });
        for optional in ["discount", "bill", "moved_from"] {
            if !columns.iter().any(|(name, _, _)| name == optional) {
                columns.push((optional.to_owned(), Storage::Plain, Value::Null));
            }
        }
        Ok(columns)
    }
}

impl ColumnRow for OrderTransition {
    const TABLE: &'static str = "order_transitions";
    const APPEND_ONLY: bool = true;

    /// The change's fields are columns; its statuses are `from_status` and `to_status`.
    fn columns(&self) -> StoreResult<Vec<Column>> {
        Ok(flatten(field_columns(self)?, "transition", |key| {
            Some(match key {
                "from" => "from_status",
                "to" => "to_status",
                other => other,
            })
        }))
    }
}

impl ColumnRow for Payment {
    const TABLE: &'static str = "payments";
    const APPEND_ONLY: bool = true;
}

impl ColumnRow for Reservation {
    const TABLE: &'static str = "reservations";

    /// Instants are kept as [`instant_text`], so text order is time order for the overlap
    /// query.
    fn columns(&self) -> StoreResult<Vec<Column>> {
        let mut columns = field_columns(self)?;
        for (name, _, value) in &mut columns {
            match name.as_str() {
                "starts_at" => *value = Value::String(instant_text(self.starts_at)),
                "ends_at" => *value = Value::String(instant_text(self.ends_at)),
                _ => {}
            }
        }
        Ok(columns)
    }
}

/// A column's value as SQLite takes it.
enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Text(String),
}

impl Cell {
    fn of(storage: Storage, value: &Value) -> Cell {
        match (storage, value) {
            (_, Value::Null) => Cell::Null,
            (_, Value::Bool(b)) => Cell::Bool(*b),
            (_, Value::Number(n)) => n
                .as_i64()
                .map_or(Cell::Real(n.as_f64().unwrap_or(0.0)), Cell::Int),
            (Storage::Json, other) => Cell::Text(other.to_string()),
            (_, Value::String(s)) => Cell::Text(s.clone()),
            (_, other) => Cell::Text(other.to_string()),
        }
    }
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>;

fn bind(query: Query<'_>, cell: Cell) -> Query<'_> {
    match cell {
        Cell::Null => query.bind(None::<String>),
        Cell::Bool(b) => query.bind(b),
        Cell::Int(i) => query.bind(i),
        Cell::Real(r) => query.bind(r),
        Cell::Text(t) => query.bind(t),
    }
}

/// Inserts or replaces `row`: every column but [`ColumnRow::KEEP`] on conflict, nothing
/// for [`ColumnRow::APPEND_ONLY`] rows. No outbox row: [`save`] adds it for local writes;
/// applying a cloud row must not.
pub async fn upsert<T: ColumnRow>(conn: &mut SqliteConnection, row: &T) -> StoreResult<()> {
    upsert_with(conn, row, Vec::new()).await
}

/// [`upsert`], plus columns the type does not carry (the stamps some tables keep beside
/// the row: a payment's `updated_at`, an order's `deleted_at`).
pub async fn upsert_with<T: ColumnRow>(
    conn: &mut SqliteConnection,
    row: &T,
    extra: Vec<Column>,
) -> StoreResult<()> {
    let mut columns = row.columns()?;
    columns.extend(extra);
    let names: Vec<&str> = columns.iter().map(|(n, _, _)| n.as_str()).collect();
    let conflict = if T::APPEND_ONLY {
        "DO NOTHING".to_owned()
    } else {
        let updates: Vec<String> = names
            .iter()
            .filter(|n| !T::KEEP.contains(n))
            .map(|n| format!("{n} = excluded.{n}"))
            .collect();
        format!("DO UPDATE SET {}", updates.join(", "))
    };
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT (id) {conflict}",
        T::TABLE,
        names.join(", "),
        vec!["?"; names.len()].join(", "),
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (_, storage, value) in &columns {
        query = bind(query, Cell::of(*storage, value));
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// A text column the row type does not carry (a stamp), for [`upsert_with`]; `None` is
/// NULL.
pub fn stamp(name: &str, value: Option<&dyn std::fmt::Display>) -> Column {
    let value = value.map_or(Value::Null, |v| Value::String(v.to_string()));
    (name.to_owned(), Storage::Plain, value)
}

/// SQLite's limit on bound parameters per statement is 32,766; stay well below it.
const MAX_BINDS: usize = 30_000;

/// Inserts many new rows of `T` with one multi-row `INSERT` per chunk (under SQLite's
/// parameter limit): how a group commit of orders costs a handful of statements. No
/// outbox rows (the caller records them).
pub async fn insert_many<'a, T: ColumnRow + 'a>(
    conn: &mut SqliteConnection,
    rows: impl IntoIterator<Item = &'a T>,
) -> StoreResult<()> {
    let mut all = Vec::new();
    for row in rows {
        all.push(row.columns()?);
    }
    let Some(first) = all.first() else {
        return Ok(());
    };
    let names: Vec<String> = first.iter().map(|(n, _, _)| n.clone()).collect();
    if all
        .iter()
        .any(|c| c.len() != names.len() || c.iter().zip(&names).any(|((a, _, _), b)| a != b))
    {
        return Err(StoreError::corrupt(T::TABLE, "rows with different columns"));
    }
    for chunk in all.chunks((MAX_BINDS / names.len()).max(1)) {
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(format!(
            "INSERT INTO {} ({}) ",
            T::TABLE,
            names.join(", ")
        ));
        insert.push_values(chunk, |mut b, columns| {
            for (_, storage, value) in columns {
                match Cell::of(*storage, value) {
                    Cell::Null => b.push_bind(None::<String>),
                    Cell::Bool(v) => b.push_bind(v),
                    Cell::Int(v) => b.push_bind(v),
                    Cell::Real(v) => b.push_bind(v),
                    Cell::Text(v) => b.push_bind(v),
                };
            }
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Writes some fields of the row `id` of `T`: every key of `change` but `id`, each a field
/// of `T` (a change to an order's state, or its cancel request). No outbox row.
pub async fn patch<T: ColumnRow>(
    conn: &mut SqliteConnection,
    id: &str,
    change: &impl Serialize,
) -> StoreResult<()> {
    let fields = object_of::<T>(change)?;
    let mut sets = Vec::with_capacity(fields.len());
    let mut cells = Vec::with_capacity(fields.len());
    for (name, value) in &fields {
        if name == "id" {
            continue;
        }
        let field = T::FIELDS
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| StoreError::corrupt(T::TABLE, format!("no field {name}")))?;
        sets.push(format!("{} = ?", field.name));
        cells.push(Cell::of(field.storage, value));
    }
    let sql = format!("UPDATE {} SET {} WHERE id = ?", T::TABLE, sets.join(", "));
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for cell in cells {
        query = bind(query, cell);
    }
    query.bind(id.to_owned()).execute(&mut *conn).await?;
    Ok(())
}

/// Writes a local change to `row` and its outbox row in the caller's transaction: only
/// the fields changed since `before` (`outbox::record_changes`), `Op::Delete` when the
/// row carries a tombstone. The caller stamped `updated_at`.
pub async fn save<T: ColumnRow>(
    conn: &mut SqliteConnection,
    before: Option<&T>,
    row: &T,
) -> StoreResult<()> {
    upsert(conn, row).await?;
    let value = serde_json::to_value(row)?;
    let text = |name: &str| value.get(name).and_then(Value::as_str);
    let id = text("id").ok_or_else(|| StoreError::corrupt(T::TABLE, "a row without an id"))?;
    let hlc: Hlc = text("updated_at")
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| StoreError::corrupt(T::TABLE, "a row without its HLC"))?;
    let op = if value.get("deleted_at").is_some_and(|d| !d.is_null()) {
        Op::Delete
    } else {
        Op::Upsert
    };
    outbox::record_changes(conn, T::ENTITY, id, op, before, row, hlc).await?;
    Ok(())
}

/// A `json_object(...)` of every field of `T` read from the table aliased `alias`, for
/// a `SELECT` whose one column [`decode`] reads back.
pub fn json_columns<T: ColumnRow>(alias: &str) -> String {
    let pairs: Vec<String> = T::FIELDS
        .iter()
        .map(|f| {
            let column = format!("{alias}.{}", f.name);
            let value = match f.storage {
                Storage::Plain => column,
                Storage::Json => format!("json({column})"),
                Storage::Bool => {
                    format!("CASE WHEN {column} THEN json('true') ELSE json('false') END")
                }
            };
            format!("'{}', {value}", f.name)
        })
        .collect();
    format!("json_object({})", pairs.join(", "))
}

/// Reads a row selected with [`json_columns`].
pub fn decode<T: ColumnRow>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt(T::TABLE, e))
}

/// After a reload from the cloud's snapshot (docs/SYNC.md, "Retention"): marks deleted, at
/// `hlc`, every live row of `T` that the snapshot did not hold (`held`), unless a local
/// change to it never reached the cloud (still pending, or refused: the cloud never had
/// it, so its absence proves nothing). No outbox row: the cloud already forgot the row.
/// Returns the ids it marked.
pub async fn tombstone_vanished<T: ColumnRow>(
    conn: &mut SqliteConnection,
    held: &std::collections::HashSet<String>,
    hlc: &str,
) -> StoreResult<Vec<String>> {
    let sql = format!(
        "SELECT t.id FROM {table} t
         WHERE t.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM outbox o
                           WHERE o.entity = ? AND o.entity_id = t.id AND o.pushed_at IS NULL)",
        table = T::TABLE
    );
    let live: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(T::ENTITY.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let gone: Vec<String> = live.into_iter().filter(|id| !held.contains(id)).collect();
    let sql = format!(
        "UPDATE {} SET deleted_at = ?, updated_at = ? WHERE id = ?",
        T::TABLE
    );
    for id in &gone {
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(hlc)
            .bind(hlc)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(gone)
}
