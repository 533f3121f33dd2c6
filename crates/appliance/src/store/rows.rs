//! The synced rows the appliance keeps column for column (`dysa_domain::sync::rows`): one
//! upsert and one read per type, built from the type's field list, used by the store's
//! own writes and by `sync/apply.rs` alike. A field added to such a type (and a column of
//! the same name, by migration) is written, read, synced and applied with no other change.

use super::{StoreError, StoreResult, outbox};
use dysa_domain::hlc::Hlc;
use dysa_domain::sync::Op;
use dysa_domain::sync::rows::{
    Category, Customer, DrawerCount, DrawerMovement, DrawerSession, Item, ModifierGroup, Storage,
    SyncedRow, Table,
};
use serde_json::Value;
use sqlx::SqliteConnection;

/// A synced row type kept in a table whose columns are its fields (plus nothing else).
pub trait ColumnRow: SyncedRow {
    /// The table.
    const TABLE: &'static str;
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

/// Inserts or replaces `row` (every column but `id` and `created_at` on conflict). No
/// outbox row: [`save`] adds it for local writes; applying a cloud row must not.
pub async fn upsert<T: ColumnRow>(conn: &mut SqliteConnection, row: &T) -> StoreResult<()> {
    let Value::Object(fields) = serde_json::to_value(row)? else {
        return Err(StoreError::corrupt(T::TABLE, "a row that is not an object"));
    };
    let names: Vec<&str> = T::FIELDS.iter().map(|f| f.name).collect();
    let updates: Vec<String> = names
        .iter()
        .filter(|n| !matches!(**n, "id" | "created_at"))
        .map(|n| format!("{n} = excluded.{n}"))
        .collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}",
        T::TABLE,
        names.join(", "),
        vec!["?"; names.len()].join(", "),
        updates.join(", ")
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for field in T::FIELDS {
        let value = fields.get(field.name).unwrap_or(&Value::Null);
        query = match (field.storage, value) {
            (_, Value::Null) => query.bind(None::<String>),
            (_, Value::Bool(b)) => query.bind(*b),
            (_, Value::Number(n)) if n.is_i64() => query.bind(n.as_i64()),
            (_, Value::Number(n)) => query.bind(n.as_f64()),
            (Storage::Json, other) => query.bind(other.to_string()),
            (_, Value::String(s)) => query.bind(s.clone()),
            (_, other) => query.bind(other.to_string()),
        };
    }
    query.execute(&mut *conn).await?;
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
