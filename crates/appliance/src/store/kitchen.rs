//! Kitchen tickets: what a fired course sent to each station, what the cooks bumped, and
//! how long each line took. Local to this appliance (the kitchen's screens are on its LAN);
//! the lines themselves sync with their order.

use super::{StoreError, StoreResult};
use dysa_domain::ids::{OrderId, OrderLineId, UserId};
use dysa_domain::kitchen::{Course, Seat};
use dysa_domain::menu::Station;
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqliteExecutor};
use std::collections::HashMap;

/// One ticket on a kitchen screen: one course of one order for one station.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KitchenTicket {
    /// The ticket's id (stable: a reprint is the same ticket, marked COPIA).
    pub id: uuid::Uuid,
    /// Its order.
    pub order_id: OrderId,
    /// The order's daily number.
    pub order_number: Option<i64>,
    /// The table's name, for dine-in.
    pub table_name: Option<String>,
    /// The table's waiter (who took the order, when it has none).
    pub waiter_name: Option<String>,
    /// How many sit at the table's tab, so the kitchen plates for them.
    pub covers: Option<dysa_domain::floor::Covers>,
    /// Where it is prepared.
    pub station: Station,
    /// The course fired (none: the lines ordered without a course).
    pub course: Option<Course>,
    /// When it was fired (RFC 3339).
    pub fired_at: String,
    /// When the cooks bumped it (none while it is on the screen).
    pub bumped_at: Option<String>,
    /// The order's note for the kitchen.
    pub order_note: Option<String>,
    /// Its lines, in the order's order.
    pub lines: Vec<TicketLine>,
}

/// One line of a kitchen ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TicketLine {
    /// The order line.
    pub line_id: OrderLineId,
    /// The menu item (to mark it sold out, "86", from the screen).
    pub item_id: dysa_domain::ids::ItemId,
    /// The item's name when ordered.
    pub name: String,
    /// How many.
    pub quantity: u32,
    /// Chosen modifiers, as "Término: A punto".
    pub modifiers: Vec<String>,
    /// Note for the kitchen.
    pub note: Option<String>,
    /// The seat it is for.
    pub seat: Option<Seat>,
    /// Voided after it was fired: the cooks must stop it.
    pub voided: bool,
    /// When the cooks bumped it.
    pub bumped_at: Option<String>,
}

/// A new ticket to write: the lines of one course for one station.
#[derive(Clone, Debug)]
pub struct NewTicket {
    /// The ticket's id.
    pub id: uuid::Uuid,
    /// Its order.
    pub order_id: OrderId,
    /// Where it goes.
    pub station: Station,
    /// The course fired.
    pub course: Option<Course>,
    /// The lines it carries.
    pub lines: Vec<OrderLineId>,
    /// Who fired it.
    pub fired_by: Option<UserId>,
    /// When (stored instant text).
    pub fired_at: String,
}

/// The ids of an order's lines already sent to the kitchen.
pub async fn fired_lines(
    conn: &mut SqliteConnection,
    order_id: OrderId,
) -> StoreResult<Vec<OrderLineId>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT l.line_id FROM kitchen_ticket_lines l
         JOIN kitchen_tickets t ON t.id = l.ticket_id WHERE t.order_id = ?",
    )
    .bind(order_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    ids.iter()
        .map(|id| parse("kitchen_ticket_lines", id))
        .collect()
}

/// Writes new tickets and their lines. A line already on a ticket makes the whole write
/// fail (its primary key): the caller's transaction rolls back and nothing is sent twice.
pub async fn insert_tickets(conn: &mut SqliteConnection, tickets: &[NewTicket]) -> StoreResult<()> {
    for ticket in tickets {
        sqlx::query(
            "INSERT INTO kitchen_tickets (id, order_id, station, course, fired_at, fired_by)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(ticket.id.to_string())
        .bind(ticket.order_id.to_string())
        .bind(ticket.station.as_str())
        .bind(ticket.course.map(Course::as_str))
        .bind(&ticket.fired_at)
        .bind(ticket.fired_by.map(|u| u.to_string()))
        .execute(&mut *conn)
        .await?;
        for line in &ticket.lines {
            sqlx::query("INSERT INTO kitchen_ticket_lines (line_id, ticket_id) VALUES (?, ?)")
                .bind(line.to_string())
                .bind(ticket.id.to_string())
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// A line carried to another tab (a merge) keeps its kitchen state: its ticket line now
/// names the copy, so the copy counts as fired (never sent again) and bumped as it was.
/// Local rows only; the copy must exist (the ticket line references it).
pub async fn carry_line(
    conn: &mut SqliteConnection,
    from: OrderLineId,
    to: OrderLineId,
) -> StoreResult<()> {
    sqlx::query("UPDATE kitchen_ticket_lines SET line_id = ? WHERE line_id = ?")
        .bind(to.to_string())
        .bind(from.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A merged tab's tickets go with its diners: the kitchen screen shows them under the
/// tab they joined (its table and number), and that tab's fired lines include them.
pub async fn carry_tickets(
    conn: &mut SqliteConnection,
    from: OrderId,
    to: OrderId,
) -> StoreResult<()> {
    sqlx::query("UPDATE kitchen_tickets SET order_id = ? WHERE order_id = ?")
        .bind(to.to_string())
        .bind(from.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct TicketRow {
    id: String,
    order_id: String,
    number: Option<i64>,
    table_name: Option<String>,
    waiter_name: Option<String>,
    covers: Option<i64>,
    station: String,
    course: Option<String>,
    fired_at: String,
    bumped_at: Option<String>,
    order_note: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TicketLineRow {
    ticket_id: String,
    line_id: String,
    item_id: String,
    name: String,
    quantity: i64,
    modifiers: String,
    note: Option<String>,
    seat: Option<i64>,
    voided_at: Option<String>,
    bumped_at: Option<String>,
}

const TICKET_SELECT: &str = "SELECT t.id, t.order_id, o.number, d.name AS table_name,
        u.name AS waiter_name, o.covers, t.station, t.course, t.fired_at, t.bumped_at, o.note AS order_note
     FROM kitchen_tickets t
     JOIN orders o ON o.id = t.order_id
     LEFT JOIN dining_tables d ON d.id = o.table_id
     LEFT JOIN users u ON u.id = coalesce(o.waiter_id, o.created_by, t.fired_by)";

/// The tickets still on the screens (not bumped), oldest first; one station's, or all.
pub async fn open_tickets(
    db: &mut SqliteConnection,
    station: Option<Station>,
) -> StoreResult<Vec<KitchenTicket>> {
    let rows: Vec<TicketRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{TICKET_SELECT} WHERE t.bumped_at IS NULL AND (?1 IS NULL OR t.station = ?1)
         ORDER BY t.fired_at, t.id LIMIT 500"
    )))
    .bind(station.map(Station::as_str))
    .fetch_all(&mut *db)
    .await?;
    assemble(db, rows).await
}

/// One ticket, bumped or not.
pub async fn ticket(
    db: &mut SqliteConnection,
    id: uuid::Uuid,
) -> StoreResult<Option<KitchenTicket>> {
    let rows: Vec<TicketRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{TICKET_SELECT} WHERE t.id = ?"
    )))
    .bind(id.to_string())
    .fetch_all(&mut *db)
    .await?;
    Ok(assemble(db, rows).await?.into_iter().next())
}

/// An order's tickets, in firing order (for printing and for the order's screen).
pub async fn tickets_of_order(
    db: &mut SqliteConnection,
    order_id: OrderId,
) -> StoreResult<Vec<KitchenTicket>> {
    let rows: Vec<TicketRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{TICKET_SELECT} WHERE t.order_id = ? ORDER BY t.fired_at, t.id"
    )))
    .bind(order_id.to_string())
    .fetch_all(&mut *db)
    .await?;
    assemble(db, rows).await
}

async fn assemble(
    db: &mut SqliteConnection,
    rows: Vec<TicketRow>,
) -> StoreResult<Vec<KitchenTicket>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(&rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>())?;
    let lines: Vec<TicketLineRow> = sqlx::query_as(
        "SELECT k.ticket_id, k.line_id, l.item_id, l.name, l.quantity, l.modifiers, l.note, l.seat,
                l.voided_at, k.bumped_at
         FROM kitchen_ticket_lines k JOIN order_lines l ON l.id = k.line_id
         WHERE k.ticket_id IN (SELECT value FROM json_each(?))
         ORDER BY k.ticket_id, l.position",
    )
    .bind(&ids)
    .fetch_all(db)
    .await?;
    let mut lines_by: HashMap<String, Vec<TicketLine>> = HashMap::new();
    for l in lines {
        let modifiers: Vec<dysa_domain::menu::PricedModifier> = serde_json::from_str(&l.modifiers)
            .map_err(|e| StoreError::corrupt("order_lines", e))?;
        lines_by.entry(l.ticket_id).or_default().push(TicketLine {
            line_id: parse("kitchen_ticket_lines", &l.line_id)?,
            item_id: parse("order_lines", &l.item_id)?,
            name: l.name,
            quantity: u32::try_from(l.quantity)
                .map_err(|e| StoreError::corrupt("order_lines", e))?,
            modifiers: modifiers
                .into_iter()
                .map(|m| format!("{}: {}", m.group_name, m.name))
                .collect(),
            note: l.note,
            seat: l
                .seat
                .and_then(|s| u16::try_from(s).ok())
                .and_then(|s| Seat::try_from(s).ok()),
            voided: l.voided_at.is_some(),
            bumped_at: l.bumped_at,
        });
    }
    rows.into_iter()
        .map(|r| {
            Ok(KitchenTicket {
                lines: lines_by.remove(&r.id).unwrap_or_default(),
                id: parse("kitchen_tickets", &r.id)?,
                order_id: parse("kitchen_tickets", &r.order_id)?,
                order_number: r.number,
                table_name: r.table_name,
                waiter_name: r.waiter_name,
                covers: r
                    .covers
                    .and_then(|c| u16::try_from(c).ok())
                    .and_then(|c| dysa_domain::floor::Covers::try_from(c).ok()),
                station: parse("kitchen_tickets", &r.station)?,
                course: r
                    .course
                    .as_deref()
                    .map(|c| parse("kitchen_tickets", c))
                    .transpose()?,
                fired_at: r.fired_at,
                bumped_at: r.bumped_at,
                order_note: r.order_note,
            })
        })
        .collect()
}

/// Bumps a whole ticket: it leaves the screens, and its lines not bumped yet are done now.
/// False when it was already bumped.
pub async fn bump_ticket(
    conn: &mut SqliteConnection,
    id: uuid::Uuid,
    by: Option<UserId>,
    at: &str,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE kitchen_tickets SET bumped_at = ?, bumped_by = ? WHERE id = ? AND bumped_at IS NULL",
    )
    .bind(at)
    .bind(by.map(|u| u.to_string()))
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if done == 0 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE kitchen_ticket_lines SET bumped_at = ? WHERE ticket_id = ? AND bumped_at IS NULL",
    )
    .bind(at)
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// Bumps one line of an open ticket; when no live line is left the ticket is bumped too.
/// None when the line is not on that ticket; Some(false) when it was already bumped.
pub async fn bump_line(
    conn: &mut SqliteConnection,
    ticket_id: uuid::Uuid,
    line_id: OrderLineId,
    by: Option<UserId>,
    at: &str,
) -> StoreResult<Option<bool>> {
    let current: Option<Option<String>> = sqlx::query_scalar(
        "SELECT bumped_at FROM kitchen_ticket_lines WHERE ticket_id = ? AND line_id = ?",
    )
    .bind(ticket_id.to_string())
    .bind(line_id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    match current {
        None => return Ok(None),
        Some(Some(_)) => return Ok(Some(false)),
        Some(None) => {}
    }
    sqlx::query("UPDATE kitchen_ticket_lines SET bumped_at = ? WHERE line_id = ?")
        .bind(at)
        .bind(line_id.to_string())
        .execute(&mut *conn)
        .await?;
    let left: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM kitchen_ticket_lines k JOIN order_lines l ON l.id = k.line_id
         WHERE k.ticket_id = ? AND k.bumped_at IS NULL AND l.voided_at IS NULL",
    )
    .bind(ticket_id.to_string())
    .fetch_one(&mut *conn)
    .await?;
    if left == 0 {
        bump_ticket(conn, ticket_id, by, at).await?;
    }
    Ok(Some(true))
}

/// Brings the station's last bumped ticket back to the screen (a cook bumped it too
/// soon), with the lines that were bumped with it. None when nothing was bumped.
pub async fn recall(
    conn: &mut SqliteConnection,
    station: Station,
) -> StoreResult<Option<uuid::Uuid>> {
    let last: Option<(String, String)> = sqlx::query_as(
        "SELECT id, bumped_at FROM kitchen_tickets WHERE station = ? AND bumped_at IS NOT NULL
         ORDER BY bumped_at DESC, id DESC LIMIT 1",
    )
    .bind(station.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, bumped_at)) = last else {
        return Ok(None);
    };
    sqlx::query("UPDATE kitchen_tickets SET bumped_at = NULL, bumped_by = NULL WHERE id = ?")
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE kitchen_ticket_lines SET bumped_at = NULL WHERE ticket_id = ? AND bumped_at = ?",
    )
    .bind(&id)
    .bind(&bumped_at)
    .execute(&mut *conn)
    .await?;
    Ok(Some(parse("kitchen_tickets", &id)?))
}

/// Average preparation time of one station: bump time − fire time of its bumped lines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StationPrep {
    /// The station.
    pub station: Station,
    /// Lines bumped in the period.
    pub lines: i64,
    /// Their average preparation time, in seconds.
    pub average_seconds: i64,
}

/// Preparation times per station for lines fired in `[from, to)` (stored instant text).
pub async fn prep_times<'e, E: SqliteExecutor<'e>>(
    db: E,
    from: &str,
    to: &str,
) -> StoreResult<Vec<StationPrep>> {
    let rows: Vec<(String, i64, f64)> = sqlx::query_as(
        "SELECT t.station, count(*),
                avg((julianday(k.bumped_at) - julianday(t.fired_at)) * 86400.0)
         FROM kitchen_ticket_lines k JOIN kitchen_tickets t ON t.id = k.ticket_id
         WHERE k.bumped_at IS NOT NULL AND t.fired_at >= ? AND t.fired_at < ?
         GROUP BY t.station ORDER BY t.station",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(station, lines, average)| {
            Ok(StationPrep {
                station: parse("kitchen_tickets", &station)?,
                lines,
                average_seconds: average.round() as i64,
            })
        })
        .collect()
}

fn parse<T: std::str::FromStr>(table: &'static str, text: &str) -> StoreResult<T>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e: T::Err| StoreError::corrupt(table, e))
}
