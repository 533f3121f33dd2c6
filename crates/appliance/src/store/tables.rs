//! Dining-room tables and their live status. Tables are synced: every change writes its
//! outbox row; deletes are tombstones.

use super::{StoreError, StoreResult};
use dysa_domain::floor::{Covers, GridCell, TableFacts, TableState, table_state};
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{OrderId, ReservationId, TableId, UserId};
use dysa_domain::money::Clp;
use serde::Serialize;
use sqlx::SqliteConnection;

/// A table of the dining room.
pub use dysa_domain::sync::rows::Table as TableRecord;

/// What is happening at a table now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TableStatus {
    /// Nobody is there and no booking is due.
    Free,
    /// An open order is on it, or a reservation for it is seated.
    Occupied,
    /// A booked or confirmed reservation starts within the next hour (or started up to
    /// 15 minutes ago and nobody has been seated yet).
    Reserved,
}

/// The next booked or confirmed reservation of a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NextReservation {
    /// The reservation.
    pub id: ReservationId,
    /// When it starts (RFC 3339 UTC).
    pub starts_at: String,
    /// The guest's name.
    pub name: String,
    /// How many people.
    pub party_size: i64,
}

/// The tab open on a table, as its card on the floor plan shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TabSummary {
    /// The tab (an order).
    pub order_id: OrderId,
    /// How many sit there.
    pub covers: Option<Covers>,
    /// The waiter serving them.
    pub waiter_id: Option<UserId>,
    /// The waiter's name.
    pub waiter_name: Option<String>,
    /// When the tab was opened (RFC 3339).
    pub seated_at: String,
    /// Minutes since then.
    pub minutes_seated: i64,
    /// What the tab adds up to so far (IVA included, before tip).
    pub amount: Clp,
    /// When they asked for the bill, if they did.
    pub bill_requested_at: Option<String>,
}

/// A table with its live status.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TableWithStatus {
    /// The table.
    #[serde(flatten)]
    pub table: TableRecord,
    /// Free, occupied or reserved, right now.
    pub status: TableStatus,
    /// The floor plan's state: libre, ocupada, pidió la cuenta, reservada pronto, por
    /// limpiar ([`dysa_domain::floor::table_state`]).
    pub state: TableState,
    /// The open tab on it, if any.
    pub tab: Option<TabSummary>,
    /// The open order on the table (newest), if any.
    pub current_order_id: Option<OrderId>,
    /// The next booked or confirmed reservation in the next 24 hours (from 15 minutes ago).
    pub next_reservation: Option<NextReservation>,
}

/// How far back a booked reservation still holds its table (a late party).
pub const LATE_GRACE_MINUTES: i64 = 15;
/// How far ahead a booking makes its table `reserved`.
pub const RESERVED_AHEAD_MINUTES: i64 = 60;
/// How far ahead `next_reservation` looks.
pub const NEXT_RESERVATION_HOURS: i64 = 24;

#[derive(sqlx::FromRow)]
struct TableRow {
    id: String,
    name: String,
    seats: i64,
    area: Option<String>,
    position: i64,
    active: bool,
    grid_x: Option<i64>,
    grid_y: Option<i64>,
    needs_cleaning: bool,
    created_at: String,
    updated_at: String,
    deleted_at: Option<String>,
}

fn corrupt(detail: String) -> StoreError {
    StoreError::Corrupt {
        table: "dining_tables",
        detail,
    }
}

impl TryFrom<TableRow> for TableRecord {
    type Error = StoreError;
    fn try_from(row: TableRow) -> StoreResult<Self> {
        let hlc = |t: &str| {
            t.parse::<Hlc>()
                .map_err(|e: dysa_domain::hlc::HlcError| corrupt(e.to_string()))
        };
        let cell = |value: Option<i64>| {
            value
                .map(|v| {
                    u16::try_from(v)
                        .map_err(|e| e.to_string())
                        .and_then(GridCell::try_from)
                        .map_err(corrupt)
                })
                .transpose()
        };
        Ok(TableRecord {
            id: row
                .id
                .parse()
                .map_err(|e: uuid::Error| corrupt(e.to_string()))?,
            name: row.name,
            seats: u8::try_from(row.seats).map_err(|e| corrupt(e.to_string()))?,
            area: row.area,
            position: row.position,
            active: row.active,
            grid_x: cell(row.grid_x)?,
            grid_y: cell(row.grid_y)?,
            needs_cleaning: row.needs_cleaning,
            created_at: row.created_at,
            updated_at: hlc(&row.updated_at)?,
            deleted_at: row.deleted_at.as_deref().map(hlc).transpose()?,
        })
    }
}

const COLUMNS: &str = "id, name, seats, area, position, active, grid_x, grid_y, needs_cleaning, created_at, updated_at, deleted_at";

/// A live table by id.
pub async fn find<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    id: TableId,
) -> StoreResult<Option<TableRecord>> {
    let row: Option<TableRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM dining_tables WHERE id = ? AND deleted_at IS NULL"
    )))
    .bind(id.to_string())
    .fetch_optional(executor)
    .await?;
    row.map(TableRecord::try_from).transpose()
}

/// The live table with this name (ignoring case and surrounding spaces), other than
/// `except`.
pub async fn find_by_name<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    name: &str,
    except: Option<TableId>,
) -> StoreResult<Option<TableId>> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT id FROM dining_tables
         WHERE deleted_at IS NULL AND trim(name) = trim(?) COLLATE NOCASE AND (? IS NULL OR id <> ?)
         LIMIT 1",
    )
    .bind(name)
    .bind(except.map(|id| id.to_string()))
    .bind(except.map(|id| id.to_string()))
    .fetch_optional(executor)
    .await?;
    id.map(|id| id.parse().map_err(|e: uuid::Error| corrupt(e.to_string())))
        .transpose()
}

/// The position after the last live table.
pub async fn next_position(conn: &mut SqliteConnection) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT coalesce(max(position) + 1, 0) FROM dining_tables WHERE deleted_at IS NULL",
    )
    .fetch_one(conn)
    .await?)
}

/// Writes a whole table (insert or replace) and its outbox row (`Op::Delete` when it
/// carries a tombstone). The caller stamped `record.updated_at`.
pub async fn save(conn: &mut SqliteConnection, record: &TableRecord) -> StoreResult<()> {
    let before = find(&mut *conn, record.id).await?;
    super::rows::save(conn, before.as_ref(), record).await
}

/// Marks a table as waiting to be cleaned (a tab closed on it) or clean, with its outbox
/// row; nothing is written when it already is. A tombstoned table is left alone.
pub async fn set_needs_cleaning(
    conn: &mut SqliteConnection,
    id: TableId,
    needs_cleaning: bool,
    hlc: Hlc,
) -> StoreResult<()> {
    let Some(mut record) = find(&mut *conn, id).await? else {
        return Ok(());
    };
    if record.needs_cleaning == needs_cleaning {
        return Ok(());
    }
    record.needs_cleaning = needs_cleaning;
    record.updated_at = hlc;
    save(conn, &record).await
}

#[derive(sqlx::FromRow)]
struct StatusRow {
    #[sqlx(flatten)]
    table: TableRow,
    status: String,
    current_order_id: Option<String>,
    next_id: Option<String>,
    next_starts_at: Option<String>,
    next_name: Option<String>,
    next_party_size: Option<i64>,
    tab_covers: Option<i64>,
    tab_waiter_id: Option<String>,
    tab_waiter_name: Option<String>,
    tab_created_at: Option<String>,
    tab_total: Option<i64>,
    tab_bill_requested_at: Option<String>,
}

impl StatusRow {
    fn into_status(self, now: jiff::Timestamp) -> StoreResult<TableWithStatus> {
        let row = self;
        let status = match row.status.as_str() {
            "occupied" => TableStatus::Occupied,
            "reserved" => TableStatus::Reserved,
            _ => TableStatus::Free,
        };
        let next_reservation = match (row.next_id, row.next_starts_at, row.next_name) {
            (Some(id), Some(starts_at), Some(name)) => Some(NextReservation {
                id: id
                    .parse()
                    .map_err(|e: uuid::Error| corrupt(e.to_string()))?,
                starts_at,
                name,
                party_size: row.next_party_size.unwrap_or(0),
            }),
            _ => None,
        };
        let current_order_id: Option<OrderId> = row
            .current_order_id
            .map(|id| id.parse().map_err(|e: uuid::Error| corrupt(e.to_string())))
            .transpose()?;
        let tab = match (current_order_id, row.tab_created_at) {
            (Some(order_id), Some(seated_at)) => {
                let minutes_seated = seated_at
                    .parse::<jiff::Timestamp>()
                    .map(|t| now.duration_since(t).as_secs().max(0) / 60)
                    .unwrap_or(0);
                Some(TabSummary {
                    order_id,
                    covers: row
                        .tab_covers
                        .and_then(|c| u16::try_from(c).ok())
                        .and_then(|c| Covers::try_from(c).ok()),
                    waiter_id: row
                        .tab_waiter_id
                        .map(|id| id.parse().map_err(|e: uuid::Error| corrupt(e.to_string())))
                        .transpose()?,
                    waiter_name: row.tab_waiter_name,
                    seated_at,
                    minutes_seated,
                    amount: Clp(row.tab_total.unwrap_or(0)),
                    bill_requested_at: row.tab_bill_requested_at,
                })
            }
            _ => None,
        };
        let booking_in_minutes = next_reservation.as_ref().and_then(|n| {
            n.starts_at
                .parse::<jiff::Timestamp>()
                .ok()
                .map(|t| t.duration_since(now).as_secs() / 60)
        });
        let table = TableRecord::try_from(row.table)?;
        let state = table_state(TableFacts {
            tab_open: current_order_id.is_some() || status == TableStatus::Occupied,
            bill_requested: tab.as_ref().is_some_and(|t| t.bill_requested_at.is_some()),
            needs_cleaning: table.needs_cleaning,
            booking_in_minutes: booking_in_minutes.filter(|_| status == TableStatus::Reserved),
        });
        Ok(TableWithStatus {
            table,
            status,
            state,
            tab,
            current_order_id,
            next_reservation,
        })
    }
}

/// Live tables with their status at `now`, all of them or only `only`, computed in one
/// query over `orders` and `reservations`:
/// - occupied: an order on the table that is neither completed nor cancelled, or a
///   reservation for it that is `seated`;
/// - reserved: a `booked`/`confirmed` reservation on it starts within the next
///   [`RESERVED_AHEAD_MINUTES`] or started up to [`LATE_GRACE_MINUTES`] ago;
/// - free otherwise.
pub async fn with_status<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    now: jiff::Timestamp,
    only: Option<TableId>,
) -> StoreResult<Vec<TableWithStatus>> {
    let minutes = |m: i64| jiff::SignedDuration::from_mins(m);
    let from = super::instant_text(now - minutes(LATE_GRACE_MINUTES));
    let reserved_until = super::instant_text(now + minutes(RESERVED_AHEAD_MINUTES));
    let horizon = super::instant_text(now + minutes(NEXT_RESERVATION_HOURS * 60));
    let rows: Vec<StatusRow> = sqlx::query_as(
        "SELECT s.*, c.covers AS tab_covers, c.waiter_id AS tab_waiter_id,
                w.name AS tab_waiter_name, c.created_at AS tab_created_at, c.total AS tab_total,
                c.bill_requested_at AS tab_bill_requested_at,
                CASE WHEN s.current_order_id IS NOT NULL OR s.seated THEN 'occupied'
                     WHEN s.next_starts_at IS NOT NULL AND s.next_starts_at <= ?3 THEN 'reserved'
                     ELSE 'free' END AS status
         FROM (
           SELECT t.id, t.name, t.seats, t.area, t.position, t.active, t.grid_x, t.grid_y,
                  t.needs_cleaning, t.created_at, t.updated_at, t.deleted_at,
                  (SELECT o.id FROM orders o
                    WHERE o.table_id = t.id AND o.status NOT IN ('completed', 'cancelled')
                      AND o.deleted_at IS NULL
                    ORDER BY o.created_at DESC, o.id DESC LIMIT 1) AS current_order_id,
                  EXISTS (SELECT 1 FROM reservations r
                    WHERE r.table_id = t.id AND r.status = 'seated' AND r.deleted_at IS NULL) AS seated,
                  n.id AS next_id, n.starts_at AS next_starts_at, n.name AS next_name,
                  n.party_size AS next_party_size
           FROM dining_tables t
           LEFT JOIN reservations n ON n.id = (
             SELECT r.id FROM reservations r
              WHERE r.table_id = t.id AND r.status IN ('booked', 'confirmed')
                AND r.deleted_at IS NULL AND r.starts_at >= ?1 AND r.starts_at < ?2
              ORDER BY r.starts_at, r.id LIMIT 1)
           WHERE t.deleted_at IS NULL AND (?4 IS NULL OR t.id = ?4)
         ) s
         LEFT JOIN orders c ON c.id = s.current_order_id
         LEFT JOIN users w ON w.id = c.waiter_id
         ORDER BY s.position, s.name COLLATE NOCASE, s.id",
    )
    .bind(from)
    .bind(horizon)
    .bind(reserved_until)
    .bind(only.map(|id| id.to_string()))
    .fetch_all(executor)
    .await?;
    rows.into_iter().map(|row| row.into_status(now)).collect()
}

/// Why a table cannot be removed now: the open order or the pending reservation on it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableUse {
    /// An order on it that is not completed or cancelled.
    pub open_order: Option<OrderId>,
    /// A seated reservation, or a booked/confirmed one that has not ended.
    pub reservation: Option<ReservationId>,
}

impl TableUse {
    /// Whether anything holds the table.
    pub fn is_busy(&self) -> bool {
        self.open_order.is_some() || self.reservation.is_some()
    }
}

/// What holds a table at `now` (see [`TableUse`]).
pub async fn table_use(
    conn: &mut SqliteConnection,
    id: TableId,
    now: jiff::Timestamp,
) -> StoreResult<TableUse> {
    let open_order: Option<String> = sqlx::query_scalar(
        "SELECT id FROM orders WHERE table_id = ? AND status NOT IN ('completed', 'cancelled')
           AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let reservation: Option<String> = sqlx::query_scalar(
        "SELECT id FROM reservations WHERE table_id = ? AND deleted_at IS NULL
           AND (status = 'seated' OR (status IN ('booked', 'confirmed') AND ends_at > ?))
         ORDER BY starts_at LIMIT 1",
    )
    .bind(id.to_string())
    .bind(super::instant_text(now))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(TableUse {
        open_order: open_order
            .map(|t| t.parse().map_err(|e: uuid::Error| corrupt(e.to_string())))
            .transpose()?,
        reservation: reservation
            .map(|t| t.parse().map_err(|e: uuid::Error| corrupt(e.to_string())))
            .transpose()?,
    })
}
