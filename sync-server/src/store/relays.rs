//! The relay tables' sealed columns (cloud migration 0050, [`crate::pii::relay`]), as the
//! start-up pass reads and rewrites the rows written before: which columns of which
//! tables, the next rows of a table that still hold one in clear, and writing them back.

use super::{StoreResult, Tx};
use dysa_domain::ids::LocationId;
use serde_json::{Map, Value};
use sqlx::types::Json;

/// How a column is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A text column, sealed to its row.
    Text,
    /// A JSON column, sealed whole (to a JSON string) to its row; may be null.
    Json,
    /// A diner's WhatsApp number, sealed to its location, beside its `wa_hash`.
    WaId,
    /// The outbox's `params`: only its `text`, sealed to its row.
    ParamsText,
}

/// One sealed column.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// Its name (also the field of the associated data).
    pub name: &'static str,
    /// How it is stored.
    pub kind: Kind,
}

/// One relay table.
#[derive(Clone, Copy, Debug)]
pub struct Table {
    /// Its name (also the table of the associated data).
    pub name: &'static str,
    /// The column its rows are sealed to (the associated data's row).
    pub key: &'static str,
    /// Its sealed columns.
    pub columns: &'static [Column],
}

const fn col(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

/// Every relay table and its sealed columns.
pub const TABLES: &[Table] = &[
    Table {
        name: "chat_relays",
        key: "id",
        columns: &[col("message", Kind::Text), col("reply", Kind::Json)],
    },
    Table {
        name: "chat_staff_messages",
        key: "id",
        columns: &[col("text", Kind::Text)],
    },
    Table {
        name: "chat_conversations",
        key: "id",
        columns: &[col("draft", Kind::Json)],
    },
    Table {
        name: "whatsapp_messages",
        key: "wamid",
        columns: &[col("body", Kind::Text), col("wa_id", Kind::WaId)],
    },
    Table {
        name: "whatsapp_contacts",
        key: "conversation_id",
        columns: &[col("wa_id", Kind::WaId)],
    },
    Table {
        name: "whatsapp_orders",
        key: "order_id",
        columns: &[col("wa_id", Kind::WaId)],
    },
    Table {
        name: "whatsapp_bookings",
        key: "reservation_id",
        columns: &[col("wa_id", Kind::WaId)],
    },
    Table {
        name: "whatsapp_outbox",
        key: "id",
        columns: &[col("wa_id", Kind::WaId), col("params", Kind::ParamsText)],
    },
];

/// Whether a column still holds something in clear (SQL).
fn in_clear(column: &Column) -> String {
    let name = column.name;
    match column.kind {
        Kind::Text => format!("{name} NOT LIKE 'pii1.%'"),
        Kind::Json => format!(
            "({name} IS NOT NULL AND jsonb_typeof({name}) <> 'null'
              AND (jsonb_typeof({name}) <> 'string' OR ({name} #>> '{{}}') NOT LIKE 'pii1.%'))"
        ),
        Kind::WaId => format!("({name} NOT LIKE 'pii1.%' OR wa_hash IS NULL)"),
        Kind::ParamsText => format!(
            "(jsonb_typeof({name} -> 'text') = 'string' AND ({name} ->> 'text') NOT LIKE 'pii1.%')"
        ),
    }
}

/// A row that still holds a column in clear.
#[derive(Debug, sqlx::FromRow)]
pub struct Unsealed {
    /// The row's key, as text.
    pub key: String,
    /// Its location.
    pub location_id: LocationId,
    /// Its sealed columns' values, by name (text columns as JSON strings).
    pub values: Json<Map<String, Value>>,
}

/// Up to `limit` rows of `table` (of the transaction's tenant) after key `after` (as
/// text) that still hold a column in clear, by key.
pub async fn unsealed(
    tx: &mut Tx,
    table: &Table,
    after: &str,
    limit: i64,
) -> StoreResult<Vec<Unsealed>> {
    let values = table
        .columns
        .iter()
        .map(|c| format!("'{0}', {0}", c.name))
        .collect::<Vec<_>>()
        .join(", ");
    let clear = table
        .columns
        .iter()
        .map(in_clear)
        .collect::<Vec<_>>()
        .join(" OR ");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {key}::text AS key, location_id, jsonb_build_object({values}) AS values
         FROM {name} WHERE tenant_id = app_tenant() AND {key}::text > $2 AND ({clear})
         ORDER BY {key}::text LIMIT $1",
        key = table.key,
        name = table.name,
    )))
    .bind(limit)
    .bind(after)
    .fetch_all(&mut **tx)
    .await?)
}

/// Writes `values` (sealed, by column name) and `wa_hash` to row `key` of `table`.
pub async fn reseal(
    tx: &mut Tx,
    table: &Table,
    key: &str,
    values: &Map<String, Value>,
    wa_hash: Option<&[u8]>,
) -> StoreResult<()> {
    let sets = table
        .columns
        .iter()
        .map(|c| match c.kind {
            Kind::Text | Kind::WaId => format!("{0} = $2::jsonb ->> '{0}'", c.name),
            Kind::Json => format!("{0} = NULLIF($2::jsonb -> '{0}', 'null'::jsonb)", c.name),
            Kind::ParamsText => format!("{0} = $2::jsonb -> '{0}'", c.name),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let hash = if table.columns.iter().any(|c| c.kind == Kind::WaId) {
        ", wa_hash = $3"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE {name} SET {sets}{hash} WHERE tenant_id = app_tenant() AND {key}::text = $1",
        name = table.name,
        key = table.key,
    );
    let query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(key)
        .bind(Json(values));
    let query = if hash.is_empty() {
        query
    } else {
        query.bind(wa_hash)
    };
    query.execute(&mut **tx).await?;
    Ok(())
}
