//! Cash drawers (local to this counter) and their sessions, movements and counts (synced
//! rows kept column for column, `store::rows`). The rules live in `dysa_domain::drawer`.

use super::rows::{self, json_columns};
use super::{StoreError, StoreResult};
use dysa_domain::drawer::MovementKind;
use dysa_domain::ids::{DrawerId, DrawerSessionId};
use dysa_domain::money::Clp;
use dysa_domain::sync::rows::{DrawerCount, DrawerMovement, DrawerSession};
use serde::Serialize;
use sqlx::SqliteConnection;

/// The name a counter's first drawer gets.
pub const DEFAULT_DRAWER_NAME: &str = "Caja principal";

/// A cash drawer of this counter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Drawer {
    /// The drawer's id.
    pub id: DrawerId,
    /// Its name ("Caja principal", "Barra").
    pub name: String,
    /// When it was added (RFC 3339).
    pub created_at: String,
}

#[derive(sqlx::FromRow)]
struct DrawerRow {
    id: String,
    name: String,
    created_at: String,
}

impl TryFrom<DrawerRow> for Drawer {
    type Error = StoreError;
    fn try_from(row: DrawerRow) -> StoreResult<Drawer> {
        Ok(Drawer {
            id: row
                .id
                .parse()
                .map_err(|e| StoreError::corrupt("drawers", e))?,
            name: row.name,
            created_at: row.created_at,
        })
    }
}

/// This counter's drawers, oldest first.
pub async fn list_drawers<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
) -> StoreResult<Vec<Drawer>> {
    let rows: Vec<DrawerRow> =
        sqlx::query_as("SELECT id, name, created_at FROM drawers ORDER BY created_at, id")
            .fetch_all(executor)
            .await?;
    rows.into_iter().map(Drawer::try_from).collect()
}

/// One drawer of this counter.
pub async fn find_drawer<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    id: DrawerId,
) -> StoreResult<Option<Drawer>> {
    let row: Option<DrawerRow> =
        sqlx::query_as("SELECT id, name, created_at FROM drawers WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(executor)
            .await?;
    row.map(Drawer::try_from).transpose()
}

/// Whether a drawer of this counter has that name (ignoring case and spaces).
pub async fn drawer_name_taken(conn: &mut SqliteConnection, name: &str) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM drawers WHERE trim(name) = trim(?) COLLATE NOCASE)",
    )
    .bind(name)
    .fetch_one(conn)
    .await?)
}

/// Adds a drawer.
pub async fn insert_drawer(conn: &mut SqliteConnection, drawer: &Drawer) -> StoreResult<()> {
    sqlx::query("INSERT INTO drawers (id, name, created_at) VALUES (?, ?, ?)")
        .bind(drawer.id.to_string())
        .bind(&drawer.name)
        .bind(&drawer.created_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// The counter's default drawer: its oldest, made on first use (each counter PC is a
/// drawer without anyone configuring it).
pub async fn default_drawer(conn: &mut SqliteConnection) -> StoreResult<Drawer> {
    if let Some(first) = list_drawers(&mut *conn).await?.into_iter().next() {
        return Ok(first);
    }
    let drawer = Drawer {
        id: DrawerId::new(),
        name: DEFAULT_DRAWER_NAME.to_owned(),
        created_at: super::now_text(),
    };
    insert_drawer(conn, &drawer).await?;
    Ok(drawer)
}

// ---------------------------------------------------------------- sessions

/// One session by id.
pub async fn session<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    id: DrawerSessionId,
) -> StoreResult<Option<DrawerSession>> {
    let cols = json_columns::<DrawerSession>("s");
    let row: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM drawer_sessions s WHERE id = ?"
    )))
    .bind(id.to_string())
    .fetch_optional(executor)
    .await?;
    row.as_deref().map(rows::decode).transpose()
}

/// The drawer's session that is not closed yet (open, counted or waiting for a recount).
pub async fn unclosed_session<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    drawer: DrawerId,
) -> StoreResult<Option<DrawerSession>> {
    let cols = json_columns::<DrawerSession>("s");
    let row: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM drawer_sessions s WHERE drawer_id = ? AND status <> 'closed'"
    )))
    .bind(drawer.to_string())
    .fetch_optional(executor)
    .await?;
    row.as_deref().map(rows::decode).transpose()
}

/// Sessions of every drawer of the location (this counter's and those synced from the
/// others), newest first, optionally of one drawer.
pub async fn list_sessions<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    drawer: Option<DrawerId>,
    limit: i64,
) -> StoreResult<Vec<DrawerSession>> {
    let cols = json_columns::<DrawerSession>("s");
    let found: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM drawer_sessions s WHERE (? IS NULL OR drawer_id = ?)
         ORDER BY opened_at DESC, id DESC LIMIT ?"
    )))
    .bind(drawer.map(|d| d.to_string()))
    .bind(drawer.map(|d| d.to_string()))
    .bind(limit)
    .fetch_all(executor)
    .await?;
    found.iter().map(|t| rows::decode(t)).collect()
}

/// Writes a session and its outbox row (only the changed fields). The caller stamped
/// `updated_at`.
pub async fn save_session(
    conn: &mut SqliteConnection,
    before: Option<&DrawerSession>,
    row: &DrawerSession,
) -> StoreResult<()> {
    rows::save(conn, before, row).await
}

// ---------------------------------------------------------------- ledger

/// Appends a movement and its outbox row. The caller stamped `updated_at`.
pub async fn insert_movement(conn: &mut SqliteConnection, row: &DrawerMovement) -> StoreResult<()> {
    rows::save(conn, None, row).await
}

/// Appends a count and its outbox row. The caller stamped `updated_at`.
pub async fn insert_count(conn: &mut SqliteConnection, row: &DrawerCount) -> StoreResult<()> {
    rows::save(conn, None, row).await
}

/// The sum of a session's signed movements (cash in minus cash out).
pub async fn movements_total<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    session: DrawerSessionId,
) -> StoreResult<Clp> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, sum(amount) FROM drawer_movements WHERE session_id = ? GROUP BY kind",
    )
    .bind(session.to_string())
    .fetch_all(executor)
    .await?;
    let mut total = Clp::ZERO;
    for (kind, amount) in rows {
        let kind: MovementKind = kind
            .parse()
            .map_err(|e| StoreError::corrupt("drawer_movements", e))?;
        total = total
            .checked_add(kind.signed(Clp(amount)))
            .map_err(|e| StoreError::corrupt("drawer_movements", e))?;
    }
    Ok(total)
}

/// A session's movements, oldest first.
pub async fn movements_of<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    session: DrawerSessionId,
) -> StoreResult<Vec<DrawerMovement>> {
    let cols = json_columns::<DrawerMovement>("m");
    let found: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM drawer_movements m WHERE session_id = ? ORDER BY created_at, id"
    )))
    .bind(session.to_string())
    .fetch_all(executor)
    .await?;
    found.iter().map(|t| rows::decode(t)).collect()
}

/// A session's counts, oldest first.
pub async fn counts_of<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    session: DrawerSessionId,
) -> StoreResult<Vec<DrawerCount>> {
    let cols = json_columns::<DrawerCount>("c");
    let found: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM drawer_counts c WHERE session_id = ? ORDER BY counted_at, id"
    )))
    .bind(session.to_string())
    .fetch_all(executor)
    .await?;
    found.iter().map(|t| rows::decode(t)).collect()
}
