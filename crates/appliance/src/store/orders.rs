//! Orders, their lines, transitions and payments, as stored and as read back.

use super::{StoreError, StoreResult, outbox, rows};
use dysa_domain::bills::BillNo;
use dysa_domain::floor::Covers;
use dysa_domain::hlc::Hlc;
use dysa_domain::ids::{CustomerId, OrderId, PaymentId, TableId, UserId};
use dysa_domain::kitchen::Seat;
use dysa_domain::menu::Station;
use dysa_domain::money::Clp;
use dysa_domain::order::{CancelRequest, Channel, OrderStatus};
use dysa_domain::payment::{PaidSummary, PaymentRow, paid_state};
use dysa_domain::sync::rows::Order as SyncedOrder;
use dysa_domain::sync::{Entity, Op};
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqliteExecutor};
use std::collections::HashMap;

/// An order as clients see it: header, priced lines, money, paid state and history.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Order {
    /// The order's id (UUIDv7, made where the order was born).
    pub id: OrderId,
    /// Daily number: `#1`, `#2`, … restarting each local day.
    pub number: i64,
    /// The restaurant's local day the number belongs to (`YYYY-MM-DD`).
    pub business_date: String,
    /// Where it came from.
    pub channel: Channel,
    /// Where it stands.
    pub status: OrderStatus,
    /// The diner, if known.
    pub customer_id: Option<CustomerId>,
    /// The table, for dine-in.
    pub table_id: Option<TableId>,
    /// How many people sit at the table's tab.
    pub covers: Option<Covers>,
    /// The waiter serving the table's tab.
    pub waiter_id: Option<UserId>,
    /// When the table asked for the bill ("pidió la cuenta").
    pub bill_requested_at: Option<String>,
    /// Free note ("sin cebolla para todos").
    pub note: Option<String>,
    /// The lines, voided ones included (marked).
    pub lines: Vec<OrderLine>,
    /// Sum of live lines, IVA included.
    pub subtotal: Clp,
    /// Discount taken off the subtotal.
    pub discount: Clp,
    /// `subtotal - discount`, IVA included.
    pub total: Clp,
    /// `total` without IVA.
    pub net: Clp,
    /// IVA inside `total`.
    pub tax: Clp,
    /// Tax rate applied, basis points.
    pub tax_rate_bp: u32,
    /// Voluntary tip (outside IVA).
    pub tip: Clp,
    /// `total + tip`.
    pub amount_due: Clp,
    /// How net and tax were rounded.
    pub rounding_rule: String,
    /// Paid state derived from the payment ledger.
    pub payment: PaidSummary,
    /// What is left to pay in cash, rounded to the nearest $10 as Chilean law requires.
    pub cash_balance: Clp,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// The owner's latest request (made on the cloud) to cancel it, and staff's answer.
    pub cancel_request: Option<CancelRequest>,
    /// Every status change, oldest first.
    pub transitions: Vec<Transition>,
    /// Staff member who took it (none for widget/chat orders).
    pub created_by: Option<UserId>,
    /// When it was taken.
    pub created_at: String,
    /// HLC of the last change.
    pub updated_at: String,
}

pub use dysa_domain::sync::rows::{OrderLine, Payment, Transition};

/// A new order's header as the counter's code builds it; written and synced as the
/// domain's row ([`OrderRow::synced`]).
#[derive(Clone, Debug, Serialize)]
pub struct OrderRow {
    /// Id.
    pub id: OrderId,
    /// Daily number.
    pub number: i64,
    /// Local business day.
    pub business_date: String,
    /// Local hour when taken.
    pub local_hour: i64,
    /// Channel.
    pub channel: Channel,
    /// Taken by.
    pub created_by: Option<UserId>,
    /// Taken at.
    pub created_at: String,
    /// The columns that change over the order's life.
    #[serde(flatten)]
    pub state: OrderState,
    /// HLC of this change.
    pub updated_at: Hlc,
}

impl OrderRow {
    /// The header as it is written and synced.
    pub fn synced(&self) -> SyncedOrder {
        let state = &self.state;
        SyncedOrder {
            id: self.id,
            number: Some(self.number),
            business_date: Some(self.business_date.clone()),
            local_hour: Some(self.local_hour),
            channel: self.channel,
            created_by: self.created_by,
            created_at: self.created_at.clone(),
            status: state.status,
            customer_id: state.customer_id,
            table_id: state.table_id,
            note: state.note.clone(),
            subtotal: state.subtotal,
            discount: state.discount,
            total: state.total,
            net: state.net,
            tax: state.tax,
            tax_rate_bp: state.tax_rate_bp,
            tip: state.tip,
            amount_due: state.amount_due,
            cancel_reason: state.cancel_reason.clone(),
            cancel_request: None,
            covers: state.covers,
            waiter_id: state.waiter_id,
            bill_requested_at: state.bill_requested_at.clone(),
            updated_at: self.updated_at,
        }
    }
}

/// The columns of an order that change over its life (status, money, links). Updates
/// write all of them and sync them as one partial upsert.
#[derive(Clone, Debug, Serialize)]
pub struct OrderState {
    /// Status.
    pub status: OrderStatus,
    /// Customer.
    pub customer_id: Option<CustomerId>,
    /// Table.
    pub table_id: Option<TableId>,
    /// Note.
    pub note: Option<String>,
    /// Subtotal.
    pub subtotal: Clp,
    /// Discount.
    pub discount: Clp,
    /// Total.
    pub total: Clp,
    /// Net.
    pub net: Clp,
    /// Tax.
    pub tax: Clp,
    /// Tax rate, basis points.
    pub tax_rate_bp: u32,
    /// Tip.
    pub tip: Clp,
    /// Amount due.
    pub amount_due: Clp,
    /// Cancellation reason.
    pub cancel_reason: Option<String>,
    /// Covers of a table's tab.
    pub covers: Option<Covers>,
    /// Waiter of a table's tab.
    pub waiter_id: Option<UserId>,
    /// When a table's tab asked for the bill.
    pub bill_requested_at: Option<String>,
}

impl OrderState {
    /// The current state of a loaded order.
    pub fn of(order: &Order) -> OrderState {
        OrderState {
            status: order.status,
            customer_id: order.customer_id,
            table_id: order.table_id,
            note: order.note.clone(),
            subtotal: order.subtotal,
            discount: order.discount,
            total: order.total,
            net: order.net,
            tax: order.tax,
            tax_rate_bp: order.tax_rate_bp,
            tip: order.tip,
            amount_due: order.amount_due,
            cancel_reason: order.cancel_reason.clone(),
            covers: order.covers,
            waiter_id: order.waiter_id,
            bill_requested_at: order.bill_requested_at.clone(),
        }
    }
}

#[derive(Serialize)]
struct OrderStateChange<'a> {
    id: OrderId,
    #[serde(flatten)]
    state: &'a OrderState,
    updated_at: Hlc,
}

/// Writes a changed order state and its outbox row (a partial upsert of those fields).
pub async fn update_state(
    conn: &mut SqliteConnection,
    id: OrderId,
    state: &OrderState,
    hlc: Hlc,
) -> StoreResult<()> {
    let change = OrderStateChange {
        id,
        state,
        updated_at: hlc,
    };
    rows::patch::<SyncedOrder>(conn, &id.to_string(), &change).await?;
    outbox::record(
        conn,
        Entity::Order,
        &id.to_string(),
        Op::Upsert,
        &change,
        hlc,
    )
    .await?;
    Ok(())
}

#[derive(Serialize)]
struct CancelRequestChange<'a> {
    id: OrderId,
    cancel_request: &'a CancelRequest,
    updated_at: Hlc,
}

/// Writes the order's cancel request (its answer, usually) and its outbox row: only
/// that field, so it merges on the cloud beside any status change.
pub async fn set_cancel_request(
    conn: &mut SqliteConnection,
    id: OrderId,
    request: &CancelRequest,
    hlc: Hlc,
) -> StoreResult<()> {
    let change = CancelRequestChange {
        id,
        cancel_request: request,
        updated_at: hlc,
    };
    rows::patch::<SyncedOrder>(conn, &id.to_string(), &change).await?;
    outbox::record(
        conn,
        Entity::Order,
        &id.to_string(),
        Op::Upsert,
        &change,
        hlc,
    )
    .await?;
    Ok(())
}

/// Records a status change and its outbox row.
pub async fn insert_transition(
    conn: &mut SqliteConnection,
    row: &TransitionRow,
) -> StoreResult<()> {
    rows::upsert(conn, row).await?;
    outbox::record(
        conn,
        Entity::OrderTransition,
        &row.id.to_string(),
        Op::Upsert,
        row,
        row.updated_at,
    )
    .await?;
    Ok(())
}

/// The rows of one new order: header, lines and first transition.
#[derive(Clone, Debug)]
pub struct NewOrderRows {
    /// The header.
    pub row: OrderRow,
    /// The lines.
    pub lines: Vec<LineRow>,
    /// The first transition (to `pending`).
    pub transition: TransitionRow,
    /// `(key, request_hash)` when the order came with an `Idempotency-Key`.
    pub idempotency: Option<(String, String)>,
}

/// SQLite's limit on bound parameters per statement is 32,766; stay well below it.
const MAX_BINDS: usize = 30_000;

/// Writes many new orders (headers, lines, first transitions, idempotency keys) and all
/// their outbox rows with one multi-row INSERT per table (chunked under SQLite's parameter
/// limit). This is how a group commit of orders costs a handful of statements rather
/// than several per order.
pub async fn insert_new_orders(
    conn: &mut SqliteConnection,
    orders: &[NewOrderRows],
) -> StoreResult<()> {
    if orders.is_empty() {
        return Ok(());
    }
    let headers: Vec<SyncedOrder> = orders.iter().map(|o| o.row.synced()).collect();
    rows::insert_many(&mut *conn, &headers).await?;
    let lines: Vec<&LineRow> = orders.iter().flat_map(|o| o.lines.iter()).collect();
    rows::insert_many(&mut *conn, lines.iter().copied()).await?;
    rows::insert_many(&mut *conn, orders.iter().map(|o| &o.transition)).await?;
    let keyed: Vec<(&NewOrderRows, &(String, String))> = orders
        .iter()
        .filter_map(|o| o.idempotency.as_ref().map(|k| (o, k)))
        .collect();
    let now = super::now_text();
    for chunk in keyed.chunks(MAX_BINDS / 5) {
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO idempotency_keys (key, scope, request_hash, resource_id, created_at) ",
        );
        insert.push_values(chunk, |mut b, (order, (key, hash))| {
            b.push_bind(key.clone())
                .push_bind("orders")
                .push_bind(hash.clone())
                .push_bind(order.row.id.to_string())
                .push_bind(now.clone());
        });
        insert.build().execute(&mut *conn).await?;
    }
    let mut changes = Vec::with_capacity(orders.len() * 2 + lines.len());
    for (order, row) in orders.iter().zip(&headers) {
        changes.push(outbox::Change::upsert(
            Entity::Order,
            row.id,
            row,
            &row.updated_at,
        )?);
        for line in &order.lines {
            changes.push(outbox::Change::upsert(
                Entity::OrderLine,
                line.line.id,
                line,
                &line.updated_at,
            )?);
        }
        let t = &order.transition;
        changes.push(outbox::Change::upsert(
            Entity::OrderTransition,
            t.id,
            t,
            &t.updated_at,
        )?);
    }
    for chunk in changes.chunks(MAX_BINDS / 7) {
        outbox::record_many(conn, chunk).await?;
    }
    Ok(())
}

/// Takes `count` daily numbers for `business_date` with one statement, in this counter's
/// range (`store::numbering`, `dysa_domain::numbering`): numbers no other counter of the
/// location hands out, online or offline.
pub async fn reserve_numbers(
    conn: &mut SqliteConnection,
    business_date: &str,
    count: i64,
) -> StoreResult<Vec<i64>> {
    let slot = super::numbering::current(conn).await?;
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO order_counters (business_date, last_number) VALUES (?1, ?2)
         ON CONFLICT (business_date) DO UPDATE SET last_number = last_number + ?2
         RETURNING last_number",
    )
    .bind(business_date)
    .bind(count)
    .fetch_one(&mut *conn)
    .await?;
    (last - count + 1..=last)
        .map(|daily| {
            dysa_domain::numbering::number(slot, daily)
                .map_err(|e| StoreError::corrupt("order_counters", e))
        })
        .collect()
}

/// A line as stored and synced.
pub type LineRow = dysa_domain::sync::rows::OrderLineRow;

impl Order {
    /// The part of `discount` given on the whole bill: the header carries the bill
    /// discount and every live line's together (what reports count as discounts), so the
    /// bill's share is what the live lines do not account for.
    pub fn bill_discount(&self) -> Clp {
        let on_lines: i64 = self
            .lines
            .iter()
            .filter(|l| !l.voided)
            .filter_map(|l| l.discount.as_ref())
            .map(|d| d.amount.0)
            .sum();
        Clp((self.discount.0 - on_lines).max(0))
    }
}

/// Inserts or updates (void, discount) a line and writes its outbox row.
pub async fn save_line(conn: &mut SqliteConnection, row: &LineRow) -> StoreResult<()> {
    let line = &row.line;
    rows::upsert(conn, row).await?;
    outbox::record(
        conn,
        Entity::OrderLine,
        &line.id.to_string(),
        Op::Upsert,
        row,
        row.updated_at,
    )
    .await?;
    Ok(())
}

/// Every copy of a merged line that has more than one copy (two counters merged its tab
/// offline into different tables), with its tab: what `floor::doubled_copies` decides on.
pub async fn doubled_copy_candidates(
    conn: &mut SqliteConnection,
) -> StoreResult<Vec<(OrderId, dysa_domain::floor::CopiedLine)>> {
    let rows: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT id, order_id, moved_from, voided_at IS NOT NULL FROM order_lines
         WHERE moved_from IN (SELECT moved_from FROM order_lines WHERE moved_from IS NOT NULL
                              GROUP BY moved_from HAVING count(*) > 1)",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, order_id, moved_from, voided)| {
            Ok((
                parse("order_lines", &order_id)?,
                dysa_domain::floor::CopiedLine {
                    id: parse("order_lines", &id)?,
                    moved_from: parse("order_lines", &moved_from)?,
                    voided,
                },
            ))
        })
        .collect()
}

/// A recorded status change as stored and synced.
pub type TransitionRow = dysa_domain::sync::rows::OrderTransition;

/// Appends a payment-ledger row and its outbox row.
pub async fn insert_payment(
    conn: &mut SqliteConnection,
    payment: &Payment,
    hlc: Hlc,
) -> StoreResult<()> {
    rows::upsert_with(conn, payment, vec![rows::stamp("updated_at", Some(&hlc))]).await?;
    outbox::record(
        conn,
        Entity::Payment,
        &payment.id.to_string(),
        Op::Upsert,
        payment,
        hlc,
    )
    .await?;
    Ok(())
}

/// The `(request_hash, resource_id)` recorded for an `Idempotency-Key`, if any.
pub async fn idempotency_key<'e, E: SqliteExecutor<'e>>(
    executor: E,
    key: &str,
    scope: &str,
) -> StoreResult<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT request_hash, resource_id FROM idempotency_keys WHERE key = ? AND scope = ?",
    )
    .bind(key)
    .bind(scope)
    .fetch_optional(executor)
    .await?)
}

#[derive(sqlx::FromRow)]
struct OrderDbRow {
    id: String,
    number: i64,
    business_date: String,
    channel: String,
    status: String,
    customer_id: Option<String>,
    table_id: Option<String>,
    note: Option<String>,
    subtotal: i64,
    discount: i64,
    total: i64,
    net: i64,
    tax: i64,
    tax_rate_bp: i64,
    tip: i64,
    amount_due: i64,
    cancel_reason: Option<String>,
    cancel_request: Option<String>,
    covers: Option<i64>,
    waiter_id: Option<String>,
    bill_requested_at: Option<String>,
    created_by: Option<String>,
    created_at: String,
    updated_at: String,
}

#[derive(sqlx::FromRow)]
struct LineDbRow {
    id: String,
    order_id: String,
    item_id: String,
    name: String,
    quantity: i64,
    unit_price: i64,
    line_total: i64,
    modifiers: String,
    note: Option<String>,
    station: String,
    course: Option<String>,
    seat: Option<i64>,
    voided_at: Option<String>,
    void_reason: Option<String>,
    discount: Option<String>,
    bill: Option<i64>,
    moved_from: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TransitionDbRow {
    order_id: String,
    from_status: Option<String>,
    to_status: String,
    reason: Option<String>,
    by_user: Option<String>,
    at: String,
}

fn parse<T: std::str::FromStr>(table: &'static str, text: &str) -> StoreResult<T>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e: T::Err| StoreError::corrupt(table, e))
}

fn parse_opt<T: std::str::FromStr>(
    table: &'static str,
    text: Option<&str>,
) -> StoreResult<Option<T>>
where
    T::Err: std::fmt::Display,
{
    text.map(|t| parse(table, t)).transpose()
}

const ORDER_COLUMNS: &str = "id, number, business_date, channel, status, customer_id, table_id, note, subtotal, discount, total, net, tax, tax_rate_bp, tip, amount_due, cancel_reason, cancel_request, covers, waiter_id, bill_requested_at, created_by, created_at, updated_at";

/// The payments of one order, oldest first.
pub async fn payments_of<'e, E: SqliteExecutor<'e>>(
    executor: E,
    order: OrderId,
) -> StoreResult<Vec<Payment>> {
    let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM payments p WHERE p.order_id = ? ORDER BY p.created_at, p.id",
        rows::json_columns::<Payment>("p")
    )))
    .bind(order.to_string())
    .fetch_all(executor)
    .await?;
    rows.iter().map(|t| rows::decode(t)).collect()
}

/// One payment row.
pub async fn payment<'e, E: SqliteExecutor<'e>>(
    executor: E,
    id: PaymentId,
) -> StoreResult<Option<Payment>> {
    let row: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM payments p WHERE p.id = ?",
        rows::json_columns::<Payment>("p")
    )))
    .bind(id.to_string())
    .fetch_optional(executor)
    .await?;
    row.as_deref().map(rows::decode).transpose()
}

/// Loads one order with its lines, transitions and payments.
pub async fn load(conn: &mut SqliteConnection, id: OrderId) -> StoreResult<Option<Order>> {
    let row: Option<OrderDbRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE id = ? AND deleted_at IS NULL"
    )))
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut orders = assemble(conn, vec![row]).await?;
    Ok(orders.pop())
}

/// Filters for listing orders.
#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    /// Only these statuses (empty: all).
    pub statuses: Vec<OrderStatus>,
    /// Only this channel.
    pub channel: Option<Channel>,
    /// Created at or after (stored instant text).
    pub from: Option<String>,
    /// Created before (stored instant text).
    pub to: Option<String>,
    /// Only this customer's.
    pub customer_id: Option<CustomerId>,
    /// Only this table's.
    pub table_id: Option<TableId>,
    /// Page size.
    pub limit: i64,
    /// Rows to skip.
    pub offset: i64,
}

/// A page of orders, newest first, with the total count matching the filter.
pub async fn list(
    conn: &mut SqliteConnection,
    filter: &OrderFilter,
) -> StoreResult<(Vec<Order>, i64)> {
    let statuses = serde_json::to_string(
        &filter
            .statuses
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
    )?;
    // Each filter is a bound parameter that is NULL when unused; the SQL text is constant.
    const WHERE: &str = "deleted_at IS NULL
        AND (?1 = '[]' OR status IN (SELECT value FROM json_each(?1)))
        AND (?2 IS NULL OR channel = ?2)
        AND (?3 IS NULL OR created_at >= ?3)
        AND (?4 IS NULL OR created_at < ?4)
        AND (?5 IS NULL OR customer_id = ?5)
        AND (?6 IS NULL OR table_id = ?6)";
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM orders WHERE {WHERE}"
    )))
    .bind(&statuses)
    .bind(filter.channel.map(|c| c.as_str()))
    .bind(&filter.from)
    .bind(&filter.to)
    .bind(filter.customer_id.map(|c| c.to_string()))
    .bind(filter.table_id.map(|t| t.to_string()))
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<OrderDbRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE {WHERE} ORDER BY created_at DESC, id DESC LIMIT ?7 OFFSET ?8"
    )))
    .bind(&statuses)
    .bind(filter.channel.map(|c| c.as_str()))
    .bind(&filter.from)
    .bind(&filter.to)
    .bind(filter.customer_id.map(|c| c.to_string()))
    .bind(filter.table_id.map(|t| t.to_string()))
    .bind(filter.limit)
    .bind(filter.offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok((assemble(conn, rows).await?, total))
}

async fn assemble(conn: &mut SqliteConnection, rows: Vec<OrderDbRow>) -> StoreResult<Vec<Order>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(&rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>())?;
    let lines: Vec<LineDbRow> = sqlx::query_as(
        "SELECT id, order_id, item_id, name, quantity, unit_price, line_total, modifiers, note, station, course, seat, voided_at, void_reason,
                discount, bill, moved_from
         FROM order_lines WHERE order_id IN (SELECT value FROM json_each(?)) ORDER BY order_id, position",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let transitions: Vec<TransitionDbRow> = sqlx::query_as(
        "SELECT order_id, from_status, to_status, reason, by_user, at
         FROM order_transitions WHERE order_id IN (SELECT value FROM json_each(?)) ORDER BY order_id, at, id",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let payments: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM payments p WHERE p.order_id IN (SELECT value FROM json_each(?))
         ORDER BY p.created_at, p.id",
        rows::json_columns::<Payment>("p")
    )))
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut lines_by: HashMap<String, Vec<OrderLine>> = HashMap::new();
    for l in lines {
        lines_by
            .entry(l.order_id.clone())
            .or_default()
            .push(OrderLine {
                id: parse("order_lines", &l.id)?,
                item_id: parse("order_lines", &l.item_id)?,
                name: l.name,
                quantity: u32::try_from(l.quantity)
                    .map_err(|e| StoreError::corrupt("order_lines", e))?,
                unit_price: Clp(l.unit_price),
                line_total: Clp(l.line_total),
                modifiers: serde_json::from_str(&l.modifiers)
                    .map_err(|e| StoreError::corrupt("order_lines", e))?,
                note: l.note,
                station: l.station.parse().unwrap_or(Station::Kitchen),
                course: parse_opt("order_lines", l.course.as_deref())?,
                seat: l
                    .seat
                    .map(|s| {
                        u16::try_from(s)
                            .map_err(|e| e.to_string())
                            .and_then(Seat::try_from)
                            .map_err(|e| StoreError::corrupt("order_lines", e))
                    })
                    .transpose()?,
                voided: l.voided_at.is_some(),
                void_reason: l.void_reason,
                discount: l
                    .discount
                    .as_deref()
                    .map(serde_json::from_str)
                    .transpose()
                    .map_err(|e| StoreError::corrupt("order_lines", e))?,
                bill: l
                    .bill
                    .map(|b| {
                        u16::try_from(b)
                            .map_err(|e| e.to_string())
                            .and_then(BillNo::try_from)
                            .map_err(|e| StoreError::corrupt("order_lines", e))
                    })
                    .transpose()?,
                moved_from: parse_opt("order_lines", l.moved_from.as_deref())?,
            });
    }
    let mut transitions_by: HashMap<String, Vec<Transition>> = HashMap::new();
    for t in transitions {
        transitions_by
            .entry(t.order_id.clone())
            .or_default()
            .push(Transition {
                from: parse_opt("order_transitions", t.from_status.as_deref())?,
                to: parse("order_transitions", &t.to_status)?,
                reason: t.reason,
                by_user: parse_opt("order_transitions", t.by_user.as_deref())?,
                at: t.at,
            });
    }
    let mut payments_by: HashMap<String, Vec<PaymentRow>> = HashMap::new();
    for text in &payments {
        let payment: Payment = rows::decode(text)?;
        let order_id = payment.order_id.to_string();
        payments_by.entry(order_id).or_default().push(PaymentRow {
            method: payment.method,
            amount: payment.amount,
            tip: payment.tip,
        });
    }
    rows.into_iter()
        .map(|r| {
            let amount_due = Clp(r.amount_due);
            let summary = paid_state(
                amount_due,
                payments_by.get(&r.id).map(Vec::as_slice).unwrap_or(&[]),
            );
            Ok(Order {
                id: parse("orders", &r.id)?,
                number: r.number,
                business_date: r.business_date,
                channel: parse("orders", &r.channel)?,
                status: parse("orders", &r.status)?,
                customer_id: parse_opt("orders", r.customer_id.as_deref())?,
                table_id: parse_opt("orders", r.table_id.as_deref())?,
                covers: r
                    .covers
                    .map(|c| {
                        u16::try_from(c)
                            .map_err(|e| e.to_string())
                            .and_then(Covers::try_from)
                    })
                    .transpose()
                    .map_err(|e| StoreError::corrupt("orders", e))?,
                waiter_id: parse_opt("orders", r.waiter_id.as_deref())?,
                bill_requested_at: r.bill_requested_at,
                note: r.note,
                lines: lines_by.remove(&r.id).unwrap_or_default(),
                subtotal: Clp(r.subtotal),
                discount: Clp(r.discount),
                total: Clp(r.total),
                net: Clp(r.net),
                tax: Clp(r.tax),
                tax_rate_bp: u32::try_from(r.tax_rate_bp)
                    .map_err(|e| StoreError::corrupt("orders", e))?,
                tip: Clp(r.tip),
                amount_due,
                rounding_rule: dysa_domain::money::ROUNDING_RULE.to_owned(),
                payment: summary,
                cash_balance: cash_balance(summary.balance),
                cancel_reason: r.cancel_reason,
                cancel_request: r
                    .cancel_request
                    .as_deref()
                    .map(serde_json::from_str)
                    .transpose()
                    .map_err(|e| StoreError::corrupt("orders", e))?,
                transitions: transitions_by.remove(&r.id).unwrap_or_default(),
                created_by: parse_opt("orders", r.created_by.as_deref())?,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
        })
        .collect()
}

/// A positive balance rounded for cash; zero when nothing is due.
pub fn cash_balance(balance: Clp) -> Clp {
    if balance > Clp::ZERO {
        dysa_domain::money::cash_round(balance)
    } else {
        Clp::ZERO
    }
}
