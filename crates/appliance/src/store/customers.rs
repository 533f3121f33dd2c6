//! Diners known to the restaurant. Customers are synced: every change writes its outbox
//! row; deletes are tombstones (`deleted_at`), so a phone or email is free again.

use super::{StoreError, StoreResult, rows};
use dysa_domain::ids::{CustomerId, OrderId};
use sqlx::{SqliteConnection, SqlitePool};

/// A stored customer, as the sync payload carries it.
pub use dysa_domain::sync::rows::Customer as CustomerRecord;

/// Every column of a customer, as one JSON object [`rows::decode`] reads.
fn columns() -> String {
    rows::json_columns::<CustomerRecord>("customers")
}

/// `name` lower-cased with the Spanish accents and ñ folded, as SQL (SQLite's `lower`
/// and `NOCASE` fold ASCII only). Must fold exactly like [`fold`].
const FOLDED_NAME: &str = "replace(replace(replace(replace(replace(replace(replace(\
     replace(replace(replace(replace(replace(replace(replace(lower(name),\
     'á','a'),'é','e'),'í','i'),'ó','o'),'ú','u'),'ü','u'),'ñ','n'),\
     'Á','a'),'É','e'),'Í','i'),'Ó','o'),'Ú','u'),'Ü','u'),'Ñ','n')";

/// Lower-cases `text` and folds the Spanish accents and ñ, the way [`FOLDED_NAME`] does
/// in SQL, so `jose pena` finds `José Peña`.
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'á' | 'Á' => 'a',
            'é' | 'É' => 'e',
            'í' | 'Í' => 'i',
            'ó' | 'Ó' => 'o',
            'ú' | 'Ú' | 'ü' | 'Ü' => 'u',
            'ñ' | 'Ñ' => 'n',
            other => other.to_ascii_lowercase(),
        })
        .collect()
}

/// A live customer by id.
pub async fn find<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    id: CustomerId,
) -> StoreResult<Option<CustomerRecord>> {
    let cols = columns();
    let row: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM customers WHERE id = ? AND deleted_at IS NULL"
    )))
    .bind(id.to_string())
    .fetch_optional(executor)
    .await?;
    row.as_deref().map(rows::decode).transpose()
}

/// The live customer with this (E.164) phone.
pub async fn find_by_phone<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    phone: &str,
) -> StoreResult<Option<CustomerRecord>> {
    let cols = columns();
    let row: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM customers WHERE phone = ? AND deleted_at IS NULL"
    )))
    .bind(phone)
    .fetch_optional(executor)
    .await?;
    row.as_deref().map(rows::decode).transpose()
}

/// The live customer with this (normalised) email.
pub async fn find_by_email<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    email: &str,
) -> StoreResult<Option<CustomerRecord>> {
    let cols = columns();
    let row: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM customers WHERE email = ? AND deleted_at IS NULL"
    )))
    .bind(email)
    .fetch_optional(executor)
    .await?;
    row.as_deref().map(rows::decode).transpose()
}

/// What a customer search looks for; every part is optional and they combine with OR.
#[derive(Clone, Debug, Default)]
pub struct CustomerSearch {
    /// An exact E.164 phone.
    pub phone: Option<String>,
    /// Digits somewhere in the phone (a partial number, e.g. the last four).
    pub phone_digits: Option<String>,
    /// Folded words ([`fold`]) that must all appear in the name.
    pub name_words: Vec<String>,
    /// Text somewhere in the email (lower case).
    pub email: Option<String>,
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Live customers matching `search` (all of them when it is empty), by name (accents
/// folded, so `Ángela` sorts with the A), one page, and the total number of matches.
pub async fn search(
    pool: &SqlitePool,
    search: &CustomerSearch,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<CustomerRecord>, i64)> {
    // With nothing to look for every parameter is NULL and every live customer matches.
    let filter = format!(
        "((?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL)
          OR phone = ?1
          OR phone LIKE '%' || ?2 || '%' ESCAPE '\\'
          OR (?3 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM json_each(?3) AS w
              WHERE {FOLDED_NAME} NOT LIKE '%' || w.value || '%' ESCAPE '\\'))
          OR email LIKE '%' || ?4 || '%' ESCAPE '\\')"
    );
    let words = (!search.name_words.is_empty())
        .then(|| {
            serde_json::to_string(
                &search
                    .name_words
                    .iter()
                    .map(|w| like_escape(w))
                    .collect::<Vec<_>>(),
            )
        })
        .transpose()?;
    let digits = search.phone_digits.as_deref().map(like_escape);
    let email = search.email.as_deref().map(like_escape);
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM customers WHERE deleted_at IS NULL AND {filter}"
    )))
    .bind(&search.phone)
    .bind(&digits)
    .bind(&words)
    .bind(&email)
    .fetch_one(pool)
    .await?;
    let cols = columns();
    let found: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM customers WHERE deleted_at IS NULL AND {filter}
         ORDER BY {FOLDED_NAME}, id LIMIT ?5 OFFSET ?6"
    )))
    .bind(&search.phone)
    .bind(&digits)
    .bind(&words)
    .bind(&email)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let customers = found
        .iter()
        .map(|t| rows::decode(t))
        .collect::<StoreResult<Vec<_>>>()?;
    Ok((customers, total))
}

/// Writes a whole customer (insert or replace) and its outbox row: an upsert, or a
/// delete when `record.deleted_at` is set. The caller stamped `updated_at` with a fresh HLC.
pub async fn save(conn: &mut SqliteConnection, record: &CustomerRecord) -> StoreResult<()> {
    let before = find(&mut *conn, record.id).await?;
    rows::save(conn, before.as_ref(), record).await
}

/// Raw facts for a customer's history: the business days of their completed orders,
/// the count and sum of those orders, the newest one, and the start of every completed
/// or seated reservation (local days are computed by the caller in the restaurant's zone).
#[derive(Clone, Debug, Default)]
pub struct CustomerHistory {
    /// Distinct `business_date`s of completed orders.
    pub order_days: Vec<String>,
    /// Completed orders.
    pub completed_orders: i64,
    /// Sum of the totals of completed orders, pesos.
    pub total_spent: i64,
    /// `created_at` of the newest completed order.
    pub last_order_at: Option<String>,
    /// `starts_at` of every completed or seated reservation.
    pub visited_reservations: Vec<String>,
}

/// Reads the history facts of one customer.
pub async fn history(pool: &SqlitePool, id: CustomerId) -> StoreResult<CustomerHistory> {
    let id = id.to_string();
    let (completed_orders, total_spent, last_order_at): (i64, i64, Option<String>) =
        sqlx::query_as(
            "SELECT count(*), coalesce(sum(total), 0), max(created_at) FROM orders
             WHERE customer_id = ? AND status = 'completed' AND deleted_at IS NULL",
        )
        .bind(&id)
        .fetch_one(pool)
        .await?;
    let order_days: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT business_date FROM orders
         WHERE customer_id = ? AND status = 'completed' AND deleted_at IS NULL",
    )
    .bind(&id)
    .fetch_all(pool)
    .await?;
    let visited_reservations: Vec<String> = sqlx::query_scalar(
        "SELECT starts_at FROM reservations
         WHERE customer_id = ? AND status IN ('completed', 'seated') AND deleted_at IS NULL",
    )
    .bind(&id)
    .fetch_all(pool)
    .await?;
    Ok(CustomerHistory {
        order_days,
        completed_orders,
        total_spent,
        last_order_at,
        visited_reservations,
    })
}

/// One order in a customer's history.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CustomerOrderRow {
    /// The order.
    pub id: String,
    /// Its daily number.
    pub number: i64,
    /// Its status.
    pub status: String,
    /// Total, pesos, IVA included.
    pub total: i64,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// A customer's orders, newest first, one page, and how many there are.
pub async fn orders(
    pool: &SqlitePool,
    id: CustomerId,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<(OrderId, CustomerOrderRow)>, i64)> {
    let total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM orders WHERE customer_id = ? AND deleted_at IS NULL",
    )
    .bind(id.to_string())
    .fetch_one(pool)
    .await?;
    let rows: Vec<CustomerOrderRow> = sqlx::query_as(
        "SELECT id, number, status, total, created_at FROM orders
         WHERE customer_id = ? AND deleted_at IS NULL
         ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
    )
    .bind(id.to_string())
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let rows = rows
        .into_iter()
        .map(|row| {
            let id = row.id.parse::<OrderId>().map_err(|e| StoreError::Corrupt {
                table: "orders",
                detail: e.to_string(),
            })?;
            Ok((id, row))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok((rows, total))
}
